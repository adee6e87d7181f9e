/**
 * The register's housekeeping, on the register's clock: the chart logs are pruned at start; the
 * e-receipt contacts are purged (src/checkout/privacy.ts) and printed receipts past their
 * retention are deleted, now and hourly. Pending and failed receipts are kept until reprinted.
 */
import type { Clock } from '../clock.ts';
import { startContactPurge } from '../checkout/index.ts';
import { prunePrintedJobs, pruneStats, type Db } from '../store/index.ts';

const DAY_MS = 86_400_000;
/** How long the chart logs keep their points. */
const STATS_RETENTION_DAYS = 400;

/** What {@link startHousekeeping} needs. */
export interface HousekeepingOptions {
  clock: Clock;
  /** Read at every run, so a changed setting applies without a restart (config printing.receiptRetentionDays). */
  receiptRetentionDays: () => number;
  /** Between runs; hourly by default. */
  intervalMs?: number;
  onError(what: string, err: unknown): void;
}

/** Deletes the printed receipts printed more than `days` days before `now`; returns how many. */
export function prunePrintedReceipts(db: Db, now: Date, days: number): number {
  return prunePrintedJobs(db, new Date(now.getTime() - days * DAY_MS).toISOString());
}

/** Runs the housekeeping now and then every `intervalMs`; returns the stop function. */
export function startHousekeeping(db: Db, options: HousekeepingOptions): () => void {
  const { clock, onError } = options;
  try {
    pruneStats(db, new Date(clock.now().getTime() - STATS_RETENTION_DAYS * DAY_MS).toISOString());
  } catch (err) {
    onError('could not prune the chart logs', err);
  }
  const intervalMs = options.intervalMs ?? 3_600_000;
  const stopPurge = startContactPurge(db, { clock, intervalMs, onError: (err) => onError('contact purge failed', err) });
  const prune = (): void => {
    try {
      prunePrintedReceipts(db, clock.now(), options.receiptRetentionDays());
    } catch (err) {
      onError('could not prune the printed receipts', err);
    }
  };
  prune();
  const timer = setInterval(prune, intervalMs);
  timer.unref();
  return () => { clearInterval(timer); stopPurge(); };
}
