/**
 * The basket of one register and manager overrides. A scan is parsed, checked (cache / online
 * facts, rules) and becomes a basket line or a refusal. A refused code never becomes a line (so
 * it can never reach payment) unless a manager overrides a verdict the rules mark as overridable;
 * the override is recorded and journaled at once, even if the basket is later cancelled.
 */
import { randomUUID } from 'node:crypto';
import type { ParseResult } from '../marking/index.ts';
import { answerContext, getProduct } from '../cache/index.ts';
import { MAX_LINES, MAX_QUANTITY, MAX_REFUSALS_KEPT, MAX_TOTAL } from '../rules/index.ts';
import { chooseCatalogNtin } from '../store/index.ts';
import { checkPrice, createPriceGuard, type PriceGuard } from './prices.ts';
import type { CheckoutContext } from './context.ts';
import type { SalesGate } from './gate.ts';
import { codeForMessage } from './context.ts';
import { checkRecord, chooseLineNtin, computeSum, lineFrom, localVerdict, notInCatalogueMessages, toMilli, type CheckLike, type Parsed } from './lines.ts';
import { approveOverride } from './override.ts';
import { applyOwnProduct, assertQuantityFits, changeQuantity, ownProduct } from './store-goods.ts';
import { CheckoutError, type BasketLine, type OverrideApproval, type Refusal, type ScanOptions, type ScanResult } from './types.ts';

/** The basket. */
export interface Basket {
  scan(raw: string, options?: ScanOptions): ScanResult;
  setPrice(lineId: string, price: number): BasketLine;
  /** A line of unmarked goods changes its quantity (whole pieces, or kg for weighed goods). */
  setQuantity(lineId: string, quantity: number): BasketLine;
  removeLine(lineId: string): void;
  cancel(): void;
  /** The basket; `refusalCount` counts every refusal, `refusals` keeps the latest {@link MAX_REFUSALS_KEPT}. */
  view(): { lines: BasketLine[]; refusals: Refusal[]; refusalCount: number; total: number };
  /**
   * At payment, once more: every line's price passes the price rules (also a line a manager
   * overrode: no price rule is overridable) and the lines, sums and total stay within the limits.
   */
  assertPayable(): void;
  override(refusalId: string, approval: OverrideApproval): BasketLine;
  /** The cashier's pick among a line's NTINs; remembered for the barcode in this store. */
  chooseNtin(lineId: string, ntin: string): BasketLine;
  /** The same pick by barcode: every basket line of that barcode still waiting for it; remembered. */
  chooseNtinForBarcode(barcode: string, ntin: string): BasketLine[];
  /** The live lines (the sale is made of them). */
  lines(): readonly BasketLine[];
  isEmpty(): boolean;
  /** The cashier the basket is sold by (set when a shift opens); null: the open shift's cashier. */
  cashier(): string | null;
  setCashier(name: string): void;
  /** Takes lines out without a trace (a scan the store's guard refused after the local check). */
  drop(taken: readonly BasketLine[]): void;
  /** Adds a refusal decided outside the rules table's input (another lane holds the code). */
  refuse(refusal: Refusal): void;
}

/** What a scan changes: the lines and the ways to add a line or a refusal within the limits. */
interface BasketState {
  readonly lines: BasketLine[];
  pushRefusal(r: Refusal): Refusal;
  addLine(line: BasketLine, result: CheckLike): void;
}

/**
 * A plain retail barcode. Unmarked goods need no status check; but a product the catalogue
 * lists as marked must be sold by its marking code (the law requires scanning it), so its EAN
 * is refused — not overridable.
 */
