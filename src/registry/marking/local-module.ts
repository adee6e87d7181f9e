/**
 * The operator's local module (ЛМ ЧЗ) on the store's machine as the offline source.
 *
 * - HTTP Basic with the install-time login and password; `X-ClientId` (the fiscal drive number)
 *   when configured.
 * - `GET /api/v1/status` is polled (every minute by default, and before a check when the last
 *   status is older than that). The module is asked only while its status is `ready`;
 *   `sync_error` (it needs init again) and the lock after 72 h without a sync are surfaced to the
 *   manager through health().
 * - One code: `GET /api/v1/cis/outCheck?cis=<url-encoded code>`; several:
 *   `POST /api/v2/cis/outCheck {"cis_list":[{"cis"}]}`.
 * - Its answers are a black list: only `isBlocked` and `sold` count (crpt.ts); the verdict is an
 *   offline one decided by the local module.
 */
import { performance } from 'node:perf_hooks';
import { systemClock, type Clock } from '../../clock.ts';
import type { CodeFacts } from '../../rules/index.ts';
import { MarkingConfigError } from './client.ts';
import { crptOfflineFacts } from './crpt.ts';
import { checkBaseUrl, firstIssue, HttpFailure, HttpTransport, parseJson, readCaFile, shownUrl } from './http.ts';
import { notFoundFacts, type CodeQuery, type MarkingProvider, type ProviderCheckOptions, type ProviderHealth, type ProviderOutcome, type ProviderTestResult } from './provider.ts';
import { isoOfMs, trueApiStatusFailure, wireCode } from './true-api.ts';
import {
  ENVELOPE_AFTER_EMERGENCY, ENVELOPE_OK, LOCAL_MODULE_PATHS, localModuleEnvelopeSchema, localModuleStatusSchema, outCheckV2ResponseSchema, type CheckEnvelope,
  type LocalModuleStatus,
} from './true-api-wire.ts';

/** Options of {@link createLocalModuleProvider}. */
export interface LocalModuleOptions {
  /** e.g. http://localhost:5995 */
  url: string;
  user: string;
  password: string;
  /** Sent as X-ClientId (the fiscal drive number). */
  clientId?: string;
  caFile?: string;
  ca?: string | Buffer;
  clock?: Clock;
  /** Status poll interval (default 60 s). */
  pollMs?: number;
  /** Hours without a sync after which the module locks (72). */
  lockHours?: number;
  where?: string;
}

class LocalModuleProvider implements MarkingProvider {
  readonly kind = 'local-module' as const;
  readonly target: string;
  private readonly http: HttpTransport;
  private readonly clock: Clock;
  private readonly auth: string;
  private readonly pollMs: number;
  private readonly lockMs: number;
  private status: LocalModuleStatus | null = null;
  private statusAt: number | null = null;
  private statusError: string | null = null;
  private polling: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Status polls and checks made (tests). */
  readonly counters = { polls: 0, checks: 0 };

  constructor(private readonly options: LocalModuleOptions) {
    const where = options.where ?? 'registry.marking[local-module]';
    const base = checkBaseUrl(options.url, `${where}.url`);
    if (options.user === '' || options.user.includes(':')) throw new MarkingConfigError(`${where}.user must be a non-empty name without ':'`);
    const ca = options.caFile !== undefined ? readCaFile(options.caFile, `${where}.caFile`) : options.ca;
    this.http = new HttpTransport(base, ca !== undefined ? { ca } : {});
    this.target = shownUrl(base);
    this.clock = options.clock ?? systemClock;
    this.auth = `Basic ${Buffer.from(`${options.user}:${options.password}`, 'utf8').toString('base64')}`;
    this.pollMs = options.pollMs ?? 60_000;
    this.lockMs = (options.lockHours ?? 72) * 3_600_000;
  }

  private headers(): Record<string, string> {
    return { accept: 'application/json', authorization: this.auth, ...(this.options.clientId ? { 'x-clientid': this.options.clientId } : {}) };
  }

  /** Last sync as ms since the epoch, or null. */
  private lastSyncMs(): number | null {
    const v = this.status?.lastSync;
    if (v === null || v === undefined) return null;
    const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(n) && n > 0 ? n : null;
  }

