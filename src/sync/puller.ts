/**
 * The cache puller: keeps the local code-status cache in step with the marking system's status
 * feed. Never synced -> full snapshot; otherwise a delta from the stored cursor; a cursor the
 * registry no longer knows (410) or a delta that does not start at the stored cursor
 * (CURSOR_GAP) -> full resync. Runs periodically with backoff and jitter after failures.
 *
 * Invariants (the cache's freshness is what lets a cashier sell offline):
 * - Freshness advances only when importFeed commits (src/cache): a failed pull leaves the live
 *   cache, its cursor and its last-sync time exactly as they were.
 * - The network body goes through the client's guard (requireClosingCursor), so a snapshot cut
 *   off mid-transfer fails instead of replacing the cache with part of it.
 * - One pull at a time: a second pullOnce() while one runs gets the running one's result.
 * - Errors become status events (`{channel:'feed', ok:false, transient, error}`); pullOnce()
 *   and start() never throw at the caller.
 */
import { abandonImport, feedCursor, importRow, type Db } from '../store/index.ts';
import { systemClock, type Clock } from '../clock.ts';
import { FeedError, importFeed } from '../cache/index.ts';
import type { FeedOpened, FeedRequest, MarkingRegistryClient } from '../registry/marking/index.ts';

/** A successful pull. */
export interface FeedSynced {
  channel: 'feed';
  ok: true;
  /** UTC ISO time the pull finished. */
  at: string;
  kind: 'full' | 'delta';
  records: number;
  cursor: string | null;
  /** Why a full snapshot was fetched although a cursor was stored (null for a plain delta / first sync). */
  resync: string | null;
  durationMs: number;
}

/** A failed pull: nothing changed in the cache. */
export interface FeedFailed {
  channel: 'feed';
  ok: false;
  at: string;
  /** What was being fetched when it failed. */
  attempt: 'full' | 'delta';
  /** Worth retrying (network trouble, 5xx, 429, broken transfer); false = the setup needs fixing. */
  transient: boolean;
  error: string;
  /** Wait the registry asked for (Retry-After), ms. */
  retryAfterMs: number | null;
  /** When start() scheduled the next attempt, ms from now (null from pullOnce()). */
  nextAttemptInMs: number | null;
}

export type FeedStatus = FeedSynced | FeedFailed;

/** Options of {@link createCachePuller}. */
export interface CachePullerOptions {
  db: Db;
  /** The marking-system adapter (only its feed is used). */
  client: Pick<MarkingRegistryClient, 'openFeed'>;
  clock?: Clock;
  /** Time between pulls after a success, ms (default 60 000). */
  intervalMs?: number;
  /** First wait after a failure, ms; doubles per failure (default 2 000). */
  retryBaseMs?: number;
  /** Longest wait after failures, ms (default 10 minutes). */
  maxBackoffMs?: number;
  onStatus?: (status: FeedStatus) => void;
  /** Records per staged transaction (importFeed's batchSize). */
  batchSize?: number;
  /** Source of jitter in [0, 1) (tests make it fixed). */
  random?: () => number;
}

/** The puller service. */
export interface CachePuller {
  /** One pull now (full or delta as needed). Never throws; also reported through onStatus. */
  pullOnce(): Promise<FeedStatus>;
  /** Pulls now and then periodically; failures back off with jitter. Idempotent. */
  start(): void;
  /** Stops the schedule and aborts a pull under way (nothing half-applied); resolves when idle. */
  stop(): Promise<void>;
  readonly running: boolean;
  /** Consecutive failures so far. */
  readonly failures: number;
}

class Failure extends Error {
  constructor(message: string, readonly transient: boolean, readonly retryAfterMs: number | null = null) { super(message); }
}

/** FeedError codes that retrying will not fix. */
const PERMANENT_FEED_ERRORS = new Set(['EMPTY']);

class Puller implements CachePuller {
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly retryBaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly random: () => number;
  private inFlight: Promise<FeedStatus> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private abort: AbortController | null = null;
  private started = false;
  private failed = 0;

  constructor(private readonly o: CachePullerOptions) {
    this.clock = o.clock ?? systemClock;
    this.intervalMs = o.intervalMs ?? 60_000;
    this.retryBaseMs = o.retryBaseMs ?? 2_000;
    this.maxBackoffMs = o.maxBackoffMs ?? 600_000;
    this.random = o.random ?? Math.random;
    for (const [name, v] of [['intervalMs', this.intervalMs], ['retryBaseMs', this.retryBaseMs], ['maxBackoffMs', this.maxBackoffMs]] as const) {
      if (!Number.isFinite(v) || v < 1) throw new RangeError(`${name} must be a positive number of ms, got ${v}`);
    }
  }

  get running(): boolean { return this.started; }
  get failures(): number { return this.failed; }

  pullOnce(): Promise<FeedStatus> {
    if (this.inFlight === null) {
      this.inFlight = this.pull().finally(() => { this.inFlight = null; });
    }
    return this.inFlight;
  }

