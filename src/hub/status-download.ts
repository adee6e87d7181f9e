/**
 * One status download per store (issue 19): of all the lanes of a store, the one holding the
 * store's download lock (a key in the KV bucket `tanba_lead_<store>`, created if absent, renewed
 * every third of its lifetime, gone when its lane stops renewing it) fetches the feed from the
 * registry on schedule and publishes it once to the store stream (status-feed.ts), which every
 * lane — the leader too — applies. The leader downloads only when its own lane has applied every
 * feed already in the stream, so it asks the registry for what comes after the store's cursor.
 *
 * The body is spooled to a temporary file first: a transfer cut off half-way is never published.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { headers as natsHeaders } from '@nats-io/transport-node';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { feedCursor, type Db } from '../store/index.ts';
import { statusSubject, storeStream } from './names.ts';
import { FEED_HEADERS, type FollowerState } from './status-feed.ts';
import { publishBase, snapshotDue, streamLastSeq } from './status-base.ts';

/** Which feed to fetch: the full snapshot, or the changes after a cursor. */
export type StatusRequest = { kind: 'snapshot' } | { kind: 'delta'; from: string };

/** What the registry answered. */
export type StatusAnswer =
  | { kind: 'stream'; body: Readable }
  /** The cursor is unknown or too old: a snapshot is needed. */
  | { kind: 'gone'; reason: string }
  | { kind: 'failed'; reason: string; transient: boolean };

/** The registry's status feed as the hub sees it (the register adapts its marking client). */
export interface StatusSource {
  open(request: StatusRequest, signal: AbortSignal): Promise<StatusAnswer>;
}

/** What one download did. */
export type DownloadResult =
  | { ok: true; kind: 'full' | 'delta'; published: boolean; parts: number; bytes: number; seq: number | null; durationMs: number }
  /** `behind`: the lane had not applied every feed of the store yet (it tries again soon). */
  | { ok: false; reason: string; transient: boolean; behind?: true };

/** Bytes per message: under nats-server's default 1 MB max_payload with room for headers. */
export const FEED_PART_BYTES = 512 * 1024;

/** The KV bucket of a store's download lock. */
export const leadBucket = (store: string): string => `tanba_lead_${store}`;
const LOCK_KEY = 'status_download';

/** A lane's hold on the store's download lock. */
export interface DownloadLock {
  /** Takes the lock, or renews it when held; false when another lane holds it. Calls made while one is in flight share it. */
  acquire(): Promise<boolean>;
  /** One attempt of {@link acquire} (not shared). */
  renew(): Promise<boolean>;
  /** Gives it up (another lane takes it at once). */
  release(): Promise<void>;
  readonly held: boolean;
  /** The lane holding it now (any lane's view), or null. */
  holder(): Promise<string | null>;
}

/** The lock over the store's lead bucket (its max age is the lock's lifetime). */
export function downloadLock(kv: KV, lane: string): DownloadLock {
  let revision: number | null = null;
  // One renewal at a time: a second update with the same revision would fail and drop a lock still held.
  let renewing: Promise<boolean> | null = null;
  return {
    get held() { return revision !== null; },
    async holder() {
      const e = await kv.get(LOCK_KEY);
      return e !== null && e.operation === 'PUT' ? e.string() : null;
    },
    acquire() {
      renewing ??= this.renew().finally(() => { renewing = null; });
      return renewing;
    },
    async renew() {
      if (revision !== null) {
        try {
          revision = await kv.update(LOCK_KEY, lane, revision);
          return true;
        } catch {
          revision = null; // expired and taken by another lane meanwhile
        }
      }
      try {
        revision = await kv.create(LOCK_KEY, lane);
        return true;
      } catch {
        return false;
      }
    },
    async release() {
      if (revision === null) return;
      const r = revision;
      revision = null;
      await kv.delete(LOCK_KEY, { previousSeq: r }).catch(() => undefined);
    },
  };
}

