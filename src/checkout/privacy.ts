/**
 * Automatic purge of e-receipt contacts whose consent expired or was withdrawn. The server calls
 * startContactPurge once; shifts opening and closing purge too; `tanba privacy purge` on demand.
 */
import { systemClock, type Clock } from '../clock.ts';
import { purgeContacts, truncateWal, withdrawContact, type Db, type PurgeResult } from '../store/index.ts';

export { purgeContacts, withdrawContact, type PurgeResult };

/** Runs a purge now and then every `intervalMs` (default hourly); returns the stop function. */
export function startContactPurge(db: Db, options: { clock?: Clock; intervalMs?: number; onError?: (err: unknown) => void } = {}): () => void {
  const clock = options.clock ?? systemClock;
  const tick = (): void => {
    try {
      purgeContacts(db, clock.now().toISOString());
    } catch (err) {
      options.onError?.(err);
    }
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** How long a purge keeps trying to empty the WAL while another reader holds a snapshot. */
export interface SettleOptions {
  /** Checkpoint attempts in all, the first one included (default 10). */
  attempts?: number;
  /** Wait between attempts in ms (default 200). */
  waitMs?: number;
}

/** A purge's result once the WAL was settled (or the attempts ran out). */
export interface SettledPurge extends PurgeResult {
  /** Checkpoint attempts made. */
  attempts: number;
  /**
   * True when the WAL could not be truncated within the attempts (another connection held an
   * older snapshot the whole time): the contact's bytes may remain in the .db or the -wal until
   * the next purge. False means none remain.
   */
  bytesMayRemain: boolean;
}

/**
 * Retries the WAL checkpoint (TRUNCATE) a bounded number of times with a short wait, so a purge
 * that ran while another reader held a snapshot still leaves no bytes once the reader lets go;
 * the result says whether bytes may remain.
 */
export async function settlePurge(db: Db, first: PurgeResult, options: SettleOptions = {}): Promise<SettledPurge> {
  const max = Math.max(1, options.attempts ?? 10);
  let attempts = 1;
  let truncated = first.walTruncated;
  while (!truncated && attempts < max) {
    await new Promise((resolve) => setTimeout(resolve, options.waitMs ?? 200));
    attempts++;
    truncated = truncateWal(db);
  }
  return { purged: first.purged, walTruncated: truncated, attempts, bytesMayRemain: !truncated };
}

/** {@link purgeContacts}, then {@link settlePurge}. */
export function purgeContactsSettled(db: Db, now: string, options?: SettleOptions): Promise<SettledPurge> {
  return settlePurge(db, purgeContacts(db, now), options);
}

/** {@link withdrawContact} (consent withdrawn, purged at once), then {@link settlePurge}. */
export function withdrawContactSettled(db: Db, id: string, at: string, options?: SettleOptions): Promise<SettledPurge> {
  return settlePurge(db, withdrawContact(db, id, at), options);
}
