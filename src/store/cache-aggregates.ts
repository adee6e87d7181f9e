/**
 * Group-pack (aggregation) contents (table `aggregate_contents`, migration 007), filled by the
 * status feed's `aggregate` / `disaggregate` records through the import's staging tables
 * (src/store/cache-import.ts).
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/**
 * The CIS of the units inside an aggregate, by its key as the feed names it (an SSCC's 18
 * digits, or the group pack's CIS), in a stable order (by CIS); null when the cache does not know
 * the aggregate.
 */
export function aggregateContentsOf(db: Db, key: string): string[] | null {
  const rows = prepared(db, 'SELECT cis FROM aggregate_contents WHERE code = ? ORDER BY cis').pluck().all(key) as string[];
  return rows.length === 0 ? null : rows;
}

/** The aggregates that list `cis` among their contents (normally at most one). */
export function aggregatesHolding(db: Db, cis: string): string[] {
  return prepared(db, 'SELECT code FROM aggregate_contents WHERE cis = ? ORDER BY code').pluck().all(cis) as string[];
}

/** Number of aggregates the cache knows, and of the units in them. */
export function aggregateCounts(db: Db): { aggregates: number; units: number } {
  const row = prepared(db, 'SELECT count(DISTINCT code) AS aggregates, count(*) AS units FROM aggregate_contents').get() as { aggregates: number; units: number };
  return row;
}
