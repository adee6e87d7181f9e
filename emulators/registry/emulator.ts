/**
 * An emulator of the marking system's status feed and online check: the same HTTP API as the
 * client speaks (README.md), served from a seeded dataset (dataset.ts), with fault injection
 * (latency, drops, 5xx, 429, lost responses, malformed bodies) set at start or at run time.
 * Used by tests, benchmarks, training mode and demos. Listens on 127.0.0.1, port 0 by default.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as z from 'zod';
import { faultDice, LoopbackHttp, type LoopbackOptions } from '../loopback.ts';
import { RegistryDataset, SAMPLE_KINDS, seededRandom, type SampleKind } from './dataset.ts';
import { checkRequestSchema, faultsSchema, NDJSON, NO_FAULTS, PATHS, type ErrorCode, type Faults } from '../../src/registry/marking/protocol.ts';

/** Options of {@link RegistryEmulator}. */
export interface RegistryEmulatorOptions extends LoopbackOptions {
  /** Dataset seed (default 1). Ignored when `dataset` is given. */
  seed?: number;
  /** Number of codes (default 10 000). Ignored when `dataset` is given. */
  codes?: number;
  /** A dataset built by the caller (e.g. shared with a file written by writeFeedFile). */
  dataset?: RegistryDataset;
  /** Bearer token every request but `/health` must carry; null = no authentication. Default 'tanba-emulator'. */
  token?: string | null;
  faults?: Partial<Faults>;
  /** Apply `mutationsPerTick` random changes this often, so deltas have content (0 = off). */
  deltaEveryMs?: number;
  mutationsPerTick?: number;
}

/** Requests served and faults injected, for tests and `GET /admin/stats`. */
export interface EmulatorCounters {
  requests: number;
  checks: number;
  snapshots: number;
  deltas: number;
  gone: number;
  unauthorized: number;
  dropped: number;
  lost: number;
  status5xx: number;
  status429: number;
  malformed: number;
}

const MAX_BODY = 1 << 20;
const CHUNK = 64 * 1024;

class HttpError extends Error {
  constructor(readonly status: number, readonly code: ErrorCode, message: string) { super(message); }
}

const mutateSchema = z.object({ count: z.number().int().min(1).max(1_000_000).default(10) }).strict();

