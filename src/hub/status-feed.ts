/**
 * One status download per store (issue 19): the store's copy of the feed is fetched once (by the
 * lane that leads, status-download.ts, or by hand with `tanba hub publish-status`) and published
 * once to the store stream (`tanba.status.<store>`); every lane follows that subject and applies
 * each feed in order, remembering in SQLite (hub_applied) how far it got — so a lane started
 * later, or one that was off for a day, catches up from the stream, not from the registry.
 *
 * A feed is one message (a small delta) or several parts (headers `Tanba-Feed` = the feed's id,
 * `Tanba-Part` = 1.., `Tanba-Last` on the last one, `Tanba-Kind` full | delta): a snapshot is far
 * bigger than a NATS message. The parts are streamed into the import as they arrive; the applied
 * sequence moves only when the last part is committed, so a lane restarted mid-feed starts that
 * feed again from its first part.
 */
import { PassThrough, Readable } from 'node:stream';
import { DeliverPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { feedCursor, hubAppliedSeq, setHubAppliedSeq, type Db } from '../store/index.ts';
import { statusSubject, storeStream } from './names.ts';
import { baseToStartFrom, FEED_HEADERS, isOffStream, publishBase, setOffStream } from './status-base.ts';

/** Applies one feed (NDJSON, the lines of `tanba cache import`) to the lane's cache; `full` for a snapshot. */
export type ApplyStatus = (body: Readable, full: boolean) => Promise<void>;

export { FEED_HEADERS };

const isSnapshotText = (text: string): boolean => text.trimStart().startsWith('{"type":"snapshot"');

/** Publishes one delta (or a small snapshot, then marked as a base) to the store's stream as a single message; returns its stream sequence. */
export async function publishStatusDelta(js: JetStreamClient, store: string, ndjson: string, id?: string): Promise<number> {
  const ack = await js.publish(statusSubject(store), ndjson, { timeout: 10_000, ...(id ? { msgID: id } : {}) });
  if (isSnapshotText(ndjson) && !ack.duplicate) await publishBase(js, store, { seq: ack.seq, feed: '', startedAfter: ack.seq - 1 });
  return ack.seq;
}

/** How far a lane's follower got (the leader downloads only when its own lane is caught up). */
export interface FollowerState {
  /** The stream sequence of the last status message handled (applied, or skipped as unusable). */
  seen: number;
  /** A feed in parts whose last part has not arrived: its id and when its latest part came (ms). */
  open: { id: string; lastPartAt: number } | null;
  /** The follower stopped because a feed did not apply (the lane must not lead the download). */
  failed: boolean;
  /** The follower reads the stream (false before it found where to start, e.g. while it waits for a snapshot, and after it stopped). */
  reading: boolean;
}

/** A new follower state (nothing seen). */
export const newFollowerState = (): FollowerState => ({ seen: 0, open: null, failed: false, reading: false });

/** What {@link followStatus} needs. */
export interface FollowDeps {
  db: Db;
  jsm: JetStreamManager;
  lane: string;
  apply: ApplyStatus;
  now(): string;
  warn(m: string, e?: unknown): void;
  signal: AbortSignal;
  state?: FollowerState;
  /** How often a lane waiting for a snapshot looks for one (default 1 s). */
  pollMs?: number;
}

/**
 * Where the lane's follower starts: after the last sequence it applied, unless its cache holds no
 * snapshot, the stream dropped messages it never read (it was away longer than the stream keeps
 * them), or it pulled the feed itself meanwhile — then at a snapshot (status-base.ts), waiting
 * for one when none will do. Null when `signal` aborted first.
 */
async function startSeq(js: JetStreamClient, store: string, deps: FollowDeps): Promise<number | null> {
  const applied = hubAppliedSeq(deps.db, storeStream(store));
  const offStream = isOffStream(deps.db, store);
  const firstSeq = (await deps.jsm.streams.info(storeStream(store))).state.first_seq;
  if (!offStream && feedCursor(deps.db).hasSnapshot && applied + 1 >= firstSeq) return applied + 1;
  return baseToStartFrom({
    jsm: deps.jsm, js, store, lane: deps.lane, applied, offStream, pollMs: deps.pollMs ?? 1_000, signal: deps.signal,
    waiting: (why) => deps.warn(`status feeds of ${store}: ${why}`),
  });
}

interface OpenFeed { id: string; part: number; full: boolean; input: PassThrough; done: Promise<void> }

/** Follows the store's status feeds from where this lane stopped; resolves when `signal` aborts or a feed fails. */
export async function followStatus(js: JetStreamClient, store: string, deps: FollowDeps): Promise<void> {
  const stream = storeStream(store);
  const state = deps.state ?? newFollowerState();
  state.reading = false;
  const from = await startSeq(js, store, deps);
  if (from === null || deps.signal.aborted) return;
  state.seen = from - 1;
  const consumer = await js.consumers.get(stream, {
    filter_subjects: statusSubject(store), deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from,
  });
  const messages = await consumer.consume();
  state.reading = true;
  try {
    await readFeeds(messages, stream, store, deps, state);
  } finally {
    state.reading = false;
  }
}

async function readFeeds(messages: ConsumerMessages, stream: string, store: string, deps: FollowDeps, state: FollowerState): Promise<void> {
  let open: OpenFeed | null = null;
  /** Ends the feed in progress; resolves when its import gave up (and released the cache's import lease). */
  const drop = async (why: string): Promise<void> => {
    if (open === null) return;
    const dropped = open;
    open = null;
    state.open = null;
    dropped.input.destroy(new Error(why));
    await dropped.done.catch(() => undefined);
  };
  deps.signal.addEventListener('abort', () => { void drop('the lane stopped'); void messages.close(); }, { once: true });
  const applied = (m: JsMsg, full: boolean): void => {
    setHubAppliedSeq(deps.db, stream, m.seq, deps.now());
    // A snapshot from the stream puts a lane that pulled the feed itself back on the store's feeds.
    if (full) setOffStream(deps.db, store, false, deps.now());
    state.seen = m.seq;
  };
  for await (const m of messages) {
    try {
      const id = m.headers?.get(FEED_HEADERS.id) ?? '';
      if (id === '') {
        // One whole feed (a delta published by `tanba hub publish-status`).
        await drop('a new feed started');
        const text = m.string();
        const full = isSnapshotText(text);
        await deps.apply(Readable.from([text]), full);
        applied(m, full);
        continue;
      }
      const part = Number(m.headers?.get(FEED_HEADERS.part));
      if (part === 1) {
        await drop(`feed ${id} replaced the one in progress`);
        const input = new PassThrough();
        const full = m.headers?.get(FEED_HEADERS.kind) === 'full';
        open = { id, part: 0, full, input, done: deps.apply(input, full) };
        // An import that fails early must not leave the writes below waiting for a drain.
        open.done.catch(() => input.resume());
      }
      if (open === null || open.id !== id || part !== open.part + 1) {
        // A part of a feed whose start this lane never saw (its publisher stopped half-way): unusable.
        state.seen = m.seq;
        if (open === null) setHubAppliedSeq(deps.db, stream, m.seq, deps.now());
        continue;
      }
      open.part = part;
      state.open = { id, lastPartAt: Date.now() };
      if (!open.input.write(m.data)) await new Promise<void>((resolve) => { open?.input.once('drain', resolve); open?.done.then(resolve, resolve); });
      if (m.headers?.get(FEED_HEADERS.last) === '1') {
        const finished = open;
        open.input.end();
        open = null;
        state.open = null;
        await finished.done;
        applied(m, finished.full);
      } else {
        state.seen = m.seq;
      }
    } catch (err) {
      // The lane stopped (or left the stream) half-way through a feed: not a feed that failed.
      if (deps.signal.aborted) return;
      // A feed that does not apply (cursor gap, bad record) is not skipped: stop and say so.
      deps.warn(`status feed at ${m.seq} of ${stream} did not apply; the lane keeps its cache and retries on restart`, err);
      state.failed = true;
      await drop('the follower stopped');
      // Not awaited: close() settles when this loop ends, which it cannot while this awaits it.
      void messages.close();
      return;
    }
  }
}

/** A lane's follower of the store's status feeds that can stop (the lane pulls the feed itself) and start again. */
export interface StatusFollowing {
  /** Shared with the download leader (it downloads only when this lane is caught up). */
  readonly state: FollowerState;
  /** Starts following (nothing when it already follows, or while the lane has left the store's feeds). */
  start(js: JetStreamClient, jsm: JetStreamManager): void;
  /** The lane pulls the feed itself: stops following until {@link rejoin}. */
  leave(): Promise<void>;
  /** Follows again (at once when `link` is given, else at the next start()). */
  rejoin(link: { js: JetStreamClient; jsm: JetStreamManager } | null): void;
  /** Stops following; resolves when the feed in progress was dropped (the cache's import lease released). */
  stop(): Promise<void>;
}

/** The follower of a lane (see {@link followStatus}). */
export function statusFollowing(store: string, deps: Omit<FollowDeps, 'jsm' | 'signal' | 'state'> & { retryMs?: number }): StatusFollowing {
  const state = newFollowerState();
  let current: { ctl: AbortController; done: Promise<void> } | null = null;
  let left = false;
  const stop = async (): Promise<void> => {
    const c = current;
    current = null;
    if (c === null) return;
    c.ctl.abort();
    await c.done;
  };
  return {
    state,
    start(js, jsm) {
      if (current !== null || left) return;
      Object.assign(state, newFollowerState());
      const ctl = new AbortController();
      const done = followStatus(js, store, { ...deps, jsm, signal: ctl.signal, state }).catch((err: unknown) => {
        // A request that failed (the store's NATS flapping) is transient: start again soon.
        deps.warn('following the store status deltas stopped; trying again', err);
        setTimeout(() => {
          if (current?.ctl !== ctl || ctl.signal.aborted) return;
          current = null;
          this.start(js, jsm);
        }, deps.retryMs ?? 2_000).unref();
      });
      current = { ctl, done };
    },
    stop,
    async leave() {
      left = true;
      await stop();
    },
    rejoin(link) {
      left = false;
      if (link !== null) this.start(link.js, link.jsm);
    },
  };
}
