/**
 * The store stream always holds a usable base (issue 19): a snapshot a lane can start from, so a
 * lane started at any time — or one that was away longer than the stream keeps messages, or one
 * that pulled the feed itself while the store's NATS was down — catches up from the stream, never
 * from the registry, while some lane leads the store's download.
 *
 * - Every snapshot published to `tanba.status.<store>` is followed by a marker on
 *   `tanba.status.<store>.base`: `{seq, feed, startedAfter}` = the stream sequence of its first
 *   part, its feed id, and the stream's last sequence when its download started. A lane reads the
 *   last marker (one request) and checks it against the stream: the first part must still be there.
 * - The leading lane publishes a fresh snapshot when there is no usable base, when the base is older
 *   than half the stream's max age (so it never ages out first), or when a lane asked for one after
 *   the base's download had started: a request is a message on `tanba.status.<store>.rebase`, and
 *   its stream sequence orders it against the markers' `startedAfter` — no clocks compared.
 */
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager, StoredMsg } from '@nats-io/jetstream';
import * as z from 'zod';
import { setHubAppliedSeq, hubAppliedSeq, type Db } from '../store/index.ts';
import { baseSubject, rebaseSubject, storeStream } from './names.ts';

/** Headers of a feed published in parts (status-feed.ts re-exports them). */
export const FEED_HEADERS = { id: 'Tanba-Feed', part: 'Tanba-Part', last: 'Tanba-Last', kind: 'Tanba-Kind' } as const;

/** A snapshot in the store stream that a lane can start from. */
export interface StatusBase {
  /** Stream sequence of its first part (or of the one message). */
  seq: number;
  /** Its feed id ('' for a one-message snapshot published by hand). */
  feed: string;
  /** The stream's last sequence when its download started: it answers every request at or below it. */
  startedAfter: number;
  /** When the marker was stored (server time). */
  at: Date;
}

const markerSchema = z.object({ seq: z.number().int().positive(), feed: z.string(), startedAfter: z.number().int().nonnegative() });

/** Publishes the marker of a snapshot just published. */
export async function publishBase(js: JetStreamClient, store: string, base: { seq: number; feed: string; startedAfter: number }): Promise<void> {
  await js.publish(baseSubject(store), JSON.stringify(markerSchema.parse(base)), { timeout: 10_000 });
}

/** The stream's last sequence now (what a download that starts now follows). */
export async function streamLastSeq(jsm: JetStreamManager, store: string): Promise<number> {
  return (await jsm.streams.info(storeStream(store))).state.last_seq;
}

/** null when there is no such message; a failed request throws (a timeout must not read as "no snapshot" and cause a download). */
const getMessage = (jsm: JetStreamManager, store: string, query: { seq: number } | { last_by_subj: string }): Promise<StoredMsg | null> =>
  jsm.streams.getMessage(storeStream(store), query);

/** Is the message at the marker's sequence still the start of that snapshot? */
function startsSnapshot(m: StoredMsg, feed: string): boolean {
  if (feed === '') return m.header.get(FEED_HEADERS.id) === '' && m.string().trimStart().startsWith('{"type":"snapshot"');
  return m.header.get(FEED_HEADERS.id) === feed && m.header.get(FEED_HEADERS.part) === '1' && m.header.get(FEED_HEADERS.kind) === 'full';
}

/** The latest usable base, or null (none published, its marker unreadable, or its first part aged out). */
export async function latestBase(jsm: JetStreamManager, store: string): Promise<StatusBase | null> {
  const marker = await getMessage(jsm, store, { last_by_subj: baseSubject(store) });
  if (marker === null) return null;
  let parsed: z.infer<typeof markerSchema>;
  try {
    parsed = markerSchema.parse(marker.json());
  } catch {
    return null;
  }
  const first = await getMessage(jsm, store, { seq: parsed.seq });
  if (first === null || !startsSnapshot(first, parsed.feed)) return null;
  return { ...parsed, at: marker.time };
}

/** Asks the leading lane for a snapshot newer than anything published so far; the request's stream sequence. */
export async function requestBase(js: JetStreamClient, store: string, lane: string): Promise<number> {
  const h = natsHeaders();
  h.set('Tanba-Lane', lane);
  return (await js.publish(rebaseSubject(store), JSON.stringify({ lane }), { headers: h, timeout: 10_000 })).seq;
}

/** Why the leader must publish a fresh snapshot now, or null when the base in the stream will do. */
export async function snapshotDue(jsm: JetStreamManager, store: string, nowMs: number): Promise<string | null> {
  const base = await latestBase(jsm, store);
  if (base === null) return 'the store stream holds no usable snapshot';
  const maxAgeMs = (await jsm.streams.info(storeStream(store))).config.max_age / 1_000_000;
  if (maxAgeMs > 0 && nowMs - base.at.getTime() > maxAgeMs / 2) return 'the snapshot in the store stream is half-way to ageing out';
  const asked = await getMessage(jsm, store, { last_by_subj: rebaseSubject(store) });
  if (asked !== null && asked.seq > base.startedAfter) return `lane ${asked.header.get('Tanba-Lane') || '?'} asked for a fresh snapshot`;
  return null;
}

/** The hub_applied key marking a lane whose cache moved off the store's feeds (it pulled the feed itself). */
export const offStreamKey = (store: string): string => `${storeStream(store)}:off-stream`;

/** Marks (or clears) that the lane's cache left the store's chain of feeds. */
export function setOffStream(db: Db, store: string, off: boolean, at: string): void {
  setHubAppliedSeq(db, offStreamKey(store), off ? 1 : 0, at);
}

/** Whether the lane's cache left the store's chain of feeds (it must rebase on a fresh snapshot). */
export const isOffStream = (db: Db, store: string): boolean => hubAppliedSeq(db, offStreamKey(store)) === 1;

/** What {@link baseToStartFrom} needs. */
export interface BaseWait {
  jsm: JetStreamManager;
  js: JetStreamClient;
  store: string;
  lane: string;
  /** The last stream sequence the lane applied. */
  applied: number;
  /** The lane pulled the feed itself: only a snapshot downloaded after its request will do. */
  offStream: boolean;
  pollMs: number;
  signal: AbortSignal;
  /** Told once when the lane starts waiting (why). */
  waiting(why: string): void;
}

/** Waits until the stream holds a base the lane can start from; its first sequence, or null when `signal` aborted. */
export async function baseToStartFrom(w: BaseWait): Promise<number | null> {
  const minStartedAfter = w.offStream ? await requestBase(w.js, w.store, w.lane) : 0;
  let told = false;
  while (!w.signal.aborted) {
    const base = await latestBase(w.jsm, w.store).catch(() => null);
    if (base !== null && base.seq > w.applied && base.startedAfter >= minStartedAfter) return base.seq;
    if (!told) {
      told = true;
      w.waiting(w.offStream ? 'waiting for a snapshot downloaded after this lane\'s own pulls' : 'waiting for a snapshot in the store stream');
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, w.pollMs);
      w.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
  }
  return null;
}