/** The emulated registry. `start()` resolves with its base URL. */
export class RegistryEmulator {
  readonly dataset: RegistryDataset;
  readonly counters: EmulatorCounters = { requests: 0, checks: 0, snapshots: 0, deltas: 0, gone: 0, unauthorized: 0, dropped: 0, lost: 0, status5xx: 0, status429: 0, malformed: 0 };
  private faults: Faults;
  private readonly token: string | null;
  private readonly http: LoopbackHttp;
  private readonly chance: (rate: number) => boolean;
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly options: RegistryEmulatorOptions = {}) {
    const seed = options.seed ?? 1;
    this.dataset = options.dataset ?? new RegistryDataset({ seed, ...(options.codes !== undefined ? { codes: options.codes } : {}) });
    this.token = options.token === undefined ? 'tanba-emulator' : options.token;
    this.faults = faultsSchema.parse({ ...NO_FAULTS, ...options.faults });
    // Fault decisions are seeded too, so a test with rates strictly between 0 and 1 is repeatable.
    this.chance = faultDice(seededRandom((this.dataset.options.seed >>> 0) ^ 0xfa017));
    this.http = new LoopbackHttp(options, (req, res) => {
      this.handle(req, res).catch((err: unknown) => this.fail(res, err));
    }, 'the registry emulator');
  }

  /** Starts listening; resolves with the base URL, e.g. http://127.0.0.1:40123. */
  async start(): Promise<string> {
    const url = await this.http.start();
    const every = this.options.deltaEveryMs ?? 0;
    if (every > 0) {
      const n = this.options.mutationsPerTick ?? 5;
      this.ticker = setInterval(() => this.dataset.mutate(n), every);
      this.ticker.unref();
    }
    return url;
  }

  /** The base URL (after start). */
  get url(): string {
    return this.http.url;
  }

  /** Current faults. */
  getFaults(): Faults {
    return { ...this.faults };
  }

  /** Changes some faults; the others stay. @throws ZodError on a bad value. */
  setFaults(partial: Partial<Faults>): Faults {
    this.faults = faultsSchema.parse({ ...this.faults, ...partial });
    return this.getFaults();
  }

  /** Stops listening, ends open connections and pending latency waits. */
  async close(): Promise<void> {
    if (this.ticker !== null) clearInterval(this.ticker);
    this.ticker = null;
    await this.http.close();
  }

  private fail(res: ServerResponse, err: unknown): void {
    if (err instanceof HttpError) {
      this.json(res, err.status, { error: { code: err.code, message: err.message } });
      return;
    }
    if (!res.headersSent) {
      this.json(res, 500, { error: { code: 'internal', message: err instanceof Error ? err.message : String(err) } });
    } else {
      res.destroy();
    }
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    if (res.destroyed || res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store', ...headers });
    res.end(text);
  }

  private async readJson(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) throw new HttpError(413, 'bad_request', `request body larger than ${MAX_BODY} bytes`);
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      throw new HttpError(400, 'bad_request', `request body is not valid JSON (${(err as Error).message})`);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.counters.requests++;
    const url = new URL(req.url ?? '/', 'http://emulator');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (path === PATHS.health) {
      this.json(res, 200, { ok: true, cursor: this.dataset.cursor() });
      return;
    }
    const scope = path === PATHS.check ? 'check' : path.startsWith('/feed/') ? 'feed' : null;
    const f = this.faults;
    const faulty = scope !== null && (f.scope === 'all' || f.scope === scope);
    if (faulty && f.latencyMs > 0) {
      await this.http.sleep(f.latencyMs);
      if (this.http.closed || req.socket.destroyed) return;
    }
    if (faulty && this.chance(f.dropRate)) {
      this.counters.dropped++;
      req.socket.destroy();
      return;
    }
    if (this.token !== null && req.headers.authorization !== `Bearer ${this.token}`) {
      this.counters.unauthorized++;
      const message = req.headers.authorization === undefined ? 'missing Authorization: Bearer <token>' : 'wrong bearer token';
      this.json(res, 401, { error: { code: 'unauthorized', message } }, { 'www-authenticate': 'Bearer realm="tanba-registry-emulator"' });
      return;
    }
    if (faulty && this.chance(f.status429Rate)) {
      this.counters.status429++;
      this.json(res, 429, { error: { code: 'rate_limited', message: 'too many requests (emulated)' } }, { 'retry-after': String(f.retryAfterSeconds) });
      return;
    }
    if (faulty && this.chance(f.status5xxRate)) {
      this.counters.status5xx++;
      this.json(res, 503, { error: { code: 'unavailable', message: 'service unavailable (emulated)' } });
      return;
    }
    const allow = (m: string): void => {
      if (method !== m) throw new HttpError(405, 'bad_request', `${path} takes ${m}, not ${method}`);
    };
    switch (path) {
      case PATHS.check: allow('POST'); return this.check(req, res, faulty);
      case PATHS.snapshot: allow('GET'); this.counters.snapshots++; return this.stream(res, this.dataset.snapshotLines(), faulty);
      case PATHS.delta: {
        allow('GET');
        const from = url.searchParams.get('from');
        if (from === null || from === '') throw new HttpError(400, 'bad_request', 'missing ?from=<cursor> (use /feed/snapshot without a cursor)');
        const lines = this.dataset.deltaLines(from);
        if (lines === null) {
          this.counters.gone++;
          throw new HttpError(410, 'cursor_gone', `cursor '${from}' is unknown or older than the retained history; fetch ${PATHS.snapshot}`);
        }
        this.counters.deltas++;
        return this.stream(res, lines, faulty);
      }
      case '/admin/sample': {
        allow('GET');
        const kind = url.searchParams.get('kind') ?? url.searchParams.get('status') ?? 'sellable';
        if (kind === 'aggregate') {
          // Group packs: { aggregates: [{ sscc, code, contents }] } (a different shape from codes).
          this.json(res, 200, { aggregates: this.dataset.sampleAggregates(intParam(url, 'n', 5, 1, 10_000), intParam(url, 'offset', 0, 0, 50_000_000)) });
          return;
        }
        if (!(SAMPLE_KINDS as readonly string[]).includes(kind)) throw new HttpError(400, 'bad_request', `kind must be one of ${SAMPLE_KINDS.join(', ')}, aggregate, got '${kind}'`);
        const n = intParam(url, 'n', 5, 1, 10_000);
        const offset = intParam(url, 'offset', 0, 0, 50_000_000);
        const group = url.searchParams.get('group') ?? undefined;
        this.json(res, 200, { codes: this.dataset.sample(kind as SampleKind, n, { offset, ...(group ? { group } : {}) }) });
        return;
      }
      case '/admin/mutate': {
        allow('POST');
        const parsed = mutateSchema.safeParse(await this.readJson(req));
        if (!parsed.success) throw new HttpError(400, 'bad_request', zodMessage(parsed.error));
        const applied = this.dataset.mutate(parsed.data.count);
        this.json(res, 200, { applied, cursor: this.dataset.cursor() });
        return;
      }
      case '/admin/compact': {
        allow('POST');
        this.dataset.compact();
        this.json(res, 200, { cursor: this.dataset.cursor() });
        return;
      }
      case '/admin/faults': {
        if (method === 'POST') {
          const parsed = faultsSchema.partial().strict().safeParse(await this.readJson(req));
          if (!parsed.success) throw new HttpError(400, 'bad_request', zodMessage(parsed.error));
          const cleaned = Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Partial<Faults>;
          this.json(res, 200, this.setFaults(cleaned));
          return;
        }
        allow('GET');
        this.json(res, 200, this.getFaults());
        return;
      }
      case '/admin/stats': {
        allow('GET');
        this.json(res, 200, { ...this.dataset.stats(), counters: this.counters, faults: this.faults });
        return;
      }
      default:
        throw new HttpError(404, 'not_found', `no such endpoint: ${method} ${path}`);
    }
  }

  private async check(req: IncomingMessage, res: ServerResponse, faulty: boolean): Promise<void> {
    this.counters.checks++;
    const parsed = checkRequestSchema.safeParse(await this.readJson(req));
    if (!parsed.success) throw new HttpError(400, 'bad_request', zodMessage(parsed.error));
    const body = {
      requestId: randomUUID(),
      checkedAt: new Date().toISOString(),
      results: parsed.data.codes.map((c) => this.dataset.checkOne(c)),
    };
    if (faulty && this.chance(this.faults.lostResponseRate)) {
      // Processed (a real registry would have logged the request id), but the answer never arrives.
      this.counters.lost++;
      req.socket.destroy();
      return;
    }
    if (faulty && this.chance(this.faults.malformedRate)) {
      this.counters.malformed++;
      const text = JSON.stringify(body);
      const garbled = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(garbled) });
      res.end(garbled);
      return;
    }
    this.json(res, 200, body);
  }

  /**
   * Streams NDJSON lines with back-pressure (constant memory whatever the dataset size). A lost
   * response stops half-way by destroying the socket; a malformed one writes a garbled line and
   * ends without the closing cursor record.
   */
  private async stream(res: ServerResponse, lines: Iterable<string>, faulty: boolean): Promise<void> {
    const lost = faulty && this.chance(this.faults.lostResponseRate);
    const malformed = !lost && faulty && this.chance(this.faults.malformedRate);
    if (lost) this.counters.lost++;
    if (malformed) this.counters.malformed++;
    const cutAt = lost || malformed ? Math.max(1, Math.floor(this.estimateLines(lines) / 2)) : -1;
    res.writeHead(200, { 'content-type': `${NDJSON}; charset=utf-8`, 'cache-control': 'no-store' });
    let parts: string[] = [];
    let size = 0;
    let count = 0;
    const flush = async (): Promise<boolean> => {
      if (parts.length === 0) return !res.destroyed;
      const ok = res.write(parts.join(''));
      parts = [];
      size = 0;
      if (!ok) await drainOrClose(res);
      return !res.destroyed && !this.http.closed;
    };
    for (const line of lines) {
      if (count === cutAt) {
        await flush();
        if (lost) {
          // Give the bytes a moment to leave, so the client sees a body cut off mid-way.
          await this.http.sleep(20);
          res.socket?.destroy();
          return;
        }
        res.end('{"type":"code","cis":"01\u0000garbled\n');
        return;
      }
      parts.push(line, '\n');
      size += line.length + 1;
      count++;
      if (size >= CHUNK && !(await flush())) return;
    }
    if (await flush()) res.end();
  }

  private estimateLines(lines: Iterable<string>): number {
    if (Array.isArray(lines)) return lines.length;
    const s = this.dataset.stats();
    return s.products + s.codes + s.blocks + 2;
  }
}

function drainOrClose(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => { res.off('drain', done); res.off('close', done); resolve(); };
    res.once('drain', done);
    res.once('close', done);
  });
}

function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const v = url.searchParams.get(name);
  if (v === null) return fallback;
  if (!/^\d+$/.test(v)) throw new HttpError(400, 'bad_request', `${name} must be a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new HttpError(400, 'bad_request', `${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function zodMessage(err: z.ZodError): string {
  const first = err.issues[0];
  if (first === undefined) return 'invalid request body';
  return `${first.path.length > 0 ? `"${first.path.join('.')}" ` : ''}${first.message}`;
}

/** Starts an emulator (convenience for tests and the CLI). */
export async function startRegistryEmulator(options: RegistryEmulatorOptions = {}): Promise<RegistryEmulator> {
  const emu = new RegistryEmulator(options);
  await emu.start();
  return emu;
}
