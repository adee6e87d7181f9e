/**
 * HID POS (USB HID usage page 0x8C, bar code scanner) input reports → frames.
 * A report carries a length byte, the symbology (AIM) bytes, a slice of the data and a
 * "more follows" flag; long codes span several reports. Vendor layouts differ, so each one is
 * a table entry (a profile), not a branch. The offsets below are from vendor manuals and field
 * reports and are *unconfirmed* on real hardware: add or fix a profile, never the decoder.
 */
import { symbologyOf } from '../aim.ts';

/** Where things sit in a report, counted after the report id. */
export interface HidPosProfile {
  name: string;
  /** USB vendor ids this profile is chosen for automatically. */
  vendorIds: readonly number[];
  /** The report id of scanned-data reports. */
  reportId: number;
  /** Report size in bytes without the report id. */
  reportSize: number;
  /** Offset of the length byte. */
  lengthOffset: number;
  /** Does the length count the AIM bytes too? */
  lengthIncludesAim: boolean;
  /** Offset of the 3 AIM bytes (`]d2`), or null when the device sends none. */
  aimOffset: number | null;
  /** Offset of the first data byte. */
  dataOffset: number;
  /** Offset and bit mask of the "more reports follow" flag. */
  moreOffset: number;
  moreMask: number;
  /** Feature report that switches the device into HID POS mode, if it needs one (unconfirmed). */
  initFeatureReport?: readonly number[];
}

/** Built-in profiles. `generic` follows the USB HID POS usage tables' scanned-data report. */
export const HID_POS_PROFILES: Readonly<Record<string, HidPosProfile>> = {
  generic: { name: 'generic', vendorIds: [], reportId: 0x02, reportSize: 63, lengthOffset: 0, lengthIncludesAim: false, aimOffset: 1, dataOffset: 4, moreOffset: 62, moreMask: 0x01 },
  honeywell: { name: 'honeywell', vendorIds: [0x0c2e], reportId: 0x02, reportSize: 63, lengthOffset: 0, lengthIncludesAim: false, aimOffset: 1, dataOffset: 4, moreOffset: 62, moreMask: 0x01 },
  zebra: { name: 'zebra', vendorIds: [0x05e0], reportId: 0x22, reportSize: 63, lengthOffset: 0, lengthIncludesAim: false, aimOffset: 2, dataOffset: 5, moreOffset: 1, moreMask: 0x01 },
  datalogic: { name: 'datalogic', vendorIds: [0x05f9], reportId: 0x02, reportSize: 63, lengthOffset: 0, lengthIncludesAim: true, aimOffset: 1, dataOffset: 4, moreOffset: 62, moreMask: 0x80 },
};

/** The profile for a vendor id, `generic` when none matches. */
export function profileForVendor(vendorId: number): HidPosProfile {
  return Object.values(HID_POS_PROFILES).find((p) => p.vendorIds.includes(vendorId)) ?? (HID_POS_PROFILES.generic as HidPosProfile);
}

/** Checks a profile's offsets fit its report; throws RangeError naming the field. */
export function checkProfile(p: HidPosProfile): HidPosProfile {
  const within = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 0 || v >= p.reportSize) throw new RangeError(`HID POS profile ${p.name}: ${name} ${v} is outside a ${p.reportSize}-byte report`);
  };
  if (!Number.isInteger(p.reportSize) || p.reportSize < 4 || p.reportSize > 1024) throw new RangeError(`HID POS profile ${p.name}: reportSize must be 4..1024`);
  if (!Number.isInteger(p.reportId) || p.reportId < 0 || p.reportId > 255) throw new RangeError(`HID POS profile ${p.name}: reportId must be 0..255`);
  within('lengthOffset', p.lengthOffset);
  within('dataOffset', p.dataOffset);
  within('moreOffset', p.moreOffset);
  if (p.aimOffset !== null) within('aimOffset', p.aimOffset + 2);
  return p;
}

/** One report, decoded. */
export interface HidPosSegment {
  data: Buffer;
  aim: string | null;
  more: boolean;
}

/**
 * Whether node-hid handed us the report id as the first byte (it depends on the platform and
 * on whether the device numbers its reports). Decided from the report length, then the id.
 */
export function hasReportIdPrefix(report: Uint8Array, p: HidPosProfile): boolean {
  if (report.length === p.reportSize + 1) return true;
  if (report.length === p.reportSize) return false;
  // Short or padded reports: trust the first byte only when it is the id and the length fits.
  return report[0] === p.reportId && (report[1 + p.lengthOffset] ?? 255) <= report.length;
}

/** Decodes one report (report id already removed). Throws RangeError on a length that does not fit. */
export function decodeReport(body: Uint8Array, p: HidPosProfile): HidPosSegment {
  const len = body[p.lengthOffset];
  if (len === undefined) throw new RangeError(`HID POS report too short (${body.length} bytes)`);
  const aimLen = p.aimOffset === null ? 0 : 3;
  const dataLen = p.lengthIncludesAim ? len - aimLen : len;
  if (dataLen < 0 || p.dataOffset + dataLen > body.length) {
    throw new RangeError(`HID POS report says ${len} bytes but has room for ${body.length - p.dataOffset} (profile ${p.name})`);
  }
  let aim: string | null = null;
  if (p.aimOffset !== null) {
    const a = Buffer.from(body.subarray(p.aimOffset, p.aimOffset + 3));
    // Some devices send the identifier without the leading ']' or zeros when there is none.
    if (a[0] === 0x5d) aim = a.toString('latin1');
    else if (a[0] !== 0 && a[1] !== 0 && a[2] === 0) aim = `]${a.subarray(0, 2).toString('latin1')}`;
    else if (a[0] !== 0 && a[1] !== 0 && a[2] !== 0 && /^[A-Za-z][0-9A-Za-z]$/.test(a.subarray(0, 2).toString('latin1'))) aim = `]${a.subarray(0, 2).toString('latin1')}`;
  }
  const more = ((body[p.moreOffset] ?? 0) & p.moreMask) !== 0;
  return { data: Buffer.from(body.subarray(p.dataOffset, p.dataOffset + dataLen)), aim, more };
}