/** Is the lane's follower up to date with the store's status feeds (so that its cursor is the store's)? */
async function caughtUp(jsm: JetStreamManager, store: string, state: FollowerState, staleMs: number): Promise<boolean> {
  if (state.failed || !state.reading) return false;
  // A feed whose publisher stopped half-way never ends: after staleMs it no longer holds the store up.
  if (state.open !== null && Date.now() - state.open.lastPartAt < staleMs) return false;
  const last = await jsm.streams.getMessage(storeStream(store), { last_by_subj: statusSubject(store) }).catch(() => null);
  return last === null || state.seen >= last.seq;
}

async function spool(body: Readable, file: string): Promise<number> {
  let bytes = 0;
  body.on('data', (c: Buffer) => { bytes += c.length; });
  await pipeline(body, createWriteStream(file));
  return bytes;
}

/** A delta that brings nothing (only its header and the cursor it started from) is not worth a message. */
async function emptyDelta(file: string, bytes: number, from: string): Promise<boolean> {
  if (bytes > 4_096) return false;
  const chunks: Buffer[] = [];
  for await (const c of createReadStream(file)) chunks.push(c as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.length === 2 && lines[1] === JSON.stringify({ type: 'cursor', cursor: from });
}

/** Publishes a spooled feed in parts; its id and the stream sequences of its first and last part. */
export async function publishFeedFile(js: JetStreamClient, store: string, file: string, kind: 'full' | 'delta'): Promise<{ id: string; parts: number; firstSeq: number; seq: number }> {
  const id = randomUUID();
  let part = 0;
  let seq = 0;
  let firstSeq = 0;
  let pending: Buffer | null = null;
  const send = async (data: Buffer, last: boolean): Promise<void> => {
    part++;
    const h = natsHeaders();
    h.set(FEED_HEADERS.id, id);
    h.set(FEED_HEADERS.part, String(part));
    h.set(FEED_HEADERS.kind, kind);
    if (last) h.set(FEED_HEADERS.last, '1');
    seq = (await js.publish(statusSubject(store), data, { headers: h, msgID: `${id}.${part}`, timeout: 10_000 })).seq;
    if (part === 1) firstSeq = seq;
  };
  // One part held back: the last one carries Tanba-Last.
  for await (const chunk of createReadStream(file, { highWaterMark: FEED_PART_BYTES })) {
    if (pending !== null) await send(pending, false);
    pending = chunk as Buffer;
  }
  await send(pending ?? Buffer.alloc(0), true);
  return { id, parts: part, firstSeq, seq };
}

/** What {@link downloadOnce} needs. */
export interface DownloadDeps {
  db: Db;
  js: JetStreamClient;
  jsm: JetStreamManager;
  store: string;
  source: StatusSource;
  follower: FollowerState;
  /** How long a half-published feed holds the store up (ms). */
  staleMs: number;
  signal: AbortSignal;
  /** A fresh snapshot for the store's base (status-base.ts): needs no cursor, so the lane need not be caught up. */
  snapshot?: boolean;
}

/**
 * One download by the leading lane: fetch after the store's cursor (or a snapshot) and publish it;
 * a snapshot is followed by its base marker.
 */
export async function downloadOnce(deps: DownloadDeps): Promise<DownloadResult> {
  const started = performance.now();
  if (deps.snapshot !== true && !(await caughtUp(deps.jsm, deps.store, deps.follower, deps.staleMs))) {
    return { ok: false, reason: 'this lane has not applied every status feed of the store yet', transient: true, behind: true };
  }
  // Every request for a snapshot stored up to here is answered by this download.
  const startedAfter = await streamLastSeq(deps.jsm, deps.store);
  const { cursor, hasSnapshot } = feedCursor(deps.db);
  let request: StatusRequest = deps.snapshot !== true && hasSnapshot && cursor !== null ? { kind: 'delta', from: cursor } : { kind: 'snapshot' };
  let answer = await deps.source.open(request, deps.signal);
  if (answer.kind === 'gone') {
    request = { kind: 'snapshot' };
    answer = await deps.source.open(request, deps.signal);
  }
  if (answer.kind !== 'stream') return { ok: false, reason: answer.reason, transient: answer.kind === 'gone' || answer.transient };
  const dir = mkdtempSync(join(tmpdir(), 'tanba-feed-'));
  try {
    const file = join(dir, 'feed.ndjson');
    let bytes: number;
    try {
      bytes = await spool(answer.body, file);
    } catch (err) {
      return { ok: false, reason: `feed transfer failed: ${(err as Error).message}`, transient: true };
    }
    const kind = request.kind === 'snapshot' ? 'full' : 'delta';
    if (request.kind === 'delta' && await emptyDelta(file, bytes, request.from)) return { ok: true, kind, published: false, parts: 0, bytes, seq: null, durationMs: performance.now() - started };
    const { id, parts, firstSeq, seq } = await publishFeedFile(deps.js, deps.store, file, kind);
    if (kind === 'full') await publishBase(deps.js, deps.store, { seq: firstSeq, feed: id, startedAfter });
    return { ok: true, kind, published: true, parts, bytes, seq, durationMs: performance.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the leader needs of the lane's live link. */
export interface LeaderLive { conn: { connected(): boolean }; js: JetStreamClient; jsm: JetStreamManager; lock: DownloadLock }

/** The lane's part in the store's one status download: keep (or take) the lead, download when due. */
export function downloadLeader(deps: {
  db: Db; store: string; servers: readonly string[]; source: StatusSource | undefined; intervalMs: number; leaseSeconds: number; follower: FollowerState;
  signal: AbortSignal; live: () => LeaderLive | null; onDownload?: (r: DownloadResult) => void; warn: (m: string, e?: unknown) => void;
}): { download(snapshot?: boolean): Promise<DownloadResult>; tick(): Promise<void>; idle(): Promise<void> } {
  let downloading: Promise<DownloadResult> | null = null;
  let deciding = false;
  let lastDownloadAt = 0;
  function download(snapshot = false): Promise<DownloadResult> {
    const l = deps.live();
    const source = deps.source;
    if (source === undefined) return Promise.resolve({ ok: false, reason: 'no status feed is configured', transient: false });
    if (l === null || !l.conn.connected()) return Promise.resolve({ ok: false, reason: `the store NATS (${deps.servers.join(', ')}) is unreachable`, transient: true });
    downloading ??= (async (): Promise<DownloadResult> => {
      if (!(await l.lock.acquire())) return { ok: false, reason: 'another lane of the store leads the status download', transient: true };
      lastDownloadAt = Date.now();
      const r = await downloadOnce({ db: deps.db, js: l.js, jsm: l.jsm, store: deps.store, source, follower: deps.follower, staleMs: deps.leaseSeconds * 2_000, signal: deps.signal, snapshot })
        .catch((err: unknown): DownloadResult => ({ ok: false, reason: `publishing the status feed failed: ${(err as Error).message}`, transient: true }));
      // Behind its own store: try again at the next tick, not after a whole interval.
      if (!r.ok && r.behind) lastDownloadAt = 0;
      // Waiting for its own lane is not a download: not reported (it would be, every tick).
      if (r.ok || !r.behind) try { deps.onDownload?.(r); } catch { /* a listener's bug must not stop the downloads */ }
      return r;
    })().finally(() => { downloading = null; });
    return downloading;
  }
  return {
    download,
    async tick() {
      const l = deps.live();
      if (l === null || !l.conn.connected() || deps.source === undefined) return;
      // A lane whose feeds fail to apply has a cursor of its own: it gives the lead up.
      if (deps.follower.failed) { await l.lock.release(); return; }
      if (!(await l.lock.acquire()) || downloading !== null || deciding) return;
      // The store stream must always hold a snapshot a lane can start from (status-base.ts).
      deciding = true;
      const due = await snapshotDue(l.jsm, deps.store, Date.now()).catch(() => null).finally(() => { deciding = false; });
      if (downloading !== null) return;
      if (due !== null) {
        deps.warn(`publishing a fresh snapshot for the store: ${due}`);
        void download(true);
      } else if (Date.now() - lastDownloadAt >= deps.intervalMs) void download();
    },
    async idle() { await downloading?.catch(() => undefined); },
  };
}
