/**
 * Russia's True API online check as a provider.
 *
 * - Hosts: `GET {discoveryUrl}/api/v4/true-api/cdn/info` lists them; each is ranked by its
 *   health check (`avgTimeMs`, usable when code 0; lowest first). The list is refreshed every 6 h
 *   in the background; a dead host never aborts loading the list, and a missing or refused key
 *   fails discovery at once instead of hanging it.
 * - A host that fails (no answer in its share of the time, connection trouble, 429, 5xx, 410) is
 *   skipped for 15 min and the next host is tried within the same budget; a 5xx whose body code
 *   is 5000 is retried once on the same host. A good health check unblocks it.
 * - 401 / 403: the key is refused (an auth failure: no other host will take it). HTTP 203: the
 *   system is in emergency mode, the sale goes ahead without the check. Envelope code 0 or 204
 *   (an answer right after emergency mode) is an answer; any other code means "unavailable".
 * - Codes go out whole (GS as \u001d, a leading GS stripped); `reqId` / `reqTimestamp` come back
 *   and are kept with the sale line. Per-code decisions follow CRPT's order (crpt.ts).
 */
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../../clock.ts';
import type { CodeFacts } from '../../rules/index.ts';
import { MarkingConfigError } from './client.ts';
import { crptOnlineFacts } from './crpt.ts';
import { checkBaseUrl, firstIssue, HttpFailure, HttpTransport, parseJson, readCaFile, shownUrl, type HttpReply } from './http.ts';
import { notFoundFacts, type CodeQuery, type HostView, type MarkingProvider, type ProviderCheckOptions, type ProviderHealth, type ProviderOutcome, type ProviderTestResult } from './provider.ts';
import {
  cdnInfoSchema, checkEnvelopeSchema, ENVELOPE_AFTER_EMERGENCY, ENVELOPE_OK, healthCheckSchema, RETRY_SAME_HOST, TRUE_API_PATHS, type CheckEnvelope,
} from './true-api-wire.ts';

/** Options of {@link createTrueApiProvider}. */
export interface TrueApiOptions {
  /** e.g. https://cdn.crpt.ru (http:// only to loopback). */
  discoveryUrl: string;
  apiKey: string;
  /** Sent with every check. */
  fiscalDriveNumber?: string;
  caFile?: string;
  ca?: string | Buffer;
  clock?: Clock;
  /** How long the host list is used before it is loaded again (default 6 h). */
  refreshMs?: number;
  /** How long a failing host is skipped (default 15 min). */
  blockMs?: number;
  /** Time a health check may take (default 2 s). */
  healthTimeoutMs?: number;
  where?: string;
}

interface Host {
  url: string;
  avgTimeMs: number | null;
  usable: boolean;
  blockedUntil: number;
  lastError: string | null;
}

/** How a check ended on one host: an answer, a failure no other host can mend, or "try the next host". */
type Attempt = { kind: 'answer'; envelope: CheckEnvelope } | { kind: 'stop'; outcome: ProviderOutcome } | { kind: 'next'; error: string };

/** Strips what a scanner adds in front of a code (AIM prefix, leading GS). */
export function wireCode(code: string): string {
  let s = code;
  if (/^\][A-Za-z]\d/.test(s)) s = s.slice(3);
  while (s.startsWith('\u001d')) s = s.slice(1);
  return s;
}

/** ms since the epoch (number or digit string) → UTC ISO, or null. */
export function isoOfMs(value: number | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const n = Number(value);
  return Number.isFinite(n) && n > 0 ? new Date(n).toISOString() : null;
}

class TrueApiProvider implements MarkingProvider {
  readonly kind = 'true-api' as const;
  readonly target: string;
  private readonly discovery: HttpTransport;
  private readonly ca: string | Buffer | undefined;
  private readonly clock: Clock;
  private readonly refreshMs: number;
  private readonly blockMs: number;
  private readonly healthTimeoutMs: number;
  private hosts: Host[] = [];
  private readonly transports = new Map<string, HttpTransport>();
  private loadedAt: number | null = null;
  private loading: Promise<void> | null = null;
  private lastError: string | null = null;
  /** Requests per host (tests and bench). */
  readonly counters = { discoveries: 0, healthChecks: 0, checks: new Map<string, number>() };

