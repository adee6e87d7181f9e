/**
 * Basket lines: what a checked code becomes (quantity, units, price, sum, how it was checked) and
 * the verdicts the checkout gives by itself (unmarked goods, an EAN of marked goods).
 */
import { randomUUID } from 'node:crypto';
import type { CheckResult } from '../cache/index.ts';
import type { ParseResult } from '../marking/index.ts';
import { MAX_QUANTITY, MAX_TOTAL, type Verdict } from '../rules/index.ts';
import { codeForMessage } from './context.ts';
import { lineSum } from './money.ts';
import { CheckoutError, type BasketLine, type CatalogFacts, type CheckoutConfig, type CheckRecord, type ScanOptions } from './types.ts';

/** The parts of a check result a line keeps. */
export type CheckLike = Pick<CheckResult, 'verdict' | 'facts' | 'product' | 'checkedAt' | 'requestId'> & Partial<Pick<CheckResult, 'provider' | 'requestTime'>>;
/** A code that parsed. */
export type Parsed = Extract<ParseResult, { ok: true }>;

/** How a code was checked, as the line records it. */
export function checkRecord(result: CheckLike): CheckRecord {
  return {
    source: result.verdict.source, requestId: result.requestId ?? null, checkedAt: result.checkedAt,
    provider: result.provider ?? null, requestTime: result.requestTime ?? null,
  };
}

/** Sets a line's sum from its price and quantity (null while it has no price). */
export function computeSum(line: BasketLine): void {
  const sum = line.price === null ? null : lineSum(line.price, line.quantityMilli);
  if (sum !== null && sum > MAX_TOTAL) throw new CheckoutError('BAD_INPUT', `a line of ${line.quantityMilli / 1000} x ${line.price} is above the limit ${MAX_TOTAL} (minor units) of one sum`);
  line.sum = sum;
}

/** A quantity in thousandths (unmarked goods may be sold in fractions). */
export function toMilli(quantity: number): number {
  const milli = Math.round(quantity * 1000);
  if (milli <= 0 || !Number.isSafeInteger(milli) || milli > MAX_QUANTITY * 1000) throw new CheckoutError('BAD_QUANTITY', `quantity ${quantity} is not a positive amount up to ${MAX_QUANTITY}`);
  return milli;
}

/** How much of a code goes on its line: thousandths and, for a package sold in parts, units. */
function quantityOf(raw: string, parsed: Parsed, result: CheckLike, options: ScanOptions): { quantityMilli: number; units: number | null } {
  const product = result.product;
  const partial = result.facts?.units ?? (product?.partial != null && product.partial > 1 ? { sold: 0, total: product.partial } : null);
  if (parsed.cis === null) {
    // Unmarked goods: any positive quantity, kept in thousandths as the fiscal protocol.
    return { quantityMilli: options.quantity !== undefined ? toMilli(options.quantity) : 1000, units: null };
  }
  if (parsed.netWeightGrams !== null) {
    // Weighted marked goods: the weight in the code (AI 310n) is the quantity in kg; price per kg.
    if (parsed.netWeightGrams <= 0 || parsed.netWeightGrams > MAX_QUANTITY * 1000) {
      throw new CheckoutError('BAD_QUANTITY', `code ${codeForMessage(raw)}: net weight must be above zero and at most ${MAX_QUANTITY} kg`);
    }
    return { quantityMilli: parsed.netWeightGrams, units: null };
  }
  if (partial) {
    const want = options.quantity ?? 1;
    const left = partial.total - partial.sold;
    if (!Number.isInteger(want) || want < 1 || want > left) {
      throw new CheckoutError('BAD_QUANTITY', `code ${codeForMessage(raw)}: ${left} of ${partial.total} units left in this package, cannot sell ${want}`);
    }
    return { quantityMilli: want * 1000, units: want };
  }
  if (options.quantity !== undefined && options.quantity !== 1) {
    throw new CheckoutError('BAD_QUANTITY', `code ${codeForMessage(raw)}: one marked unit per code — scan each unit's own code`);
  }
  return { quantityMilli: 1000, units: null };
}

