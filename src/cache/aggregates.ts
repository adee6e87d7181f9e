/**
 * Group packs (aggregation): which units a scanned SSCC / group-pack code holds, as the status
 * feed's `aggregate` records told the cache (table `aggregate_contents`, migration 007).
 */
import { parseCode } from '../marking/index.ts';
import type { Db } from '../store/db.ts';
import { aggregateContentsOf } from '../store/cache-aggregates.ts';

/**
 * The key the feed stores an aggregate under, from a code as scanned: an SSCC's 18 digits (AI 00,
 * with or without the AIM prefix / brackets), or the CIS of a group pack / tobacco block; an
 * 18-digit string is taken as a bare SSCC. Null when the text is no such code.
 */
export function aggregateKey(code: string): string | null {
  if (/^\d{18}$/.test(code)) return code;
  const parsed = parseCode(code);
  if (!parsed.ok) return null;
  if (parsed.kind === 'sscc') return parsed.ais['00'] ?? null;
  return parsed.cis ?? null;
}

/**
 * The units of a group pack as the cache knows them: each unit's CIS (the checkout scans these as
 * if they were the units' own codes), in a stable order; null when the cache does not know the
 * pack (or the text is not a code at all). The default `aggregateContents` of the checkout.
 */
export function aggregateContents(db: Db, code: string): string[] | null {
  const key = aggregateKey(code);
  return key === null ? null : aggregateContentsOf(db, key);
}
