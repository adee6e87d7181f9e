/**
 * FrameParser: turns the byte stream of a serial scanner into frames, in the style of
 * node-serialport's parsers (a Transform you pipe the port into). A frame ends at the
 * configured terminator or, as a fallback, after a pause between bytes. GS (0x1D) is data
 * and never ends or splits a frame. A frame longer than `maxLength` is cut: its bytes are
 * dropped up to the next terminator or pause and one error event says so.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { splitAim, symbologyOf } from '../aim.ts';

/** Which bytes end a frame. `none`: only a pause (`idleMs`) does. */
export type Terminator = 'cr' | 'lf' | 'crlf' | 'none';

/** The terminators FrameParser understands, for flag checking. */
export const TERMINATORS: readonly Terminator[] = ['cr', 'lf', 'crlf', 'none'];

/** The bytes of each terminator, for emulators and tests. */
export const TERMINATOR_BYTES: Readonly<Record<Terminator, Buffer>> = {
  cr: Buffer.from([0x0d]),
  lf: Buffer.from([0x0a]),
  crlf: Buffer.from([0x0d, 0x0a]),
  none: Buffer.alloc(0),
};

/** Options of FrameParser; every field is checked. */
export interface FrameParserOptions {
  /** Default `cr`, the factory setting of most scanners in serial mode. */
  terminator?: Terminator;
  /**
   * Milliseconds without a byte after which a partial frame is complete (the fallback for
   * scanners that send no terminator). 0 disables it, which `none` does not allow. Default 50.
   */
  idleMs?: number;
  /** Largest frame in bytes, AIM prefix included, terminator excluded. Default 4096. */
  maxLength?: number;
  /** Detect and split off an AIM prefix (`]d2`). Default true. */
  aim?: boolean;
  /**
   * The clock of frame times and of the idle pause, in milliseconds (default `performance.now`).
   * Tests pass a clock they move themselves, together with mocked timers.
   */
  now?: () => number;
}

/** A complete frame. */
export interface ScanFrame {
  kind: 'frame';
  /** The code as scanned: no AIM prefix, no terminator, GS bytes kept. */
  data: Buffer;
  /** The frame bytes as received, AIM prefix included, terminator excluded. */
  raw: Buffer;
  /** The AIM identifier (`]d2`) or null. */
  aim: string | null;
  /** Symbology name from the AIM identifier (`gs1-datamatrix`) or null without one. */
  symbology: string | null;
  /** What ended the frame. */
  endedBy: 'terminator' | 'idle' | 'end';
  /** `now()` when the chunk with the first byte arrived. */
  firstByteAt: number;
  /** `now()` when the chunk with the last byte (or terminator) arrived. */
  lastByteAt: number;
  /** Line-noise bytes (NUL, CR, LF, XON, XOFF, 0xFF) dropped in front of this frame. */
  noiseDropped: number;
}

/** A frame that had to be cut or rejected. */
export interface FrameError {
  kind: 'error';
  /** `FRAME_TOO_LONG`: longer than maxLength; `INCOMPLETE_FRAME`: the stream ended mid-frame. */
  code: 'FRAME_TOO_LONG' | 'INCOMPLETE_FRAME';
  message: string;
  /** How many bytes of the bad frame were dropped. */
  dropped: number;
  /** The first bytes of the dropped frame (at most 64), for the technician. */
  head: Buffer;
  at: number;
}

/** What a FrameParser emits. */
export type FrameEvent = ScanFrame | FrameError;

// Bytes a line produces between frames (idle NULs, stray CR/LF, flow control, glitches);
// no marking code starts with one of them, so they are dropped at a frame start only.
const NOISE = new Set([0x00, 0x0d, 0x0a, 0x11, 0x13, 0xff]);

/** Checks FrameParserOptions and fills in defaults; throws TypeError / RangeError. */
export function checkFrameOptions(options: FrameParserOptions = {}): Required<FrameParserOptions> {
  if (options === null || typeof options !== 'object') throw new TypeError('FrameParser options must be an object');
  const terminator = options.terminator ?? 'cr';
  if (!TERMINATORS.includes(terminator)) {
    throw new TypeError(`terminator must be one of ${TERMINATORS.join(', ')}, got ${JSON.stringify(terminator)}`);
  }
  const idleMs = options.idleMs ?? 50;
  if (!Number.isInteger(idleMs) || idleMs < 0 || idleMs > 60_000) {
    throw new RangeError(`idleMs must be a whole number of milliseconds from 0 to 60000, got ${String(idleMs)}`);
  }
  if (terminator === 'none' && idleMs === 0) {
    throw new RangeError("terminator 'none' needs idleMs > 0: a pause is then the only end of a frame");
  }
  const maxLength = options.maxLength ?? 4096;
  if (!Number.isInteger(maxLength) || maxLength < 1 || maxLength > 16 * 1024 * 1024) {
    throw new RangeError(`maxLength must be a whole number of bytes from 1 to 16777216, got ${String(maxLength)}`);
  }
  const aim = options.aim ?? true;
  if (typeof aim !== 'boolean') throw new TypeError('aim must be a boolean');
  const now = options.now ?? (() => performance.now());
  if (typeof now !== 'function') throw new TypeError('now must be a function returning milliseconds');
  return { terminator, idleMs, maxLength, aim, now };
}