  /** True when the last sync is older than the lock limit (the module stops answering). */
  private locked(): boolean {
    const last = this.lastSyncMs();
    return last !== null && this.clock.now().getTime() - last >= this.lockMs;
  }

  /** Asks the module for its status now. Never throws. */
  pollStatus(signal?: AbortSignal): Promise<void> {
    this.polling ??= (async () => {
      this.counters.polls++;
      try {
        const reply = await this.http.send({ method: 'GET', url: LOCAL_MODULE_PATHS.status, headers: this.headers(), signal: signal ?? AbortSignal.timeout(3_000), maxBytes: 64 << 10 });
        if (reply.status === 401 || reply.status === 403) throw new HttpFailure('auth', `status answered ${reply.status}: user or password refused`, false);
        if (reply.status !== 200) throw trueApiStatusFailure('status', reply);
        const parsed = localModuleStatusSchema.safeParse(parseJson(reply.text));
        if (!parsed.success) throw new HttpFailure('protocol', `the status does not match: ${firstIssue(parsed.error)}`, false);
        this.status = parsed.data;
        this.statusError = null;
      } catch (err) {
        this.status = null;
        this.statusError = err instanceof HttpFailure ? `${err.reason}: ${err.message}` : (err as Error).message;
      } finally {
        this.statusAt = this.clock.now().getTime();
      }
    })().finally(() => { this.polling = null; });
    return this.polling;
  }

  /** Why the module may not be asked now, or null when it is ready. */
  private notReady(): string | null {
    if (this.status === null) return this.statusError ?? 'status unknown';
    if (this.status.status !== 'ready') return `status ${this.status.status}${this.status.status === 'sync_error' ? ' (the module needs init again)' : ''}`;
    if (this.locked()) return 'locked: no sync for 72 h or more';
    return null;
  }

  async check(queries: readonly CodeQuery[], options: ProviderCheckOptions): Promise<ProviderOutcome> {
    if (this.statusAt === null || this.clock.now().getTime() - this.statusAt >= this.pollMs) await this.pollStatus(options.signal);
    const why = this.notReady();
    if (why !== null) {
      const auth = this.statusError?.startsWith('auth') === true;
      return { kind: 'failed', provider: 'local-module', reason: options.signal.aborted ? 'timeout' : auth ? 'auth' : 'not_ready', message: why, transient: !auth, status: null };
    }
    this.counters.checks++;
    try {
      const envelopes = await this.outCheck(queries.map((q) => wireCode(q.code)), options.signal);
      const facts = new Map<string, CodeFacts>();
      const codes = envelopes.flatMap((e) => e.codes ?? []);
      for (const q of queries) {
        const wire = wireCode(q.code);
        const c = codes.find((x) => x.cis === wire || x.cis === q.cis) ?? codes.find((x) => wire.startsWith(x.cis));
        // Not listed: the black list holds nothing against it.
        facts.set(q.cis, c === undefined ? { ...notFoundFacts(), found: true } : crptOfflineFacts(c));
      }
      const first = envelopes[0];
      return {
        kind: 'answered', provider: 'local-module', requestId: first?.reqId ?? null,
        requestTime: isoOfMs(first?.reqTimestamp) ?? this.clock.now().toISOString(), facts, unresolved: [], offline: true,
      };
    } catch (err) {
      const f = err instanceof HttpFailure ? err : new HttpFailure('error', (err as Error).message, true);
      return { kind: 'failed', provider: 'local-module', reason: f.reason, message: f.message, transient: f.transient, status: null };
    }
  }

