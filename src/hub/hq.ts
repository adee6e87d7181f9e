/**
 * Head office's view (issue 19): every store and register from the hub's `TANBA_HQ` stream —
 * the last heartbeat of each register (its registry queue, hours left before the offline limit,
 * refusals in the last hour, unguarded sales, conflicts), when it was last seen, and how many of
 * its documents reached head office. `tanba hq status` prints it; `tanba hq serve` shows it.
 *
 * Built for a chain (5,000 stores × 10 lanes): the server filters, the client never walks the
 * stream. The heartbeats come from one ordered consumer delivering the last message per subject
 * of `tanba.hb.>`; the drill-down reads one register's subjects (`tanba.doc.<store>.<register>.>`)
 * through a filtered ordered consumer, newest page only, its start found by a binary search on
 * the server's filtered pending count (docs/scale.md has the measurements).
 */
import { AckPolicy, DeliverPolicy, jetstreamManager, type Consumer, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import * as z from 'zod';
import { openStoreConnection, type NatsTarget } from './connection.ts';
import { HQ_HB_STREAM, HQ_STREAM } from './names.ts';

const heartbeatSchema = z.object({
  store: z.string(), register: z.string(), at: z.string(),
  queue: z.number().optional(), oldestUndelivered: z.string().nullable().optional(), hoursLeft: z.number().nullable().optional(),
  mode: z.string().optional(), salesAllowed: z.boolean().optional(), refusalsLastHour: z.record(z.string(), z.number()).optional(),
  hubQueue: z.number().optional(), unguarded: z.number().optional(), conflicts: z.number().optional(),
}).passthrough();

const documentSchema = z.object({ id: z.string(), kind: z.string(), seq: z.number(), at: z.string() }).passthrough();

/** One register as head office sees it. */
export interface HqRegister {
  id: string;
  /** Documents waiting for the registry (OFD) at the last heartbeat. */
  queue: number | null;
  oldestUndelivered: string | null;
  hoursLeft: number | null;
  mode: string | null;
  refusalsLastHour: Record<string, number>;
  unguarded: number;
  conflicts: number;
  /** Documents waiting to leave the lane for head office. */
  hubQueue: number | null;
  /** Documents (sales, returns, shift closes, conflicts) that reached head office. */
  documents: number;
  /** Time of the last heartbeat (the register's clock). */
  lastSeen: string | null;
}

/** Every store. */
export interface HqStatus { at: string; stores: { id: string; registers: HqRegister[] }[] }

/** One document that reached head office (the drill-down). */
export interface HqDocument { id: string; kind: string; seq: number; at: string }

/** A page of one register's documents: the newest `limit` before a stream sequence, oldest first. */
export interface HqDocumentPage {
  documents: HqDocument[];
  /** The register's documents at the hub (all pages). */
  total: number;
  /** Pass as `before` for the next older page; null when this page reaches the oldest. */
  older: number | null;
}

/** The newest documents a drill-down shows unless told otherwise (a lane makes ~300 a day). */
export const HQ_DOCUMENTS_PAGE = 1_000;

/** How long a read may take before it is given up (a chain's heartbeats are ~50,000 messages). */
const READ_TIMEOUT_MS = 60_000;

/** A message's JSON, or undefined when it is not JSON (another program's message on our subjects). */
function jsonOf(m: JsMsg): unknown {
  try { return m.json(); } catch { return undefined; }
}

function blank(id: string): HqRegister {
  return { id, queue: null, oldestUndelivered: null, hoursLeft: null, mode: null, refusalsLastHour: {}, unguarded: 0, conflicts: 0, hubQueue: null, documents: 0, lastSeen: null };
}

/**
 * Reads an ordered (ephemeral) consumer until it has delivered what was pending when it was
 * created — or `take` says stop — then deletes it. The server does the filtering.
 */
async function readConsumer(what: string, c: Consumer, take: (m: JsMsg) => boolean): Promise<void> {
  try {
    if ((await c.info(true)).num_pending === 0) return;
    const messages = await c.consume({ max_messages: 1_000, expires: 5_000 });
    const timer = setTimeout(() => { void messages.close(); }, READ_TIMEOUT_MS);
    let done = false;
    try {
      for await (const m of messages) {
        // `pending` is what is left after this message: 0 is the end of what the stream held. Not
        // "the stream's last sequence when we began": a heartbeat replaced while we read comes
        // back later with a new sequence, and stopping at the old end would lose its register.
        if (!take(m) || m.info.pending === 0) { done = true; break; }
      }
    } finally {
      clearTimeout(timer);
      await messages.close();
    }
    if (!done) throw new Error(`reading ${what} from the hub took more than ${READ_TIMEOUT_MS / 1000} s`);
  } finally {
    await c.delete().catch(() => undefined); // it would expire by itself; the hub should not keep it
  }
}

/** Documents per register from the stream's per-subject counts (`tanba.doc.<store>.<register>.<kind>`). */
async function documentCounts(jsm: JetStreamManager): Promise<Map<string, number>> {
  // One entry per register and kind (not per document); nats-server 2.9 answers 100,000 per page
  // and the client asks for the next pages itself (docs/scale.md).
  const subjects = (await jsm.streams.info(HQ_STREAM, { subjects_filter: 'tanba.doc.>' })).state.subjects ?? {};
  const counts = new Map<string, number>();
  for (const [subject, n] of Object.entries(subjects)) {
    const [, , store, id] = subject.split('.');
    if (store === undefined || id === undefined) continue;
    const key = `${store}.${id}`;
    counts.set(key, (counts.get(key) ?? 0) + n);
  }
  return counts;
}

/** Reads the status from the hub's stream through a stream manager. */
export async function hqStatusFrom(jsm: JetStreamManager, now: Date = new Date()): Promise<HqStatus> {
  const stores = new Map<string, Map<string, HqRegister>>();
  const reg = (store: string, id: string): HqRegister => {
    const m = stores.get(store) ?? new Map<string, HqRegister>();
    stores.set(store, m);
    const r = m.get(id) ?? blank(id);
    m.set(id, r);
    return r;
  };
  for (const [key, n] of await documentCounts(jsm)) {
    const [store, id] = key.split('.') as [string, string];
    reg(store, id).documents += n;
  }
  // nats-server 2.9's last-per-subject consumer can report nothing pending while a heartbeat that
  // replaced one ahead of it is still to come (seen under load: 19 of 1,200 registers missing). The
  // stream says how many registers it holds: a short read is read again (newer or the same values).
  const expected = (await jsm.streams.info(HQ_HB_STREAM)).state.num_subjects ?? 0;
  const seen = new Set<string>();
  for (let pass = 0; pass < 3 && (pass === 0 || seen.size < expected); pass++) {
    const beats = await jsm.jetstream().consumers.get(HQ_HB_STREAM, { filter_subjects: 'tanba.hb.>', deliver_policy: DeliverPolicy.LastPerSubject });
    await readConsumer(`${HQ_HB_STREAM} (heartbeats)`, beats, (m) => {
      seen.add(m.subject);
      const parsed = heartbeatSchema.safeParse(jsonOf(m));
      if (!parsed.success) return true; // another program's message on our subject: not a register
      const b = parsed.data;
      // A heartbeat that arrives while reading is delivered again, later: the last one wins.
      Object.assign(reg(b.store, b.register), {
        queue: b.queue ?? null, oldestUndelivered: b.oldestUndelivered ?? null, hoursLeft: b.hoursLeft ?? null, mode: b.mode ?? null,
        refusalsLastHour: b.refusalsLastHour ?? {}, unguarded: b.unguarded ?? 0, conflicts: b.conflicts ?? 0, hubQueue: b.hubQueue ?? null, lastSeen: b.at,
      });
      return true;
    });
  }
  return {
    at: now.toISOString(),
    stores: [...stores.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, m]) => ({ id, registers: [...m.values()].sort((a, b) => a.id.localeCompare(b.id)) })),
  };
}

