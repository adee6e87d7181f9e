/**
 * What the server does with the register's background reports: every delivery attempt is
 * logged, recorded for the charts, announced to the UIs and wakes a receipt waiting for its
 * ticket number; every feed sync is logged and kept for the dashboard.
 */
import type { Logger } from '../log.ts';
import { recordDeliveryAttempt, type Db } from '../store/index.ts';
import type { FeedStatus, SenderEvent } from '../sync/index.ts';
import type { ServerEvent } from './contract/index.ts';

/** The reports' handlers. */
export interface SyncReports {
  delivery(event: SenderEvent): void;
  feed(status: FeedStatus): void;
  /** The last feed sync's outcome (null before the first). */
  lastFeed(): FeedStatus | null;
}

/** Creates the handlers; `stopped()` true makes feed reports (a pull aborted by stop) be ignored. */
export function createSyncReports(deps: {
  db: Db; logger: Logger; emit(event: ServerEvent): void; changed(): void; delivered(documentId: string): void; stopped(): boolean;
}): SyncReports {
  const { db, logger } = deps;
  let lastFeed: FeedStatus | null = null;
  return {
    delivery(e) {
      try {
        recordDeliveryAttempt(db, { at: e.at, outboxId: e.id, ok: e.ok, kind: e.ok ? null : e.kind, error: e.ok ? null : e.error });
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not log a delivery attempt');
      }
      if (e.ok) logger.info({ outboxId: e.id, documentId: e.documentId, ticketNumber: e.ticketNumber }, 'delivered to the OFD');
      else logger.warn({ outboxId: e.id, documentId: e.documentId, kind: e.kind, error: e.error }, 'OFD delivery failed');
      deps.emit({ type: 'delivery', ok: e.ok, outboxId: e.id, documentId: e.documentId, ticketNumber: e.ok ? e.ticketNumber : null, error: e.ok ? null : e.error, at: e.at });
      if (e.ok) deps.delivered(e.documentId);
      deps.changed();
    },
    feed(s) {
      if (deps.stopped()) return; // the pull stop() aborted: not a failure worth reporting
      lastFeed = s;
      if (s.ok) logger.info({ kind: s.kind, records: s.records, cursor: s.cursor }, 'cache synced');
      else logger.warn({ error: s.error, transient: s.transient }, 'cache sync failed');
      deps.changed();
    },
    lastFeed: () => lastFeed,
  };
}
