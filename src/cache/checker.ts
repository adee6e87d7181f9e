/**
 * The service the checkout uses to decide one scan: cache lookup (one SQL statement) + the pure
 * rules. An online answer, when the caller has one, takes precedence over the cache for the
 * registry status; this store's own sale records and block lists always count.
 */
import type { Db } from '../store/db.ts';
import {
  allBlocks, allProducts, cacheGeneration, codeAndSold, dataVersion, fromDayNumber, gtinOfCis, lookupRow, productRow, statusName, syncRow,
  type LookupRow, type VatCategory,
} from '../store/cache-codes.ts';
import { importRow } from '../store/cache-import.ts';
import { aggregateContentsOf } from '../store/cache-aggregates.ts';
import { decide, type CheckSource, type CodeFacts, type FreshnessState, type Verdict } from '../rules/index.ts';
import { systemClock, type Clock } from '../clock.ts';
import { computeFreshness, limitMsFor, type FreshnessInfo, type Limits } from './freshness.ts';

/**
 * The parts of a marking parse result (src/marking ParseResult) a check needs. Structural, so a
 * ParseResult passes as is.
 */
export interface CheckableCode {
  ok: boolean;
  kind?: string;
  gtin?: string | null;
  cis?: string | null;
  batch?: string | null;
  expiry?: string | null;
  maxRetailPrice?: number | null;
  productGroup?: string | null;
  /** Application identifiers by AI (an SSCC's 18 digits are in '00'). */
  ais?: Readonly<Record<string, string>>;
  error?: { code: string; message?: string };
}

/** A catalogue entry. Prices in minor units. */
export interface ProductInfo {
  gtin: string; name: string; group: string; ai: boolean; unit: string | null;
  minPrice: number | null; price: number | null;
  /** Units per package when the package may be sold by units, else null. */
  partial: number | null;
  /** VAT category from the feed (null: not given; the sale then uses the catalogue's, else standard). */
  vat: VatCategory | null;
  /** The name in Kazakh from the feed, or null. */
  nameKk: string | null;
}

/** Context of one check. */
export interface CheckContext {
  operation: 'sale' | 'return';
  /** Price of the unit being sold, minor units (null when not known). */
  price: number | null;
  /** The same CIS is already in the open basket. */
  inBasket: boolean;
  /** Facts from an online check, when one answered within its budget. */
  online?: CodeFacts | null;
  /**
   * Facts from an offline source (the local module's black list: blocked, sold) when no online
   * answer came: the decision stays an offline one, vouched for by that source.
   */
  offline?: CodeFacts | null;
  /** Request id of that check (carried through for the fiscal record). */
  requestId?: string | null;
  /** Which provider answered ('xtrace', 'true-api', 'local-module', 'tanba-feed'). */
  provider?: string | null;
  /** The registry's time of that answer (UTC ISO). */
  requestTime?: string | null;
  lang?: 'ru' | 'kk' | 'en';
}

/** The answer of the marking-system chain for one scan (by CIS), with where it came from. */
export interface OnlineFacts {
  facts: ReadonlyMap<string, CodeFacts>;
  requestId: string | null;
  /** The provider that answered (absent: a Tanba feed, as before the provider list). */
  provider?: string;
  /** The registry's time of the answer (UTC ISO). */
  requestTime?: string | null;
  /** An offline source (the local module): a black list, not an online answer. */
  offline?: boolean;
}

/** The check context an answer gives one CIS (empty when it says nothing about it). */
export function answerContext(answer: OnlineFacts | null | undefined, cis: string | null): Pick<CheckContext, 'online' | 'offline' | 'requestId' | 'provider' | 'requestTime'> {
  const facts = cis !== null ? answer?.facts.get(cis) : undefined;
  if (answer == null || facts === undefined) return {};
  const where = { requestId: answer.requestId, provider: answer.provider ?? 'tanba-feed', requestTime: answer.requestTime ?? null };
  return answer.offline === true ? { offline: facts, ...where } : { online: facts, ...where };
}