/** Connects to the hub, reads the status, disconnects. */
export async function hqStatus(target: NatsTarget, options: { timeoutMs?: number } = {}): Promise<HqStatus> {
  const conn = await openStoreConnection(target, { timeoutMs: options.timeoutMs ?? 3_000, reconnect: false, name: 'tanba hq status' });
  try {
    return await hqStatusFrom(await jetstreamManager(conn.nc, { timeout: 5_000 }));
  } finally {
    await conn.close();
  }
}

/** How many messages on `filter` the stream holds from `seq` on: the pending count of a consumer created there (then deleted). */
async function pendingFrom(jsm: JetStreamManager, filter: string, seq: number): Promise<number> {
  const ci = await jsm.consumers.add(HQ_STREAM, {
    filter_subject: filter, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq,
    ack_policy: AckPolicy.None, mem_storage: true, num_replicas: 1, inactive_threshold: 30_000_000_000,
  });
  await jsm.consumers.delete(HQ_STREAM, ci.name).catch(() => undefined);
  return ci.num_pending;
}

/**
 * One register's documents at the hub, a page at a time from the newest: the newest `limit`
 * (default {@link HQ_DOCUMENTS_PAGE}) with a stream sequence below `before`, oldest first.
 * O(log stream) round trips to find where the page starts, then the page itself.
 */