function scanUnmarked(ctx: CheckoutContext, state: BasketState, raw: string, parsed: Parsed, options: ScanOptions): ScanResult {
  const { lines } = state;
  const product = parsed.gtin ? getProduct(ctx.db, parsed.gtin) : null;
  const at = ctx.now();
  if (product !== null) {
    const verdict = localVerdict(ctx.config, 'refuse', 'INVALID_CODE', 'ean-of-marked', {
      ru: `${product.name}: товар маркируется — сканируйте код маркировки (DataMatrix), а не штрихкод`,
      kk: `${product.name}: тауар таңбаланады — штрихкодты емес, таңбалау кодын (DataMatrix) сканерлеңіз`,
      en: `${product.name}: marked goods — scan the marking code (DataMatrix), not the barcode`,
    });
    const r: Refusal = { id: randomUUID(), code: raw, cis: null, verdict, check: { source: 'none', requestId: null, checkedAt: at } };
    state.pushRefusal(r);
    return { ok: false, refusal: r };
  }
  const refusal = notInCatalogueRefusal(ctx, (r) => state.pushRefusal(r), raw, options);
  if (refusal) return { ok: false, refusal };
  const verdict = localVerdict(ctx.config, 'allow', 'OK', 'unmarked', { ru: 'Немаркированный товар', kk: 'Таңбаланбаған тауар', en: 'Unmarked goods' });
  const own = ownProduct(ctx.db, raw, parsed.gtin);
  const same = lines.find((l) => l.cis === null && l.gtin === parsed.gtin && l.fromAggregate === null && (options.price === undefined || l.price === options.price));
  if (same) {
    const quantityMilli = same.quantityMilli + (options.quantity !== undefined ? toMilli(options.quantity) : 1000);
    if (quantityMilli > MAX_QUANTITY * 1000) throw new CheckoutError('BAD_QUANTITY', `quantity ${quantityMilli / 1000} of one line is above the limit ${MAX_QUANTITY}`);
    assertQuantityFits(own, quantityMilli, same.name);
    computeSum({ ...same, quantityMilli });
    same.quantityMilli = quantityMilli;
    computeSum(same);
    return { ok: true, lines: [same] };
  }
  const checked = { verdict, facts: null, product: null, checkedAt: at, requestId: null };
  const line = lineFrom(raw, parsed, checked, options, null);
  applyOwnProduct(line, own, options.price);
  state.addLine(line, checked);
  return { ok: true, lines: [line] };
}

/** Under the 'refuse' policy, a product the National Catalogue does not know is refused (not overridable). */
function notInCatalogueRefusal(ctx: CheckoutContext, pushRefusal: (r: Refusal) => Refusal, raw: string, options: ScanOptions): Refusal | null {
  const facts = options.catalog;
  if (!facts || facts.found || ctx.config.catalogNotFound !== 'refuse') return null;
  const verdict = localVerdict(ctx.config, 'refuse', 'NOT_FOUND', 'not-in-catalogue', notInCatalogueMessages(facts.reason));
  const r: Refusal = { id: randomUUID(), code: raw, cis: null, verdict, check: { source: 'none', requestId: null, checkedAt: ctx.now() } };
  return pushRefusal(r);
}

/** The basket total with one more (or a changed) line stays within {@link MAX_TOTAL}. */
function assertTotalWithin(others: readonly BasketLine[], line: BasketLine): void {
  const total = others.reduce((s, l) => s + (l.sum ?? 0), 0) + (line.sum ?? 0);
  if (total > MAX_TOTAL) throw new CheckoutError('BAD_INPUT', `the basket total would be above the limit ${MAX_TOTAL} (minor units)`);
}

/** At payment: every line's price passes the price rules and the total stays within the limit. */
function assertPayable(lines: readonly BasketLine[], prices: PriceGuard): void {
  if (lines.length > MAX_LINES) throw new CheckoutError('BAD_INPUT', `the basket holds at most ${MAX_LINES} lines`);
  let total = 0;
  for (const line of lines) {
    if (line.price === null) continue;
    const problem = prices.problem(line, line.price);
    if (problem) throw new CheckoutError('PRICE_REFUSED', `${codeForMessage(line.code)} (${line.name}): ${problem.message} — change the price or remove the line`);
    total += line.sum ?? 0;
  }
  if (total > MAX_TOTAL) throw new CheckoutError('BAD_INPUT', `the basket total ${total} is above the limit ${MAX_TOTAL} (minor units)`);
}

/** A line's price changes: the price rules are asked again, and the totals stay within the limits. */
function changePrice(ctx: CheckoutContext, lines: BasketLine[], prices: PriceGuard, lineId: string, price: number): BasketLine {
  const line = lines.find((l) => l.id === lineId);
  if (!line) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
  checkPrice(price);
  // The price can change the verdict (max retail / minimum price): the price rules are asked
  // again for every marked line, an overridden one too (no price rule is overridable).
  const problem = prices.problem(line, price);
  if (problem) throw new CheckoutError('PRICE_REFUSED', `price ${price} refused for this code: ${problem.message}`);
  const changed = { ...line, price };
  computeSum(changed);
  assertTotalWithin(lines.filter((l) => l.id !== line.id), changed);
  if (line.cis !== null && line.override === null) {
    const result = ctx.checker.check(ctx.parse(line.code), { operation: 'sale', price, inBasket: false });
    if (result.verdict.decision === 'refuse') throw new CheckoutError('BAD_INPUT', `price ${price} refused for this code: ${result.verdict.message}`);
    line.verdict = result.verdict;
    line.check = checkRecord(result);
  }
  line.price = price;
  computeSum(line);
  return line;
}

