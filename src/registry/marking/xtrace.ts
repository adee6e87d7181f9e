/**
 * Kazakhstan's ИС МПТ (xTrace platform) as a provider.
 *
 * - Auth: login + password → a bearer token that lives 30 min (`accessTokenExpiresIn`, a string of
 *   ms) and a refresh token. The token is refreshed before it expires (with the injected clock),
 *   and on a 401 the provider refreshes (or logs in again) once and repeats the request. An API
 *   key (technical user) is sent as the bearer token and never refreshed.
 * - Every request carries `Accept: *\/*`: the platform answers anything narrower with an empty 406.
 * - `POST /public/api/cod/public/codes` in batches (the server's maximum per request is a server
 *   parameter; 100 by default here). The answer is a JSON array; a code it does not list is
 *   unknown. A 307 (private/codes for a caller without MARKING-CODE.READ) is followed.
 * - Statuses: INTRODUCED may sell; WITHDRAWN / WRITTEN_OFF are refused as withdrawn; RECEIVED /
 *   APPLIED are not yet in circulation; a status this client does not know is refused as not
 *   introduced; `expirationDate` becomes the expiry the rules check. xTrace has no block flag.
 * - The answer has no request id: the provider sends its own (`X-Request-Id`) and keeps it, with
 *   the time of the answer, for the sale line.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../../clock.ts';
import type { CodeFacts, CodeStatus } from '../../rules/index.ts';
import { MarkingConfigError } from './client.ts';
import { checkBaseUrl, firstIssue, HttpFailure, HttpTransport, parseJson, readCaFile, shownUrl, type HttpReply } from './http.ts';
import { notFoundFacts, dateOnly, type CodeQuery, type MarkingProvider, type ProviderHealth, type ProviderOutcome, type ProviderTestResult } from './provider.ts';
import { XTRACE_PATHS, xtraceCodesResponseSchema, xtraceTokenSchema, type XtraceCode } from './xtrace-wire.ts';

/** Options of {@link createXtraceProvider}. */
export interface XtraceOptions {
  /** e.g. https://prod.markirovka.kz (http:// only to loopback). */
  url: string;
  login?: string;
  password?: string;
  /** A technical user's API key, sent as the bearer token (instead of login + password). */
  apiKey?: string;
  /** PEM CA file for a server whose certificate the system CAs do not know. */
  caFile?: string;
  ca?: string | Buffer;
  clock?: Clock;
  /** Codes per request (the server's own limit; default 100). */
  maxCodesPerRequest?: number;
  /** Path of the codes call (default public/codes; private/codes answers a 307 when not permitted). */
  codesPath?: string;
  /** Configuration path for messages (default `registry.marking[xtrace]`). */
  where?: string;
}

const ACCEPT_ALL = { accept: '*/*' } as const;

/** Status → the register's code status. */
export function xtraceStatus(status: string): CodeStatus {
  switch (status) {
    case 'INTRODUCED': return 'in_circulation';
    case 'WITHDRAWN':
    case 'WRITTEN_OFF': return 'withdrawn';
    // RECEIVED / APPLIED: issued or applied, not yet in circulation; an unknown status is refused the same way.
    default: return 'not_introduced';
  }
}

/** One answered code → facts. */
export function xtraceFacts(r: XtraceCode): CodeFacts {
  return {
    ...notFoundFacts(),
    found: true,
    status: xtraceStatus(r.status),
    expires: dateOnly(r.expirationDate),
  };
}

interface Token { access: string; refresh: string | null; expiresAt: number; lifetimeMs: number }

class XtraceProvider implements MarkingProvider {
  readonly kind = 'xtrace' as const;
  readonly target: string;
  private readonly http: HttpTransport;
  private readonly clock: Clock;
  private readonly batch: number;
  private readonly codesPath: string;
  private token: Token | null = null;
  private pendingToken: Promise<Token> | null = null;
  private lastError: string | null = null;
  /** Logins and refreshes done (tests, `registry test`). */
  readonly counters = { logins: 0, refreshes: 0, retriesAfter401: 0 };

