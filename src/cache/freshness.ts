/**
 * How old the register's knowledge is, as a state machine (after the Russian local module's
 * not_configured / initialization / ready / sync_error):
 *
 *   not_configured --(full import starts, or a feed is configured)--> initializing
 *   initializing   --(first full snapshot committed)---------------> ready
 *   ready          --(no successful sync for longer than the limit)-> stale
 *   stale          --(a delta or full snapshot committed)----------> ready
 *
 * - not_configured: no full snapshot was ever committed, no import is under way, and no feed is
 *   configured (training mode). Decisions: CACHE_NOT_READY (nothing was checked).
 * - initializing: the first full snapshot is being imported (or a feed is configured but has not
 *   delivered yet). Decisions: CACHE_NOT_READY. A later full resync of a ready cache does NOT go
 *   back to initializing: the previous snapshot stays in force until the new one is committed.
 * - ready: the last successful sync is at most `limit` old. Decisions from the cache.
 * - stale: older than the limit (default 72 h; a product group may have a lower limit, never a
 *   higher one). Decisions that would allow become CACHE_STALE (manager override).
 *
 * "Successful sync" = a committed full snapshot or delta (an empty delta that only repeats the
 * cursor counts: the feed answered). A clock that went backwards (sync time in the future)
 * counts as age 0.
 */
import type { FreshnessState } from '../rules/index.ts';

export type Freshness = FreshnessState;


/** Freshness of the cache for one product group. */
export interface FreshnessInfo {
  state: Freshness;
  /** Last successful sync (UTC ISO), null before the first. */
  lastSyncAt: string | null;
  ageMs: number | null;
  /** The offline limit that applies (group limit when lower than the general one). */
  limitMs: number;
  /** Time left before stale; 0 when stale; null before the first sync. */
  remainingMs: number | null;
}

/** Offline limits: general and per product group (hours). */
export interface Limits { offlineLimitHours: number; groupOfflineLimitHours: Record<string, number> }

/** The limit for `group` in ms: the group's own only when it is lower than the general one. */
export function limitMsFor(limits: Limits, group: string | null | undefined): number {
  const general = limits.offlineLimitHours;
  const own = group ? limits.groupOfflineLimitHours[group] : undefined;
  return Math.min(general, own ?? general) * 3_600_000;
}

/** Pure state computation from the stored sync facts. */
export function computeFreshness(
  facts: { lastSyncAt: string | null; lastFullAt: string | null; importing: boolean; feedConfigured: boolean },
  nowMs: number,
  limitMs: number,
): FreshnessInfo {
  if (facts.lastFullAt === null || facts.lastSyncAt === null) {
    const state: Freshness = facts.importing || facts.feedConfigured ? 'initializing' : 'not_configured';
    return { state, lastSyncAt: null, ageMs: null, limitMs, remainingMs: null };
  }
  const ageMs = Math.max(0, nowMs - Date.parse(facts.lastSyncAt));
  const stale = ageMs > limitMs;
  return { state: stale ? 'stale' : 'ready', lastSyncAt: facts.lastSyncAt, ageMs, limitMs, remainingMs: stale ? 0 : limitMs - ageMs };
}