/** A line (a group pack as a whole) or a refused scan leaves the basket. */
function removeFromBasket(lines: BasketLine[], refusals: Refusal[], lineId: string): void {
  const i = lines.findIndex((l) => l.id === lineId);
  if (i < 0) {
    const j = refusals.findIndex((r) => r.id === lineId);
    if (j < 0) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
    refusals.splice(j, 1);
    return;
  }
  const agg = (lines[i] as BasketLine).fromAggregate;
  if (agg !== null) {
    // A group pack leaves the basket as a whole.
    for (let k = lines.length - 1; k >= 0; k--) if ((lines[k] as BasketLine).fromAggregate === agg) lines.splice(k, 1);
  } else lines.splice(i, 1);
}

/**
 * The cashier's NTIN pick for a barcode (the UI's dialog): applied to every basket line of that
 * barcode still waiting for it and remembered for the barcode in this store, so the next scan
 * sells under it without asking. Throws BAD_INPUT (not a barcode, not one of its NTINs) or
 * NOT_FOUND (no line waits for it and the catalogue table does not list that NTIN for it).
 */
function chooseNtinByBarcode(ctx: CheckoutContext, lines: readonly BasketLine[], barcode: string, ntin: string): BasketLine[] {
  if (!/^\d{8,14}$/.test(barcode)) throw new CheckoutError('BAD_INPUT', `barcode '${barcode}' must be 8 to 14 digits`);
  const key = barcode.padStart(14, '0');
  const waiting = lines.filter((l) => l.gtin === key && (l.ntinCandidates?.length ?? 0) > 0);
  // Checked on every line before any changes: all or nothing.
  const bad = waiting.find((l) => !(l.ntinCandidates ?? []).some((c) => c.ntin === ntin));
  if (bad) throw new CheckoutError('BAD_INPUT', `${ntin} is not one of the NTINs the National Catalogue lists for barcode ${barcode} (${(bad.ntinCandidates ?? []).map((c) => c.ntin).join(', ')})`);
  for (const line of waiting) chooseLineNtin(line, ntin);
  const remembered = chooseCatalogNtin(ctx.db, key, ntin);
  if (waiting.length === 0 && !remembered) {
    throw new CheckoutError('NOT_FOUND', `the National Catalogue table lists no NTIN ${ntin} for barcode ${barcode}, and no basket line waits for a choice`);
  }
  return waiting;
}