  constructor(private readonly options: TrueApiOptions) {
    const where = options.where ?? 'registry.marking[true-api]';
    const base = checkBaseUrl(options.discoveryUrl, `${where}.discoveryUrl`);
    if (!/^[\x21-\x7e]{1,4096}$/.test(options.apiKey)) throw new MarkingConfigError(`${where}.apiKey must be 1-4096 printable ASCII characters`);
    this.ca = options.caFile !== undefined ? readCaFile(options.caFile, `${where}.caFile`) : options.ca;
    this.discovery = new HttpTransport(base, this.ca !== undefined ? { ca: this.ca } : {});
    this.target = shownUrl(base);
    this.clock = options.clock ?? systemClock;
    this.refreshMs = options.refreshMs ?? 6 * 3_600_000;
    this.blockMs = options.blockMs ?? 15 * 60_000;
    this.healthTimeoutMs = options.healthTimeoutMs ?? 2_000;
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  private transport(url: string): HttpTransport {
    let t = this.transports.get(url);
    if (t === undefined) {
      t = new HttpTransport(checkBaseUrl(url, 'a True API host from cdn/info'), this.ca !== undefined ? { ca: this.ca } : {});
      this.transports.set(url, t);
    }
    return t;
  }

  private headers(): Record<string, string> {
    return { accept: 'application/json', 'x-api-key': this.options.apiKey };
  }

  /** Health-checks one host; true when usable (code 0). */
  private async healthCheck(h: Host, signal?: AbortSignal): Promise<boolean> {
    this.counters.healthChecks++;
    const timeout = AbortSignal.timeout(this.healthTimeoutMs);
    const s = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const reply = await this.transport(h.url).send({ method: 'GET', url: TRUE_API_PATHS.health, headers: this.headers(), signal: s, maxBytes: 64 << 10 });
      const parsed = reply.status === 200 ? healthCheckSchema.safeParse(parseJson(reply.text)) : null;
      if (parsed?.success && parsed.data.code === 0) {
        Object.assign(h, { usable: true, avgTimeMs: parsed.data.avgTimeMs ?? null, blockedUntil: 0, lastError: null });
        return true;
      }
      h.usable = false;
      h.lastError = parsed === null ? `health check answered ${reply.status}` : parsed.success ? `health check code ${parsed.data.code}` : 'health check answer does not match';
    } catch (err) {
      h.usable = false;
      h.lastError = `health check: ${(err as Error).message}`;
    }
    return false;
  }

  /** Loads the host list and ranks it. Keeps the old list when discovery fails. @throws HttpFailure when there is no list at all. */
  private async load(signal?: AbortSignal): Promise<void> {
    this.counters.discoveries++;
    const s = signal ?? AbortSignal.timeout(this.healthTimeoutMs * 2);
    try {
      const reply = await this.discovery.send({ method: 'GET', url: TRUE_API_PATHS.info, headers: this.headers(), signal: s, maxBytes: 256 << 10 });
      if (reply.status === 401 || reply.status === 403) throw new HttpFailure('auth', `cdn/info answered ${reply.status}: the API key was refused`, false);
      if (reply.status !== 200) throw trueApiStatusFailure('cdn/info', reply);
      const parsed = cdnInfoSchema.safeParse(parseJson(reply.text));
      if (!parsed.success) throw new HttpFailure('protocol', `cdn/info does not match: ${firstIssue(parsed.error)}`, false);
      if (parsed.data.code !== 0) throw new HttpFailure('unavailable', `cdn/info code ${parsed.data.code} (${parsed.data.description ?? ''})`, true);
      const old = new Map(this.hosts.map((h) => [h.url, h]));
      const hosts: Host[] = [];
      for (const { host } of parsed.data.hosts ?? []) {
        try {
          const url = shownUrl(checkBaseUrl(host, 'a True API host from cdn/info'));
          hosts.push(old.get(url) ?? { url, avgTimeMs: null, usable: false, blockedUntil: 0, lastError: null });
        } catch (err) {
          this.lastError = (err as Error).message; // one bad entry never aborts the list
        }
      }
      await Promise.all(hosts.map((h) => this.healthCheck(h, signal)));
      this.hosts = hosts;
      this.loadedAt = this.now();
    } catch (err) {
      const f = err instanceof HttpFailure ? err : new HttpFailure('unavailable', (err as Error).message, true);
      this.lastError = `discovery: ${f.message}`;
      if (this.hosts.length === 0) throw f;
    }
  }