  private emit(status: FeedStatus): void {
    try {
      this.o.onStatus?.(status);
    } catch {
      // A listener's bug must not stop the cache from syncing.
    }
  }

  private async pull(): Promise<FeedStatus> {
    const started = performance.now();
    const abort = new AbortController();
    this.abort = abort;
    const { cursor, hasSnapshot } = feedCursor(this.o.db);
    let attempt: 'full' | 'delta' = hasSnapshot && cursor !== null ? 'delta' : 'full';
    let resync: string | null = null;
    let status: FeedStatus;
    try {
      let result = attempt === 'delta' ? await this.fetchAndImport({ kind: 'delta', from: cursor as string }, abort.signal) : null;
      if (result !== null && typeof result === 'string') {
        resync = result;
        attempt = 'full';
        result = null;
      }
      if (result === null) result = await this.fetchAndImport({ kind: 'snapshot' }, abort.signal);
      if (typeof result === 'string') throw new Failure(`the registry sent no snapshot: ${result}`, true);
      this.failed = 0;
      status = {
        channel: 'feed', ok: true, at: this.clock.now().toISOString(), kind: result.kind, records: result.records, cursor: result.cursor,
        resync, durationMs: performance.now() - started,
      };
    } catch (err) {
      this.failed++;
      const f = classify(err);
      status = {
        channel: 'feed', ok: false, at: this.clock.now().toISOString(), attempt, transient: f.transient,
        error: resync !== null ? `${f.message} (during a full resync: ${resync})` : f.message, retryAfterMs: f.retryAfterMs, nextAttemptInMs: null,
      };
    } finally {
      if (this.abort === abort) this.abort = null;
    }
    if (!status.ok && this.started) status = { ...status, nextAttemptInMs: Math.round(this.delayAfter(status)) };
    this.emit(status);
    return status;
  }

  /** Wait before the next scheduled pull. */
  private delayAfter(status: FeedStatus): number {
    // ±10 % so that many registers do not pull in lock-step.
    if (status.ok) return this.intervalMs * (0.9 + 0.2 * this.random());
    const cap = Math.min(this.maxBackoffMs, this.retryBaseMs * 2 ** Math.min(30, Math.max(0, this.failed - 1)));
    // "Equal jitter": at least half the backoff, never more than all of it; a Retry-After is honoured.
    return Math.max(cap / 2 + (cap / 2) * this.random(), status.retryAfterMs ?? 0);
  }

  /**
   * Fetches one feed and imports it. Returns the import result, or a string saying why a full
   * resync is needed (410, CURSOR_GAP). Throws Failure for everything else.
   */
  private async fetchAndImport(request: FeedRequest, signal: AbortSignal): Promise<{ kind: 'full' | 'delta'; records: number; cursor: string | null } | string> {
    const opened: FeedOpened = await this.o.client.openFeed(request, { signal });
    if (opened.kind === 'gone') return opened.reason;
    if (opened.kind === 'failed') throw new Failure(opened.reason, opened.transient, opened.retryAfterMs);
    try {
      const r = await importFeed(this.o.db, opened.body, {
        full: request.kind === 'snapshot', signal, clock: this.clock, ...(this.o.batchSize !== undefined ? { batchSize: this.o.batchSize } : {}),
      });
      return { kind: r.kind, records: r.records, cursor: r.cursor };
    } catch (err) {
      opened.body.destroy();
      // A stream import cannot resume: drop what it staged (the live cache was never touched).
      const row = importRow(this.o.db);
      if (row !== undefined && row.source === '-') abandonImport(this.o.db);
      if (err instanceof FeedError && err.code === 'CURSOR_GAP') return err.message;
      throw err;
    }
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  private schedule(ms: number): void {
    if (!this.started) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.pullOnce().then((status) => {
        if (!this.started) return;
        this.schedule(!status.ok && status.nextAttemptInMs !== null ? status.nextAttemptInMs : this.delayAfter(status));
      });
    }, ms);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.abort?.abort();
    if (this.inFlight !== null) await this.inFlight;
  }
}

function classify(err: unknown): { message: string; transient: boolean; retryAfterMs: number | null } {
  if (err instanceof Failure) return { message: err.message, transient: err.transient, retryAfterMs: err.retryAfterMs };
  if (err instanceof FeedError) {
    return { message: `the feed was refused: ${err.message}`, transient: !PERMANENT_FEED_ERRORS.has(err.code), retryAfterMs: null };
  }
  const e = err as { transient?: unknown; code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  // Transfer errors (connection reset, cut off, idle) and anything unknown: retry with backoff.
  return { message: `feed transfer failed: ${message}${code}`, transient: e?.transient !== false, retryAfterMs: null };
}

/** The cache puller service (see the module comment for its invariants). */
export function createCachePuller(options: CachePullerOptions): CachePuller {
  return new Puller(options);
}
