/**
 * Timings of a register (mostly shortened by tests), checked up front: a bad value is a
 * TypeError naming the option (`tuning.senderIdleMs`, ...), thrown by the factory that takes it
 * rather than a loop that spins or never wakes later.
 */

/** Timings, mostly for tests (which need seconds, not the protocol's minutes). */
export interface RegisterTuning {
  /** Total time of one OFD request (default 5 s in training, 10 s otherwise). */
  ofdTransactionTimeoutMs?: number;
  /** Wait between OFD reconnect attempts while offline (default 5 s in training, 60 s otherwise). */
  ofdReconnectIntervalMs?: number;
  /** Sender backoff after failures. */
  senderBackoff?: { baseMs?: number; maxMs?: number };
  /** Sender idle re-check (default 30 s). */
  senderIdleMs?: number;
  /** Cache pull interval (default 60 s). */
  pullIntervalMs?: number;
  /** Budget of an online check (default 1.5 s). */
  onlineCheckMs?: number;
  /** Budget of a National Catalogue lookup (default: config catalog.lookupBudgetMs). */
  catalogLookupMs?: number;
  /** Re-probing a marking system whose latest word was a failure (default 15 s doubling to 5 min). */
  markingProbe?: { baseMs?: number; maxMs?: number };
  /** How long the store stream keeps messages (default 30 days): tests make its snapshots age out. */
  storeStreamMaxAgeMs?: number;
}

/** What a timing may be: above zero, or zero and above. */
export type TimingRule = 'positive' | 'nonNegative';

/**
 * Checks the named timings of `values` (absent ones take their defaults); throws a TypeError
 * naming `${owner}.${key}` and the bad value.
 */
export function checkTimings(owner: string, values: object | undefined, rules: Readonly<Record<string, TimingRule>>): void {
  if (values === undefined) return;
  if (typeof values !== 'object' || values === null) throw new TypeError(`${owner} must be an object, got ${String(values)}`);
  const record = values as Record<string, unknown>;
  for (const [key, rule] of Object.entries(rules)) {
    const v = record[key];
    if (v === undefined) continue;
    const ok = typeof v === 'number' && Number.isFinite(v) && (rule === 'positive' ? v > 0 : v >= 0);
    if (!ok) throw new TypeError(`${owner}.${key} must be ${rule === 'positive' ? 'a positive' : 'a ≥ 0'} number of milliseconds, got ${String(v)}`);
  }
}

/** Checks a register's timings (see {@link checkTimings}). */
export function checkRegisterTuning(tuning: RegisterTuning | undefined): void {
  checkTimings('tuning', tuning, {
    ofdTransactionTimeoutMs: 'positive', ofdReconnectIntervalMs: 'nonNegative', senderIdleMs: 'positive', pullIntervalMs: 'positive', onlineCheckMs: 'positive', catalogLookupMs: 'positive', storeStreamMaxAgeMs: 'positive',
  });
  checkTimings('tuning.senderBackoff', tuning?.senderBackoff, { baseMs: 'positive', maxMs: 'positive' });
  checkTimings('tuning.markingProbe', tuning?.markingProbe, { baseMs: 'positive', maxMs: 'positive' });
}