export async function hqDocumentsPageFrom(jsm: JetStreamManager, store: string, register: string, options: { limit?: number; before?: number } = {}): Promise<HqDocumentPage> {
  const limit = options.limit ?? HQ_DOCUMENTS_PAGE;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`documents page limit ${limit}: give a whole number from 1`);
  const filter = `tanba.doc.${store}.${register}.>`;
  const state = (await jsm.streams.info(HQ_STREAM)).state;
  if (state.messages === 0) return { documents: [], total: 0, older: null };
  const end = Math.min(options.before ?? state.last_seq + 1, state.last_seq + 1);
  const after = end > state.last_seq ? 0 : await pendingFrom(jsm, filter, end);
  const count = async (seq: number): Promise<number> => (await pendingFrom(jsm, filter, seq)) - after;
  const open = (seq: number): Promise<Consumer> => jsm.jetstream().consumers.get(HQ_STREAM, { filter_subjects: filter, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq });
  const first = Math.max(state.first_seq, 1);
  // The consumer from the oldest counts them all: a register under one page is read from it directly.
  let c = await open(first);
  const inRange = end > first ? (await c.info(true)).num_pending - after : 0;
  const total = Math.max(inRange, 0) + after;
  if (inRange > limit) {
    await c.delete().catch(() => undefined);
    // The page starts at the last sequence from which `limit` documents remain before `end`.
    let lo = first;
    let hi = end;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if ((await count(mid)) >= limit) lo = mid; else hi = mid;
    }
    c = await open(lo);
  }
  const documents: HqDocument[] = [];
  let firstSeq = 0;
  await readConsumer(`${HQ_STREAM} (${filter})`, c, (m) => {
    if (m.seq >= end) return false;
    const d = documentSchema.safeParse(jsonOf(m));
    if (d.success) {
      if (documents.length === 0) firstSeq = m.seq;
      documents.push({ id: d.data.id, kind: d.data.kind, seq: d.data.seq, at: d.data.at });
    }
    return documents.length < limit;
  });
  return { documents, total, older: inRange > limit ? firstSeq : null };
}

/** One page of a register's documents (see {@link hqDocumentsPageFrom}): connects, reads, disconnects. */
export async function hqDocumentsPage(target: NatsTarget, store: string, register: string, options: { limit?: number; before?: number } = {}): Promise<HqDocumentPage> {
  const conn = await openStoreConnection(target, { timeoutMs: 3_000, reconnect: false, name: 'tanba hq documents' });
  try {
    return await hqDocumentsPageFrom(await jetstreamManager(conn.nc, { timeout: 5_000 }), store, register, options);
  } finally {
    await conn.close();
  }
}

/** The documents that reached head office from one register, in order: its newest {@link HQ_DOCUMENTS_PAGE} (drill-down, tests). */
export async function hqDocuments(target: NatsTarget, store: string, register: string, options: { limit?: number } = {}): Promise<HqDocument[]> {
  return (await hqDocumentsPage(target, store, register, options)).documents;
}
