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

/** The ordered table. */
export const RULES: readonly RuleRow[] = [
  {
    id: 'invalid-code',
    groups: '*', operations: BOTH,
    description: 'The scanned text is not a valid marking code (format, check digit, missing parts).',
    when: (i) => !i.codeValid,
    decision: 'refuse', reason: 'INVALID_CODE', overridable: false,
  },
  {
    id: 'already-in-basket',
    groups: '*', operations: BOTH,
    description: 'The same CIS is already a line of this basket (double scan, or one code sold twice in one receipt).',
    when: (i) => i.inBasket,
    decision: 'refuse', reason: 'ALREADY_IN_BASKET', overridable: false,
  },
  // ---- returns: a sold status is expected; what matters is whether this store sold it ----
  {
    id: 'return-sold-here',
    groups: '*', operations: RETURN,
    description: 'Return of a code this store sold (its own record; independent of cache freshness).',
    when: (i) => i.facts?.soldHere === true,
    decision: 'allow', reason: 'RETURN_OK', overridable: false,
  },
  {
    id: 'return-never-sold',
    groups: '*', operations: RETURN,
    description: 'Return of a code the registry knows but does not show as sold anywhere, and not sold here.',
    when: (i) => i.facts !== null && i.facts.found && i.facts.status !== null && i.facts.status !== 'sold',
    decision: 'refuse', reason: 'NOT_SOLD', overridable: true,
  },
  {
    id: 'return-not-sold-here',
    groups: '*', operations: RETURN,
    description: 'Return of a code with no sale record in this store (sold at another register or store, or records purged).',
    when: () => true,
    decision: 'warn', reason: 'NOT_SOLD_HERE', overridable: true,
  },
  // ---- sales: what can never be overridden first ----
  {
    id: 'sold-here',
    groups: '*', operations: SALE,
    description: 'This store already sold the code (all its units); local truth, valid even offline.',
    when: soldOutHere,
    decision: 'refuse', reason: 'SOLD', overridable: false,
  },
  {
    id: 'blocked',
    groups: '*', operations: SALE,
    description: 'Blocked by a state authority: by code, by GTIN, or by GTIN + batch.',
    when: (i) => i.facts?.blocked === true,
    decision: 'refuse', reason: 'BLOCKED', overridable: false,
  },
  {
    id: 'price-above-mrp',
    groups: '*', operations: SALE,
    description: 'Price above the maximum retail price (registry, or printed in a tobacco pack code). Only where an MRP is known.',
    when: (i) => i.price !== null && i.facts?.mrp != null && i.price > i.facts.mrp,
    decision: 'refuse', reason: 'PRICE_ABOVE_MRP', overridable: false,
  },
  {
    id: 'price-below-min',
    groups: '*', operations: SALE,
    description: 'Price below the minimum retail price of the GTIN. Only where a minimum is known.',
    when: (i) => i.price !== null && i.facts?.minPrice != null && i.price < i.facts.minPrice,
    decision: 'refuse', reason: 'PRICE_BELOW_MIN', overridable: false,
  },
  {
    id: 'expired',
    groups: '*', operations: SALE,
    description: 'Expiry date (registry or the code\'s (17)) before today. Only where an expiry is known (dairy, water, beer, medicines, ...).',
    when: (i) => i.facts?.expires != null && i.facts.expires < i.today,
    decision: 'refuse', reason: 'EXPIRED', overridable: false,
  },
  {
    id: 'invalid-online',
    groups: '*', operations: SALE,
    description: 'The online check answered that the registry cannot read the code (True API valid=false).',
    when: (i) => i.source === 'online' && i.facts?.formatValid === false,
    decision: 'refuse', reason: 'INVALID_CODE', overridable: false,
  },
  {
    id: 'not-genuine',
    groups: '*', operations: SALE,
    description: 'The registry\'s crypto verification failed (True API verified=false): not genuine.',
    when: (i) => i.facts?.genuine === false,
    decision: 'refuse', reason: 'NOT_GENUINE', overridable: false,
  },
  // ---- the registry status: online answer, or the cache when it can vouch ----
  {
    id: 'cache-not-ready',
    groups: '*', operations: SALE,
    description: 'No online answer and the cache was never loaded (not configured) or its first full load is not complete: the code was not checked. A manager may sell it as "not checked"; the register never pretends it checked.',
    when: cacheUnusable,
    decision: 'refuse', reason: 'CACHE_NOT_READY', overridable: true,
  },
  {
    id: 'not-found-online',
    groups: '*', operations: SALE,
    description: 'The online check answered that the registry does not know the code.',
    when: (i) => i.source === 'online' && (i.facts === null || !i.facts.found),
    decision: 'refuse', reason: 'NOT_FOUND', overridable: false,
  },
  {
    id: 'not-found-cache',
    groups: '*', operations: SALE,
    description: 'The code is not in the local cache. The cache may lag behind the registry (a code introduced after the last sync), so a manager may override.',
    when: (i) => i.facts === null || !i.facts.found,
    decision: 'refuse', reason: 'NOT_FOUND', overridable: true,
  },
  {
    id: 'not-introduced',
    groups: '*', operations: SALE,
    description: 'The code was issued but never introduced into circulation.',
    when: (i) => i.facts?.status === 'not_introduced',
    decision: 'refuse', reason: 'NOT_INTRODUCED', overridable: false,
  },
  {
    id: 'sold',
    groups: '*', operations: SALE,
    description: 'The registry shows the code as sold (elsewhere, or here before this register kept records).',
    when: (i) => i.facts?.status === 'sold' && i.facts.units == null,
    decision: 'refuse', reason: 'SOLD', overridable: false,
  },
  {
    id: 'withdrawn',
    groups: '*', operations: SALE,
    description: 'The code was withdrawn from circulation (destroyed, exported, written off, ...).',
    when: (i) => i.facts?.status === 'withdrawn',
    decision: 'refuse', reason: 'WITHDRAWN', overridable: false,
  },
  {
    id: 'cache-stale',
    groups: '*', operations: SALE,
    description: 'The cache would allow, but its last successful sync is older than the offline limit: never allow silently; a manager may override.',
    when: (i) => i.source === 'cache' && i.freshness === 'stale',
    decision: 'refuse', reason: 'CACHE_STALE', overridable: true,
  },
  {
    id: 'ok-offline',
    groups: '*', operations: SALE,
    description: 'Allowed from a fresh cache (no online answer): the receipt records it was checked offline.',
    when: (i) => i.source === 'cache',
    decision: 'allow', reason: 'OK_OFFLINE', overridable: false,
  },
  {
    id: 'ok',
    groups: '*', operations: SALE,
    description: 'Allowed: the online check found the code in circulation and nothing forbids the sale.',
    when: () => true,
    decision: 'allow', reason: 'OK', overridable: false,
  },
];
