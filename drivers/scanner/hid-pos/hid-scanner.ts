/**
 * HidPosScanner: a USB HID POS scanner read through node-hid 3 (HIDAsync). node-hid is loaded
 * lazily, so the app still runs — and says why — when it or libusb/hidraw is missing. Reports
 * are joined into frames by HidPosAssembler with a vendor profile; the device is reopened
 * after an unplug by polling the device list with backoff.
 */
import { EventEmitter } from 'node:events';
import type { Device, HIDAsync } from 'node-hid';
import { checkBackoff, ReconnectBackoff, type BackoffOptions } from '../reconnect.ts';
import { HID_POS_PROFILES, HidPosAssembler, checkProfile, profileForVendor, type HidPosError, type HidPosFrame, type HidPosProfile } from './reports.ts';

/** The part of node-hid's module that the driver uses; a fake implements the same. */
export interface HidModule {
  devicesAsync(): Promise<Device[]>;
  HIDAsync: { open(path: string, options?: { nonExclusive?: boolean }): Promise<HIDAsync> };
}

/** Loads node-hid; rejects with a message a technician can act on. */
export async function loadNodeHid(): Promise<HidModule> {
  try {
    const mod = (await import('node-hid')) as unknown as HidModule & { default?: HidModule };
    return typeof mod.devicesAsync === 'function' ? mod : (mod.default as HidModule);
  } catch (err) {
    throw new Error(`node-hid could not be loaded, so HID POS scanners are unavailable (is libusb-1.0 / hidraw installed?): ${(err as Error).message}`, { cause: err });
  }
}

/** HID POS usage page (bar code scanner). */
export const HID_POS_USAGE_PAGE = 0x8c;

export interface HidMatch {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  path?: string;
}

export interface HidPosScannerOptions {
  match: HidMatch;
  /** A profile name or object; default chosen by vendor id. */
  profile?: string | HidPosProfile;
  maxLength?: number;
  /** ms to wait for the next report of a multi-report code, default 500. */
  reportTimeoutMs?: number;
  /** node-hid or a fake; default node-hid, loaded on open(). */
  hid?: HidModule;
  /** Backoff between reopen attempts (drivers/scanner/reconnect.ts); false: no reconnect. */
  reconnect?: BackoffOptions | false;
}

export interface HidScanFrame extends HidPosFrame {
  source: { transport: 'hid'; path: string; vendorId: number; productId: number };
}

export interface HidPosScannerEvents {
  frame: [HidScanFrame];
  'frame-error': [HidPosError];
  status: [{ state: 'connected' | 'reconnecting' | 'idle' | 'closed'; path: string | null; reason?: string; at: number }];
}

/** Finds the HID POS interface of a device: usage page 0x8C preferred, then any interface of it. */
export function findHidDevice(devices: readonly Device[], m: HidMatch): Device | null {
  const mine = devices.filter((d) => d.vendorId === m.vendorId && d.productId === m.productId
    && (m.serialNumber === undefined || d.serialNumber === m.serialNumber) && (m.path === undefined || d.path === m.path));
  return mine.find((d) => d.usagePage === HID_POS_USAGE_PAGE) ?? mine.find((d) => d.usagePage !== 0x01 || d.usage !== 0x06) ?? mine[0] ?? null;
}

/** A HID POS scanner. */
export class HidPosScanner extends EventEmitter<HidPosScannerEvents> {
  private readonly match: HidMatch;
  private readonly profile: HidPosProfile;
  private readonly maxLength: number;
  private readonly reportTimeoutMs: number;
  private hid: HidModule | undefined;
  private device: HIDAsync | undefined;
  private assembler: HidPosAssembler | undefined;
  private path: string | null = null;
  private state: 'idle' | 'connected' | 'reconnecting' | 'closed' = 'idle';
  private retry: NodeJS.Timeout | undefined;
  private partTimer: NodeJS.Timeout | undefined;
  private readonly backoff: ReconnectBackoff | undefined;

