/**
 * The status feed of a lane of a store (issue 19): the lane does not download the feed itself.
 * The lane that leads the store's download (src/hub) fetches it through the marking client and
 * publishes it once; every lane applies it here with the same importer as `tanba cache import`.
 * The register's `puller` becomes a view of that: `pullOnce()` (the manager's "resync") asks for
 * a download by the leader, and its result is reported like a pull.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';
import { importFeed } from '../cache/index.ts';
import type { ApplyStatus, DownloadResult, StatusSource, StoreLink } from '../hub/index.ts';
import type { MarkingRegistryClient } from '../registry/index.ts';
import { abandonImport, feedCursor, importRow, type Db } from '../store/index.ts';
import type { CachePuller, FeedStatus } from '../sync/index.ts';

/** The registry's feed as the store's download leader asks for it. */
export function statusSourceOf(marking: Pick<MarkingRegistryClient, 'openFeed'>): StatusSource {
  return {
    async open(request, signal) {
      const opened = await marking.openFeed(request, { signal });
      if (opened.kind === 'stream') return { kind: 'stream', body: opened.body };
      if (opened.kind === 'gone') return { kind: 'gone', reason: opened.reason };
      return { kind: 'failed', reason: opened.reason, transient: opened.transient };
    },
  };
}

/** Applies a feed from the store stream to the lane's cache; a failed one leaves nothing staged. */
export function applyStatusTo(db: Db, clock: Clock): ApplyStatus {
  return async (body: Readable, full: boolean): Promise<void> => {
    try {
      await importFeed(db, body, { full, clock });
    } catch (err) {
      body.destroy();
      // A stream import cannot resume: drop what it staged (the live cache was never touched).
      const row = importRow(db);
      if (row !== undefined && row.source === '-') abandonImport(db);
      throw err;
    }
  };
}

/** A download by the store's leader, told like a pull (the dashboard and the log show it). */
export function feedStatusOf(r: DownloadResult, db: Db, clock: Clock): FeedStatus {
  const at = clock.now().toISOString();
  if (!r.ok) {
    return { channel: 'feed', ok: false, at, attempt: feedCursor(db).hasSnapshot ? 'delta' : 'full', transient: r.transient, error: r.reason, retryAfterMs: null, nextAttemptInMs: null };
  }
  // The lane applies what it published when it reads it back from the stream: the cursor shown is the lane's.
  return { channel: 'feed', ok: true, at, kind: r.kind, records: 0, cursor: feedCursor(db).cursor, resync: null, durationMs: r.durationMs };
}

/** The register's puller of a lane of a store: the store link downloads (when it leads); this only asks. */
export function storePuller(hub: StoreLink, db: Db, clock: Clock): CachePuller {
  let failures = 0;
  return {
    get running() { return false; },
    get failures() { return failures; },
    start() { /* the store link leads the download by itself */ },
    async stop() { /* nothing of its own runs */ },
    async pullOnce() {
      const status = feedStatusOf(await hub.downloadStatus(), db, clock);
      failures = status.ok ? 0 : failures + 1;
      return status;
    },
  };
}
