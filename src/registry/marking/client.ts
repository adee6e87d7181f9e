/**
 * HTTP client of the marking system: status feed (full snapshot and deltas, streamed) and the
 * online check (a batch of codes within a time budget, 1.5 s by default).
 *
 * Built on node:http / node:https rather than fetch: the feed body is handed on as a Node
 * Readable (importFeed reads it with back-pressure, so memory stays constant whatever the
 * snapshot size), and a CA file is a plain `ca` option of the https Agent.
 *
 * Rules (README.md has the reasoning):
 * - https:// with the system CAs or a configured CA file; plain http:// only to loopback
 *   (127.0.0.0/8, ::1, localhost), anything else is refused when the client is created.
 * - Every answer is validated with zod before anything is believed.
 * - `check` never throws: it resolves with an answer or with a failure that says whether it is
 *   transient (timeout, connection trouble, 5xx, 408/429 with Retry-After, garbled body) or
 *   permanent (400/401/403/404, TLS verification, a protocol mismatch).
 * - `openFeed` never throws either; the body it hands out fails (as a stream error) when the
 *   transfer breaks off or ends without the closing cursor record, so a truncated snapshot can
 *   never be committed as if it were whole.
 */
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { CodeFacts } from '../../rules/index.ts';
import { checkResponseSchema, errorBodySchema, MAX_CHECK_CODES, NDJSON, PATHS } from './protocol.ts';

/** Thrown by {@link createMarkingClient} for a configuration that must not be used. */
export class MarkingConfigError extends Error {
  override name = 'MarkingConfigError';
}

/** A feed transfer that broke off or ended without its closing cursor record. Always transient. */
export class FeedTransferError extends Error {
  override name = 'FeedTransferError';
  readonly transient = true;
}

/** Options of {@link createMarkingClient}. */
export interface MarkingClientOptions {
  /** Base URL, e.g. https://registry.example.kz/api/ ; http:// only for loopback. */
  url: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  /** PEM file of the CA(s) that sign the registry's certificate (instead of the system CAs). */
  caFile?: string;
  /** PEM text of the CA(s), instead of a file. */
  ca?: string | Buffer;
  /** Time budget of an online check, ms (default 1500). */
  checkTimeoutMs?: number;
  /** A feed transfer with no bytes for this long is broken off, ms (default 30 000). */
  feedIdleTimeoutMs?: number;
}

/** The registry answered the online check. Facts are keyed by CIS. */
export interface CheckAnswered {
  kind: 'answered';
  requestId: string;
  checkedAt: string;
  facts: Map<string, CodeFacts>;
  /** Codes the registry could not read at all (no CIS). */
  unresolved: string[];
}

/** The online check gave no usable answer: decide from the cache. */
export interface CheckFailed {
  kind: 'timeout' | 'unavailable' | 'error';
  reason: string;
  /** Worth trying again later (timeouts, connection trouble, 5xx, 429); false = fix the setup. */
  transient: boolean;
  /** HTTP status when there was one. */
  status: number | null;
  /** From Retry-After, ms. */
  retryAfterMs: number | null;
}

export type CheckOutcome = CheckAnswered | CheckFailed;

/** Which feed to fetch. */
export type FeedRequest = { kind: 'snapshot' } | { kind: 'delta'; from: string };

/** Result of opening the feed. */
export type FeedOpened =
  | { kind: 'stream'; feed: 'snapshot' | 'delta'; body: Readable }
  /** The cursor is unknown or too old (410): fetch a full snapshot. */
  | { kind: 'gone'; reason: string }
  | { kind: 'failed'; reason: string; transient: boolean; status: number | null; retryAfterMs: number | null };

/** The marking-system adapter as the services see it. */
export interface MarkingRegistryClient {
  /** The base URL. */
  readonly url: string;
  /** Online check of up to 100 codes (as scanned or CIS). Never throws. */
  check(codes: readonly string[], options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<CheckOutcome>;
  /** Opens the status feed; the body streams. Never throws. */
  openFeed(request: FeedRequest, options?: { signal?: AbortSignal }): Promise<FeedOpened>;
  /** Closes kept-alive connections. */
  close(): void;
}

const MAX_ANSWER = 4 << 20;
const TAIL = 4096;

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts plain HTTP may go to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/** Milliseconds of a Retry-After header (seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | string[] | undefined, nowMs = Date.now()): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return null;
  if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - nowMs);
}

/**
 * Passes the feed through unchanged and fails at the end unless the last non-blank line is the
 * closing `{"type":"cursor"}` record. A snapshot cut off at a line boundary would otherwise parse
 * cleanly and replace the whole cache with part of it.
 */
export function requireClosingCursor(): Transform {
  let tail: Buffer = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      tail = b.length >= TAIL ? b.subarray(b.length - TAIL) : Buffer.concat([tail, b]).subarray(-TAIL);
      cb(null, b);
    },
    flush(cb: TransformCallback) {
      const lines = tail.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
      const last = lines[lines.length - 1];
      let ok = false;
      if (last !== undefined) {
        try {
          const v = JSON.parse(last) as { type?: unknown; cursor?: unknown };
          ok = v.type === 'cursor' && typeof v.cursor === 'string';
        } catch {
          ok = false;
        }
      }
      cb(ok ? null : new FeedTransferError('the feed ended without its closing {"type":"cursor"} record (transfer cut off?); nothing applied'));
    },
  });
}