  /** The host list, loaded on first use and refreshed in the background when older than 6 h. */
  private async ensureHosts(signal: AbortSignal): Promise<void> {
    if (this.loadedAt === null) {
      this.loading ??= this.load(signal).finally(() => { this.loading = null; });
      await this.loading;
      return;
    }
    if (this.now() - this.loadedAt >= this.refreshMs && this.loading === null) {
      this.loading = this.load().catch(() => undefined).finally(() => { this.loading = null; });
    }
  }

  /** Usable, unblocked hosts, fastest first. */
  ranked(): Host[] {
    const now = this.now();
    return this.hosts.filter((h) => h.usable && h.blockedUntil <= now).sort((a, b) => (a.avgTimeMs ?? Infinity) - (b.avgTimeMs ?? Infinity));
  }

  private block(h: Host, why: string): void {
    h.blockedUntil = this.now() + this.blockMs;
    h.lastError = why;
  }

  private async attempt(h: Host, body: string, signal: AbortSignal): Promise<Attempt> {
    this.counters.checks.set(h.url, (this.counters.checks.get(h.url) ?? 0) + 1);
    let retriedSameHost = false;
    for (;;) {
      let reply: HttpReply;
      try {
        reply = await this.transport(h.url).send({ method: 'POST', url: TRUE_API_PATHS.check, headers: { ...this.headers(), 'content-type': 'application/json' }, body, signal });
      } catch (err) {
        const f = err instanceof HttpFailure ? err : new HttpFailure('unavailable', (err as Error).message, true);
        if (f.reason === 'error' && !f.transient) return { kind: 'stop', outcome: this.failed('error', f.message, null) };
        this.block(h, `${f.reason}: ${f.message}`);
        return { kind: 'next', error: `${h.url}: ${f.reason === 'timeout' ? 'no answer in its share of the time' : f.message}` };
      }
      const s = reply.status;
      if (s === 401 || s === 403) return { kind: 'stop', outcome: this.failed('auth', `${h.url} answered ${s}: the API key was refused`, s) };
      if (s === 203) return { kind: 'stop', outcome: this.failed('emergency', `${h.url} answered 203: the system is in emergency mode; sell without the check`, s) };
      if (s >= 500 && !retriedSameHost && bodyCode(reply.text) === RETRY_SAME_HOST) {
        retriedSameHost = true;
        continue;
      }
      if (s === 429 || s >= 500 || s === 410 || s === 408) {
        this.block(h, `answered ${s}`);
        return { kind: 'next', error: `${h.url} answered ${s}` };
      }
      if (s !== 200) return { kind: 'stop', outcome: this.failed('error', trueApiStatusFailure('codes/check', reply).message, s) };
      const parsed = checkEnvelopeSchema.safeParse(parseJson(reply.text));
      if (!parsed.success) return { kind: 'stop', outcome: this.failed('protocol', `the check answer does not match True API: ${firstIssue(parsed.error)}`, s) };
      const env = parsed.data;
      if (env.code !== ENVELOPE_OK && env.code !== ENVELOPE_AFTER_EMERGENCY) return { kind: 'next', error: `${h.url}: envelope code ${env.code} (${env.description ?? ''})` };
      return { kind: 'answer', envelope: env };
    }
  }

