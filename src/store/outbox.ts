/**
 * The outbox to the fiscal data operator. A row is written in the same transaction as the sale,
 * return or shift change it carries (Actual Budget style), holds a self-contained JSON payload,
 * the locally made document id as idempotency key, and `seq` for strict delivery order. The sync
 * worker moves the state: pending -> sending -> delivered, or back to pending with a later
 * next_attempt_at, or blocked (a result that needs a person; never dropped).
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** Fiscal document kinds, as the protocol's operations. */
export type OutboxKind = 'sell' | 'sell_return' | 'close_shift' | 'x_report' | 'money_placement';
/** Delivery states. */
export type OutboxState = 'pending' | 'sending' | 'delivered' | 'blocked';

/** One outbox row. */
export interface OutboxEntry {
  id: number;
  seq: number;
  kind: OutboxKind;
  documentId: string;
  payload: unknown;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  ticketNumber: string | null;
  qrUrl: string | null;
  offline: boolean;
}

interface OutboxRow {
  id: number; seq: number; kind: OutboxKind; document_id: string; payload: string; state: OutboxState; attempts: number;
  next_attempt_at: string | null; last_error: string | null; created_at: string; delivered_at: string | null;
  ticket_number: string | null; qr_url: string | null; offline: number;
}

function fromRow(r: OutboxRow): OutboxEntry {
  return {
    id: r.id, seq: r.seq, kind: r.kind, documentId: r.document_id, payload: JSON.parse(r.payload) as unknown, state: r.state,
    attempts: r.attempts, nextAttemptAt: r.next_attempt_at, lastError: r.last_error, createdAt: r.created_at,
    deliveredAt: r.delivered_at, ticketNumber: r.ticket_number, qrUrl: r.qr_url, offline: r.offline === 1,
  };
}

/**
 * Adds a document to the end of the queue. Must run inside the transaction of the change it
 * carries, so the change and its delivery stand or fall together.
 */
export function enqueueOutbox(db: Db, entry: { kind: OutboxKind; documentId: string; payload: unknown; createdAt: string; offline?: boolean }): OutboxEntry {
  if (!db.inTransaction) throw new Error('enqueueOutbox must run inside the transaction of the change it carries');
  const seq = (prepared(db, 'SELECT coalesce(max(seq), 0) + 1 FROM outbox').pluck().get() as number);
  const info = prepared(db, `INSERT INTO outbox (seq, kind, document_id, payload, created_at, offline) VALUES (?, ?, ?, ?, ?, ?)`)
    .run(seq, entry.kind, entry.documentId, JSON.stringify(entry.payload), entry.createdAt, entry.offline ? 1 : 0);
  return getOutbox(db, Number(info.lastInsertRowid)) as OutboxEntry;
}

