/**
 * E-receipt contacts (phone / e-mail), kept only with consent and only while the consent lasts.
 * Purging DELETEs the rows with `secure_delete` on (SQLite overwrites the freed bytes with
 * zeros) and then checkpoints the WAL with TRUNCATE, so the contact is gone from the bytes of
 * both the .db and the -wal file — not merely hidden.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** A stored contact. */
export interface Contact {
  id: string;
  saleId: string;
  phone: string | null;
  email: string | null;
  purpose: string;
  consentAt: string;
  expiresAt: string | null;
  withdrawnAt: string | null;
}

interface Row { id: string; sale_id: string; phone: string | null; email: string | null; purpose: string; consent_at: string; expires_at: string | null; withdrawn_at: string | null }

function fromRow(r: Row): Contact {
  return { id: r.id, saleId: r.sale_id, phone: r.phone, email: r.email, purpose: r.purpose, consentAt: r.consent_at, expiresAt: r.expires_at, withdrawnAt: r.withdrawn_at };
}

/** Stores a contact given with consent (call inside the sale's transaction). */
export function insertContact(db: Db, c: { id: string; saleId: string; phone: string | null; email: string | null; purpose: string; consentAt: string; expiresAt: string | null }): void {
  prepared(db, 'INSERT INTO contacts (id, sale_id, phone, email, purpose, consent_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(c.id, c.saleId, c.phone, c.email, c.purpose, c.consentAt, c.expiresAt);
}

/** The live contact of a sale (not withdrawn, not expired at `now`). */
export function getContactForSale(db: Db, saleId: string, now: string): Contact | undefined {
  const r = prepared(db, 'SELECT * FROM contacts WHERE sale_id = ? AND withdrawn_at IS NULL AND (expires_at IS NULL OR expires_at > ?)').get(saleId, now) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** A contact by id, whatever its state. */
export function getContact(db: Db, id: string): Contact | undefined {
  const r = prepared(db, 'SELECT * FROM contacts WHERE id = ?').get(id) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** Result of a purge. */
export interface PurgeResult {
  purged: number;
  /** False when another connection kept the WAL from being truncated; purge again later. */
  walTruncated: boolean;
}

/**
 * Deletes withdrawn and expired contacts and scrubs their bytes from the file and the WAL.
 * `withdrawnOnly` limits it to withdrawn ones (used right after a withdrawal).
 */
export function purgeContacts(db: Db, now: string): PurgeResult {
  db.pragma('secure_delete = ON');
  const info = prepared(db, 'DELETE FROM contacts WHERE withdrawn_at IS NOT NULL OR (expires_at IS NOT NULL AND expires_at <= ?)').run(now);
  return { purged: info.changes, walTruncated: truncateWal(db) };
}

/** Withdraws consent now and purges at once: the contact is not kept a moment longer. */
export function withdrawContact(db: Db, id: string, at: string): PurgeResult {
  db.pragma('secure_delete = ON');
  const exists = prepared(db, 'UPDATE contacts SET withdrawn_at = ? WHERE id = ?').run(at, id).changes === 1;
  if (!exists) throw new Error(`no contact ${id}`);
  return purgeContacts(db, at);
}

/**
 * One TRUNCATE checkpoint of the WAL, without waiting: true when every frame reached the .db and
 * the -wal is empty. While another connection reads an older snapshot SQLite cannot copy past it,
 * so the deleted contact's bytes may still be in the .db and the -wal: false, try again later.
 * (The busy handler is off for the attempt, so a reader never blocks the caller for the busy timeout.)
 */
export function truncateWal(db: Db): boolean {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    const rows = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[];
    const r = rows[0];
    return r !== undefined && r.busy === 0;
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}