  private failed(reason: Extract<ProviderOutcome, { kind: 'failed' }>['reason'], message: string, status: number | null): ProviderOutcome {
    this.lastError = `${reason}: ${message}`;
    return { kind: 'failed', provider: 'true-api', reason, message, transient: reason !== 'auth' && reason !== 'error' && reason !== 'protocol', status };
  }

  async check(queries: readonly CodeQuery[], options: ProviderCheckOptions): Promise<ProviderOutcome> {
    const deadline = options.deadline ?? performance.now() + 1_500;
    try {
      await this.ensureHosts(options.signal);
    } catch (err) {
      const f = err instanceof HttpFailure ? err : new HttpFailure('unavailable', (err as Error).message, true);
      return this.failed(options.signal.aborted ? 'timeout' : f.reason, `discovery: ${f.message}`, null);
    }
    let hosts = this.ranked();
    if (hosts.length === 0 && this.hosts.length > 0) {
      // Every host is blocked: a good health check brings one back (within this check's time).
      await Promise.all(this.hosts.map((h) => this.healthCheck(h, options.signal)));
      hosts = this.ranked();
    }
    if (hosts.length === 0) return this.failed(options.signal.aborted ? 'timeout' : 'unavailable', 'no usable check host (all blocked or failing their health check)', null);
    const body = JSON.stringify({ codes: queries.map((q) => wireCode(q.code)), ...(this.options.fiscalDriveNumber ? { fiscalDriveNumber: this.options.fiscalDriveNumber } : {}) });
    const errors: string[] = [];
    for (let i = 0; i < hosts.length; i++) {
      const remaining = deadline - performance.now();
      if (options.signal.aborted || remaining <= 0) break;
      // A hanging host may take only its share of what is left, so the next one still has time.
      const share = Math.max(Math.min(remaining, 400), remaining / (hosts.length - i));
      const signal = AbortSignal.any([options.signal, AbortSignal.timeout(Math.max(1, Math.floor(share)))]);
      const a = await this.attempt(hosts[i] as Host, body, signal);
      if (a.kind === 'answer') return this.answer(queries, a.envelope);
      if (a.kind === 'stop') return a.outcome;
      errors.push(a.error);
    }
    const timedOut = options.signal.aborted || deadline - performance.now() <= 0;
    return this.failed(timedOut ? 'timeout' : 'unavailable', errors.length > 0 ? errors.join('; ') : 'no time left for a check host', null);
  }

  private answer(queries: readonly CodeQuery[], envelope: CheckEnvelope): ProviderOutcome {
    const facts = new Map<string, CodeFacts>();
    const codes = envelope.codes ?? [];
    for (const q of queries) {
      const wire = wireCode(q.code);
      const c = codes.find((x) => x.cis === wire || x.cis === q.cis) ?? codes.find((x) => wire.startsWith(x.cis) || x.cis.startsWith(q.cis));
      facts.set(q.cis, c === undefined ? notFoundFacts() : crptOnlineFacts(c));
    }
    this.lastError = null;
    return {
      kind: 'answered', provider: 'true-api', requestId: envelope.reqId ?? null,
      requestTime: isoOfMs(envelope.reqTimestamp) ?? this.clock.now().toISOString(), facts, unresolved: [], offline: false,
    };
  }

  /** The hosts as ranked, for `registry test` and the dashboard. */
  hostViews(): HostView[] {
    const now = this.now();
    const order = this.ranked();
    const rest = this.hosts.filter((h) => !order.includes(h));
    return [...order, ...rest].map((h) => ({
      host: h.url, avgTimeMs: h.avgTimeMs, usable: h.usable && h.blockedUntil <= now,
      blockedUntil: h.blockedUntil > now ? new Date(h.blockedUntil).toISOString() : null, lastError: h.lastError,
    }));
  }

