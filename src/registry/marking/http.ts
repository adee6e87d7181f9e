/**
 * The HTTP transport the marking-system providers share: undici with a kept-alive pool per
 * provider, real cancellation through AbortSignal, a size limit on every answer, 307/308
 * followed on the same origin (xTrace answers private/codes with a 307 to public/codes), and the
 * URL rules of the feed client: https:// (system CAs or a configured CA), plain http:// only to
 * loopback, no credentials in a URL.
 *
 * Request headers are never logged or put into an error message: they carry passwords, API
 * keys and tokens.
 */
import { readFileSync } from 'node:fs';
import { Agent, request, type Dispatcher } from 'undici';
import { isLoopbackHost, MarkingConfigError } from './client.ts';
import type { FailureReason } from './provider.ts';

/** An answer: status, headers (lower-case names) and the body as text. */
export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The URL that answered (after redirects). */
  url: string;
}

/** One request. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  /** Absolute URL, or a path resolved against the transport's base URL. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
  /** Largest body read, bytes (default 4 MiB). */
  maxBytes?: number;
}

/** A failure to get any HTTP answer, classified. */
export class HttpFailure extends Error {
  override name = 'HttpFailure';
  constructor(readonly reason: FailureReason, message: string, readonly transient: boolean) {
    super(message);
  }
}

const TLS_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME/;
const MAX_REDIRECTS = 3;

/**
 * Checks a configured base URL: https://, or http:// to loopback only; no credentials.
 * @param where the configuration path for messages, e.g. `registry.marking[0].url`.
 * @throws MarkingConfigError naming `where`.
 */
export function checkBaseUrl(value: string, where: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MarkingConfigError(`${where} is not a valid URL: '${value}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new MarkingConfigError(`${where} must be https:// (or http:// to loopback), got '${url.protocol}'`);
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new MarkingConfigError(`${where}: refusing plain http:// to ${url.hostname}: credentials and answers would travel unencrypted; use https:// (plain http only to 127.0.0.0/8, ::1, localhost)`);
  }
  if (url.username !== '' || url.password !== '') throw new MarkingConfigError(`${where} must not carry credentials; use the configuration's own fields`);
  url.search = '';
  url.hash = '';
  return url;
}

/** Reads a PEM CA file for a provider. @throws MarkingConfigError */
export function readCaFile(path: string, where: string): Buffer {
  let ca: Buffer;
  try {
    ca = readFileSync(path);
  } catch (err) {
    throw new MarkingConfigError(`cannot read ${where} '${path}': ${(err as Error).message}`);
  }
  if (!ca.toString('latin1').includes('-----BEGIN CERTIFICATE-----')) throw new MarkingConfigError(`${where} '${path}' holds no PEM certificate`);
  return ca;
}

/** A URL for messages: origin and path, never a query (a local-module query carries the code). */
export function shownUrl(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.origin}${u.pathname === '/' ? '' : u.pathname}`;
}

/** Classifies an error thrown by undici (or by the abort of `signal`). */
export function failureOf(err: unknown, signal: AbortSignal): HttpFailure {
  if (err instanceof HttpFailure) return err;
  if (signal.aborted) return new HttpFailure('timeout', 'no answer within the time left', true);
  const e = err as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = String(e?.code ?? e?.cause?.code ?? '');
  const message = e instanceof Error ? e.message : String(err);
  if (TLS_ERRORS.test(code) || TLS_ERRORS.test(message)) return new HttpFailure('error', `TLS: ${message}${code ? ` (${code})` : ''}`, false);
  return new HttpFailure('unavailable', `cannot reach it: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, true);
}

async function readBody(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > limit) {
      body.destroy();
      throw new HttpFailure('protocol', `the answer is larger than ${limit} bytes`, false);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A kept-alive HTTP client for one provider. */
export class HttpTransport {
  private readonly agent: Agent;

  constructor(readonly base: URL, options: { ca?: string | Buffer } = {}) {
    this.agent = new Agent({
      keepAliveTimeout: 30_000,
      connections: 8,
      ...(options.ca !== undefined ? { connect: { ca: options.ca } } : {}),
    });
  }

  /** Resolves `path` against the base URL (a base path such as /api/ is kept). */
  resolve(path: string): URL {
    if (/^https?:\/\//.test(path)) return new URL(path);
    const base = new URL(this.base.href);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    return new URL(path.replace(/^\//, ''), base);
  }

  /**
   * Sends one request and reads the whole answer. A 307 / 308 to the same origin is followed
   * with the same method, headers and body. @throws HttpFailure (never an HTTP status: those are answers).
   */
  async send(req: HttpRequest): Promise<HttpReply> {
    let url = this.resolve(req.url);
    for (let hop = 0; ; hop++) {
      let res: Dispatcher.ResponseData;
      try {
        res = await request(url, {
          method: req.method, dispatcher: this.agent, signal: req.signal,
          headers: { 'user-agent': 'tanba/0.1', ...req.headers, ...(req.body !== undefined ? { 'content-length': String(Buffer.byteLength(req.body)) } : {}) },
          ...(req.body !== undefined ? { body: req.body } : {}),
        });
      } catch (err) {
        throw failureOf(err, req.signal);
      }
      const location = res.headers.location;
      if ((res.statusCode === 307 || res.statusCode === 308) && typeof location === 'string' && hop < MAX_REDIRECTS) {
        await res.body.dump().catch(() => undefined);
        const next = new URL(location, url);
        if (next.origin !== url.origin) throw new HttpFailure('error', `redirected to another origin (${next.origin}); not followed with credentials`, false);
        url = next;
        continue;
      }
      let text: string;
      try {
        text = await readBody(res.body, req.maxBytes ?? 4 << 20);
      } catch (err) {
        throw failureOf(err, req.signal);
      }
      return { status: res.statusCode, headers: res.headers, text, url: url.href };
    }
  }

  /** Closes kept-alive connections. */
  async close(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }
}

/** Parses JSON, or null when the text is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The first zod issue as "path: message". */
export function firstIssue(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  const i = error.issues[0];
  return i === undefined ? 'invalid' : `${i.path.map(String).join('.') || '(root)'} ${i.message}`;
}
