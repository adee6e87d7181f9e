/**
 * The multi-machine layer's tables (migration 11): code claims waiting for the store's KV bucket,
 * cross-lane conflicts, the publish queue to head office, and how far store streams were applied.
 */
import type { VatCategory } from './cache-codes.ts';
import type { Db } from './db.ts';

/** A code a document of this lane moved, until the store's shared bucket has it. */
export interface HubClaim {
  id: number;
  op: 'sold' | 'returned';
  cis: string;
  code: string;
  saleId: string;
  at: string;
  unguarded: boolean;
  state: 'pending' | 'confirmed' | 'conflict';
}

interface ClaimRow { id: number; op: HubClaim['op']; cis: string; code: string; sale_id: string; at: string; unguarded: number; state: HubClaim['state'] }

const claimOf = (r: ClaimRow): HubClaim => ({ id: r.id, op: r.op, cis: r.cis, code: r.code, saleId: r.sale_id, at: r.at, unguarded: r.unguarded === 1, state: r.state });

/** Records a claim (call inside the document's transaction). */
export function addHubClaim(db: Db, c: Omit<HubClaim, 'id' | 'state'>): void {
  db.prepare('INSERT OR IGNORE INTO hub_claims (op, cis, code, sale_id, at, unguarded) VALUES (?, ?, ?, ?, ?, ?)')
    .run(c.op, c.cis, c.code, c.saleId, c.at, c.unguarded ? 1 : 0);
}

/** Claims still to write to the shared bucket, oldest first. */
export function pendingHubClaims(db: Db, limit = 500): HubClaim[] {
  return (db.prepare("SELECT * FROM hub_claims WHERE state = 'pending' ORDER BY id LIMIT ?").all(limit) as ClaimRow[]).map(claimOf);
}

/** Marks a claim settled: confirmed in the bucket, or found to conflict with another lane's sale. */
export function settleHubClaim(db: Db, id: number, state: 'confirmed' | 'conflict', at: string): void {
  db.prepare('UPDATE hub_claims SET state = ?, settled_at = ? WHERE id = ?').run(state, at, id);
}

/** Unguarded sales not reconciled yet (distinct sales). */
export function unguardedSaleCount(db: Db): number {
  return (db.prepare("SELECT COUNT(DISTINCT sale_id) AS n FROM hub_claims WHERE unguarded = 1 AND state = 'pending'").get() as { n: number }).n;
}

/** One sale of a conflict. */
export interface ConflictSale { store: string; register: string; saleId: string; at: string }

/** A code sold on two lanes. */
export interface HubConflict { id: number; cis: string; code: string; first: ConflictSale; second: ConflictSale; foundAt: string }

interface ConflictRow {
  id: number; cis: string; code: string; store: string; first_register: string; first_sale_id: string; first_at: string;
  second_register: string; second_sale_id: string; second_at: string; found_at: string;
}