/** A complete code from one or more reports. */
export interface HidPosFrame {
  kind: 'frame';
  data: Buffer;
  raw: Buffer;
  aim: string | null;
  symbology: string | null;
  reports: number;
  endedBy: 'terminator';
  firstByteAt: number;
  lastByteAt: number;
}

/** A code that had to be rejected. */
export interface HidPosError {
  kind: 'error';
  code: 'FRAME_TOO_LONG' | 'INCOMPLETE_FRAME' | 'BAD_REPORT';
  message: string;
  dropped: number;
}

/**
 * Joins reports into frames. `push` returns the frame or error a report completes, or null.
 * Reports with another report id (e.g. battery or status) are ignored.
 */
export class HidPosAssembler {
  private parts: Buffer[] = [];
  private size = 0;
  private aim: string | null = null;
  private reports = 0;
  private firstAt = 0;
  private prefixed: boolean | undefined;
  private cutting = false;

  constructor(readonly profile: HidPosProfile, readonly maxLength = 4096, private readonly now: () => number = () => performance.now()) {
    checkProfile(profile);
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`maxLength must be a whole number >= 1, got ${String(maxLength)}`);
  }

  /** True while a multi-report code is half-way. */
  get pending(): boolean {
    return this.reports > 0 || this.cutting;
  }

  push(report: Uint8Array): HidPosFrame | HidPosError | null {
    // Decide once per device whether the id is prefixed, then keep to it.
    this.prefixed ??= hasReportIdPrefix(report, this.profile);
    if (this.prefixed && report[0] !== this.profile.reportId) return null;
    const body = this.prefixed ? report.subarray(1) : report;
    let seg: HidPosSegment;
    try {
      seg = decodeReport(body, this.profile);
    } catch (err) {
      const dropped = this.size;
      this.reset();
      return { kind: 'error', code: 'BAD_REPORT', message: (err as Error).message, dropped };
    }
    const at = this.now();
    if (this.reports === 0 && !this.cutting) { this.firstAt = at; this.aim = seg.aim; }
    this.reports++;
    if (!this.cutting) {
      this.parts.push(seg.data);
      this.size += seg.data.length;
      if (this.size + (this.aim?.length ?? 0) > this.maxLength) { this.cutting = true; this.parts = []; }
    } else this.size += seg.data.length;
    if (seg.more) return null;
    if (this.cutting) {
      const dropped = this.size;
      this.reset();
      return { kind: 'error', code: 'FRAME_TOO_LONG', message: `code longer than the maximum of ${this.maxLength} bytes: ${dropped} bytes dropped`, dropped };
    }
    const data = Buffer.concat(this.parts, this.size);
    const aim = this.aim;
    const frame: HidPosFrame = {
      kind: 'frame', data, raw: aim ? Buffer.concat([Buffer.from(aim, 'latin1'), data]) : data, aim,
      symbology: aim ? symbologyOf(aim) : null, reports: this.reports, endedBy: 'terminator', firstByteAt: this.firstAt, lastByteAt: at,
    };
    this.reset();
    return frame;
  }

  /** Ends a half-way code (device gone, or no next report in time). */
  abort(reason: string): HidPosError | null {
    if (!this.pending) return null;
    const dropped = this.size;
    this.reset();
    return { kind: 'error', code: 'INCOMPLETE_FRAME', message: `${reason}: ${dropped} bytes of a multi-report code dropped`, dropped };
  }

  private reset(): void {
    this.parts = [];
    this.size = 0;
    this.aim = null;
    this.reports = 0;
    this.cutting = false;
  }
}

/** Splits a code into HID POS reports for a profile (for emulators and tests). */
export function encodeReports(p: HidPosProfile, data: Buffer, aim: string | null, withReportId: boolean): Buffer[] {
  checkProfile(p);
  const aimLen = p.aimOffset === null ? 0 : 3;
  const room = p.reportSize - p.dataOffset - (p.moreOffset >= p.dataOffset ? p.reportSize - p.moreOffset : 0);
  const lenRoom = p.lengthIncludesAim ? 255 - aimLen : 255;
  const per = Math.max(1, Math.min(room, lenRoom));
  const out: Buffer[] = [];
  for (let i = 0; i === 0 || i < data.length; i += per) {
    const slice = data.subarray(i, i + per);
    const body = Buffer.alloc(p.reportSize);
    body[p.lengthOffset] = slice.length + (p.lengthIncludesAim ? aimLen : 0);
    if (p.aimOffset !== null && aim) body.write(aim.slice(0, 3), p.aimOffset, 'latin1');
    slice.copy(body, p.dataOffset);
    if (i + per < data.length) body[p.moreOffset] = (body[p.moreOffset] ?? 0) | p.moreMask;
    out.push(withReportId ? Buffer.concat([Buffer.from([p.reportId]), body]) : body);
  }
  return out;
}