function errorMessage(text: string): string {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(text));
    if (parsed.success) return `${parsed.data.error.code}: ${parsed.data.error.message}`;
  } catch {
    // not JSON: fall through to the raw text
  }
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat || '(empty body)';
}

/** An HTTP status other than the expected one, classified. */
function httpFailure(status: number, headers: IncomingHttpHeaders, text: string): CheckFailed {
  const detail = errorMessage(text);
  const retryAfterMs = parseRetryAfter(headers['retry-after']);
  if (status === 429 || status === 408 || status === 425 || status >= 500) {
    return { kind: 'unavailable', reason: `registry answered ${status} (${detail})`, transient: true, status, retryAfterMs };
  }
  if (status === 401 || status === 403) {
    return { kind: 'error', reason: `registry refused the credentials: ${status} (${detail}); check registry.marking.token`, transient: false, status, retryAfterMs: null };
  }
  return { kind: 'error', reason: `registry answered ${status} (${detail})`, transient: false, status, retryAfterMs: null };
}

const TLS_CONFIG_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME/;

/** A connection-level error, classified: TLS verification problems are permanent, the rest transient. */
function networkFailure(err: unknown): CheckFailed {
  const e = err as NodeJS.ErrnoException;
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = e instanceof Error ? e.message : String(err);
  if (err instanceof FeedTransferError) return { kind: 'unavailable', reason: message, transient: true, status: null, retryAfterMs: null };
  if (TLS_CONFIG_ERRORS.test(code) || TLS_CONFIG_ERRORS.test(message)) {
    return { kind: 'error', reason: `TLS: ${message}${code ? ` (${code})` : ''}; check registry.marking.url and caFile`, transient: false, status: null, retryAfterMs: null };
  }
  return { kind: 'unavailable', reason: `cannot reach the registry: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, transient: true, status: null, retryAfterMs: null };
}

async function readText(res: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      res.destroy();
      throw new Error(`the answer is larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class HttpMarkingClient implements MarkingRegistryClient {
  readonly url: string;
  private readonly base: URL;
  private readonly https: boolean;
  private readonly agent: HttpAgent;
  private readonly headers: Record<string, string>;
  private readonly checkTimeoutMs: number;
  private readonly feedIdleTimeoutMs: number;

  constructor(options: MarkingClientOptions) {
    let base: URL;
    try {
      base = new URL(options.url);
    } catch {
      throw new MarkingConfigError(`registry.marking.url is not a valid URL: '${options.url}'`);
    }
    if (base.protocol !== 'https:' && base.protocol !== 'http:') {
      throw new MarkingConfigError(`registry.marking.url must be https:// (or http:// to loopback), got '${base.protocol}'`);
    }
    if (base.protocol === 'http:' && !isLoopbackHost(base.hostname)) {
      throw new MarkingConfigError(`refusing plain http:// to ${base.hostname}: the token and the answers would travel unencrypted; use https:// (plain http is allowed only to 127.0.0.0/8, ::1 and localhost)`);
    }
    if (base.username !== '' || base.password !== '') throw new MarkingConfigError('registry.marking.url must not carry credentials; use the token');
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    base.search = '';
    base.hash = '';
    this.base = base;
    this.url = base.href;
    this.https = base.protocol === 'https:';
    if (options.token !== undefined && !/^[\x21-\x7e]{1,4096}$/.test(options.token)) {
      throw new MarkingConfigError('registry.marking.token must be 1-4096 printable ASCII characters without spaces');
    }
    let ca: string | Buffer | undefined = options.ca;
    if (options.caFile !== undefined) {
      try {
        ca = readFileSync(options.caFile);
      } catch (err) {
        throw new MarkingConfigError(`cannot read registry.marking.caFile '${options.caFile}': ${(err as Error).message}`);
      }
      if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) {
        throw new MarkingConfigError(`registry.marking.caFile '${options.caFile}' holds no PEM certificate`);
      }
    }
    if (ca !== undefined && !this.https) throw new MarkingConfigError('a CA is configured but the URL is not https://');
    this.agent = this.https ? new HttpsAgent({ keepAlive: true, ...(ca !== undefined ? { ca } : {}) }) : new HttpAgent({ keepAlive: true });
    this.headers = { 'user-agent': 'tanba/0.1', ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}) };
    this.checkTimeoutMs = options.checkTimeoutMs ?? 1500;
    this.feedIdleTimeoutMs = options.feedIdleTimeoutMs ?? 30_000;
    for (const [name, v] of [['checkTimeoutMs', this.checkTimeoutMs], ['feedIdleTimeoutMs', this.feedIdleTimeoutMs]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new MarkingConfigError(`${name} must be a positive whole number of ms, got ${v}`);
    }
  }

  private send(method: 'GET' | 'POST', path: string, body: string | null, signal: AbortSignal | undefined, idleMs: number | null, accept: string): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const target = new URL(path.replace(/^\//, ''), this.base);
      const headers: Record<string, string> = { ...this.headers, accept };
      if (body !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const req = (this.https ? httpsRequest : httpRequest)(target, { method, agent: this.agent, headers, ...(signal ? { signal } : {}) });
      req.once('response', resolve);
      req.once('error', reject);
      if (idleMs !== null) req.setTimeout(idleMs, () => req.destroy(new FeedTransferError(`no data from the registry for ${idleMs} ms`)));
      req.end(body ?? undefined);
    });
  }

  async check(codes: readonly string[], options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<CheckOutcome> {
    if (codes.length === 0 || codes.length > MAX_CHECK_CODES) {
      return { kind: 'error', reason: `an online check takes 1 to ${MAX_CHECK_CODES} codes, got ${codes.length}`, transient: false, status: null, retryAfterMs: null };
    }
    const timeoutMs = options.timeoutMs ?? this.checkTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      const res = await this.send('POST', PATHS.check, JSON.stringify({ codes }), signal, null, 'application/json');
      const text = await readText(res, MAX_ANSWER);
      const status = res.statusCode ?? 0;
      if (status !== 200) return httpFailure(status, res.headers, text);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (err) {
        return { kind: 'error', reason: `the check answer is not valid JSON (garbled or cut off: ${(err as Error).message})`, transient: true, status, retryAfterMs: null };
      }
      const parsed = checkResponseSchema.safeParse(json);
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        return { kind: 'error', reason: `the check answer does not match the protocol: ${first ? `${first.path.join('.')} ${first.message}` : 'invalid'}`, transient: false, status, retryAfterMs: null };
      }
      const answer = parsed.data;
      if (answer.results.length !== codes.length || answer.results.some((r, i) => r.code !== codes[i])) {
        return { kind: 'error', reason: 'the check answer does not list one result per code in request order', transient: false, status, retryAfterMs: null };
      }
      const facts = new Map<string, CodeFacts>();
      const unresolved: string[] = [];
      for (const r of answer.results) {
        if (r.cis === null) { unresolved.push(r.code); continue; }
        facts.set(r.cis, {
          found: r.found, status: r.found ? r.status : null, blocked: r.blocked, blockedBy: r.blocked ? r.blockedBy : null,
          expires: r.expires, mrp: r.mrp, minPrice: r.minPrice, group: r.group,
          // The registry does not know this store's own sales; the cache adds them.
          soldHere: false, units: null,
        });
      }
      return { kind: 'answered', requestId: answer.requestId, checkedAt: answer.checkedAt, facts, unresolved };
    } catch (err) {
      if (timeout.aborted) return { kind: 'timeout', reason: `no answer within ${timeoutMs} ms`, transient: true, status: null, retryAfterMs: null };
      if (options.signal?.aborted) return { kind: 'error', reason: 'the check was cancelled', transient: true, status: null, retryAfterMs: null };
      return networkFailure(err);
    }
  }

  async openFeed(request: FeedRequest, options: { signal?: AbortSignal } = {}): Promise<FeedOpened> {
    const path = request.kind === 'snapshot' ? PATHS.snapshot : `${PATHS.delta}?from=${encodeURIComponent(request.from)}`;
    try {
      const res = await this.send('GET', path, null, options.signal, this.feedIdleTimeoutMs, NDJSON);
      const status = res.statusCode ?? 0;
      if (status === 200) {
        const type = String(res.headers['content-type'] ?? '');
        if (!/^application\/(x-ndjson|jsonl|x-jsonlines)\b/i.test(type)) {
          res.destroy();
          return { kind: 'failed', reason: `the feed answer has content-type '${type}', expected ${NDJSON}`, transient: false, status, retryAfterMs: null };
        }
        const guard = requireClosingCursor();
        // pipeline (not pipe): a connection that breaks off mid-way fails the guard, and so the import.
        pipeline(res, guard, () => undefined);
        return { kind: 'stream', feed: request.kind, body: guard };
      }
      const text = await readText(res, 64 * 1024).catch(() => '');
      if (status === 410 && request.kind === 'delta') return { kind: 'gone', reason: `the registry no longer has changes after cursor '${request.from}' (${errorMessage(text)})` };
      const f = httpFailure(status, res.headers, text);
      return { kind: 'failed', reason: f.reason, transient: f.transient, status, retryAfterMs: f.retryAfterMs };
    } catch (err) {
      if (options.signal?.aborted) return { kind: 'failed', reason: 'the feed request was cancelled', transient: true, status: null, retryAfterMs: null };
      const f = networkFailure(err);
      return { kind: 'failed', reason: f.reason, transient: f.transient, status: null, retryAfterMs: null };
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * A client of the marking system's HTTP API.
 * @throws MarkingConfigError for plain http:// to a non-loopback host, a bad URL, an unreadable CA file.
 */
export function createMarkingClient(options: MarkingClientOptions): MarkingRegistryClient {
  return new HttpMarkingClient(options);
}
