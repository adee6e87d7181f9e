/**
 * Head office's view (issue 19): every store and register from the hub's `TANBA_HQ` stream —
 * the last heartbeat of each register (its registry queue, hours left before the offline limit,
 * refusals in the last hour, unguarded sales, conflicts), when it was last seen, and how many of
 * its documents reached head office. `tanba hq status` prints it; `tanba hq serve` shows it.
 */
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import * as z from 'zod';
import { openStoreConnection, type NatsTarget } from './connection.ts';
import { HQ_HB_STREAM, HQ_STREAM } from './names.ts';

const heartbeatSchema = z.object({
  store: z.string(), register: z.string(), at: z.string(),
  queue: z.number().optional(), oldestUndelivered: z.string().nullable().optional(), hoursLeft: z.number().nullable().optional(),
  mode: z.string().optional(), salesAllowed: z.boolean().optional(), refusalsLastHour: z.record(z.string(), z.number()).optional(),
  hubQueue: z.number().optional(), unguarded: z.number().optional(), conflicts: z.number().optional(),
}).passthrough();

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

function blank(id: string): HqRegister {
  return { id, queue: null, oldestUndelivered: null, hoursLeft: null, mode: null, refusalsLastHour: {}, unguarded: 0, conflicts: 0, hubQueue: null, documents: 0, lastSeen: null };
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
  const docs = (await jsm.streams.info(HQ_STREAM, { subjects_filter: 'tanba.doc.>' })).state.subjects ?? {};
  for (const [subject, n] of Object.entries(docs)) {
    const [, , store, id] = subject.split('.');
    if (store !== undefined && id !== undefined) reg(store, id).documents += n;
  }
  const beats = (await jsm.streams.info(HQ_HB_STREAM, { subjects_filter: 'tanba.hb.>' })).state.subjects ?? {};
  for (const subject of Object.keys(beats)) {
    const m = await jsm.streams.getMessage(HQ_HB_STREAM, { last_by_subj: subject });
    if (m === null) continue;
    const parsed = heartbeatSchema.safeParse(m.json());
    if (!parsed.success) continue; // another program's message on our subject: not a register
    const b = parsed.data;
    Object.assign(reg(b.store, b.register), {
      queue: b.queue ?? null, oldestUndelivered: b.oldestUndelivered ?? null, hoursLeft: b.hoursLeft ?? null, mode: b.mode ?? null,
      refusalsLastHour: b.refusalsLastHour ?? {}, unguarded: b.unguarded ?? 0, conflicts: b.conflicts ?? 0, hubQueue: b.hubQueue ?? null, lastSeen: b.at,
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

/** The documents that reached head office from one register, in order (drill-down, tests). */
export async function hqDocuments(target: NatsTarget, store: string, register: string): Promise<{ id: string; kind: string; seq: number; at: string }[]> {
  const conn = await openStoreConnection(target, { timeoutMs: 3_000, reconnect: false, name: 'tanba hq documents' });
  try {
    const jsm = await jetstreamManager(conn.nc, { timeout: 5_000 });
    const info = await jsm.streams.info(HQ_STREAM);
    const out: { id: string; kind: string; seq: number; at: string }[] = [];
    for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
      const m = await jsm.streams.getMessage(HQ_STREAM, { seq }).catch(() => null);
      if (m === null || !m.subject.startsWith(`tanba.doc.${store}.${register}.`)) continue;
      const d = m.json<{ id: string; kind: string; seq: number; at: string }>();
      out.push({ id: d.id, kind: d.kind, seq: d.seq, at: d.at });
    }
    return out;
  } finally {
    await conn.close();
  }
}
