/**
 * A virtual serial scanner: sends codes over a PtyPair the way a real one does — optional
 * AIM prefix, a terminator, pacing at a baud rate or an inter-character delay, line noise
 * between frames — and can be unplugged and plugged back in at the same path.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import { PtyPair, waitForPath, type PtyPairOptions } from './pty-pair.ts';
import { TERMINATOR_BYTES, TERMINATORS, type Terminator } from '../../drivers/scanner/serial/framer.ts';

export interface SerialScannerEmulatorOptions extends PtyPairOptions {
  /** Default `cr`. */
  terminator?: Terminator;
  /** AIM identifier sent in front of every code, e.g. `]d2`; default none. */
  aim?: string | null;
  /** Milliseconds between characters (a slow scanner); default 0. */
  delayMs?: number;
  /** Pace the bytes to this baud rate (10 bits per byte); default 0 = as fast as the pty takes them. */
  baudRate?: number;
  /** Send 1..8 bytes of line noise (NUL, CR, LF, XON, XOFF, 0xFF) before every frame. */
  noise?: boolean;
  /** Pause after each frame in ms; default 0, and 2 × 50 ms with terminator `none` so frames stay apart. */
  gapMs?: number;
  /** Random source for noise, for reproducible runs; default Math.random. */
  random?: () => number;
  /**
   * On unplug, how long to leave the cable in after socat has relayed the last byte, so the
   * host has read it (a hang-up discards what it has not); default 200 ms. A person pulls a
   * cable seconds after the beep; an instant unplug would lose codes no real one loses.
   */
  unplugGraceMs?: number;
}

/**
 * Pause after the device side appears before the first write. The host has opened its end by
 * then, but the serialport binding flushes the input (tcflush) while it configures the port;
 * bytes that land in that window are discarded, as on a real port.
 */
const SETTLE_MS = 30;
const debugOn = process.env.TANBA_DEBUG_SERIAL === '1';
function debug(msg: string): void {
  if (debugOn) process.stderr.write(`[emu ${(Date.now() % 100_000).toString().padStart(5, '0')}] ${msg}\n`);
}

const NOISE_BYTES = [0x00, 0x0d, 0x0a, 0x11, 0x13, 0xff];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Turns the text form used in files and on stdin into bytes: the escape `\x1d` becomes GS. */
export function unescapeCode(line: string): Buffer {
  return Buffer.from(line.replace(/\\x1[dD]/g, '\x1d'), 'utf8');
}

/** A scanner on a pty. `path` is the port to open. */
export class SerialScannerEmulator {
  readonly pty: PtyPair;
  readonly terminator: Terminator;
  readonly aim: string | null;
  private readonly delayMs: number;
  private readonly baudRate: number;
  private readonly noise: boolean;
  private readonly gapMs: number;
  private readonly random: () => number;
  private readonly unplugGraceMs: number;
  private handle: FileHandle | undefined;
  /** Bumped by every unplug: an open that started before it must not hand out its handle. */
  private generation = 0;
  /** Bytes written to the device side since the last plug, for PtyPair.drain(). */
  private bytesThisPlug = 0;
  private opening: Promise<FileHandle> | undefined;
  private closed = false;
  /** Bytes written to the device side so far. */
  bytesSent = 0;