/** The outcome of one check. */
export interface CheckResult {
  verdict: Verdict;
  facts: CodeFacts | null;
  product: ProductInfo | null;
  /** UTC ISO time of the decision. */
  checkedAt: string;
  /** Cache freshness the decision was made with. */
  freshness: FreshnessInfo;
  requestId: string | null;
  /** The provider whose answer counted, else null. */
  provider: string | null;
  /** The registry's time of that answer, else null. */
  requestTime: string | null;
}

/** The service the checkout uses. */
export interface CodeChecker {
  check(parsed: CheckableCode, ctx: CheckContext): CheckResult;
  freshness(group?: string | null): FreshnessInfo;
}

/** Options of {@link createCodeChecker}. */
export interface CheckerOptions {
  clock?: Clock;
  /** General offline limit in hours (default 72). */
  offlineLimitHours?: number;
  /** Lower limits per product group, hours. */
  groupOfflineLimitHours?: Record<string, number>;
  /** A status feed is configured (a never-synced cache is then "initializing", not "not_configured"). */
  feedConfigured?: boolean;
  lang?: 'ru' | 'kk' | 'en';
  /**
   * Monotonic milliseconds that time {@link REVALIDATE_MS} (default `performance.now`): not the
   * wall clock, which TANBA_NOW may fix. Tests move it instead of sleeping.
   */
  monotonicNow?: () => number;
}

function productOf(row: { name: string | null; grp: string | null; ai: number | null; unit: string | null; min_price: number | null; price: number | null; partial: number | null; vat_category: VatCategory | null; name_kk?: string | null }, gtin: string): ProductInfo | null {
  if (row.name === null || row.grp === null) return null;
  return { gtin, name: row.name, group: row.grp, ai: row.ai === 1, unit: row.unit, minPrice: row.min_price, price: row.price, partial: row.partial, vat: row.vat_category, nameKk: row.name_kk ?? null };
}

/** The catalogue entry of a GTIN, or null. */
export function getProduct(db: Db, gtin: string): ProductInfo | null {
  const row = productRow(db, gtin);
  return row === undefined ? null : productOf(row, gtin);
}

function factsOf(row: LookupRow): CodeFacts {
  const blockedBy = row.b_code ? 'code' : row.b_gtin ? 'gtin' : row.b_batch ? 'batch' : null;
  return {
    found: row.status !== null,
    status: statusName(row.status),
    blocked: blockedBy !== null,
    blockedBy,
    expires: row.expires === null ? null : fromDayNumber(row.expires),
    mrp: row.mrp,
    minPrice: row.min_price,
    group: row.grp,
    soldHere: row.units_sold !== null,
    units: row.units_total !== null && row.units_total > 1 ? { sold: row.units_sold ?? 0, total: row.units_total } : null,
  };
}

/**
 * What the cache knows about one CIS (with its GTIN and batch for the block lists), or null when
 * it knows nothing at all (no status, no block, no sale here, no product).
 */
export function lookupFacts(db: Db, cis: string, gtin: string | null, batch: string | null): CodeFacts | null {
  const row = lookupRow(db, cis, gtin ?? gtinOfCis(cis), batch);
  if (row.status === null && !row.b_code && !row.b_gtin && !row.b_batch && row.units_sold === null && row.name === null) return null;
  return factsOf(row);
}

const TOBACCO_KINDS = new Set(['tobacco-pack', 'tobacco-block']);

/**
 * How long the in-memory copy of the small tables (block lists, catalogue, sync state) is used
 * before SQLite's data_version is asked whether another process committed. This process's own
 * imports invalidate it at once (cacheGeneration); another process's within this many ms.
 */
export const REVALIDATE_MS = 200;

