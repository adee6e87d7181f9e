/**
 * The delivery lease (the sender's invariant 7): one sender per register database. A pass runs
 * only while holding the 'ofd' lease, taken in an IMMEDIATE transaction (src/store/outbox.ts)
 * and renewed before every row and on a timer. A holder killed on this host is taken over at
 * once (its pid no longer runs), elsewhere when the lease expires.
 */
import { hostname } from 'node:os';
import type { Clock } from '../clock.ts';
import { acquireSyncLease, releaseSyncLease, type Db, type SyncLease } from '../store/index.ts';

const LEASE = 'ofd';

/** Another live sender holds the lease: nothing may be sent. */
export interface LeaseBusy {
  kind: 'busy';
  reason: string;
  pid: number;
  until: string;
}

/** The lease of one sender. */
export interface DeliveryLease {
  /** Takes or renews the lease; returns why not when another live sender holds it. */
  take(): LeaseBusy | null;
  /**
   * Runs `pass` while holding the lease (renewed every ttl/3 meanwhile) and releases it after;
   * returns `busy` without running it when the lease is held by another sender.
   */
  hold<T>(pass: () => Promise<T>, busy: (b: LeaseBusy) => T): Promise<T>;
}

/** Whether a process id runs on this host (EPERM: it runs, under another user). */
function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates the lease of a sender identified by `owner`. */
export function createDeliveryLease(db: Db, clock: Clock, options: { owner: string; ttlMs: number }): DeliveryLease {
  const host = hostname();
  const { owner, ttlMs } = options;

  function take(): LeaseBusy | null {
    const gone = (h: SyncLease): boolean => h.host === host && !pidRuns(h.pid);
    const r = acquireSyncLease(db, LEASE, { owner, pid: process.pid, host, now: clock.now().toISOString(), ttlMs }, gone);
    if (r.ok) return null;
    const where = r.holder.host === host ? '' : ` on ${r.holder.host}`;
    return { kind: 'busy', reason: `another process is delivering: pid ${r.holder.pid}${where} (lease until ${r.holder.expiresAt})`, pid: r.holder.pid, until: r.holder.expiresAt };
  }

  return {
    take,
    async hold(pass, busy) {
      const held = take();
      if (held) return busy(held);
      const renew = setInterval(() => {
        try { take(); } catch { /* busy database: renewed before the next row anyway */ }
      }, Math.max(10, Math.floor(ttlMs / 3)));
      renew.unref();
      try {
        return await pass();
      } finally {
        clearInterval(renew);
        releaseSyncLease(db, LEASE, owner);
      }
    },
  };
}