  constructor(options: HidPosScannerOptions) {
    super();
    const m = options?.match;
    if (!m || !Number.isInteger(m.vendorId) || !Number.isInteger(m.productId) || m.vendorId < 0 || m.vendorId > 0xffff || m.productId < 0 || m.productId > 0xffff) {
      throw new TypeError('HidPosScanner needs match: { vendorId, productId } as 16-bit numbers');
    }
    this.match = { ...m };
    const p = options.profile;
    if (typeof p === 'string') {
      const found = HID_POS_PROFILES[p];
      if (!found) throw new TypeError(`unknown HID POS profile '${p}'; known: ${Object.keys(HID_POS_PROFILES).join(', ')}`);
      this.profile = found;
    } else this.profile = checkProfile(p ?? profileForVendor(m.vendorId));
    this.maxLength = options.maxLength ?? 4096;
    this.reportTimeoutMs = options.reportTimeoutMs ?? 500;
    this.hid = options.hid;
    this.backoff = options.reconnect === false ? undefined : new ReconnectBackoff(checkBackoff(options.reconnect ?? {}, {}));
    new HidPosAssembler(this.profile, this.maxLength); // checks maxLength now
  }

  /** The profile in use. */
  get profileName(): string {
    return this.profile.name;
  }

  /** Opens the device; rejects with a clear error when node-hid is missing or the device is absent. */
  async open(): Promise<void> {
    this.hid ??= await loadNodeHid();
    await this.connect();
  }

  async close(): Promise<void> {
    this.state = 'closed';
    if (this.retry) clearTimeout(this.retry);
    if (this.partTimer) clearTimeout(this.partTimer);
    const d = this.device;
    this.device = undefined;
    if (d) { d.removeAllListeners(); await d.close().catch(() => undefined); }
    this.emit('status', { state: 'closed', path: this.path, at: Date.now() });
  }

  private async connect(): Promise<void> {
    const hid = this.hid as HidModule;
    const info = findHidDevice(await hid.devicesAsync(), this.match);
    const id = `${this.match.vendorId.toString(16).padStart(4, '0')}:${this.match.productId.toString(16).padStart(4, '0')}`;
    if (!info || info.path === undefined) throw new Error(`no HID device ${id} is connected`);
    if (info.usagePage === 0x01 && info.usage === 0x06) {
      throw new Error(`HID device ${id} is a keyboard (keyboard-wedge mode): the OS owns it; switch the scanner to HID POS or read it in the UI`);
    }
    let device: HIDAsync;
    try {
      device = await hid.HIDAsync.open(info.path);
    } catch (err) {
      const msg = (err as Error).message;
      throw new Error(`cannot open HID device ${id} at ${info.path}: ${msg}${/permission|access/i.test(msg) ? ' (install a udev rule for hidraw)' : ''}`, { cause: err });
    }
    if (this.state === 'closed') { await device.close(); return; }
    if (this.profile.initFeatureReport) await device.sendFeatureReport([...this.profile.initFeatureReport]);
    this.device = device;
    this.path = info.path;
    this.assembler = new HidPosAssembler(this.profile, this.maxLength);
    const source = { transport: 'hid' as const, path: info.path, vendorId: this.match.vendorId, productId: this.match.productId };
    device.on('data', (report: Buffer) => {
      if (this.device !== device || !this.assembler) return;
      const out = this.assembler.push(report);
      if (this.partTimer) { clearTimeout(this.partTimer); this.partTimer = undefined; }
      if (this.assembler.pending) {
        this.partTimer = setTimeout(() => {
          const e = this.assembler?.abort(`no next report within ${this.reportTimeoutMs} ms`);
          if (e) this.emit('frame-error', e);
        }, this.reportTimeoutMs);
      }
      if (out?.kind === 'frame') this.emit('frame', { ...out, source });
      else if (out) this.emit('frame-error', out);
    });
    device.on('error', (err: Error) => { if (this.device === device) this.lost(err.message); });
    this.state = 'connected';
    this.backoff?.reset();
    this.emit('status', { state: 'connected', path: info.path, at: Date.now() });
  }

  private lost(reason: string): void {
    if (this.state !== 'connected') return;
    const d = this.device;
    this.device = undefined;
    if (this.partTimer) { clearTimeout(this.partTimer); this.partTimer = undefined; }
    const e = this.assembler?.abort('device disconnected');
    if (e) this.emit('frame-error', e);
    if (d) { d.removeAllListeners(); d.close().catch(() => undefined); }
    if (!this.backoff) { this.state = 'idle'; this.emit('status', { state: 'idle', path: this.path, reason, at: Date.now() }); return; }
    this.state = 'reconnecting';
    this.emit('status', { state: 'reconnecting', path: this.path, reason, at: Date.now() });
    this.schedule();
  }

  private schedule(): void {
    const backoff = this.backoff;
    if (!backoff || this.state !== 'reconnecting') return;
    this.retry = setTimeout(() => {
      this.connect().catch(() => { backoff.failed(); this.schedule(); });
    }, backoff.delayMs);
  }
}
