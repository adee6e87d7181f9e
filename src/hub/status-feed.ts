/**
 * One status download per store (issue 19): the store's copy of the feed is fetched once and each
 * delta (NDJSON, the same lines as `tanba cache import`) is published once to the store stream
 * (`tanba.status.<store>`); every lane follows that subject and applies each delta in order,
 * remembering in SQLite (hub_applied) how far it got — so a lane started later, or one that was
 * off for a day, catches up from the stream, not from the registry.
 */
import { DeliverPolicy, type JetStreamClient } from '@nats-io/jetstream';
import { hubAppliedSeq, setHubAppliedSeq, type Db } from '../store/index.ts';
import { statusSubject, storeStream } from './names.ts';

/** Applies one delta to the lane's cache (the register passes the cache importer). */
export type ApplyStatus = (ndjson: string) => Promise<void>;

/** Publishes one delta to the store's stream; returns its stream sequence. */
export async function publishStatusDelta(js: JetStreamClient, store: string, ndjson: string, id?: string): Promise<number> {
  const ack = await js.publish(statusSubject(store), ndjson, { timeout: 10_000, ...(id ? { msgID: id } : {}) });
  return ack.seq;
}

/** Follows the store's status deltas from where this lane stopped; resolves when `signal` aborts. */
export async function followStatus(js: JetStreamClient, store: string, deps: { db: Db; apply: ApplyStatus; now(): string; warn(m: string, e?: unknown): void; signal: AbortSignal }): Promise<void> {
  const stream = storeStream(store);
  const from = hubAppliedSeq(deps.db, stream) + 1;
  const consumer = await js.consumers.get(stream, {
    filter_subjects: statusSubject(store), deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from,
  });
  const messages = await consumer.consume();
  deps.signal.addEventListener('abort', () => { void messages.close(); }, { once: true });
  for await (const m of messages) {
    try {
      await deps.apply(m.string());
      setHubAppliedSeq(deps.db, stream, m.seq, deps.now());
    } catch (err) {
      // A delta that does not apply (cursor gap, bad record) is not skipped: stop and say so.
      deps.warn(`status delta ${m.seq} of ${stream} did not apply; the lane keeps its cache and retries on restart`, err);
      await messages.close();
      return;
    }
  }
}