  async test(options: { timeoutMs?: number; probeCode?: string } = {}): Promise<ProviderTestResult> {
    const steps: ProviderTestResult['steps'] = [];
    const t0 = performance.now();
    const signal = AbortSignal.timeout(options.timeoutMs ?? 5_000);
    try {
      await this.load(signal);
      const usable = this.ranked().length;
      steps.push({ step: 'discovery', ok: usable > 0, detail: `${this.hosts.length} hosts listed, ${usable} usable`, ms: Math.round(performance.now() - t0) });
    } catch (err) {
      steps.push({ step: 'discovery', ok: false, detail: `${err instanceof HttpFailure ? err.reason : 'error'}: ${(err as Error).message}`, ms: null });
    }
    let latencyMs: number | null = null;
    if (steps[0]?.ok) {
      const probe = options.probeCode ?? '0104600000000001215AAAAAAAAAAAAA\u001d93AAAA';
      const t1 = performance.now();
      const outcome = await this.check([{ code: probe, cis: probe.split('\u001d')[0] as string }], { signal, deadline: performance.now() + (options.timeoutMs ?? 5_000) });
      const ok = outcome.kind === 'answered';
      if (ok) latencyMs = Math.round(performance.now() - t1);
      steps.push({ step: 'check', ok, detail: ok ? `answered (reqId ${outcome.requestId ?? '-'})` : `${outcome.reason}: ${outcome.message}`, ms: latencyMs });
    }
    const hosts = this.hostViews();
    const ranking = hosts.map((h) => `${h.host} ${h.usable ? `${h.avgTimeMs ?? '?'} ms` : h.blockedUntil ? 'blocked' : 'unusable'}`).join(', ');
    return {
      provider: 'true-api', target: this.target, ok: steps.length > 0 && steps.every((s) => s.ok), steps, latencyMs, hosts,
      detail: `${steps.map((s) => `${s.step} ${s.ok ? 'ok' : 'FAILED'}: ${s.detail}`).join('; ')}${ranking ? `; hosts: ${ranking}` : ''}`,
    };
  }

  health(): ProviderHealth {
    const usable = this.ranked().length;
    const state = this.lastError === null || usable > 0 ? (this.loadedAt === null ? 'unknown' : 'ok') : 'failing';
    return { provider: 'true-api', target: this.target, state, detail: this.lastError ?? `${usable} of ${this.hosts.length} check hosts usable`, lastSyncAt: null };
  }

  start(): void {
    if (this.loadedAt === null && this.loading === null) this.loading = this.load().catch(() => undefined).finally(() => { this.loading = null; });
  }

  async close(): Promise<void> {
    await this.loading?.catch(() => undefined);
    await this.discovery.close();
    await Promise.all([...this.transports.values()].map((t) => t.close()));
  }
}

function bodyCode(text: string): number | null {
  const v = parseJson(text) as { code?: unknown } | undefined;
  return v !== null && typeof v === 'object' && typeof v.code === 'number' ? v.code : null;
}

/** A status other than 200, classified; the body is shown (shortened) but never parsed as an answer. */
export function trueApiStatusFailure(what: string, reply: HttpReply): HttpFailure {
  const s = reply.status;
  const body = reply.text.replace(/\s+/g, ' ').trim().slice(0, 160);
  const detail = `${what} answered ${s}${body ? ` (${body})` : ''}`;
  if (s === 429 || s === 408 || s >= 500) return new HttpFailure('unavailable', detail, true);
  if (s === 410) return new HttpFailure('error', `${detail}: a legacy host; use the hosts from cdn/info`, false);
  return new HttpFailure('error', detail, false);
}

/** The True API provider (with its host ranking for `registry test`). @throws MarkingConfigError */
export function createTrueApiProvider(options: TrueApiOptions): MarkingProvider & { hostViews(): HostView[]; readonly counters: TrueApiProvider['counters'] } {
  return new TrueApiProvider(options);
}
