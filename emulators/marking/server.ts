/**
 * What the marking-system emulators share: a node:http(s) server on loopback that can be closed
 * with its connections and pending waits, JSON answers, bounded JSON bodies, and seeded faults
 * (latency, a dropped connection, a hang, 429, 5xx) decided per request.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { faultDice, LoopbackHttp, type LoopbackOptions } from '../loopback.ts';
import { seededRandom } from '../registry/index.ts';

/** Faults of one emulated server. Rates are 0..1. */
export const serverFaultsSchema = z.object({
  /** Delay before every answer, ms. */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Close the connection without an answer. */
  dropRate: z.number().min(0).max(1),
  /** Never answer (until the client gives up or the emulator closes). */
  hang: z.boolean(),
  status429Rate: z.number().min(0).max(1),
  status5xxRate: z.number().min(0).max(1),
}).strict();
export type ServerFaults = z.infer<typeof serverFaultsSchema>;

export const NO_SERVER_FAULTS: ServerFaults = { latencyMs: 0, dropRate: 0, hang: false, status429Rate: 0, status5xxRate: 0 };

/** An HTTP answer thrown from a handler. */
export class Reply extends Error {
  constructor(readonly status: number, readonly body: unknown, readonly headers: Record<string, string> = {}) {
    super(`HTTP ${status}`);
  }
}

/** Common options. */
export interface ServerOptions extends LoopbackOptions {
  /** Seed of the fault dice. */
  seed?: number;
  faults?: Partial<ServerFaults>;
}

/** A request as a handler sees it. */
export interface Request {
  method: string;
  path: string;
  url: URL;
  headers: IncomingMessage['headers'];
  raw: IncomingMessage;
  /** The body as text (read on first call, at most 1 MiB). */
  text(): Promise<string>;
  /** The body as JSON; a 400 Reply when it is not JSON. */
  json(): Promise<unknown>;
}

/** The handler: returns a JSON body (200), or throws a Reply. */
export type Handler = (req: Request, res: ServerResponse) => Promise<unknown>;

const MAX_BODY = 1 << 20;

/** One emulated HTTP server. */
export class EmulatorServer {
  private readonly http: LoopbackHttp;
  private readonly dice: (rate: number) => boolean;
  private faults: ServerFaults;
  /** Requests served and faults injected. */
  readonly counters = { requests: 0, dropped: 0, hung: 0, status429: 0, status5xx: 0 };

  constructor(options: ServerOptions, handler: Handler, private readonly faultScope: (path: string) => boolean = () => true) {
    this.faults = serverFaultsSchema.parse({ ...NO_SERVER_FAULTS, ...options.faults });
    this.dice = faultDice(seededRandom(((options.seed ?? 1) >>> 0) ^ 0x7a11));
    this.http = new LoopbackHttp(options, (req, res) => {
      this.serve(req, res, handler).catch((err: unknown) => this.send(res, 500, { code: 500, description: (err as Error).message }));
    });
  }

  /** Starts listening; resolves with the base URL. */
  start(): Promise<string> {
    return this.http.start();
  }

  get url(): string {
    return this.http.url;
  }

  getFaults(): ServerFaults {
    return { ...this.faults };
  }

  /** Changes some faults. @throws ZodError on a bad value. */
  setFaults(partial: Partial<ServerFaults>): ServerFaults {
    this.faults = serverFaultsSchema.parse({ ...this.faults, ...partial });
    return this.getFaults();
  }

  /** True with probability `rate` (seeded). */
  chance(rate: number): boolean {
    return this.dice(rate);
  }

  /** Waits `ms`; `close()` ends the wait. */
  sleep(ms: number): Promise<void> {
    return this.http.sleep(ms);
  }

  /** Writes a JSON (or empty, with `body` undefined) answer. */
  send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.headersSent) return;
    if (body === undefined) {
      res.writeHead(status, { 'content-length': '0', ...headers });
      res.end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  }

  private async serve(raw: IncomingMessage, res: ServerResponse, handler: Handler): Promise<void> {
    this.counters.requests++;
    const url = new URL(raw.url ?? '/', 'http://emulator');
    const f = this.faults;
    if (!url.pathname.startsWith('/admin/') && this.faultScope(url.pathname)) {
      if (f.hang) {
        this.counters.hung++;
        // Never answers: the client's own time limit is what ends it (or close()).
        await new Promise<void>((resolve) => { this.http.wakeOnClose(resolve); raw.socket.once('close', resolve); });
        return;
      }
      if (f.latencyMs > 0) {
        await this.sleep(f.latencyMs);
        if (this.http.closed || raw.socket.destroyed) return;
      }
      if (this.chance(f.dropRate)) {
        this.counters.dropped++;
        raw.socket.destroy();
        return;
      }
      if (this.chance(f.status429Rate)) {
        this.counters.status429++;
        this.send(res, 429, { code: 429, description: 'Too Many Requests (emulated)' }, { 'retry-after': '1' });
        return;
      }
      if (this.chance(f.status5xxRate)) {
        this.counters.status5xx++;
        this.send(res, 503, { code: 503, description: 'Service Unavailable (emulated)' });
        return;
      }
    }
    let body: string | null = null;
    const req: Request = {
      method: raw.method ?? 'GET', path: url.pathname, url, headers: raw.headers, raw,
      async text() {
        if (body !== null) return body;
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of raw) {
          size += (chunk as Buffer).length;
          if (size > MAX_BODY) throw new Reply(413, { code: 413, description: 'request body too large' });
          chunks.push(chunk as Buffer);
        }
        body = Buffer.concat(chunks).toString('utf8');
        return body;
      },
      async json() {
        const text = await this.text();
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw new Reply(400, { code: 400, description: 'the request body is not JSON' });
        }
      },
    };
    try {
      const out = await handler(req, res);
      if (!res.headersSent && !res.destroyed) this.send(res, 200, out);
    } catch (err) {
      if (err instanceof Reply) this.send(res, err.status, err.body, err.headers);
      else throw err;
    }
  }

  /** Stops listening, ends connections and pending waits. */
  close(): Promise<void> {
    return this.http.close();
  }
}

/** An emulator behind one EmulatorServer (X-Trace, the local module): start, url and close are the server's. */
export abstract class SingleServerEmulator {
  abstract readonly server: EmulatorServer;

  /** Starts listening; resolves with the base URL. */
  start(): Promise<string> {
    return this.server.start();
  }

  /** The base URL (after start). */
  get url(): string {
    return this.server.url;
  }

  /** Stops listening, ends connections and pending waits. */
  close(): Promise<void> {
    return this.server.close();
  }
}

/** A 400 naming the first zod issue. */
export function badRequest(error: z.ZodError): Reply {
  const i = error.issues[0];
  return new Reply(400, { code: 400, description: i === undefined ? 'invalid request' : `${i.path.join('.') || '(body)'}: ${i.message}` });
}

/** A small deterministic hash of a string (emulated attributes derived from a code). */
export function hashOf(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