/** One row by id. */
export function getOutbox(db: Db, id: number): OutboxEntry | undefined {
  const r = prepared(db, 'SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
  return r ? fromRow(r) : undefined;
}

/** The row carrying a document (sale id, return id, shift id). */
export function getOutboxByDocument(db: Db, documentId: string): OutboxEntry | undefined {
  const r = prepared(db, 'SELECT * FROM outbox WHERE document_id = ?').get(documentId) as OutboxRow | undefined;
  return r ? fromRow(r) : undefined;
}

/**
 * The next document to send, or undefined. Strict order: only the oldest undelivered row is ever
 * a candidate; when it is blocked, or not due yet, nothing is sent. A row left 'sending' by a
 * crash is offered again (resend with the same idempotency key).
 */
export function nextPending(db: Db, now: string = new Date().toISOString()): OutboxEntry | undefined {
  const r = prepared(db, "SELECT * FROM outbox WHERE state != 'delivered' ORDER BY seq LIMIT 1").get() as OutboxRow | undefined;
  if (!r || r.state === 'blocked') return undefined;
  if (r.next_attempt_at !== null && r.next_attempt_at > now) return undefined;
  return fromRow(r);
}

/** Marks a row as being sent and counts the attempt. */
export function markSending(db: Db, id: number): void {
  const info = prepared(db, "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state IN ('pending', 'sending')").run(id);
  if (info.changes !== 1) throw new Error(`outbox row ${id} is not pending`);
}

/**
 * Records delivery with the operator's ticket number and receipt URL. Starts the retention clock
 * of the sale's e-receipt contact: consent lasts until delivery plus `contactRetentionDays`.
 */
export function markDelivered(db: Db, id: number, result: { ticketNumber: string | null; qrUrl: string | null; at: string; contactRetentionDays?: number }): void {
  db.transaction(() => {
    const info = prepared(db, "UPDATE outbox SET state = 'delivered', delivered_at = ?, ticket_number = ?, qr_url = ?, last_error = NULL WHERE id = ? AND state != 'delivered'")
      .run(result.at, result.ticketNumber, result.qrUrl, id);
    if (info.changes !== 1) throw new Error(`outbox row ${id} does not exist or is already delivered`);
    const row = prepared(db, 'SELECT document_id FROM outbox WHERE id = ?').get(id) as { document_id: string };
    const days = result.contactRetentionDays ?? 30;
    const expires = new Date(Date.parse(result.at) + days * 86_400_000).toISOString();
    // Replaces the upper bound set at the sale (consent for an undelivered e-receipt).
    prepared(db, 'UPDATE contacts SET expires_at = ? WHERE sale_id = ? AND withdrawn_at IS NULL').run(expires, row.document_id);
  })();
}

/** A failed attempt: retried after `nextAttemptAt`, or blocked when `permanent` (a person must look). */
export function markFailed(db: Db, id: number, failure: { error: string; permanent: boolean; nextAttemptAt: string | null; offline?: boolean }): void {
  const info = prepared(db, `UPDATE outbox SET state = ?, last_error = ?, next_attempt_at = ?, offline = max(offline, ?) WHERE id = ? AND state != 'delivered'`)
    .run(failure.permanent ? 'blocked' : 'pending', failure.error, failure.nextAttemptAt, failure.offline ? 1 : 0, id);
  if (info.changes !== 1) throw new Error(`outbox row ${id} does not exist or is already delivered`);
}

/** Queue figures for the manager's screen. */
export interface OutboxStats {
  pending: number;
  sending: number;
  blocked: number;
  delivered: number;
  /** created_at of the oldest undelivered row. */
  oldestUndeliveredAt: string | null;
  lastDeliveredAt: string | null;
  lastError: string | null;
}

/** Counts per state, the oldest undelivered record and the latest error. */
export function outboxStats(db: Db): OutboxStats {
  const counts = prepared(db, 'SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as { state: OutboxState; n: number }[];
  const by = (s: OutboxState): number => counts.find((c) => c.state === s)?.n ?? 0;
  const oldest = prepared(db, "SELECT created_at FROM outbox WHERE state != 'delivered' ORDER BY seq LIMIT 1").pluck().get() as string | undefined;
  const lastDelivered = prepared(db, "SELECT max(delivered_at) FROM outbox WHERE state = 'delivered'").pluck().get() as string | null;
  const lastError = prepared(db, "SELECT last_error FROM outbox WHERE state != 'delivered' AND last_error IS NOT NULL ORDER BY seq LIMIT 1").pluck().get() as string | undefined;
  return {
    pending: by('pending'), sending: by('sending'), blocked: by('blocked'), delivered: by('delivered'),
    oldestUndeliveredAt: oldest ?? null, lastDeliveredAt: lastDelivered, lastError: lastError ?? null,
  };
}

/** The head of the queue: the oldest undelivered row in any state (pending, sending, blocked), or undefined. */
export function outboxHead(db: Db): OutboxEntry | undefined {
  const r = prepared(db, "SELECT * FROM outbox WHERE state != 'delivered' ORDER BY seq LIMIT 1").get() as OutboxRow | undefined;
  return r ? fromRow(r) : undefined;
}

/** Blocked rows (a person must look) in queue order. */
export function blockedOutbox(db: Db): OutboxEntry[] {
  return (prepared(db, "SELECT * FROM outbox WHERE state = 'blocked' ORDER BY seq").all() as OutboxRow[]).map(fromRow);
}

/**
 * Marks an undelivered row as an offline document (5.2). Decided before the row's first send and
 * persisted, so every resend carries the same bytes. Returns whether a row changed.
 */
export function markOutboxOffline(db: Db, id: number): boolean {
  return prepared(db, "UPDATE outbox SET offline = 1 WHERE id = ? AND state != 'delivered'").run(id).changes === 1;
}

/**
 * Whether a document committed now is an offline one (5.2), decided before its first send: the
 * OFD client is offline, or the queue ahead holds an offline document, one whose sends failed,
 * or one whose receipt already printed offline (it cannot be delivered before them). A row
 * merely in flight to a reachable OFD does not count: a busy till's next sale stays online.
 */
export function offlineAtCommit(db: Db): boolean {
  return prepared(db, `SELECT EXISTS (SELECT 1 FROM ofd_state WHERE offline_since IS NOT NULL)
    OR EXISTS (SELECT 1 FROM outbox o WHERE o.state != 'delivered' AND (o.offline = 1 OR (o.attempts > 0 AND o.last_error IS NOT NULL)
      OR EXISTS (SELECT 1 FROM offline_receipts r WHERE r.document_id = o.document_id)))`).pluck().get() === 1;
}

/** A manager un-blocks a blocked row: it is due at once. Returns false when the row is not blocked. */
export function unblockOutbox(db: Db, id: number): boolean {
  return prepared(db, "UPDATE outbox SET state = 'pending', next_attempt_at = NULL WHERE id = ? AND state = 'blocked'").run(id).changes === 1;
}

/** Rows not yet delivered (pending, sending and blocked). */
export function undeliveredOutboxCount(db: Db): number {
  return prepared(db, "SELECT count(*) FROM outbox WHERE state != 'delivered'").pluck().get() as number;
}

// ---- the delivery lease (migration 6): one sender at a time per register database ----

/** Who holds a lease. */
export interface SyncLease {
  name: string;
  owner: string;
  pid: number;
  host: string;
  acquiredAt: string;
  expiresAt: string;
}

interface LeaseRow { name: string; owner: string; pid: number; host: string; acquired_at: string; expires_at: string }

function leaseFromRow(r: LeaseRow): SyncLease {
  return { name: r.name, owner: r.owner, pid: r.pid, host: r.host, acquiredAt: r.acquired_at, expiresAt: r.expires_at };
}

/** The current holder of lease `name` (maybe expired), or undefined. */
export function getSyncLease(db: Db, name: string): SyncLease | undefined {
  const r = db.prepare('SELECT * FROM sync_lease WHERE name = ?').get(name) as LeaseRow | undefined;
  return r ? leaseFromRow(r) : undefined;
}

/**
 * Takes (or renews) lease `name` for `owner` until `now + ttlMs`, in one IMMEDIATE transaction so
 * two processes cannot both take it. Succeeds when the lease is free, expired, already ours, or
 * held by a process `holderGone` says no longer runs (a crashed holder on this host). Otherwise
 * returns the holder: the caller must not send.
 */
export function acquireSyncLease(
  db: Db, name: string, me: { owner: string; pid: number; host: string; now: string; ttlMs: number },
  holderGone: (holder: SyncLease) => boolean = () => false,
): { ok: true; lease: SyncLease } | { ok: false; holder: SyncLease } {
  const take = db.transaction(() => {
    const cur = getSyncLease(db, name);
    if (cur && cur.owner !== me.owner && cur.expiresAt > me.now && !holderGone(cur)) return { ok: false as const, holder: cur };
    const expires = new Date(Date.parse(me.now) + me.ttlMs).toISOString();
    const acquired = cur && cur.owner === me.owner ? cur.acquiredAt : me.now;
    db.prepare(`INSERT INTO sync_lease (name, owner, pid, host, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, pid = excluded.pid, host = excluded.host,
        acquired_at = excluded.acquired_at, expires_at = excluded.expires_at`)
      .run(name, me.owner, me.pid, me.host, acquired, expires);
    return { ok: true as const, lease: getSyncLease(db, name) as SyncLease };
  });
  return db.inTransaction ? take() : take.immediate();
}

/** Gives lease `name` back if `owner` still holds it. */
export function releaseSyncLease(db: Db, name: string, owner: string): void {
  db.prepare('DELETE FROM sync_lease WHERE name = ? AND owner = ?').run(name, owner);
}
