/**
 * A Chestny ZNAK per-code answer (True API online, or the local module offline) as the facts the
 * rules use.
 *
 * Online, the refusal order is CRPT's (methodical recommendations §4): valid=false → bad format;
 * found=false → not found; utilised=false → no application record (not introduced);
 * verified=false → not genuine; isBlocked → blocked; sold → withdrawn; realizable=false and not
 * sold → not introduced; then expiry and the group's price rules. Only the first failing flag is
 * carried into the facts, so the rules table (whose own order puts a block first) gives CRPT's
 * reason. An absent flag never refuses; grey-zone tobacco with realizable=false is allowed.
 *
 * Offline (local module) answers are a black list: found / valid / verified / utilised /
 * realizable come back false and mean nothing; only `isBlocked` and `sold` count.
 */
import type { CodeFacts } from '../../rules/index.ts';
import { dateOnly, notFoundFacts } from './provider.ts';
import type { CrptCode } from './true-api-wire.ts';

/**
 * CRPT product group ids (`groupIds`) → the register's groups where it has one. Ids from public
 * client code (unsettled beyond these): 1 light industry, 2 shoes, 3 tobacco, 4 perfumery, 5 tyres,
 * 8 dairy, 12 alternative tobacco, 13 water, 15 beer, 16 nicotine products.
 */
export const CRPT_GROUPS: Readonly<Record<number, string>> = {
  1: 'light_industry', 2: 'shoes', 3: 'tobacco', 4: 'perfumery', 5: 'tyres', 8: 'dairy', 12: 'tobacco', 13: 'water', 15: 'beer', 16: 'nicotine',
};

/** Groups where `mrp` is a maximum retail price (and `smp` the minimum). */
const MRP_IS_MAXIMUM = new Set([3, 12]);
/** Groups where `mrp` is a minimum price (nicotine products; water, beer, perfume, clothes, tyres). */
const MRP_IS_MINIMUM = new Set([1, 4, 5, 13, 15, 16]);

const positive = (n: number | null | undefined): number | null => (n != null && n > 0 ? n : null);

/** The price facts of a code by its group. */
function prices(c: CrptCode): Pick<CodeFacts, 'mrp' | 'minPrice'> {
  const ids = c.groupIds ?? [];
  const mrp = positive(c.mrp);
  const smp = positive(c.smp);
  if (ids.some((g) => MRP_IS_MAXIMUM.has(g))) return { mrp, minPrice: smp };
  if (ids.some((g) => MRP_IS_MINIMUM.has(g))) {
    const floor = Math.max(mrp ?? 0, smp ?? 0);
    return { mrp: null, minPrice: floor > 0 ? floor : null };
  }
  return { mrp: null, minPrice: smp };
}

/** Units of a package sold in parts (draught beer): sold so far and in the package. */
function unitsOf(c: CrptCode): CodeFacts['units'] {
  const total = c.innerUnitCount ?? 0;
  return total > 1 ? { sold: Math.min(total, c.soldUnitCount ?? 0), total } : null;
}

/** An online True API answer for one code → facts, in CRPT order. */
export function crptOnlineFacts(c: CrptCode): CodeFacts {
  const base = notFoundFacts();
  const group = (c.groupIds ?? []).map((g) => CRPT_GROUPS[g]).find((g) => g !== undefined) ?? null;
  if (c.valid === false) return { ...base, group, formatValid: false };
  if (c.found === false) return { ...base, group };
  const known: CodeFacts = { ...base, found: true, status: 'in_circulation', group };
  if (c.utilised === false) return { ...known, status: 'not_introduced' };
  if (c.verified === false) return { ...known, genuine: false };
  if (c.isBlocked === true) return { ...known, blocked: true, blockedBy: 'code' };
  const units = unitsOf(c);
  const partlySold = units != null && units.sold < units.total;
  if (c.sold === true && !partlySold) return { ...known, status: 'withdrawn' };
  const tobacco = (c.groupIds ?? []).some((g) => MRP_IS_MAXIMUM.has(g));
  if (c.realizable === false && c.sold !== true && !(tobacco && c.grayZone === true)) return { ...known, status: 'not_introduced' };
  return {
    ...known, ...prices(c), units,
    expires: dateOnly(c.expireDate),
    genuine: c.verified ?? null,
  };
}

/**
 * An offline (local module) answer for one code → facts: only `isBlocked` and `sold` count;
 * `found: true` because the black list vouches for a code it does not list.
 */
export function crptOfflineFacts(c: CrptCode): CodeFacts {
  const units = unitsOf(c);
  const soldOut = c.sold === true && !(units != null && units.sold < units.total);
  return {
    ...notFoundFacts(),
    found: true,
    status: soldOut ? 'withdrawn' : null,
    blocked: c.isBlocked === true,
    blockedBy: c.isBlocked === true ? 'code' : null,
    units,
  };
}
