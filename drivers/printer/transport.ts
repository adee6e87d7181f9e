/**
 * How bytes reach a printer. Like node-serialport's bindings: an interface of Promise methods,
 * with one implementation per medium (TCP 9100, serial/pty, USB printer device file).
 */
import { close as fsClose, open as fsOpen, read as fsRead, write as fsWrite } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import { isatty } from 'node:tty';
import { ReadStream as TtyReadStream } from 'node:tty';
import { SerialPort } from 'serialport';

/** A byte pipe to a printer. */
export interface PrinterTransport {
  /** e.g. "tcp 127.0.0.1:9100", for messages. */
  readonly description: string;
  /** Resolves when the bytes have been handed to the OS. */
  write(data: Uint8Array): Promise<void>;
  /** Resolves with exactly `n` bytes, or rejects after `timeoutMs` with a TransportTimeout. */
  read(n: number, timeoutMs: number): Promise<Buffer>;
  /** Drops bytes received but not yet read (stale answers from an earlier query). */
  discardInput(): void;
  close(): Promise<void>;
}

/** A read that got too few bytes in time: the printer is off, unplugged, or does not answer. */
export class TransportTimeout extends Error {
  override name = 'TransportTimeout';
}

/** Buffers incoming bytes and hands them to waiting reads. */
class Inbox {
  private buf = Buffer.alloc(0);
  private waiter: { n: number; resolve: (b: Buffer) => void; reject: (e: Error) => void; timer: NodeJS.Timeout } | undefined;
  private failure: Error | undefined;

  push(data: Buffer): void {
    this.buf = Buffer.concat([this.buf, data]);
    this.settle();
  }

  fail(err: Error): void {
    this.failure = err;
    const w = this.waiter;
    if (w) { this.waiter = undefined; clearTimeout(w.timer); w.reject(err); }
  }

  clear(): void {
    this.buf = Buffer.alloc(0);
  }