/** In-memory copy of the small cache tables: the per-scan SQL then touches only `codes` and `sold_codes`. */
interface Aux {
  gen: number;
  dataVersion: number;
  checkedAt: number;
  syncKey: string;
  lastSyncAt: string | null;
  lastFullAt: string | null;
  importing: boolean;
  blocksCode: Set<string>;
  blocksGtin: Set<string>;
  blocksBatch: Set<string>;
  products: Map<string, ProductInfo>;
}

const NO_PRODUCT = { name: null, grp: null, ai: null, unit: null, min_price: null, price: null, partial: null, vat_category: null, name_kk: null };

class Checker implements CodeChecker {
  private readonly clock: Clock;
  private readonly limits: Limits;
  private readonly feedConfigured: boolean;
  private readonly lang: 'ru' | 'kk' | 'en';
  private readonly monotonicNow: () => number;
  private aux: Aux | null = null;

  constructor(private readonly db: Db, options: CheckerOptions) {
    this.clock = options.clock ?? systemClock;
    this.limits = { offlineLimitHours: options.offlineLimitHours ?? 72, groupOfflineLimitHours: options.groupOfflineLimitHours ?? {} };
    if (!(this.limits.offlineLimitHours > 0)) throw new Error(`offlineLimitHours must be positive, got ${this.limits.offlineLimitHours}`);
    this.feedConfigured = options.feedConfigured ?? false;
    this.lang = options.lang ?? 'ru';
    this.monotonicNow = options.monotonicNow ?? (() => performance.now());
  }

  /** The in-memory copy, revalidated as {@link REVALIDATE_MS} says. */
  private current(): Aux {
    const a = this.aux;
    const gen = cacheGeneration(this.db);
    const t = this.monotonicNow();
    if (a !== null && a.gen === gen && t - a.checkedAt < REVALIDATE_MS) return a;
    const dv = dataVersion(this.db);
    if (a !== null && a.gen === gen && a.dataVersion === dv) { a.checkedAt = t; return a; }
    const sync = syncRow(this.db);
    const importing = importRow(this.db)?.kind === 'full';
    const syncKey = JSON.stringify([sync?.last_sync_at, sync?.last_full_at, sync?.cursor, sync?.last_kind]);
    if (a !== null && a.syncKey === syncKey) {
      Object.assign(a, { gen, dataVersion: dv, checkedAt: t, importing });
      return a;
    }
    const next: Aux = {
      gen, dataVersion: dv, checkedAt: t, syncKey, importing,
      lastSyncAt: sync?.last_sync_at ?? null, lastFullAt: sync?.last_full_at ?? null,
      blocksCode: new Set(), blocksGtin: new Set(), blocksBatch: new Set(), products: new Map(),
    };
    for (const b of allBlocks(this.db)) {
      if (b.kind === 1) next.blocksCode.add(b.key);
      else if (b.kind === 2) next.blocksGtin.add(b.key);
      else next.blocksBatch.add(`${b.key}\u001d${b.batch}`);
    }
    for (const p of allProducts(this.db)) {
      const info = productOf(p, p.gtin);
      if (info !== null) next.products.set(p.gtin, info);
    }
    this.aux = next;
    return next;
  }

  freshness(group?: string | null): FreshnessInfo {
    const a = this.current();
    return computeFreshness(
      { lastSyncAt: a.lastSyncAt, lastFullAt: a.lastFullAt, importing: a.importing, feedConfigured: this.feedConfigured },
      this.clock.now().getTime(), limitMsFor(this.limits, group),
    );
  }

