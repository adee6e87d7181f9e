/**
 * SerialScanner: a scanner on a serial / USB CDC port. Opens the port through a serialport
 * binding (passed in; the system one by default), frames its bytes with FrameParser, and
 * reopens it after an unplug: it watches the port list (some systems send no close event on
 * unplug), finds the device again by VID/PID/serial number or by path, and retries with
 * exponential backoff.
 */
import { EventEmitter } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import type { BindingInterface, PortInfo } from '@serialport/bindings-cpp';
import { checkBackoff, ReconnectBackoff, type BackoffOptions } from '../reconnect.ts';
import { FrameParser, checkFrameOptions, type FrameError, type FrameEvent, type FrameParserOptions, type ScanFrame } from './framer.ts';

/** How to find the port: by path, by USB identity, or both (identity wins, path is the fallback). */
export interface PortMatch {
  path?: string;
  /** Hex, as serialport lists it (`0c2e`), case-insensitive. */
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
}

/** Backoff between reopen attempts (drivers/scanner/reconnect.ts), and the port-list watch. */
export interface ReconnectOptions extends BackoffOptions {
  /** How often the port list is checked while connected, default 500 ms; 0 disables. */
  watchMs?: number;
}

export interface SerialScannerOptions {
  port: PortMatch;
  /** Default 9600 (ignored by USB CDC, matters on RS-232). */
  baudRate?: number;
  framing?: FrameParserOptions;
  /** The serialport binding; default the system's (`@serialport/bindings-cpp`). */
  binding?: BindingInterface;
  /** false: no reconnect. */
  reconnect?: ReconnectOptions | false;
}

/** State of the connection. */
export type ConnectionState = 'idle' | 'connected' | 'reconnecting' | 'closed';

/** A status change. */
export interface StatusEvent {
  state: ConnectionState;
  path: string | null;
  /** Why, for disconnects and failed attempts. */
  reason?: string;
  at: number;
}

/** A frame plus where it came from. */
export interface SerialScanFrame extends ScanFrame {
  source: { transport: 'serial'; path: string };
}

/** Counters for the health view. */
export interface SerialScannerHealth {
  state: ConnectionState;
  path: string | null;
  frames: number;
  frameErrors: number;
  reconnects: number;
  lastFrameAt: number | null;
  lastError: string | null;
}

export interface SerialScannerEvents {
  frame: [SerialScanFrame];
  'frame-error': [FrameError & { source: { transport: 'serial'; path: string } }];
  status: [StatusEvent];
}

function checkBaud(baud: number): number {
  if (!Number.isInteger(baud) || baud < 50 || baud > 4_000_000) throw new RangeError(`baudRate must be a whole number from 50 to 4000000, got ${String(baud)}`);
  return baud;
}

function checkReconnect(r: ReconnectOptions | false | undefined): Required<ReconnectOptions> | false {
  return r === false ? false : checkBackoff(r ?? {}, { watchMs: 500 });
}

/**
 * Set TANBA_DEBUG_SERIAL=1 to log open / close / data / disconnect events with wall-clock
 * timestamps on stderr, to line them up with the emulator's (same variable) when chasing a race.
 */
const DEBUG = process.env.TANBA_DEBUG_SERIAL === '1';
function debug(msg: string): void {
  if (DEBUG) process.stderr.write(`[serial ${(Date.now() % 100_000).toString().padStart(5, '0')}] ${msg}\n`);
}