  constructor(options: SerialScannerEmulatorOptions = {}) {
    this.terminator = options.terminator ?? 'cr';
    if (!TERMINATORS.includes(this.terminator)) throw new TypeError(`terminator must be one of ${TERMINATORS.join(', ')}, got ${JSON.stringify(options.terminator)}`);
    this.aim = options.aim ?? null;
    if (this.aim !== null && !/^\][A-Za-z][0-9A-Za-z]$/.test(this.aim)) throw new TypeError(`aim must look like ]d2, got ${JSON.stringify(this.aim)}`);
    this.delayMs = options.delayMs ?? 0;
    if (!Number.isFinite(this.delayMs) || this.delayMs < 0) throw new RangeError(`delayMs must be >= 0, got ${String(options.delayMs)}`);
    this.baudRate = options.baudRate ?? 0;
    if (!Number.isInteger(this.baudRate) || this.baudRate < 0) throw new RangeError(`baudRate must be a whole number >= 0, got ${String(options.baudRate)}`);
    this.noise = options.noise ?? false;
    this.gapMs = options.gapMs ?? (this.terminator === 'none' ? 100 : 0);
    if (!Number.isFinite(this.gapMs) || this.gapMs < 0) throw new RangeError(`gapMs must be >= 0, got ${String(options.gapMs)}`);
    this.random = options.random ?? Math.random;
    this.unplugGraceMs = options.unplugGraceMs ?? 200;
    if (!Number.isFinite(this.unplugGraceMs) || this.unplugGraceMs < 0) throw new RangeError(`unplugGraceMs must be >= 0, got ${String(options.unplugGraceMs)}`);
    this.pty = new PtyPair(options);
  }

  /** The port a driver opens. */
  get path(): string {
    return this.pty.path;
  }

  /** Plugs the device in (starts the pty pair). */
  async start(): Promise<void> {
    this.bytesThisPlug = 0;
    await this.pty.plug();
  }

  /**
   * Unplugs: both pty paths disappear; a write in progress fails. Bytes already written reach
   * the host first (socat relays them, the host gets `unplugGraceMs` to read them).
   */
  async unplug(): Promise<void> {
    if (this.pty.plugged && this.handle) {
      const relayed = await this.pty.drain(this.bytesThisPlug);
      debug(`drained ${this.bytesThisPlug} bytes: ${relayed ? 'relayed' : 'count unknown or timed out'}`);
      await sleep(this.unplugGraceMs);
    }
    this.generation++;
    const h = this.handle;
    this.handle = undefined;
    this.opening = undefined;
    await h?.close().catch(() => undefined);
    await this.pty.unplug();
    debug('unplugged');
  }

  /** Plugs back in at the same path. */
  async replug(): Promise<void> {
    if (this.closed) throw new Error('emulator closed');
    this.bytesThisPlug = 0;
    await this.pty.plug();
    debug('plugged');
  }

  /** Unplugs for good. */
  async close(): Promise<void> {
    this.closed = true;
    await this.unplug();
  }

  /** The bytes of one frame: [noise] [AIM] code terminator. */
  frameBytes(code: string | Buffer): Buffer {
    const parts: Buffer[] = [];
    if (this.noise) {
      const n = 1 + Math.floor(this.random() * 8);
      parts.push(Buffer.from(Array.from({ length: n }, () => NOISE_BYTES[Math.floor(this.random() * NOISE_BYTES.length)] as number)));
    }
    if (this.aim) parts.push(Buffer.from(this.aim, 'latin1'));
    parts.push(typeof code === 'string' ? Buffer.from(code, 'utf8') : code);
    parts.push(TERMINATOR_BYTES[this.terminator]);
    return Buffer.concat(parts);
  }

  /** Sends one code as a frame, paced as configured; waits while unplugged or until the host opens the port. */
  async send(code: string | Buffer): Promise<void> {
    await this.write(this.frameBytes(code));
    if (this.gapMs > 0) await sleep(this.gapMs);
  }

  /** Writes raw bytes (no framing), paced as configured. */
  async write(bytes: Buffer): Promise<void> {
    if (this.delayMs > 0) {
      for (let i = 0; i < bytes.length; i++) {
        await this.writeNow(bytes.subarray(i, i + 1));
        await sleep(this.delayMs);
      }
      return;
    }
    if (this.baudRate > 0) {
      // Keep to the wire rate on average: schedule by elapsed time, not per-chunk sleeps.
      const start = performance.now();
      const bytesPerMs = this.baudRate / 10 / 1000;
      const chunk = Math.max(1, Math.ceil(bytesPerMs * 4));
      for (let i = 0; i < bytes.length; i += chunk) {
        const due = start + i / bytesPerMs;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
        await this.writeNow(bytes.subarray(i, i + chunk));
      }
      return;
    }
    await this.writeNow(bytes);
  }

  private async device(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    this.opening ??= (async () => {
      for (;;) {
        // The device side exists once the host has opened its end; wait for that (and for a replug).
        while (!(await waitForPath(this.pty.devicePath, 1000, false, () => this.closed))) {
          if (this.closed) throw new Error('emulator closed');
        }
        const generation = this.generation;
        await sleep(SETTLE_MS);
        const h = await open(this.pty.devicePath, constants.O_WRONLY | constants.O_NOCTTY).catch(() => null);
        if (h !== null && generation === this.generation) {
          debug('opened device');
          this.handle = h;
          return h;
        }
        // Unplugged while opening (or the link vanished): that was the old device; wait for the next.
        await h?.close().catch(() => undefined);
        if (this.closed) throw new Error('emulator closed');
      }
    })();
    try {
      return await this.opening;
    } finally {
      this.opening = undefined;
    }
  }

  private async writeNow(bytes: Buffer): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      const h = await this.device();
      try {
        const { bytesWritten } = await h.write(bytes, off, bytes.length - off);
        off += bytesWritten;
        this.bytesSent += bytesWritten;
        this.bytesThisPlug += bytesWritten;
        debug(`wrote ${bytesWritten}`);
      } catch (err) {
        if (this.closed) throw err;
        // Unplugged under our feet: the rest of this write is lost, like on a real cable.
        if (this.handle === h) { this.handle = undefined; await h.close().catch(() => undefined); }
        throw new Error(`write to ${this.pty.devicePath} failed: ${(err as Error).message}`, { cause: err });
      }
    }
  }
}