  private async outCheck(codes: string[], signal: AbortSignal): Promise<CheckEnvelope[]> {
    const single = codes.length === 1;
    const reply = single
      ? await this.http.send({ method: 'GET', url: `${LOCAL_MODULE_PATHS.outCheckV1}?cis=${encodeURIComponent(codes[0] as string)}`, headers: this.headers(), signal })
      : await this.http.send({ method: 'POST', url: LOCAL_MODULE_PATHS.outCheckV2, headers: { ...this.headers(), 'content-type': 'application/json' }, body: JSON.stringify({ cis_list: codes.map((cis) => ({ cis })) }), signal });
    if (reply.status === 401 || reply.status === 403) throw new HttpFailure('auth', `outCheck answered ${reply.status}: user or password refused`, false);
    if (reply.status !== 200) throw trueApiStatusFailure('outCheck', reply);
    const json = parseJson(reply.text);
    const parsed = single ? localModuleEnvelopeSchema.safeParse(json) : outCheckV2ResponseSchema.safeParse(json);
    if (!parsed.success) throw new HttpFailure('protocol', `the outCheck answer does not match: ${firstIssue(parsed.error)}`, false);
    const envelopes = 'results' in parsed.data ? parsed.data.results : [parsed.data];
    const bad = envelopes.find((e) => e.code !== ENVELOPE_OK && e.code !== ENVELOPE_AFTER_EMERGENCY);
    if (bad !== undefined) throw new HttpFailure('unavailable', `outCheck envelope code ${bad.code} (${bad.description ?? ''})`, true);
    return envelopes;
  }

  async test(options: { timeoutMs?: number; probeCode?: string } = {}): Promise<ProviderTestResult> {
    const t0 = performance.now();
    const signal = AbortSignal.timeout(options.timeoutMs ?? 5_000);
    await this.pollStatus(signal);
    const ms = Math.round(performance.now() - t0);
    const why = this.notReady();
    const s = this.status;
    const steps: ProviderTestResult['steps'] = [{
      step: 'status', ok: why === null, ms: s !== null ? ms : null,
      detail: s === null ? this.statusError ?? 'no status' : `${s.status}${why !== null ? ` (${why})` : ''}, last sync ${isoOfMs(this.lastSyncMs()) ?? 'never'}`,
    }];
    if (why === null) {
      const probe = options.probeCode ?? '0104600000000001215AAAAAAAAAAAAA';
      const t1 = performance.now();
      const outcome = await this.check([{ code: probe, cis: probe.split('\u001d')[0] as string }], { signal });
      steps.push({ step: 'outCheck', ok: outcome.kind === 'answered', ms: outcome.kind === 'answered' ? Math.round(performance.now() - t1) : null, detail: outcome.kind === 'answered' ? 'answered' : `${outcome.reason}: ${outcome.message}` });
    }
    const last = steps[steps.length - 1];
    return {
      provider: 'local-module', target: this.target, ok: steps.every((x) => x.ok), steps, latencyMs: last?.ok ? last.ms : null,
      detail: steps.map((x) => `${x.step} ${x.ok ? 'ok' : 'FAILED'}: ${x.detail}`).join('; '),
    };
  }

  health(): ProviderHealth {
    const lastSyncAt = isoOfMs(this.lastSyncMs());
    const s = this.status;
    if (s === null) return { provider: 'local-module', target: this.target, state: this.statusAt === null ? 'unknown' : 'failing', detail: this.statusError ?? 'not asked yet', lastSyncAt };
    if (this.locked()) return { provider: 'local-module', target: this.target, state: 'locked', detail: `no sync since ${lastSyncAt ?? '?'}: the local module is locked after 72 h without a sync`, lastSyncAt };
    const known = ['ready', 'initialization', 'sync_error', 'not_configured'] as const;
    const state = (known as readonly string[]).includes(s.status) ? (s.status === 'ready' ? 'ok' : s.status as ProviderHealth['state']) : 'failing';
    const detail = s.status === 'sync_error' ? 'sync_error: the local module lost its sync and needs init again' : `status ${s.status}`;
    return { provider: 'local-module', target: this.target, state, detail, lastSyncAt };
  }

  start(): void {
    if (this.timer !== null) return;
    void this.pollStatus();
    this.timer = setInterval(() => void this.pollStatus(), this.pollMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.polling?.catch(() => undefined);
    await this.http.close();
  }
}

/** The local-module provider. @throws MarkingConfigError */
export function createLocalModuleProvider(options: LocalModuleOptions): MarkingProvider & { pollStatus(signal?: AbortSignal): Promise<void>; readonly counters: { polls: number; checks: number } } {
  return new LocalModuleProvider(options);
}