const sameHex = (a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && a.toLowerCase().replace(/^0x/, '') === b.toLowerCase().replace(/^0x/, '');

/** The system's serial binding (what serialport itself uses). */
export function systemSerialBinding(): BindingInterface {
  return SerialPort.binding as BindingInterface;
}

/** Finds the port that matches, or null. */
export function matchPort(ports: readonly PortInfo[], match: PortMatch): PortInfo | null {
  if (match.vendorId !== undefined && match.productId !== undefined) {
    const found = ports.find((p) => sameHex(p.vendorId, match.vendorId) && sameHex(p.productId, match.productId)
      && (match.serialNumber === undefined || p.serialNumber === match.serialNumber));
    if (found) return found;
  }
  if (match.path !== undefined) return ports.find((p) => p.path === match.path) ?? null;
  return null;
}

/** A serial scanner with framing and reconnect. Listen to `frame`, `frame-error`, `status`. */
export class SerialScanner extends EventEmitter<SerialScannerEvents> {
  private readonly match: PortMatch;
  private readonly baudRate: number;
  private readonly framing: Required<FrameParserOptions>;
  private readonly binding: BindingInterface;
  private readonly reconnect: Required<ReconnectOptions> | false;
  private port: SerialPortStream | undefined;
  private parser: FrameParser | undefined;
  private state: ConnectionState = 'idle';
  private currentPath: string | null = null;
  /** The device number the path led to when it was opened: a different one later is a replug. */
  private currentRdev: number | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchTimer: NodeJS.Timeout | undefined;
  /** The attempt in flight (open() or a retry); at most one at a time. */
  private connecting: Promise<void> | undefined;
  /** The close of a lost port; the next open waits for it, so the old and the new never overlap. */
  private releasing: Promise<void> = Promise.resolve();
  private readonly backoff: ReconnectBackoff | undefined;
  private counters = { frames: 0, frameErrors: 0, reconnects: 0, lastFrameAt: null as number | null, lastError: null as string | null };

  constructor(options: SerialScannerOptions) {
    super();
    if (options === null || typeof options !== 'object' || options.port === null || typeof options.port !== 'object') {
      throw new TypeError('SerialScanner needs options with a port: { path } or { vendorId, productId }');
    }
    const m = options.port;
    if (m.path === undefined && (m.vendorId === undefined || m.productId === undefined)) {
      throw new TypeError('port needs a path, or a vendorId and productId');
    }
    if (m.path !== undefined && (typeof m.path !== 'string' || m.path === '')) throw new TypeError('port.path must be a non-empty string');
    this.match = { ...m };
    this.baudRate = checkBaud(options.baudRate ?? 9600);
    this.framing = checkFrameOptions(options.framing);
    this.binding = options.binding ?? systemSerialBinding();
    this.reconnect = checkReconnect(options.reconnect);
    this.backoff = this.reconnect ? new ReconnectBackoff(this.reconnect) : undefined;
  }

  /** Current counters and state. */
  health(): SerialScannerHealth {
    return { state: this.state, path: this.currentPath, ...this.counters };
  }

  /** Opens the port once; rejects with a clear error if it is missing or busy. While reconnecting it resolves at once (the reconnect loop is already at work). */
  async open(): Promise<void> {
    if (this.state === 'connected' || this.state === 'reconnecting') return;
    if (this.state === 'closed') throw new Error('this SerialScanner was closed; make a new one');
    await this.attempt();
  }

  /** Stops reading and reconnecting; closes the port. Resolves once no port of ours is open any more. */
  async close(): Promise<void> {
    const wasClosed = this.state === 'closed';
    this.state = 'closed';
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.retryTimer = undefined;
    this.watchTimer = undefined;
    // An attempt in flight sees state 'closed' when its open returns and closes that port itself.
    await this.connecting?.catch(() => undefined);
    const port = this.port;
    this.port = undefined;
    const parser = this.parser;
    this.parser = undefined;
    await Promise.all([this.releasing, closePort(port)]);
    if (parser) { port?.unpipe(parser); parser.end(); }
    if (!wasClosed) this.emit('status', { state: 'closed', path: this.currentPath, at: Date.now() });
  }

  private async resolvePath(): Promise<string> {
    const m = this.match;
    if (m.vendorId !== undefined && m.productId !== undefined) {
      let ports: PortInfo[] = [];
      try {
        ports = await this.binding.list();
      } catch (err) {
        // Listing needs udevadm on Linux; without it only the path can find the port.
        if (m.path === undefined) throw new Error(`cannot list serial ports to find ${m.vendorId}:${m.productId}: ${(err as Error).message}`, { cause: err });
      }
      const found = matchPort(ports, m);
      if (found) return found.path;
      if (m.path === undefined) throw new Error(`no serial port with VID:PID ${m.vendorId}:${m.productId}${m.serialNumber ? ` serial ${m.serialNumber}` : ''} is connected`);
    }
    const path = m.path as string;
    // Listing does not show ptys and some adapters; the path itself is the truth then.
    if (path.startsWith('/') && !existsSync(path)) throw new Error(`serial port ${path} does not exist (unplugged, or a wrong path)`);
    return path;
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  /** One connect attempt; concurrent callers share it, so two ports are never opened at once. */
  private attempt(): Promise<void> {
    this.connecting ??= this.connect().finally(() => { this.connecting = undefined; });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    // The port lost last must be fully closed first: its fd, lock and read loop must not
    // overlap the new port's (they did, and bytes of the new connection went missing).
    await this.releasing;
    if (this.isClosed()) return;
    const path = await this.resolvePath();
    const port = new SerialPortStream({ binding: this.binding, path, baudRate: this.baudRate, autoOpen: false });
    debug(`opening ${path}`);
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (!err) { resolve(); return; }
        const msg = /lock|busy|EBUSY/i.test(err.message) ? `${err.message} (is another program using the port?)`
          : /EACCES|permission/i.test(err.message) ? `${err.message} (no permission: add the user to the dialout group or install a udev rule)`
            : err.message;
        reject(new Error(`cannot open ${path}: ${msg}`));
      });
    });
    debug(`opened ${path}`);
    // close() ran while the port was opening (TS cannot see that across the await).
    if (this.isClosed()) { await closePort(port); return; }
    this.port = port;
    this.currentPath = path;
    this.currentRdev = rdevOf(path);
    const parser = new FrameParser(this.framing);
    this.parser = parser;
    const source = { transport: 'serial' as const, path };
    parser.on('data', (ev: FrameEvent) => {
      if (ev.kind === 'frame') {
        this.counters.frames++;
        this.counters.lastFrameAt = Date.now();
        this.emit('frame', { ...ev, source });
      } else {
        this.counters.frameErrors++;
        this.counters.lastError = ev.message;
        this.emit('frame-error', { ...ev, source });
      }
    });
    if (DEBUG) port.on('data', (d: Buffer) => debug(`data ${d.length} bytes from ${path}`));
    port.pipe(parser);
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      debug(`close event on ${path}${err ? ` (${err.message})` : ''}`);
      if (this.port === port) this.lost(describeLoss(path, err?.message ?? 'port closed'));
    });
    port.on('error', (err: Error) => {
      debug(`error event on ${path} (${err.message})`);
      if (this.port === port) this.lost(describeLoss(path, err.message));
    });
    this.state = 'connected';
    this.backoff?.reset();
    this.emit('status', { state: 'connected', path, at: Date.now() });
    this.startWatch();
  }

  private startWatch(): void {
    if (!this.reconnect || this.reconnect.watchMs === 0 || this.watchTimer) return;
    this.watchTimer = setInterval(() => {
      if (this.state !== 'connected' || this.currentPath === null) return;
      const path = this.currentPath;
      if (!path.startsWith('/')) return;
      // A pty or tty path that vanished means the device is gone even without a close event;
      // one that now leads to another device was unplugged and replugged between two looks.
      if (!existsSync(path)) this.lost(`${path} disappeared`);
      else if (this.currentRdev !== null && rdevOf(path) !== this.currentRdev) this.lost(`${path} was replugged (now another device)`);
    }, this.reconnect.watchMs);
    this.watchTimer.unref();
  }

  /**
   * The device is gone. The old port is closed before anything reopens (`releasing`); its
   * parser is ended only after that close, so bytes it already read still come out as frames
   * and a frame cut by the unplug is reported as INCOMPLETE_FRAME, before any frame of the
   * new connection.
   */
  private lost(reason: string): void {
    debug(`lost (${reason}) in state ${this.state}`);
    if (this.state !== 'connected') return;
    const port = this.port;
    const parser = this.parser;
    this.port = undefined;
    this.parser = undefined;
    const previous = this.releasing;
    this.releasing = (async () => {
      await previous;
      await closePort(port);
      if (port && parser) port.unpipe(parser);
      parser?.end();
      debug('old port released');
    })();
    this.counters.lastError = reason;
    if (!this.reconnect) {
      this.state = 'idle';
      this.emit('status', { state: 'idle', path: this.currentPath, reason, at: Date.now() });
      return;
    }
    this.state = 'reconnecting';
    this.emit('status', { state: 'reconnecting', path: this.currentPath, reason, at: Date.now() });
    this.scheduleRetry();
  }

  /** Arms the one retry timer; a retry that fails arms the next, so there is only ever one loop. */
  private scheduleRetry(): void {
    const backoff = this.backoff;
    if (!backoff || this.state !== 'reconnecting' || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.state !== 'reconnecting') return;
      this.attempt().then(() => {
        if (this.state === 'connected') this.counters.reconnects++;
      }, (err: Error) => {
        debug(`reopen failed: ${err.message}`);
        this.counters.lastError = err.message;
        backoff.failed();
        this.scheduleRetry();
      });
    }, backoff.delayMs);
  }
}

/** Closes a port and waits for it; never rejects (a port that is gone may fail to close cleanly). */
function closePort(port: SerialPortStream | undefined): Promise<void> {
  if (!port) return Promise.resolve();
  return new Promise<void>((resolve) => {
    if (port.isOpen) { port.close(() => resolve()); return; }
    // Already closing (the stream closes itself on a read error): wait for its close event.
    if (port.closing) { port.once('close', () => resolve()); port.once('error', () => resolve()); return; }
    resolve();
  });
}

/** The device number behind a path (follows symlinks), or null if it cannot be read. */
function rdevOf(path: string): number | null {
  if (!path.startsWith('/')) return null;
  try {
    return statSync(path).rdev;
  } catch {
    return null;
  }
}

/**
 * A read error on a tty whose device went away says little by itself: libuv reports the
 * hung-up tty as "bad file descriptor" (EBADF), the kernel as EIO or ENXIO. Name it as what it is.
 */
function describeLoss(path: string, message: string): string {
  const gone = path.startsWith('/') && !existsSync(path);
  if (gone) return `${path} disappeared (${message})`;
  if (/EBADF|bad file descriptor|EIO|input\/output error|ENXIO|no such device/i.test(message)) return `${path} disconnected (${message})`;
  return message;
}