  constructor(private readonly options: XtraceOptions) {
    const where = options.where ?? 'registry.marking[xtrace]';
    const base = checkBaseUrl(options.url, `${where}.url`);
    const hasLogin = options.login !== undefined && options.password !== undefined;
    if (!hasLogin && options.apiKey === undefined) throw new MarkingConfigError(`${where} needs "login" and "password", or "apiKey"`);
    const ca = options.caFile !== undefined ? readCaFile(options.caFile, `${where}.caFile`) : options.ca;
    this.http = new HttpTransport(base, ca !== undefined ? { ca } : {});
    this.target = shownUrl(base);
    this.clock = options.clock ?? systemClock;
    this.batch = options.maxCodesPerRequest ?? 100;
    if (!Number.isInteger(this.batch) || this.batch < 1) throw new MarkingConfigError(`${where}: maxCodesPerRequest must be a positive whole number`);
    this.codesPath = options.codesPath ?? XTRACE_PATHS.publicCodes;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private async tokenCall(path: string, body: string, contentType: string, signal: AbortSignal): Promise<Token> {
    const reply = await this.http.send({ method: 'POST', url: path, headers: { ...ACCEPT_ALL, 'content-type': contentType }, body, signal, maxBytes: 64 << 10 });
    if (reply.status === 401 || reply.status === 403) throw new HttpFailure('auth', `${path} answered ${reply.status}: login or password refused`, false);
    if (reply.status !== 200) throw statusFailure(path, reply);
    const parsed = xtraceTokenSchema.safeParse(parseJson(reply.text));
    if (!parsed.success) throw new HttpFailure('protocol', `${path}: the token answer does not match: ${firstIssue(parsed.error)}`, false);
    const lifetimeMs = Number(parsed.data.accessTokenExpiresIn);
    return { access: parsed.data.accessToken, refresh: parsed.data.refreshToken ?? null, expiresAt: this.now() + lifetimeMs, lifetimeMs };
  }

  private login(signal: AbortSignal): Promise<Token> {
    this.counters.logins++;
    return this.tokenCall(XTRACE_PATHS.authenticate, JSON.stringify({ login: this.options.login, password: this.options.password }), 'application/json', signal);
  }

  private async refreshOrLogin(signal: AbortSignal): Promise<Token> {
    const old = this.token;
    if (old?.refresh) {
      this.counters.refreshes++;
      try {
        return await this.tokenCall(XTRACE_PATHS.refresh, new URLSearchParams({ refreshToken: old.refresh }).toString(), 'application/x-www-form-urlencoded', signal);
      } catch (err) {
        // An expired or revoked refresh token: log in again; a network problem is reported as is.
        if (!(err instanceof HttpFailure) || (err.reason !== 'auth' && err.reason !== 'error')) throw err;
      }
    }
    return this.login(signal);
  }

  /** A token that is good for a while yet: refreshed when less than a sixth of its life (at most 5 min) is left. */
  private async bearer(signal: AbortSignal, force = false): Promise<string> {
    if (this.options.apiKey !== undefined) return this.options.apiKey;
    const t = this.token;
    const margin = t === null ? 0 : Math.min(5 * 60_000, t.lifetimeMs / 6);
    if (!force && t !== null && this.now() < t.expiresAt - margin) return t.access;
    this.pendingToken ??= (t === null ? this.login(signal) : this.refreshOrLogin(signal)).finally(() => { this.pendingToken = null; });
    this.token = await this.pendingToken;
    return this.token.access;
  }

  private async postCodes(codes: readonly string[], requestId: string, signal: AbortSignal): Promise<XtraceCode[]> {
    const body = JSON.stringify({ codes });
    for (let attempt = 0; ; attempt++) {
      const bearer = await this.bearer(signal, attempt > 0);
      const reply = await this.http.send({
        method: 'POST', url: this.codesPath, signal, body,
        headers: { ...ACCEPT_ALL, 'content-type': 'application/json', authorization: `Bearer ${bearer}`, 'x-request-id': requestId },
      });
      if (reply.status === 401 && attempt === 0 && this.options.apiKey === undefined) {
        // The token expired early (or the server restarted): refresh once and repeat.
        this.counters.retriesAfter401++;
        continue;
      }
      if (reply.status === 401 || reply.status === 403) {
        throw new HttpFailure('auth', `codes answered ${reply.status}: ${this.options.apiKey !== undefined ? 'the API key' : 'the token'} was refused${reply.status === 403 ? ' (permission MARKING-CODE.SHRINK-READ missing?)' : ''}`, false);
      }
      if (reply.status !== 200) throw statusFailure('codes', reply);
      const parsed = xtraceCodesResponseSchema.safeParse(parseJson(reply.text));
      if (!parsed.success) throw new HttpFailure('protocol', `the codes answer does not match the xTrace shape: ${firstIssue(parsed.error)}`, false);
      return parsed.data;
    }
  }

  async check(queries: readonly CodeQuery[], options: { signal: AbortSignal }): Promise<ProviderOutcome> {
    const requestId = randomUUID();
    try {
      const wanted = [...new Set(queries.map((q) => q.cis))];
      const batches: string[][] = [];
      for (let i = 0; i < wanted.length; i += this.batch) batches.push(wanted.slice(i, i + this.batch));
      const answers = (await Promise.all(batches.map((b) => this.postCodes(b, requestId, options.signal)))).flat();
      const facts = new Map<string, CodeFacts>();
      for (const cis of wanted) {
        // The platform echoes the code as sent; a client that sent the full code gets it back whole.
        const r = answers.find((a) => a.code === cis) ?? answers.find((a) => a.code.startsWith(cis) || cis.startsWith(a.code));
        facts.set(cis, r === undefined ? notFoundFacts() : xtraceFacts(r));
      }
      this.lastError = null;
      return { kind: 'answered', provider: 'xtrace', requestId, requestTime: this.clock.now().toISOString(), facts, unresolved: [], offline: false };
    } catch (err) {
      const f = err instanceof HttpFailure ? err : new HttpFailure('error', (err as Error).message, true);
      this.lastError = `${f.reason}: ${f.message}`;
      return { kind: 'failed', provider: 'xtrace', reason: f.reason, message: f.message, transient: f.transient, status: null };
    }
  }

  async test(options: { timeoutMs?: number; probeCode?: string } = {}): Promise<ProviderTestResult> {
    const signal = AbortSignal.timeout(options.timeoutMs ?? 5_000);
    const steps: ProviderTestResult['steps'] = [];
    const step = async (name: string, fn: () => Promise<string>): Promise<boolean> => {
      const t0 = performance.now();
      try {
        const detail = await fn();
        steps.push({ step: name, ok: true, detail, ms: Math.round(performance.now() - t0) });
        return true;
      } catch (err) {
        const f = err instanceof HttpFailure ? err : new HttpFailure('error', (err as Error).message, true);
        steps.push({ step: name, ok: false, detail: `${f.reason}: ${f.message}`, ms: null });
        return false;
      }
    };
    const authOk = await step('auth', async () => {
      if (this.options.apiKey !== undefined) return 'API key configured (sent as the bearer token)';
      await this.bearer(signal, true);
      return `logged in; token valid for ${Math.round((this.token?.lifetimeMs ?? 0) / 60_000)} min`;
    });
    const probe = options.probeCode ?? '0104870000000009215AAAAAAA';
    const codesOk = authOk && await step('codes', async () => {
      const n = (await this.postCodes([probe], randomUUID(), signal)).length;
      return `${XTRACE_PATHS.publicCodes} answered (${n} of 1 probe code known)`;
    });
    const last = steps[steps.length - 1];
    return {
      provider: 'xtrace', target: this.target, ok: authOk && codesOk, steps,
      latencyMs: codesOk ? last?.ms ?? null : null,
      detail: steps.map((s) => `${s.step} ${s.ok ? 'ok' : 'FAILED'}: ${s.detail}`).join('; '),
    };
  }

  health(): ProviderHealth {
    return {
      provider: 'xtrace', target: this.target, lastSyncAt: null,
      state: this.lastError === null ? 'ok' : 'failing', detail: this.lastError ?? 'answering',
    };
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}

/** An HTTP status other than 200, classified (never parsing a 401/429 body as an answer). */
export function statusFailure(what: string, reply: HttpReply): HttpFailure {
  const s = reply.status;
  const body = reply.text.replace(/\s+/g, ' ').trim().slice(0, 160);
  const detail = `${what} answered ${s}${body ? ` (${body})` : ''}`;
  if (s === 406) return new HttpFailure('protocol', `${detail}: the server refused the Accept header`, false);
  if (s === 429 || s === 408 || s >= 500) return new HttpFailure('unavailable', detail, true);
  return new HttpFailure('error', detail, false);
}

/** The xTrace provider, with its counters of logins and refreshes. @throws MarkingConfigError */
export function createXtraceProvider(options: XtraceOptions): MarkingProvider & { readonly counters: XtraceProvider['counters'] } {
  return new XtraceProvider(options);
}