/** Creates the basket of one register. */
export function createBasket(ctx: CheckoutContext, gate: SalesGate): Basket {
  const { checker } = ctx;
  const lines: BasketLine[] = [];
  const refusals: Refusal[] = [];
  let refusalCount = 0; // every refusal of this basket; the list keeps only the latest
  const prices = createPriceGuard(ctx);
  let cashier: string | null = null;

  function refusalOf(raw: string, parsed: ParseResult, result: CheckLike): Refusal {
    return pushRefusal({ id: randomUUID(), code: raw, cis: parsed.ok ? parsed.cis : null, verdict: result.verdict, check: checkRecord(result), name: result.product?.name ?? null });
  }

  /** Keeps the latest refusals only: junk scans cannot grow the basket (and every event) without limit. */
  function pushRefusal(r: Refusal): Refusal {
    refusals.push(r);
    refusalCount++;
    if (refusals.length > MAX_REFUSALS_KEPT) refusals.splice(0, refusals.length - MAX_REFUSALS_KEPT);
    return r;
  }

  /** A new line joins the basket: the line count and the basket total stay within the limits. */
  function addLine(line: BasketLine, result: CheckLike): void {
    if (lines.length >= MAX_LINES) throw new CheckoutError('BAD_INPUT', `the basket holds at most ${MAX_LINES} lines: pay this one and start another`);
    assertTotalWithin(lines, line);
    prices.remember(line.id, result.facts);
    lines.push(line);
  }

  const inBasket = (cis: string | null): boolean => cis !== null && lines.some((l) => l.cis === cis);

  /** A group pack (SSCC / aggregate): sell its contents when the cache knows them, all or nothing. */
  function scanAggregate(raw: string, parsed: Parsed, options: ScanOptions): ScanResult {
    const contents = ctx.aggregateContents(raw);
    if (contents === null || contents.length === 0) {
      const result = checker.check(parsed, { operation: 'sale', price: options.price ?? null, inBasket: false });
      return { ok: false, refusal: refusalOf(raw, parsed, { ...result, verdict: { ...result.verdict, decision: 'refuse' } }) };
    }
    const added: BasketLine[] = [];
    for (const child of contents) {
      const r = scanOne(child, { price: options.price, online: options.online ?? null }, raw);
      if (!r.ok) {
        // All or nothing: a group pack with one refused unit is not put in the basket at all.
        for (const l of added) lines.splice(lines.indexOf(l), 1);
        return r;
      }
      added.push(...r.lines);
    }
    return { ok: true, lines: added };
  }

  function scanOne(raw: string, options: ScanOptions, fromAggregate: string | null): ScanResult {
    const parsed = ctx.parse(raw);
    if (parsed.ok && parsed.cis === null && parsed.kind !== 'ean') return scanAggregate(raw, parsed, options);
    if (parsed.ok && parsed.kind === 'ean') return scanUnmarked(ctx, { lines, pushRefusal, addLine }, raw, parsed, options);
    const cis = parsed.ok ? parsed.cis : null;
    const result = checker.check(parsed, { operation: 'sale', price: options.price ?? null, inBasket: inBasket(cis), ...answerContext(options.online, cis) });
    if (!parsed.ok || result.verdict.decision === 'refuse') return { ok: false, refusal: refusalOf(raw, parsed, result) };
    const refusal = notInCatalogueRefusal(ctx, pushRefusal, raw, options);
    if (refusal) return { ok: false, refusal };
    const line = lineFrom(raw, parsed, result, options, fromAggregate);
    addLine(line, result);
    return { ok: true, lines: [line] };
  }

  return {
    scan(raw, options = {}) {
      if (typeof raw !== 'string' || raw.length === 0) throw new CheckoutError('BAD_INPUT', 'empty scan');
      if (options.price !== undefined) checkPrice(options.price);
      if (options.quantity !== undefined && !(Number.isFinite(options.quantity) && options.quantity > 0 && options.quantity <= MAX_QUANTITY)) {
        throw new CheckoutError('BAD_QUANTITY', `quantity must be above zero and at most ${MAX_QUANTITY}, got ${options.quantity}`);
      }
      // Early and clear: no point filling a basket that cannot be sold.
      gate.assertSalesAllowed();
      return scanOne(raw, options, null);
    },

    setPrice: (lineId, price) => changePrice(ctx, lines, prices, lineId, price),
    setQuantity: (lineId, quantity) => changeQuantity(ctx.db, lines, lineId, quantity, assertTotalWithin),

    removeLine: (lineId) => removeFromBasket(lines, refusals, lineId),

    cancel() {
      lines.length = 0;
      refusals.length = 0;
      refusalCount = 0;
      prices.clear();
    },

    view() {
      return { lines: lines.map((l) => ({ ...l })), refusals: [...refusals], refusalCount, total: lines.reduce((s, l) => s + (l.sum ?? 0), 0) };
    },

    assertPayable: () => assertPayable(lines, prices),

    override(refusalId, approval) {
      const i = refusals.findIndex((r) => r.id === refusalId);
      const refusal = refusals[i];
      if (!refusal) throw new CheckoutError('NOT_FOUND', `no refused scan ${refusalId} in the basket`);
      const line = approveOverride(ctx, refusal, approval, { cashier, inBasket });
      refusals.splice(i, 1);
      addLine(line, { verdict: line.verdict, facts: null, product: null, checkedAt: line.check.checkedAt, requestId: line.check.requestId });
      return line;
    },

    chooseNtin(lineId, ntin) {
      const line = lines.find((l) => l.id === lineId);
      if (!line) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
      chooseLineNtin(line, ntin);
      // Remembered for this barcode in this store: the next scan sells under the same NTIN.
      if (line.gtin !== null) chooseCatalogNtin(ctx.db, line.gtin, ntin);
      return line;
    },

    chooseNtinForBarcode: (barcode, ntin) => chooseNtinByBarcode(ctx, lines, barcode, ntin),

    lines: () => lines,
    isEmpty: () => lines.length === 0,
    drop(taken) {
      for (const l of taken) {
        const k = lines.indexOf(l);
        if (k >= 0) lines.splice(k, 1);
      }
    },
    refuse(refusal) { pushRefusal(refusal); },
    cashier: () => cashier,
    setCashier(name) { cashier = name; },
  };
}
