/**
 * Codes this store sold (table `sold_codes`, migration 001). Written by the checkout inside ITS
 * sale / return transaction, so these are plain synchronous functions on the connection.
 *
 * Invariant: a code is sold at most once (all its units) — enforced by the primary key and by a
 * guarded UPDATE for partial sales, so two registers (processes) on one file can never both sell
 * one code: the second INSERT fails inside its transaction and its sale rolls back.
 */
import type { Db } from './db.ts';
import { gtinOfCis, prepared } from './cache-codes.ts';

/** Thrown when a CIS is already (fully) sold here. */
export class SoldTwiceError extends Error {
  override name = 'SoldTwiceError';
  constructor(readonly cis: string, detail: string) {
    super(`code ${cis} is already sold in this store (${detail})`);
  }
}

/** Default days a sale record is kept for returns (covers the 14-day return right and warranty claims). */
export const DEFAULT_RETURN_DAYS = 365;

/** One sold code as stored. */
export interface SoldRow { cis: string; sale_id: string; sold_at: string; units_sold: number; units_total: number; returns_until: string }

/**
 * Records the sale of `units` of a code (default: the whole package). A package sold by units
 * (product `partial`) stays sellable until all its units are sold.
 * @throws SoldTwiceError if the code (or the requested units) is already sold here.
 */
export function recordSold(db: Db, entry: { cis: string; saleId: string; soldAt: string; units?: number; returnDays?: number }): void {
  if (entry.cis.length === 0) throw new Error('recordSold: empty CIS');
  const soldMs = Date.parse(entry.soldAt);
  if (Number.isNaN(soldMs)) throw new Error(`recordSold: soldAt '${entry.soldAt}' is not an ISO-8601 time`);
  const gtin = gtinOfCis(entry.cis);
  const partial = gtin === null ? null : (prepared(db, 'SELECT partial FROM products WHERE gtin = ?').pluck().get(gtin) as number | null | undefined) ?? null;
  const total = partial ?? 1;
  const units = entry.units ?? total;
  if (!Number.isInteger(units) || units < 1 || units > total) {
    throw new Error(`recordSold: units ${units} out of range for code ${entry.cis} (package of ${total})`);
  }
  const until = new Date(soldMs + (entry.returnDays ?? DEFAULT_RETURN_DAYS) * 86_400_000).toISOString();
  const existing = prepared(db, 'SELECT units_sold, units_total FROM sold_codes WHERE cis = ?').get(entry.cis) as { units_sold: number; units_total: number } | undefined;
  if (existing === undefined) {
    try {
      prepared(db, 'INSERT INTO sold_codes (cis, sale_id, sold_at, units_sold, units_total, returns_until) VALUES (?, ?, ?, ?, ?, ?)')
        .run(entry.cis, entry.saleId, entry.soldAt, units, total, until);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new SoldTwiceError(entry.cis, 'sold concurrently');
      throw err;
    }
    return;
  }
  // Partial sale of a package: only while units remain (the guard makes it atomic).
  const changed = prepared(db, `UPDATE sold_codes SET units_sold = units_sold + ?, sale_id = ?, sold_at = ?, returns_until = max(returns_until, ?)
    WHERE cis = ? AND units_sold + ? <= units_total`).run(units, entry.saleId, entry.soldAt, until, entry.cis, units).changes;
  if (changed !== 1) throw new SoldTwiceError(entry.cis, `${existing.units_sold} of ${existing.units_total} units sold`);
}

/**
 * Releases a sold code on a return: `units` (default all sold units). When no units remain sold,
 * the record goes and the code is sellable again. Returns false when there was no record (a
 * return a manager accepted for a code not sold here).
 */
export function releaseSold(db: Db, cis: string, units?: number): boolean {
  const row = prepared(db, 'SELECT units_sold FROM sold_codes WHERE cis = ?').get(cis) as { units_sold: number } | undefined;
  if (row === undefined) return false;
  const n = units ?? row.units_sold;
  if (!Number.isInteger(n) || n < 1) throw new Error(`releaseSold: units ${n} must be a positive whole number`);
  if (n >= row.units_sold) prepared(db, 'DELETE FROM sold_codes WHERE cis = ?').run(cis);
  else prepared(db, 'UPDATE sold_codes SET units_sold = units_sold - ? WHERE cis = ?').run(n, cis);
  return true;
}

/** True when this store has a sale record for the code (at least one unit sold, not returned). */
export function isSoldHere(db: Db, cis: string): boolean {
  return prepared(db, 'SELECT 1 FROM sold_codes WHERE cis = ?').get(cis) !== undefined;
}

/** The sale record of a code, if any. */
export function soldRow(db: Db, cis: string): SoldRow | undefined {
  return prepared(db, 'SELECT * FROM sold_codes WHERE cis = ?').get(cis) as SoldRow | undefined;
}

/** Deletes sale records whose return period ended before `now` (ISO). Returns how many. */
export function purgeSold(db: Db, now: string): number {
  return db.prepare('DELETE FROM sold_codes WHERE returns_until < ?').run(now).changes;
}
