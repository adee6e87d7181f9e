/**
 * Each provider's health as the chain last saw it, kept true without a sale. The chain asks the
 * providers in order and stops at the first answer, so a fallback behind a healthy first
 * provider is never asked again: its last failure would stay on the dashboard for ever. Here
 * every answer and failure is recorded with its time (UTC), and a provider whose latest word was
 * a failure is re-probed on its own schedule (`test()`: one small request) with a doubling wait,
 * so its health turns back to ok soon after it recovers and costs almost nothing while it does not.
 */
import type { Clock } from '../../clock.ts';
import type { MarkingProvider, ProviderHealth } from './provider.ts';

/** A provider's health with the times of its latest success and failure (UTC ISO, null: none yet). */
export interface ChainProviderHealth extends ProviderHealth {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  /** The latest failure's message, null once a success came after it. */
  lastError: string | null;
}

/** When a failed provider is asked again: `baseMs`, then doubling up to `maxMs`. */
export interface ProbeSchedule {
  baseMs: number;
  maxMs: number;
  /** Time one probe may take (default 5 s). */
  timeoutMs?: number;
}

/** Default: 15 s after the failure, doubling to once in 5 min. */
export const DEFAULT_PROBE_SCHEDULE: ProbeSchedule = { baseMs: 15_000, maxMs: 300_000 };

interface Record {
  lastSuccessAt: string | null;
  lastFailureAt: string | null;
  lastError: string | null;
  /** Failures since the last success (the probe's backoff). */
  failures: number;
  timer: NodeJS.Timeout | null;
  probing: Promise<void> | null;
}

/** The health book of a chain. */
export interface HealthBook {
  succeeded(index: number): void;
  failed(index: number, message: string): void;
  health(): ChainProviderHealth[];
  /** Calls `listener` whenever a provider's state turns (ok ↔ failing); returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Starts re-probing (failures recorded before start are scheduled now). */
  start(): void;
  close(): Promise<void>;
}

/** The delay before the n-th (1-based) re-probe of a failing provider. */
export function probeDelayMs(failures: number, schedule: ProbeSchedule): number {
  const n = Math.max(1, Math.min(failures, 30));
  return Math.min(schedule.maxMs, schedule.baseMs * 2 ** (n - 1));
}

/** Creates the book over the chain's providers. */
export function createHealthBook(providers: readonly MarkingProvider[], options: { clock?: Clock; schedule?: ProbeSchedule } = {}): HealthBook {
  const schedule = options.schedule ?? DEFAULT_PROBE_SCHEDULE;
  const now = (): string => (options.clock ? options.clock.now() : new Date()).toISOString();
  const records: Record[] = providers.map(() => ({ lastSuccessAt: null, lastFailureAt: null, lastError: null, failures: 0, timer: null, probing: null }));
  let running = false;
  const listeners = new Set<() => void>();
  const changed = (): void => {
    for (const l of listeners) {
      try { l(); } catch { /* a listener's trouble is its own */ }
    }
  };

  function schedule_(i: number): void {
    const r = records[i];
    if (!r || !running || r.timer !== null || r.probing !== null || r.failures === 0) return;
    r.timer = setTimeout(() => { r.timer = null; probe(i); }, probeDelayMs(r.failures, schedule));
    r.timer.unref();
  }

  function probe(i: number): void {
    const p = providers[i];
    const r = records[i];
    if (!p || !r || !running || r.failures === 0) return;
    r.probing = p.test({ timeoutMs: schedule.timeoutMs ?? 5_000 })
      .then((res) => { if (res.ok) succeeded(i); else failed(i, res.detail); })
      .catch((err: unknown) => failed(i, (err as Error).message))
      .finally(() => { r.probing = null; schedule_(i); });
  }

  function succeeded(i: number): void {
    const r = records[i];
    if (!r) return;
    const turned = r.failures > 0;
    Object.assign(r, { lastSuccessAt: now(), lastError: null, failures: 0 });
    if (r.timer !== null) clearTimeout(r.timer);
    r.timer = null;
    if (turned) changed();
  }

  function failed(i: number, message: string): void {
    const r = records[i];
    if (!r) return;
    Object.assign(r, { lastFailureAt: now(), lastError: message, failures: r.failures + 1 });
    schedule_(i);
    if (r.failures === 1) changed();
  }

  function healthOf(p: MarkingProvider, r: Record): ChainProviderHealth {
    const base = p.health();
    const times = { lastSuccessAt: r.lastSuccessAt, lastFailureAt: r.lastFailureAt, lastError: r.lastError };
    // The provider's own states that are not about reachability (the local module's sync
    // state, its 72 h lock, True API before discovery) stand; 'ok' / 'failing' follow the latest word.
    if (base.state !== 'ok' && base.state !== 'failing') return { ...base, ...times };
    if (r.failures > 0 && r.lastError !== null) return { ...base, ...times, state: 'failing', detail: r.lastError };
    if (r.lastSuccessAt !== null) return { ...base, ...times, state: 'ok', detail: 'answering' };
    return { ...base, ...times };
  }

  return {
    succeeded,
    failed,
    health: () => providers.map((p, i) => healthOf(p, records[i] as Record)),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    start() {
      running = true;
      records.forEach((_, i) => schedule_(i));
    },
    async close() {
      running = false;
      for (const r of records) {
        if (r.timer !== null) clearTimeout(r.timer);
        r.timer = null;
      }
      await Promise.all(records.map((r) => r.probing?.catch(() => undefined)));
    },
  };
}
