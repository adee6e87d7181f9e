/**
 * The journal: append-only, every entry hash-chained to the one before it with SHA-256, so a
 * changed, inserted or deleted past entry is detectable. Entries are written inside the same
 * transaction as the change they describe (the caller's transaction), never on their own.
 *
 * hash = SHA-256(prev_hash || canonicalJson({seq, at, kind, ref, payload})) in lowercase hex;
 * the first entry's prev_hash is 64 zeros.
 */
import { createHash } from 'node:crypto';
import type { Db } from './db-type.ts';
import { prepared } from './cache-codes.ts';

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** A journal entry as stored. `payload` is parsed JSON. */
export interface JournalEntry {
  seq: number;
  at: string;
  kind: string;
  ref: string | null;
  payload: unknown;
  prevHash: string;
  hash: string;
}

/** Result of {@link verifyJournal}. */
export type JournalVerification =
  | { ok: true; count: number; lastHash: string }
  | { ok: false; count: number; brokenAt: number; reason: string };

/**
 * JSON with object keys sorted at every level and no whitespace: the same value always gives the
 * same bytes, so the hash does not depend on property order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('canonicalJson: non-finite number');
    if (value === undefined) return 'null';
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The hash of one entry given its predecessor's hash. */
export function entryHash(prevHash: string, entry: { seq: number; at: string; kind: string; ref: string | null; payload: unknown }): string {
  const body = canonicalJson({ seq: entry.seq, at: entry.at, kind: entry.kind, ref: entry.ref, payload: entry.payload });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

interface JournalRow { seq: number; at: string; kind: string; ref: string | null; payload: string; prev_hash: string; hash: string }

/**
 * Appends one entry. Must run inside the caller's write transaction (an IMMEDIATE one), so the
 * read of the last hash and the insert cannot interleave with another writer.
 */
export function appendJournal(db: Db, entry: { at: string; kind: string; ref: string | null; payload: unknown }): JournalEntry {
  if (!db.inTransaction) throw new Error('appendJournal must run inside the transaction of the change it records');
  const last = prepared(db, 'SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string } | undefined;
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Round-trip through canonical JSON so what is hashed is exactly what is stored.
  const payloadText = canonicalJson(entry.payload);
  const payload = JSON.parse(payloadText) as unknown;
  const hash = entryHash(prevHash, { seq, at: entry.at, kind: entry.kind, ref: entry.ref, payload });
  prepared(db, 'INSERT INTO journal (seq, at, kind, ref, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(seq, entry.at, entry.kind, entry.ref, payloadText, prevHash, hash);
  // The head seq kept beside the chain: deleting the newest entries leaves a valid-looking
  // shorter chain, which only this counter reveals.
  prepared(db, "INSERT INTO counters (name, value) VALUES ('journal_head', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value").run(seq);
  return { seq, at: entry.at, kind: entry.kind, ref: entry.ref, payload, prevHash, hash };
}

/** Entries in order, optionally from a seq on. */
export function listJournal(db: Db, options: { fromSeq?: number; limit?: number } = {}): JournalEntry[] {
  const rows = prepared(db, 'SELECT * FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?')
    .all(options.fromSeq ?? 0, options.limit ?? -1) as JournalRow[];
  return rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, ref: r.ref, payload: JSON.parse(r.payload) as unknown, prevHash: r.prev_hash, hash: r.hash }));
}

/**
 * Walks the whole chain and names the first broken link: a gap in seq (deleted entry), a
 * prev_hash that is not the previous entry's hash, a hash that does not match the content, or a
 * payload that is not valid JSON.
 */
export function verifyJournal(db: Db): JournalVerification {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  for (const r of prepared(db, 'SELECT * FROM journal ORDER BY seq').iterate() as IterableIterator<JournalRow>) {
    if (r.seq !== expectedSeq) {
      return { ok: false, count, brokenAt: r.seq, reason: `entry ${expectedSeq}${r.seq > expectedSeq + 1 ? `..${r.seq - 1}` : ''} is missing (deleted?)` };
    }
    if (r.prev_hash !== prevHash) {
      return { ok: false, count, brokenAt: r.seq, reason: `prev_hash does not match the hash of entry ${r.seq - 1}` };
    }
    let payload: unknown;
    try {
      payload = JSON.parse(r.payload);
    } catch {
      return { ok: false, count, brokenAt: r.seq, reason: 'payload is not valid JSON' };
    }
    const hash = entryHash(prevHash, { seq: r.seq, at: r.at, kind: r.kind, ref: r.ref, payload });
    if (hash !== r.hash) return { ok: false, count, brokenAt: r.seq, reason: 'content does not match its hash (entry changed)' };
    prevHash = r.hash;
    expectedSeq++;
    count++;
  }
  const head = prepared(db, "SELECT value FROM counters WHERE name = 'journal_head'").pluck().get() as number | undefined;
  if (head !== undefined && head !== count) {
    return head > count
      ? { ok: false, count, brokenAt: count + 1, reason: `entries ${count + 1}..${head} are missing (journal head says ${head})` }
      : { ok: false, count, brokenAt: head + 1, reason: `entries after ${head} were added outside the journal writer` };
  }
  return { ok: true, count, lastHash: prevHash };
}
