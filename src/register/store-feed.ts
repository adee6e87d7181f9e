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

/** What a lane's puller needs to fall back on its own downloads. */
export interface FallbackOptions {
  /** How long the store's NATS may be unreachable before the lane pulls the feed itself (ms). */
  graceMs: number;
  /** The lane's own puller (as a lone register's), made when needed. */
  ownPuller: () => CachePuller;
  /** How often the store's reachability is looked at (default a fifth of the grace, 100 ms to 5 s). */
  checkMs?: number;
  warn?: (m: string, e?: unknown) => void;
}

/**
 * The register's puller of a lane of a store: the store link downloads (when it leads); this only
 * asks. While the store's NATS stays unreachable past the grace period, the lane pulls the feed
 * itself (its own puller) and goes back to the store's feeds once it answers: its own puller
 * stopped first (no import of its own in flight), then, when its cache moved meanwhile, it starts
 * again from a snapshot the leader downloads after that — never a delta twice, never an older state.
 */
export function storePuller(hub: StoreLink, db: Db, clock: Clock, fallback: FallbackOptions): CachePuller {
  let failures = 0;
  let own: CachePuller | null = null;
  let cursorWhenLeft: string | null = null;
  let timer: NodeJS.Timeout | null = null;
  let watching: Promise<void> | null = null;
  const warn = fallback.warn ?? ((): void => undefined);
  async function watch(): Promise<void> {
    const away = hub.unreachableMs();
    if (own === null && away >= fallback.graceMs) {
      warn(`the store's NATS has been unreachable for ${Math.round(away / 1_000)} s: this lane pulls the status feed itself until it is back`);
      await hub.leaveStream();
      cursorWhenLeft = feedCursor(db).cursor;
      own = fallback.ownPuller();
      own.start();
    } else if (own !== null && away === 0) {
      const stopping = own;
      await stopping.stop();
      own = null;
      const pulled = feedCursor(db).cursor !== cursorWhenLeft;
      warn(`the store's NATS is back: this lane follows the store's status feeds again${pulled ? ' from a fresh snapshot (it pulled the feed itself meanwhile)' : ''}`);
      hub.rejoinStream(pulled);
    }
  }
  const checkMs = fallback.checkMs ?? Math.min(5_000, Math.max(100, fallback.graceMs / 5));
  return {
    /** True while the lane pulls the feed itself (the store's NATS is away). */
    get running() { return own?.running ?? false; },
    get failures() { return own?.failures ?? failures; },
    start() {
      if (timer !== null) return;
      timer = setInterval(() => {
        watching ??= watch().catch((err: unknown) => warn('switching the status feed source failed', err)).finally(() => { watching = null; });
      }, checkMs);
      timer.unref();
    },
    async stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
      await watching;
      await own?.stop();
      own = null;
    },
    async pullOnce() {
      // Cut off from the store: the manager's "resync" pulls like a lone register.
      if (own !== null) return own.pullOnce();
      const status = feedStatusOf(await hub.downloadStatus(), db, clock);
      failures = status.ok ? 0 : failures + 1;
      return status;
    },
  };
}