/** Records a conflict once (the same pair of sales is never listed twice). True when new. */
export function addHubConflict(db: Db, c: Omit<HubConflict, 'id'>): boolean {
  return db.prepare(`INSERT OR IGNORE INTO hub_conflicts (cis, code, store, first_register, first_sale_id, first_at, second_register, second_sale_id, second_at, found_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(c.cis, c.code, c.first.store, c.first.register, c.first.saleId, c.first.at, c.second.register, c.second.saleId, c.second.at, c.foundAt).changes === 1;
}

/** Every recorded conflict, newest first. */
export function listHubConflicts(db: Db): HubConflict[] {
  return (db.prepare('SELECT * FROM hub_conflicts ORDER BY id DESC').all() as ConflictRow[]).map((r) => ({
    id: r.id, cis: r.cis, code: r.code, foundAt: r.found_at,
    first: { store: r.store, register: r.first_register, saleId: r.first_sale_id, at: r.first_at },
    second: { store: r.store, register: r.second_register, saleId: r.second_sale_id, at: r.second_at },
  }));
}

/** A document waiting for head office. */
export interface HubOutboxEntry { seq: number; msgId: string; kind: 'sale' | 'return' | 'shift_close' | 'conflict'; payload: unknown; createdAt: string }

/** Queues a document for head office (inside its transaction); a second queueing of the same id is ignored. */
export function enqueueHubOutbox(db: Db, e: Omit<HubOutboxEntry, 'seq'>): void {
  db.prepare('INSERT OR IGNORE INTO hub_outbox (msg_id, kind, payload, created_at) VALUES (?, ?, ?, ?)').run(e.msgId, e.kind, JSON.stringify(e.payload), e.createdAt);
}

/** Unpublished documents in commit order. */
export function unpublishedHubOutbox(db: Db, limit = 200): HubOutboxEntry[] {
  return (db.prepare('SELECT seq, msg_id, kind, payload, created_at FROM hub_outbox WHERE published_at IS NULL ORDER BY seq LIMIT ?').all(limit) as
    { seq: number; msg_id: string; kind: HubOutboxEntry['kind']; payload: string; created_at: string }[])
    .map((r) => ({ seq: r.seq, msgId: r.msg_id, kind: r.kind, payload: JSON.parse(r.payload) as unknown, createdAt: r.created_at }));
}

/** Marks a document acknowledged by the store's stream. */
export function markHubPublished(db: Db, seq: number, at: string): void {
  db.prepare('UPDATE hub_outbox SET published_at = ? WHERE seq = ?').run(at, seq);
}

/** Depth and age of the publish queue. */
export function hubOutboxDepth(db: Db): { queue: number; oldest: string | null } {
  const r = db.prepare('SELECT COUNT(*) AS n, MIN(created_at) AS oldest FROM hub_outbox WHERE published_at IS NULL').get() as { n: number; oldest: string | null };
  return { queue: r.n, oldest: r.oldest };
}

/** The last stream sequence this lane applied, 0 when none. */
export function hubAppliedSeq(db: Db, stream: string): number {
  return (db.prepare('SELECT seq FROM hub_applied WHERE stream = ?').get(stream) as { seq: number } | undefined)?.seq ?? 0;
}

/** Records how far a stream was applied (inside the transaction that applied it). */
export function setHubAppliedSeq(db: Db, stream: string, seq: number, at: string): void {
  db.prepare('INSERT INTO hub_applied (stream, seq, at) VALUES (?, ?, ?) ON CONFLICT (stream) DO UPDATE SET seq = excluded.seq, at = excluded.at').run(stream, seq, at);
}

/**
 * A catalogue entry head office sends (the same fields as the feed's product record). `vat`:
 * undefined keeps the category the product has (an older publisher that does not know the field
 * never erases it), null clears it (the sale falls back to the catalogue's category, else standard).
 */
export interface CatalogueProduct {
  gtin: string; name: string; group: string; ai: boolean; unit: string | null; minPrice: number | null; price: number | null; partial: number | null;
  vat?: VatCategory | null | undefined;
}

/** A product whose VAT category a catalogue update changed (the audit entry lists them). */
export interface VatChange { gtin: string; from: VatCategory | null; to: VatCategory | null }

/** Upserts catalogue products (call inside the transaction that journals the update); the VAT categories it changed. */
export function upsertCatalogue(db: Db, products: readonly CatalogueProduct[]): VatChange[] {
  const current = db.prepare('SELECT vat_category FROM products WHERE gtin = ?');
  const put = db.prepare('INSERT OR REPLACE INTO products (gtin, name, grp, ai, unit, min_price, price, partial, vat_category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const changes: VatChange[] = [];
  for (const p of products) {
    const row = current.get(p.gtin) as { vat_category: VatCategory | null } | undefined;
    const from = row?.vat_category ?? null;
    const to = p.vat === undefined ? from : p.vat;
    put.run(p.gtin, p.name, p.group, p.ai ? 1 : 0, p.unit, p.minPrice, p.price, p.partial, to);
    if (to !== from) changes.push({ gtin: p.gtin, from, to });
  }
  return changes;
}
