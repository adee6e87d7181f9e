/**
 * Automatic purge of e-receipt contacts whose consent expired or was withdrawn. The server calls
 * startContactPurge once; shifts opening and closing purge too; `tanba privacy purge` on demand.
 */
import { systemClock, type Clock } from '../clock.ts';
import { purgeContacts, withdrawContact, type Db, type PurgeResult } from '../store/index.ts';

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
