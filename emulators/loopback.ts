/**
 * The HTTP plumbing every emulator of a marking system shares (the registry feed, X-Trace, True
 * API, the local module): a node:http(s) server on loopback (127.0.0.1, port 0 by default) that
 * tracks its connections, waits that `close()` cuts short, and seeded fault dice. Each emulator
 * keeps its own API, answers and fault rules.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

/** Where and how a loopback emulator listens. */
export interface LoopbackOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
}

/** A listening server that can be closed with its connections and pending waits. */
export class LoopbackHttp {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly sleepers = new Set<() => void>();
  private baseUrl: string | null = null;
  private isClosed = false;

  /** `name` is what an early `url` read calls the emulator. */
  constructor(private readonly options: LoopbackOptions, listener: (req: IncomingMessage, res: ServerResponse) => void, private readonly name = 'the emulator') {
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener) : createHttpServer(listener);
    this.server.on(options.tls ? 'secureConnection' : 'connection', (s: Socket) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
  }

  /** Starts listening; resolves with the base URL, e.g. http://127.0.0.1:40123. */
  async start(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => { this.server.off('error', reject); resolve(); });
    });
    const { port } = this.server.address() as AddressInfo;
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return this.baseUrl;
  }

  /** The base URL (after start). */
  get url(): string {
    if (this.baseUrl === null) throw new Error(`${this.name} is not started`);
    return this.baseUrl;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Waits `ms`; `close()` ends the wait at once. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => { clearTimeout(t); this.sleepers.delete(wake); resolve(); };
      const t = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Calls `wake` when the server closes (a hung request's end). */
  wakeOnClose(wake: () => void): void {
    this.sleepers.add(wake);
  }

  /** Stops listening, ends open connections and pending waits. */
  async close(): Promise<void> {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const wake of this.sleepers) wake();
    const closing = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    if (this.baseUrl !== null) await closing;
  }
}

/** Seeded fault dice: `chance(rate)` is true with probability `rate` (0 never, 1 always). */
export function faultDice(random: () => number): (rate: number) => boolean {
  return (rate) => rate > 0 && (rate >= 1 || random() < rate);
}
