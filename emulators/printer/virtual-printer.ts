/**
 * A virtual ESC/POS printer on a TCP port (like a network printer's port 9100) or a pty
 * (like a serial/USB-CDC printer). Every receipt it prints lands in the output directory as
 * PNG (what the paper looks like) and text (what a person reads off it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type * as Pngjs from 'pngjs';
import type { Bitmap } from '../../drivers/printer/bitmap.ts';
import { EscPosInterpreter, type PrintedReceipt, type PrinterCondition } from './interpreter.ts';

/** Options of a virtual printer. */
export interface VirtualPrinterOptions {
  /** Where receipts are written (created if missing). */
  outDir: string;
  /** Paper width: 58 (384 dots) or 80 (576 dots). Default 80. */
  width?: 58 | 80;
  /** Paper runs out after this many print bytes. */
  paperOutAfter?: number;
}

/** A receipt written to disk. */
export interface SavedReceipt extends PrintedReceipt {
  index: number;
  pngPath: string;
  textPath: string;
}

/** Events: 'receipt' (SavedReceipt), 'warning' (string). */
export class VirtualPrinter extends EventEmitter {
  readonly outDir: string;
  readonly dots: number;
  private readonly interpreter: EscPosInterpreter;
  private count = 0;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private socat: ChildProcess | undefined;
  readonly receipts: SavedReceipt[] = [];

  constructor(opts: VirtualPrinterOptions) {
    super();
    const width = opts.width ?? 80;
    if (width !== 58 && width !== 80) throw new RangeError(`width must be 58 or 80, got ${String(width)}`);
    if (opts.paperOutAfter !== undefined && (!Number.isInteger(opts.paperOutAfter) || opts.paperOutAfter < 0)) {
      throw new RangeError(`paperOutAfter must be a whole number of bytes, got ${opts.paperOutAfter}`);
    }
    this.outDir = opts.outDir;
    this.dots = width === 58 ? 384 : 576;
    mkdirSync(this.outDir, { recursive: true });
    this.interpreter = new EscPosInterpreter({
      dots: this.dots,
      ...(opts.paperOutAfter !== undefined ? { paperOutAfter: opts.paperOutAfter } : {}),
      onReceipt: (r) => this.save(r),
      onWarning: (m) => this.emit('warning', m),
    });
  }

  /** The printer's condition (paper, cover, offline); change it through control(). */
  get condition(): Readonly<PrinterCondition> {
    return this.interpreter.condition;
  }

  /**
   * Run-time control, as typed on the emulator's stdin: "paper out", "paper in",
   * "paper near end", "cover open", "cover close", "offline", "online", "drawer open",
   * "drawer close". Returns a one-line answer; unknown commands throw.
   */
  control(command: string): string {
    const c = this.interpreter.condition;
    switch (command.trim().toLowerCase().replace(/\s+/g, ' ')) {
      case 'paper out': c.paperOut = true; break;
      case 'paper in': this.interpreter.loadPaper(); c.paperNearEnd = false; break;
      case 'paper near end': c.paperNearEnd = true; break;
      case 'cover open': c.coverOpen = true; break;
      case 'cover close': c.coverOpen = false; break;
      case 'offline': c.offline = true; break;
      case 'online': c.offline = false; break;
      case 'drawer open': c.drawerOpen = true; break;
      case 'drawer close': c.drawerOpen = false; break;
      case 'status': break;
      default:
        throw new Error(`unknown control '${command.trim()}'; use: paper out | paper in | paper near end | cover open | cover close | offline | online | drawer open | drawer close | status`);
    }
    return `paper ${c.paperOut ? 'out' : c.paperNearEnd ? 'near end' : 'ok'}, cover ${c.coverOpen ? 'open' : 'closed'}, ${c.offline ? 'offline' : 'online'}`;
  }

  /** Feeds bytes as if received; returns the printer's answer bytes. Used by both transports. */
  receive(chunk: Uint8Array): Buffer {
    return this.interpreter.feed(chunk);
  }

  /** Listens on TCP (port 0 picks a free one). Resolves to the bound port. */
  listenTcp(port = 9100, host = '127.0.0.1'): Promise<number> {
    if (this.server) return Promise.reject(new Error('already listening'));
    const server = createServer((sock) => {
      this.sockets.add(sock);
      sock.on('data', (d) => {
        const reply = this.receive(d);
        if (reply.length) sock.write(reply);
      });
      sock.on('error', () => sock.destroy());
      sock.on('close', () => this.sockets.delete(sock));
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /**
   * Opens a pty through socat; a driver opens `path` like a serial printer. Resolves once the
   * link exists. socat must be installed (Debian package `socat`).
   */
  async openPty(path: string): Promise<string> {
    if (this.socat) throw new Error('pty already open');
    const child = spawn('socat', ['-b', '65536', `PTY,link=${path},raw,echo=0`, 'STDIO'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.socat = child;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdout.on('data', (d: Buffer) => {
      const reply = this.receive(d);
      if (reply.length) child.stdin.write(reply);
    });
    const started = Date.now();
    while (!existsSync(path)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`socat exited: ${stderr.trim() || 'no message'}`);
      if (Date.now() - started > 5000) throw new Error(`pty ${path} did not appear within 5 s: ${stderr.trim()}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.once('error', (e) => this.emit('warning', `socat: ${e.message}`));
    return path;
  }

  /** Stops listening, closes connections and the pty. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((r) => server.close(() => r()));
    const child = this.socat;
    this.socat = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await gone;
    }
    this.interpreter.abandon();
  }

  private save(r: PrintedReceipt): void {
    const index = ++this.count;
    const base = join(this.outDir, `receipt-${String(index).padStart(4, '0')}${r.complete ? '' : '-incomplete'}`);
    const pngPath = `${base}.png`;
    const textPath = `${base}.txt`;
    writeFileSync(pngPath, toPng(r.image));
    writeFileSync(textPath, r.complete ? r.text : `${r.text}[paper out or offline: receipt cut short]\n`);
    const saved: SavedReceipt = { ...r, index, pngPath, textPath };
    this.receipts.push(saved);
    this.emit('receipt', saved);
  }
}

let pngjsModule: typeof Pngjs | undefined;
/** pngjs loads with the first receipt rendered: training mode starts this printer with the core. */
function pngjs(): typeof Pngjs {
  return (pngjsModule ??= createRequire(import.meta.url)('pngjs') as typeof Pngjs);
}

/** Encodes a bitmap as a PNG: black dots on white paper, with a margin so symbols keep a quiet zone. */
export function toPng(b: Bitmap, margin = 16): Buffer {
  const { PNG } = pngjs();
  const png = new PNG({ width: b.width + 2 * margin, height: b.height + 2 * margin });
  png.data.fill(255);
  for (let y = 0; y < b.height; y++) {
    for (let x = 0; x < b.width; x++) {
      if (b.data[y * b.width + x] === 1) {
        const i = ((y + margin) * png.width + x + margin) * 4;
        png.data[i] = 0; png.data[i + 1] = 0; png.data[i + 2] = 0;
      }
    }
  }
  return PNG.sync.write(png);
}