  /**
   * A group pack's own code (SSCC) is never a unit of sale: refused, not overridable. The message
   * says what to do instead: the checkout sells the units of a pack the cache knows (it does not
   * ask the checker then); a pack it does not know must be opened and its units scanned one by one.
   */
  private aggregateVerdict(base: Verdict, sscc: string | null, lang: 'ru' | 'kk' | 'en'): Verdict {
    const units = sscc === null ? null : aggregateContentsOf(this.db, sscc)?.length ?? null;
    const messages: Verdict['messages'] = units === null
      ? {
        ru: 'Групповая упаковка (SSCC): её состав неизвестен кэшу — продать её целиком нельзя, сканируйте каждую единицу товара по одной',
        kk: 'Топтық қаптама (SSCC): құрамы кэшке белгісіз — оны тұтас сатуға болмайды, әр тауар бірлігін бір-бірлеп сканерлеңіз',
        en: 'Group pack (SSCC): its contents are unknown to the cache — it cannot be sold as a whole; scan the units one by one',
      }
      : {
        ru: `Групповая упаковка (SSCC) из ${units} ед.: на кассе продаются её единицы (каждая проверяется); сам код упаковки не продаётся`,
        kk: `${units} бірліктен тұратын топтық қаптама (SSCC): кассада оның бірліктері сатылады (әрқайсысы тексеріледі); қаптама кодының өзі сатылмайды`,
        en: `Group pack (SSCC) of ${units} units: the checkout sells its units (each one checked); the pack code itself is not a unit of sale`,
      };
    return { ...base, decision: 'refuse', overridable: false, rule: units === null ? 'aggregate-unknown' : 'aggregate-code', messages, message: messages[lang] };
  }

  check(parsed: CheckableCode, ctx: CheckContext): CheckResult {
    const now = this.clock.now();
    const checkedAt = now.toISOString();
    const today = checkedAt.slice(0, 10);
    const lang = ctx.lang ?? this.lang;
    const requestId = ctx.requestId ?? null;
    const cis = parsed.ok ? parsed.cis ?? null : null;
    if (!parsed.ok || cis === null || cis === '' || parsed.kind === 'ean' || parsed.kind === 'sscc') {
      const invalidReason = !parsed.ok ? parsed.error?.code ?? 'INVALID'
        : parsed.kind === 'ean' ? 'NOT_A_MARKING_CODE' : parsed.kind === 'sscc' ? 'AGGREGATE_CODE' : 'NO_CIS';
      const freshness = this.freshness(null);
      let verdict = decide({
        operation: ctx.operation, codeValid: false, invalidReason, facts: null, source: 'none', freshness: freshness.state,
        today, price: ctx.price, inBasket: ctx.inBasket, group: null, lang,
      });
      if (parsed.ok && parsed.kind === 'sscc') verdict = this.aggregateVerdict(verdict, parsed.ais?.['00'] ?? null, lang);
      return { verdict, facts: null, product: null, checkedAt, freshness, requestId: null, provider: null, requestTime: null };
    }

    const a = this.current();
    const gtin = parsed.gtin ?? gtinOfCis(cis);
    const batch = parsed.batch ?? null;
    const [status, expires, mrp, unitsSold, unitsTotal] = codeAndSold(this.db, cis);
    const product = gtin !== null ? a.products.get(gtin) ?? null : null;
    const group = product?.group ?? (parsed.kind !== undefined && TOBACCO_KINDS.has(parsed.kind) ? 'tobacco' : null) ?? parsed.productGroup ?? null;
    const freshness = computeFreshness(
      { lastSyncAt: a.lastSyncAt, lastFullAt: a.lastFullAt, importing: a.importing, feedConfigured: this.feedConfigured },
      now.getTime(), limitMsFor(this.limits, group),
    );
    const row: LookupRow = {
      status, expires, mrp, units_sold: unitsSold, units_total: unitsTotal,
      b_code: a.blocksCode.has(cis) ? 1 : 0,
      b_gtin: gtin !== null && a.blocksGtin.has(gtin) ? 1 : 0,
      b_batch: gtin !== null && batch !== null && a.blocksBatch.has(`${gtin}\u001d${batch}`) ? 1 : 0,
      ...NO_PRODUCT,
      min_price: product?.minPrice ?? null, grp: product?.group ?? null,
      last_sync_at: a.lastSyncAt, last_full_at: a.lastFullAt, importing: a.importing ? 1 : 0,
    };
    const local = factsOf(row);
    const { facts, source, state, decidedBy } = combineFacts(local, ctx, parsed, group, a.lastFullAt !== null, freshness.state);
    const answered = decidedBy !== 'cache' && decidedBy !== 'none';
    const verdict = decide({
      operation: ctx.operation, codeValid: true, facts, source, freshness: state, today,
      price: ctx.price ?? product?.price ?? null, inBasket: ctx.inBasket, group, lang, ...(facts.formatValid === false ? { invalidReason: 'REGISTRY_INVALID' } : {}),
    });
    return {
      verdict: { ...verdict, decidedBy }, facts, product, checkedAt, freshness,
      requestId: answered ? requestId : null, provider: answered ? decidedBy : null, requestTime: answered ? ctx.requestTime ?? null : null,
    };
  }
}