/** A basket line for an allowed (or overridden) code. */
export function lineFrom(raw: string, parsed: Parsed, result: CheckLike, options: ScanOptions, fromAggregate: string | null): BasketLine {
  const product = result.product;
  const { quantityMilli, units } = quantityOf(raw, parsed, result, options);
  const line: BasketLine = {
    id: randomUUID(), code: raw, cis: parsed.cis, gtin: parsed.gtin, kind: parsed.kind,
    name: product?.name ?? (parsed.gtin ? `GTIN ${parsed.gtin}` : 'item'),
    nameKk: product?.nameKk ?? null,
    group: product?.group ?? parsed.productGroup,
    unit: product?.unit ?? (parsed.netWeightGrams !== null ? 'kg' : null),
    ai: product?.ai ?? false,
    price: options.price ?? product?.price ?? null,
    quantityMilli, units, sum: null, verdict: result.verdict, check: checkRecord(result), override: null, fromAggregate,
    // The feed's VAT category; the National Catalogue's, when it has one, is applied after it.
    ...(product?.vat ? { vatCategory: product.vat } : {}),
  };
  computeSum(line);
  applyCatalog(line, options.catalog ?? null);
  return line;
}

/**
 * Puts the National Catalogue's answer on a line: its NTIN, the catalogue names (ru / kk), the
 * unit; the candidates when the cashier must pick one; a note when the product is not in it.
 */
export function applyCatalog(line: BasketLine, facts: CatalogFacts | null): void {
  if (facts === null) return;
  if (!facts.found) {
    line.ntin = null;
    line.catalogNote = facts.reason ?? 'not in the National Catalogue';
    return;
  }
  if (facts.vat) line.vatCategory = facts.vat;
  if (facts.measureUnitCode && line.unit === null) line.unit = facts.measureUnitCode;
  if (facts.ntin === null) {
    line.ntinCandidates = facts.candidates;
    return;
  }
  line.ntin = facts.ntin;
  line.ntinCandidates = null;
  const chosen = facts.candidates.find((c) => c.ntin === facts.ntin);
  const title = chosen?.title ?? facts.title;
  if (title) line.name = title;
  // The catalogue's Kazakh name, else the feed's (the Russian name may come from either).
  line.nameKk = chosen?.titleKk ?? facts.titleKk ?? line.nameKk ?? null;
}

/** The cashier's pick among a line's candidate NTINs. */
export function chooseLineNtin(line: BasketLine, ntin: string): void {
  const c = (line.ntinCandidates ?? []).find((x) => x.ntin === ntin);
  if (!c) throw new CheckoutError('BAD_INPUT', `${ntin} is not one of the NTINs the National Catalogue lists for this product`);
  line.ntin = c.ntin;
  line.name = c.title;
  line.nameKk = c.titleKk;
  line.ntinCandidates = null;
}

/** The refusal texts of a product not in the National Catalogue under the 'refuse' policy. */
export function notInCatalogueMessages(reason: string | undefined): { ru: string; kk: string; en: string } {
  const unavailable = reason === 'catalogue unavailable';
  return unavailable ? {
    ru: 'Национальный каталог товаров недоступен, товар в нём не найден — продажа без кода НКТ запрещена настройками',
    kk: 'Тауарлардың ұлттық каталогы қолжетімсіз, тауар табылмады — НКТ кодынсыз сату баптаулармен тыйым салынған',
    en: 'The National Catalogue is unavailable and does not know this product — selling without an NTIN is refused by configuration',
  } : {
    ru: 'Товара нет в Национальном каталоге товаров (НКТ) — продажа без кода НКТ запрещена настройками',
    kk: 'Тауар Тауарлардың ұлттық каталогында (НКТ) жоқ — НКТ кодынсыз сату баптаулармен тыйым салынған',
    en: 'The product is not in the National Catalogue (NTIN) — selling without an NTIN is refused by configuration',
  };
}

/** A verdict the checkout gives by itself (not the rules), in the receipt's first language. */
export function localVerdict(config: Pick<CheckoutConfig, 'languages'>, decision: Verdict['decision'], reason: Verdict['reason'], rule: string, messages: Verdict['messages']): Verdict {
  const lang = config.languages[0] ?? 'ru';
  return { decision, reason, message: messages[lang], messages, source: 'none', overridable: false, offline: false, rule };
}
