/**
 * Queries of the code-status cache (tables of migration 001): the one-statement lookup used on
 * every scan, the product catalogue, and counts for `tanba cache stats`.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from './db-type.ts';

/** VAT category of a product (the dated rate table is in the checkout). */
export type VatCategory = 'standard' | 'medicines' | 'periodicals' | 'zero' | 'none';

/** Registry statuses as stored (small integers keep the 10M-row table compact). */
export const STATUS_CODES = { in_circulation: 1, sold: 2, withdrawn: 3, not_introduced: 4 } as const;
export type StatusName = keyof typeof STATUS_CODES;
const STATUS_NAMES: readonly (StatusName | null)[] = [null, 'in_circulation', 'sold', 'withdrawn', 'not_introduced'];

/** Status name of a stored integer, null for anything unknown. */
export function statusName(n: number | null): StatusName | null {
  return n === null ? null : STATUS_NAMES[n] ?? null;
}

/** Block kinds as stored. */
export const BLOCK_KINDS = { code: 1, gtin: 2, batch: 3 } as const;

const DAY_MS = 86_400_000;
/** 'YYYY-MM-DD' -> days since 1970-01-01 (UTC). */
export function toDayNumber(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}
/** Days since 1970-01-01 -> 'YYYY-MM-DD'. */
export function fromDayNumber(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The GTIN inside a CIS: '01' + GTIN-14 + '21' + serial (GS1), or GTIN-14 + serial (tobacco pack). */
export function gtinOfCis(cis: string): string | null {
  if (/^01\d{14}21/.test(cis)) return cis.slice(2, 16);
  if (/^\d{14}/.test(cis) && cis.length <= 25) return cis.slice(0, 14);
  return null;
}

const statements = new WeakMap<Db, Map<string, Statement>>();
/** A prepared statement cached per connection (prepare once, run many). */
export function prepared(db: Db, sql: string): Statement {
  let m = statements.get(db);
  if (m === undefined) { m = new Map(); statements.set(db, m); }
  let s = m.get(sql);
  if (s === undefined) { s = db.prepare(sql); m.set(sql, s); }
  return s;
}

/** Everything the cache knows about one scan, in one row (one statement per scan keeps it fast). */
export interface LookupRow {
  status: number | null;
  expires: number | null;
  mrp: number | null;
  b_code: number;
  b_gtin: number;
  b_batch: number;
  units_sold: number | null;
  units_total: number | null;
  name: string | null;
  grp: string | null;
  ai: number | null;
  unit: string | null;
  min_price: number | null;
  price: number | null;
  partial: number | null;
  /** The product's VAT category (migration 14), null when the feed did not say. */
  vat_category: VatCategory | null;
  /** The product's name in Kazakh (migration 17), null when the feed gave none. */
  name_kk: string | null;
  last_sync_at: string | null;
  last_full_at: string | null;
  importing: number;
}

const LOOKUP_SQL = `
SELECT c.status AS status, c.expires AS expires, c.mrp AS mrp,
  EXISTS (SELECT 1 FROM blocks WHERE kind = 1 AND key = ? AND batch = '') AS b_code,
  EXISTS (SELECT 1 FROM blocks WHERE kind = 2 AND key = ? AND batch = '') AS b_gtin,
  EXISTS (SELECT 1 FROM blocks WHERE kind = 3 AND key = ? AND batch = ?) AS b_batch,
  s.units_sold AS units_sold, s.units_total AS units_total,
  p.name AS name, p.grp AS grp, p.ai AS ai, p.unit AS unit, p.min_price AS min_price, p.price AS price, p.partial AS partial, p.vat_category AS vat_category, p.name_kk AS name_kk,
  y.last_sync_at AS last_sync_at, y.last_full_at AS last_full_at,
  EXISTS (SELECT 1 FROM cache_import WHERE kind = 'full') AS importing
FROM (SELECT 1) AS one
LEFT JOIN codes c ON c.cis = ?
LEFT JOIN sold_codes s ON s.cis = ?
LEFT JOIN products p ON p.gtin = ?
LEFT JOIN cache_sync y ON y.channel = 'feed'`;

/** One row with the code, its blocks, this store's sale record, its product and the sync state. */
export function lookupRow(db: Db, cis: string, gtin: string | null, batch: string | null): LookupRow {
  // A missing GTIN / batch binds a value no row can have, so the EXISTS are simply false.
  const g = gtin ?? '\u0000';
  const b = batch ?? '\u0000';
  return prepared(db, LOOKUP_SQL).get(cis, g, g, b, cis, cis, g) as LookupRow;
}

/** [status, expires, mrp, units_sold, units_total] of one CIS (nulls when unknown / not sold here). */
export type CodeSoldTuple = [number | null, number | null, number | null, number | null, number | null];

/**
 * The hot path of a scan: the code's status and this store's sale record in one small statement
 * (block lists, catalogue and sync state are held in memory by the checker, see src/cache/checker.ts).
 */
export function codeAndSold(db: Db, cis: string): CodeSoldTuple {
  return prepared(db, `SELECT c.status, c.expires, c.mrp, s.units_sold, s.units_total FROM (SELECT 1) AS one
    LEFT JOIN codes c ON c.cis = ? LEFT JOIN sold_codes s ON s.cis = ?`).raw(true).get(cis, cis) as CodeSoldTuple;
}

/** Every block-list entry. */
export function allBlocks(db: Db): { kind: number; key: string; batch: string }[] {
  return db.prepare('SELECT kind, key, batch FROM blocks').all() as { kind: number; key: string; batch: string }[];
}

/** The whole product catalogue (thousands of rows, not millions). */
export function allProducts(db: Db): ProductRow[] {
  return db.prepare('SELECT * FROM products').all() as ProductRow[];
}

/** SQLite's data_version: changes when ANOTHER connection commits (not for this connection's own commits). */
export function dataVersion(db: Db): number {
  return prepared(db, 'PRAGMA data_version').pluck().get() as number;
}

const generations = new WeakMap<Db, number>();
/** A per-connection counter bumped by this process's own cache writes (imports), for in-memory caches. */
export function cacheGeneration(db: Db): number {
  return generations.get(db) ?? 0;
}
/** Marks the cache tables of `db` as changed by this connection. */
export function bumpCacheGeneration(db: Db): void {
  generations.set(db, (generations.get(db) ?? 0) + 1);
}

/** A product catalogue row as stored. */
export interface ProductRow {
  gtin: string; name: string; grp: string; ai: number; unit: string | null;
  min_price: number | null; price: number | null; partial: number | null;
  vat_category: VatCategory | null;
  /** The name in Kazakh (migration 17), or null. */
  name_kk: string | null;
}

/** The catalogue entry of a GTIN, or undefined. */
export function productRow(db: Db, gtin: string): ProductRow | undefined {
  return prepared(db, 'SELECT * FROM products WHERE gtin = ?').get(gtin) as ProductRow | undefined;
}

/** Sync state of a channel as stored. */
export interface SyncRow { channel: string; last_sync_at: string | null; cursor: string | null; last_full_at: string | null; last_kind: string | null }

/** The stored sync state of `channel` (default the status feed), or undefined before the first sync. */
export function syncRow(db: Db, channel = 'feed'): SyncRow | undefined {
  return prepared(db, 'SELECT * FROM cache_sync WHERE channel = ?').get(channel) as SyncRow | undefined;
}

/** Row counts of the cache tables. `count(*)` walks the table: ~0.5 s per 10M codes, fine for stats. */
export function cacheCounts(db: Db): { codes: number; blocksByCode: number; blocksByGtin: number; blocksByBatch: number; products: number; sold: number } {
  const n = (sql: string): number => db.prepare(sql).pluck().get() as number;
  return {
    codes: n('SELECT count(*) FROM codes'),
    blocksByCode: n('SELECT count(*) FROM blocks WHERE kind = 1'),
    blocksByGtin: n('SELECT count(*) FROM blocks WHERE kind = 2'),
    blocksByBatch: n('SELECT count(*) FROM blocks WHERE kind = 3'),
    products: n('SELECT count(*) FROM products'),
    sold: n('SELECT count(*) FROM sold_codes'),
  };
}

/** Bytes of the database file in use (page count x page size; the WAL is not included). */
export function databaseBytes(db: Db): number {
  return (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
}