/** Decodes frame bytes as text: UTF-8 when valid (QR codes with Cyrillic), else byte per char. */
export function frameText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return Buffer.from(bytes).toString('latin1');
  }
}

/**
 * A Transform: bytes in, FrameEvent objects out. Errors about frames are events in the
 * stream, not stream errors, so one bad frame never stops the scanner.
 */
export class FrameParser extends Transform {
  readonly options: Required<FrameParserOptions>;
  private readonly endByte: number;
  private parts: Buffer[] = [];
  private length = 0;
  private firstAt = 0;
  private lastAt = 0;
  private noise = 0;
  private discarding = false;
  private dropped = 0;
  private head: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;

  constructor(options: FrameParserOptions = {}) {
    super({ readableObjectMode: true });
    this.options = checkFrameOptions(options);
    this.endByte = this.options.terminator === 'cr' ? 0x0d : 0x0a;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const now = this.options.now();
    const term = this.options.terminator !== 'none';
    let start = 0;
    while (start < chunk.length) {
      if (this.length === 0 && !this.discarding) {
        // Skip line noise in front of a frame.
        while (start < chunk.length && NOISE.has(chunk[start] as number)) { start++; this.noise++; }
        if (start >= chunk.length) break;
        this.firstAt = now;
      }
      const end = term ? chunk.indexOf(this.endByte, start) : -1;
      const stop = end === -1 ? chunk.length : end;
      this.append(chunk.subarray(start, stop));
      if (end === -1) break;
      this.finish('terminator', now);
      start = end + 1;
    }
    this.lastAt = now;
    this.arm();
    done();
  }

  override _flush(done: TransformCallback): void {
    this.disarm();
    if (this.discarding) this.endDiscard();
    else if (this.length > 0) {
      if (this.options.terminator === 'none') this.finish('end', this.options.now());
      else {
        const bytes = this.collect();
        this.push({
          kind: 'error', code: 'INCOMPLETE_FRAME',
          message: `the stream ended after ${bytes.length} bytes of a frame without its terminator (${this.options.terminator}); the partial frame was dropped`,
          dropped: bytes.length, head: Buffer.from(bytes.subarray(0, 64)), at: Date.now(),
        } satisfies FrameError);
      }
    }
    done();
  }

  override _destroy(err: Error | null, cb: (error: Error | null) => void): void {
    this.disarm();
    cb(err);
  }

  private append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    if (this.discarding) { this.dropped += bytes.length; return; }
    this.parts.push(bytes);
    this.length += bytes.length;
    if (this.length > this.options.maxLength) {
      // Cut: keep only a head for the error message, drop the rest until the frame ends.
      const all = this.collect();
      this.head = Buffer.from(all.subarray(0, 64));
      this.dropped = all.length;
      this.discarding = true;
    }
  }

  private collect(): Buffer {
    const all = this.parts.length === 1 ? (this.parts[0] as Buffer) : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    return all;
  }

  private finish(endedBy: ScanFrame['endedBy'], now: number): void {
    if (this.discarding) { this.endDiscard(); return; }
    let raw = this.collect();
    // CRLF: the frame ends at LF; the CR in front of it belongs to the terminator.
    if (this.options.terminator === 'crlf' && endedBy === 'terminator' && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    if (raw.length === 0) return;
    // Copy: chunk buffers come from a pool that the port reuses.
    raw = Buffer.from(raw);
    const { aim, data } = this.options.aim ? splitAim(raw) : { aim: null, data: raw };
    const frame: ScanFrame = {
      kind: 'frame', data, raw, aim, symbology: aim === null ? null : symbologyOf(aim), endedBy,
      firstByteAt: this.firstAt, lastByteAt: now, noiseDropped: this.noise,
    };
    this.noise = 0;
    this.push(frame);
  }

  private endDiscard(): void {
    const error: FrameError = {
      kind: 'error', code: 'FRAME_TOO_LONG',
      message: `frame longer than the maximum of ${this.options.maxLength} bytes: cut, ${this.dropped} bytes dropped up to the next terminator or pause`,
      dropped: this.dropped, head: this.head, at: Date.now(),
    };
    this.discarding = false;
    this.dropped = 0;
    this.head = Buffer.alloc(0);
    this.noise = 0;
    this.push(error);
  }

  private arm(): void {
    if (this.options.idleMs === 0) return;
    if (this.length === 0 && !this.discarding) { this.disarm(); return; }
    // One timer per pause, not one per chunk: when it fires it measures the quiet time on our
    // clock, and waits out the rest if bytes came in the meantime.
    this.timer ??= setTimeout(() => this.onIdle(), this.options.idleMs);
  }

  private onIdle(): void {
    this.timer = undefined;
    const quiet = this.options.now() - this.lastAt;
    if (quiet < this.options.idleMs) {
      this.timer = setTimeout(() => this.onIdle(), Math.max(1, this.options.idleMs - quiet));
      return;
    }
    if (this.discarding) this.endDiscard();
    else if (this.length > 0) this.finish('idle', this.lastAt);
  }

  private disarm(): void {
    if (this.timer) { clearTimeout(this.timer); this.timer = undefined; }
  }
}
