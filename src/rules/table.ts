/**
 * The rules table. Order matters: the first matching row decides. The order follows the CRPT
 * methodical recommendations (docs/domain/decision-rules.md) with one deliberate change:
 * checks whose refusal can never be overridden (blocked, price limits, expiry, sold here) come
 * before the registry-status checks whose refusal a manager may override (code not found in a
 * possibly lagging cache, cache not ready / stale). Otherwise a blocked GTIN whose code is simply
 * missing from the cache would show an overridable NOT_FOUND and a manager could sell it.
 * Every row has a test in table.test.ts.
 */
import type { DecisionInput, RuleRow } from './types.ts';

const BOTH = ['sale', 'return'] as const;
const SALE = ['sale'] as const;
const RETURN = ['return'] as const;

/** Offline (no online answer) and the cache cannot vouch for anything: never synced, or a first load under way. */
function cacheUnusable(i: DecisionInput): boolean {
  if (i.source === 'online') return false;
  return i.source === 'none' || i.freshness === 'not_configured' || i.freshness === 'initializing';
}

function soldOutHere(i: DecisionInput): boolean {
  const f = i.facts;
  if (f === null || !f.soldHere) return false;
  return f.units == null || f.units.sold >= f.units.total;
}

/** An outcome of a row: the decision, its reason, and whether a manager may override it. */
type Outcome = Pick<RuleRow, 'decision' | 'reason' | 'overridable'>;
const OVERRIDABLE = true;
const refuse = (reason: RuleRow['reason'], overridable = false): Outcome => ({ decision: 'refuse', reason, overridable });
const warn = (reason: RuleRow['reason'], overridable = false): Outcome => ({ decision: 'warn', reason, overridable });
const allow = (reason: RuleRow['reason']): Outcome => ({ decision: 'allow', reason, overridable: false });

/** A row for every product group (no row of today's table is limited to some groups). */
function rule(id: string, operations: RuleRow['operations'], outcome: Outcome, description: string, when: RuleRow['when']): RuleRow {
  return { id, groups: '*', operations, description, when, ...outcome };
}

/** The ordered table. */
export const RULES: readonly RuleRow[] = [
  rule('invalid-code', BOTH, refuse('INVALID_CODE'),
    'The scanned text is not a valid marking code (format, check digit, missing parts).',
    (i) => !i.codeValid),
  rule('already-in-basket', BOTH, refuse('ALREADY_IN_BASKET'),
    'The same CIS is already a line of this basket (double scan, or one code sold twice in one receipt).',
    (i) => i.inBasket),
  // ---- returns: a sold status is expected; what matters is whether this store sold it ----
  rule('return-sold-here', RETURN, allow('RETURN_OK'),
    'Return of a code this store sold (its own record; independent of cache freshness).',
    (i) => i.facts?.soldHere === true),
  rule('return-never-sold', RETURN, refuse('NOT_SOLD', OVERRIDABLE),
    'Return of a code the registry knows but does not show as sold anywhere, and not sold here.',
    (i) => i.facts !== null && i.facts.found && i.facts.status !== null && i.facts.status !== 'sold'),
  rule('return-not-sold-here', RETURN, warn('NOT_SOLD_HERE', OVERRIDABLE),
    'Return of a code with no sale record in this store (sold at another register or store, or records purged).',
    () => true),
  // ---- sales: what can never be overridden first ----
  rule('sold-here', SALE, refuse('SOLD'),
    'This store already sold the code (all its units); local truth, valid even offline.',
    soldOutHere),
  rule('blocked', SALE, refuse('BLOCKED'),
    'Blocked by a state authority: by code, by GTIN, or by GTIN + batch.',
    (i) => i.facts?.blocked === true),
  rule('price-above-mrp', SALE, refuse('PRICE_ABOVE_MRP'),
    'Price above the maximum retail price (registry, or printed in a tobacco pack code). Only where an MRP is known.',
    (i) => i.price !== null && i.facts?.mrp != null && i.price > i.facts.mrp),
  rule('price-below-min', SALE, refuse('PRICE_BELOW_MIN'),
    'Price below the minimum retail price of the GTIN. Only where a minimum is known.',
    (i) => i.price !== null && i.facts?.minPrice != null && i.price < i.facts.minPrice),
  rule('expired', SALE, refuse('EXPIRED'),
    'Expiry date (registry or the code\'s (17)) before today. Only where an expiry is known (dairy, water, beer, medicines, ...).',
    (i) => i.facts?.expires != null && i.facts.expires < i.today),
  rule('invalid-online', SALE, refuse('INVALID_CODE'),
    'The online check answered that the registry cannot read the code (True API valid=false).',
    (i) => i.source === 'online' && i.facts?.formatValid === false),
  rule('not-genuine', SALE, refuse('NOT_GENUINE'),
    'The registry\'s crypto verification failed (True API verified=false): not genuine.',
    (i) => i.facts?.genuine === false),
  // ---- the registry status: online answer, or the cache when it can vouch ----
  rule('cache-not-ready', SALE, refuse('CACHE_NOT_READY', OVERRIDABLE),
    'No online answer and the cache was never loaded (not configured) or its first full load is not complete: the code was not checked. A manager may sell it as "not checked"; the register never pretends it checked.',
    cacheUnusable),
  rule('not-found-online', SALE, refuse('NOT_FOUND'),
    'The online check answered that the registry does not know the code.',
    (i) => i.source === 'online' && (i.facts === null || !i.facts.found)),
  rule('not-found-cache', SALE, refuse('NOT_FOUND', OVERRIDABLE),
    'The code is not in the local cache. The cache may lag behind the registry (a code introduced after the last sync), so a manager may override.',
    (i) => i.facts === null || !i.facts.found),
  rule('not-introduced', SALE, refuse('NOT_INTRODUCED'),
    'The code was issued but never introduced into circulation.',
    (i) => i.facts?.status === 'not_introduced'),
  rule('sold', SALE, refuse('SOLD'),
    'The registry shows the code as sold (elsewhere, or here before this register kept records).',
    (i) => i.facts?.status === 'sold' && i.facts.units == null),
  rule('withdrawn', SALE, refuse('WITHDRAWN'),
    'The code was withdrawn from circulation (destroyed, exported, written off, ...).',
    (i) => i.facts?.status === 'withdrawn'),
  rule('cache-stale', SALE, refuse('CACHE_STALE', OVERRIDABLE),
    'The cache would allow, but its last successful sync is older than the offline limit: never allow silently; a manager may override.',
    (i) => i.source === 'cache' && i.freshness === 'stale'),
  rule('ok-offline', SALE, allow('OK_OFFLINE'),
    'Allowed from a fresh cache (no online answer): the receipt records it was checked offline.',
    (i) => i.source === 'cache'),
  rule('ok', SALE, allow('OK'),
    'Allowed: the online check found the code in circulation and nothing forbids the sale.',
    () => true),
];
