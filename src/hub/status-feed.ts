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
import { DeliverPolicy, type JetStreamClient, type JsMsg } from '@nats-io/jetstream';
import { hubAppliedSeq, setHubAppliedSeq, type Db } from '../store/index.ts';
import { statusSubject, storeStream } from './names.ts';

/** Applies one feed (NDJSON, the lines of `tanba cache import`) to the lane's cache; `full` for a snapshot. */
export type ApplyStatus = (body: Readable, full: boolean) => Promise<void>;

/** Headers of a feed published in parts. */
export const FEED_HEADERS = { id: 'Tanba-Feed', part: 'Tanba-Part', last: 'Tanba-Last', kind: 'Tanba-Kind' } as const;

/** Publishes one delta to the store's stream as a single message; returns its stream sequence. */
export async function publishStatusDelta(js: JetStreamClient, store: string, ndjson: string, id?: string): Promise<number> {
  const ack = await js.publish(statusSubject(store), ndjson, { timeout: 10_000, ...(id ? { msgID: id } : {}) });
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
}

/** A new follower state (nothing seen). */
export const newFollowerState = (): FollowerState => ({ seen: 0, open: null, failed: false });

interface OpenFeed { id: string; part: number; input: PassThrough; done: Promise<void> }

/** Follows the store's status feeds from where this lane stopped; resolves when `signal` aborts or a feed fails. */
export async function followStatus(js: JetStreamClient, store: string, deps: { db: Db; apply: ApplyStatus; now(): string; warn(m: string, e?: unknown): void; signal: AbortSignal; state?: FollowerState }): Promise<void> {
  const stream = storeStream(store);
  const state = deps.state ?? newFollowerState();
  const from = hubAppliedSeq(deps.db, stream) + 1;
  state.seen = from - 1;
  const consumer = await js.consumers.get(stream, {
    filter_subjects: statusSubject(store), deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from,
  });
  const messages = await consumer.consume();
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
  const applied = (m: JsMsg): void => {
    setHubAppliedSeq(deps.db, stream, m.seq, deps.now());
    state.seen = m.seq;
  };
  for await (const m of messages) {
    try {
      const id = m.headers?.get(FEED_HEADERS.id) ?? '';
      if (id === '') {
        // One whole feed (a delta published by `tanba hub publish-status`).
        await drop('a new feed started');
        const text = m.string();
        await deps.apply(Readable.from([text]), text.trimStart().startsWith('{"type":"snapshot"'));
        applied(m);
        continue;
      }
      const part = Number(m.headers?.get(FEED_HEADERS.part));
      if (part === 1) {
        await drop(`feed ${id} replaced the one in progress`);
        const input = new PassThrough();
        open = { id, part: 0, input, done: deps.apply(input, m.headers?.get(FEED_HEADERS.kind) === 'full') };
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
        applied(m);
      } else {
        state.seen = m.seq;
      }
    } catch (err) {
      // A feed that does not apply (cursor gap, bad record) is not skipped: stop and say so.
      deps.warn(`status feed at ${m.seq} of ${stream} did not apply; the lane keeps its cache and retries on restart`, err);
      state.failed = true;
      await drop('the follower stopped');
      await messages.close();
      return;
    }
  }
}