  read(n: number, timeoutMs: number, what: string): Promise<Buffer> {
    if (this.waiter) return Promise.reject(new Error('a read is already waiting'));
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new TransportTimeout(`${what}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = { n, resolve, reject, timer };
      this.settle();
    });
  }

  private settle(): void {
    const w = this.waiter;
    if (w && this.buf.length >= w.n) {
      this.waiter = undefined;
      clearTimeout(w.timer);
      const out = this.buf.subarray(0, w.n);
      this.buf = this.buf.subarray(w.n);
      w.resolve(Buffer.from(out));
    }
  }
}

/** Options of a TCP (raw port 9100) connection. */
export interface TcpOptions {
  host: string;
  port: number;
  /** Connect timeout, ms (default 3000). */
  connectTimeoutMs?: number;
}

/** A network printer's raw port (JetDirect / 9100). */
export class TcpTransport implements PrinterTransport {
  readonly description: string;
  private readonly inbox = new Inbox();

  private constructor(private readonly socket: Socket, description: string) {
    this.description = description;
    socket.on('data', (d: Buffer) => this.inbox.push(d));
    socket.on('error', (e) => this.inbox.fail(new Error(`${description}: ${e.message}`)));
    socket.on('close', () => this.inbox.fail(new Error(`${description}: connection closed by the printer`)));
  }

  /** Connects, with clear errors for bad options, refusal and timeouts. */
  static connect(opts: TcpOptions): Promise<TcpTransport> {
    if (typeof opts.host !== 'string' || opts.host === '') return Promise.reject(new TypeError('tcp: host is required'));
    if (!Number.isInteger(opts.port) || opts.port < 1 || opts.port > 65535) return Promise.reject(new RangeError(`tcp: port must be 1..65535, got ${opts.port}`));
    const desc = `tcp ${opts.host}:${opts.port}`;
    const timeout = opts.connectTimeoutMs ?? 3000;
    return new Promise((resolve, reject) => {
      const socket = createConnection({ host: opts.host, port: opts.port });
      const timer = setTimeout(() => { socket.destroy(); reject(new TransportTimeout(`${desc}: no connection within ${timeout} ms`)); }, timeout);
      socket.once('error', (e) => { clearTimeout(timer); reject(new Error(`${desc}: ${e.message}`)); });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new TcpTransport(socket, desc));
      });
    });
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (e) => (e ? reject(new Error(`${this.description}: ${e.message}`)) : resolve())));
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    return this.inbox.read(n, timeoutMs, this.description);
  }

  discardInput(): void {
    this.inbox.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.socket.destroyed) return resolve();
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 500).unref();
    });
  }
}

/** Options of a serial (RS-232, USB-CDC, pty) printer. */
export interface SerialOptions {
  path: string;
  /** Default 9600, the usual factory setting of receipt printers. */
  baudRate?: number;
}

/** A printer on a serial port. */
export class SerialTransport implements PrinterTransport {
  readonly description: string;
  private readonly inbox = new Inbox();

  private constructor(private readonly port: SerialPort, description: string) {
    this.description = description;
    port.on('data', (d: Buffer) => this.inbox.push(d));
    port.on('error', (e: Error) => this.inbox.fail(new Error(`${description}: ${e.message}`)));
  }

  static open(opts: SerialOptions): Promise<SerialTransport> {
    if (typeof opts.path !== 'string' || opts.path === '') return Promise.reject(new TypeError('serial: path is required'));
    const baudRate = opts.baudRate ?? 9600;
    if (!Number.isInteger(baudRate) || baudRate <= 0) return Promise.reject(new RangeError(`serial: baudRate must be a positive whole number, got ${baudRate}`));
    const desc = `serial ${opts.path}`;
    return new Promise((resolve, reject) => {
      const port = new SerialPort({ path: opts.path, baudRate, autoOpen: false });
      port.open((err) => (err ? reject(new Error(`${desc}: ${err.message}`)) : resolve(new SerialTransport(port, desc))));
    });
  }

  write(data: Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(Buffer.from(data), (e) => {
        if (e) return reject(new Error(`${this.description}: ${e.message}`));
        this.port.drain((e2) => (e2 ? reject(new Error(`${this.description}: ${e2.message}`)) : resolve()));
      });
    });
  }

  read(n: number, timeoutMs: number): Promise<Buffer> {
    return this.inbox.read(n, timeoutMs, this.description);
  }

  discardInput(): void {
    this.inbox.clear();
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.port.isOpen ? this.port.close(() => resolve()) : resolve()));
  }
}

/**
 * A printer device file: Linux usblp (/dev/usb/lp0), a parallel port, or any character
 * device. Status answers are read back where the device is bidirectional.
 */
export class DeviceFileTransport implements PrinterTransport {
  readonly description: string;
  private readonly inbox = new Inbox();
  private readonly reader: TtyReadStream | undefined;
  private closed = false;

  private constructor(private readonly fd: number, description: string) {
    this.description = description;
    // A tty (e.g. a pty standing in for the device) must be read non-blocking, or close would
    // wait on a pending read; other devices are read per query (usblp returns what it has).
    if (isatty(fd)) {
      this.reader = new TtyReadStream(fd);
      this.reader.setRawMode(true);
      this.reader.on('data', (d: Buffer) => this.inbox.push(d));
      this.reader.on('error', (e) => this.inbox.fail(new Error(`${description}: ${e.message}`)));
    }
  }

  static async open(path: string): Promise<DeviceFileTransport> {
    if (typeof path !== 'string' || path === '') throw new TypeError('device: path is required');
    try {
      const fd = await new Promise<number>((resolve, reject) => fsOpen(path, 'r+', (e, fd) => (e ? reject(e) : resolve(fd))));
      return new DeviceFileTransport(fd, `device ${path}`);
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      const hint = err.code === 'EACCES' ? ' (add the user to the lp group or fix udev rules)' : err.code === 'ENOENT' ? ' (is the printer plugged in?)' : '';
      throw new Error(`device ${path}: ${err.message}${hint}`, { cause: e });
    }
  }

  async write(data: Uint8Array): Promise<void> {
    let off = 0;
    while (off < data.length) {
      off += await new Promise<number>((resolve, reject) =>
        fsWrite(this.fd, data, off, data.length - off, null, (e, n) => (e ? reject(new Error(`${this.description}: ${e.message}`)) : resolve(n))));
    }
  }

  async read(n: number, timeoutMs: number): Promise<Buffer> {
    if (this.reader) return this.inbox.read(n, timeoutMs, this.description);
    const out = Buffer.alloc(n);
    let got = 0;
    const deadline = Date.now() + timeoutMs;
    while (got < n) {
      if (Date.now() > deadline) throw new TransportTimeout(`${this.description}: no answer within ${timeoutMs} ms`);
      got += await new Promise<number>((resolve, reject) =>
        fsRead(this.fd, out, got, n - got, null, (e, k) => (e ? reject(new Error(`${this.description}: ${e.message}`)) : resolve(k))));
      if (got < n) await new Promise((r) => setTimeout(r, 20));
    }
    return out;
  }

  discardInput(): void {
    this.inbox.clear();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const reader = this.reader;
    if (reader) {
      reader.setRawMode(false);
      // Destroying the tty stream closes the fd itself.
      await new Promise<void>((r) => { reader.once('close', () => r()); reader.destroy(); });
      return;
    }
    await new Promise<void>((r) => fsClose(this.fd, () => r()));
  }
}