/** Units sold of a package sold in parts: this store's count and the registry's, the larger. */
function mergeUnits(local: CodeFacts['units'], remote: CodeFacts['units']): CodeFacts['units'] {
  if (local == null) return remote ?? null;
  if (remote == null) return local;
  return { sold: Math.max(local.sold, remote.sold), total: local.total };
}

/**
 * The facts one decision uses, and who vouches for them:
 * - an online answer decides the registry status; this store's own sale records and the state
 *   block lists still count (a block is conservative; a double sale here is never allowed);
 * - an offline source (the local module) adds its black list (blocked, sold) to what the cache
 *   knows, and vouches for a code it does not list: the decision is an offline one, and the
 *   module was asked only while `ready`, so the cache's own freshness does not hold it back;
 * - otherwise the cache decides as before.
 */
function combineFacts(
  local: CodeFacts, ctx: CheckContext, parsed: CheckableCode, group: string | null, everLoaded: boolean, freshness: FreshnessState,
): { facts: CodeFacts; source: CheckSource; state: FreshnessState; decidedBy: string } {
  const fromCode = { mrp: local.mrp ?? parsed.maxRetailPrice ?? null, expires: local.expires ?? parsed.expiry ?? null };
  if (ctx.online != null) {
    const o = ctx.online;
    return {
      source: 'online', state: freshness, decidedBy: ctx.provider ?? 'tanba-feed',
      facts: {
        ...o,
        // xTrace's WITHDRAWN does not tell a retail sale from other withdrawals; the cache's "sold" is the more precise reason.
        status: o.status === 'withdrawn' && local.status === 'sold' ? 'sold' : o.status,
        blocked: o.blocked || local.blocked,
        blockedBy: o.blockedBy ?? local.blockedBy,
        expires: o.expires ?? fromCode.expires,
        mrp: o.mrp ?? fromCode.mrp,
        minPrice: o.minPrice ?? local.minPrice,
        group: o.group ?? group,
        soldHere: local.soldHere,
        units: mergeUnits(local.units ?? null, o.units ?? null),
      },
    };
  }
  if (ctx.offline != null) {
    const o = ctx.offline;
    return {
      source: 'cache', state: 'ready', decidedBy: ctx.provider ?? 'local-module',
      facts: {
        ...local, ...fromCode, group,
        found: true,
        status: o.status === 'withdrawn' || o.status === 'sold' ? o.status : local.found ? local.status : 'in_circulation',
        blocked: o.blocked || local.blocked,
        blockedBy: o.blockedBy ?? local.blockedBy,
        minPrice: local.minPrice ?? o.minPrice,
        units: mergeUnits(local.units ?? null, o.units ?? null),
      },
    };
  }
  // A tobacco pack's MRP printed in the code, and the code's own expiry, count when the cache has none.
  const source: CheckSource = everLoaded ? 'cache' : 'none';
  return { source, state: freshness, decidedBy: source, facts: { ...local, ...fromCode, group } };
}

/** Creates the checker on an open database. */
export function createCodeChecker(db: Db, options: CheckerOptions = {}): CodeChecker {
  return new Checker(db, options);
}
