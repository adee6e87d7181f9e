/**
 * The basket of one register and manager overrides. A scan is parsed, checked (cache / online
 * facts, rules) and becomes a basket line or a refusal. A refused code never becomes a line (so
 * it can never reach payment) unless a manager overrides a verdict the rules mark as overridable;
 * the override is recorded and journaled at once, even if the basket is later cancelled.
 */
import { randomUUID } from 'node:crypto';
import type { ParseResult } from '../marking/index.ts';
import { answerContext, getProduct } from '../cache/index.ts';
import type { CheckoutContext } from './context.ts';
import type { SalesGate } from './gate.ts';
import { checkRecord, computeSum, lineFrom, localVerdict, toMilli, type CheckLike, type Parsed } from './lines.ts';
import { approveOverride } from './override.ts';
import { CheckoutError, type BasketLine, type OverrideApproval, type Refusal, type ScanOptions, type ScanResult } from './types.ts';

/** The basket. */
export interface Basket {
  scan(raw: string, options?: ScanOptions): ScanResult;
  setPrice(lineId: string, price: number): BasketLine;
  removeLine(lineId: string): void;
  cancel(): void;
  view(): { lines: BasketLine[]; refusals: Refusal[]; total: number };
  override(refusalId: string, approval: OverrideApproval): BasketLine;
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

/**
 * A plain retail barcode. Unmarked goods need no status check; but a product the catalogue
 * lists as marked must be sold by its marking code (the law requires scanning it), so its EAN
 * is refused — not overridable.
 */
function scanUnmarked(ctx: CheckoutContext, state: { lines: BasketLine[]; refusals: Refusal[] }, raw: string, parsed: Parsed, options: ScanOptions): ScanResult {
  const { lines, refusals } = state;
  const product = parsed.gtin ? getProduct(ctx.db, parsed.gtin) : null;
  const at = ctx.now();
  if (product !== null) {
    const verdict = localVerdict(ctx.config, 'refuse', 'INVALID_CODE', 'ean-of-marked', {
      ru: `${product.name}: товар маркируется — сканируйте код маркировки (DataMatrix), а не штрихкод`,
      kk: `${product.name}: тауар таңбаланады — штрихкодты емес, таңбалау кодын (DataMatrix) сканерлеңіз`,
      en: `${product.name}: marked goods — scan the marking code (DataMatrix), not the barcode`,
    });
    const r: Refusal = { id: randomUUID(), code: raw, cis: null, verdict, check: { source: 'none', requestId: null, checkedAt: at } };
    refusals.push(r);
    return { ok: false, refusal: r };
  }
  const verdict = localVerdict(ctx.config, 'allow', 'OK', 'unmarked', { ru: 'Немаркированный товар', kk: 'Таңбаланбаған тауар', en: 'Unmarked goods' });
  const same = lines.find((l) => l.cis === null && l.gtin === parsed.gtin && l.fromAggregate === null && (options.price === undefined || l.price === options.price));
  if (same) {
    same.quantityMilli += options.quantity !== undefined ? toMilli(options.quantity) : 1000;
    computeSum(same);
    return { ok: true, lines: [same] };
  }
  const line = lineFrom(raw, parsed, { verdict, facts: null, product: null, checkedAt: at, requestId: null }, options, null);
  lines.push(line);
  return { ok: true, lines: [line] };
}

/** Creates the basket of one register. */
export function createBasket(ctx: CheckoutContext, gate: SalesGate): Basket {
  const { checker } = ctx;
  const lines: BasketLine[] = [];
  const refusals: Refusal[] = [];
  let cashier: string | null = null;

  function refusalOf(raw: string, parsed: ParseResult, result: CheckLike): Refusal {
    const r: Refusal = { id: randomUUID(), code: raw, cis: parsed.ok ? parsed.cis : null, verdict: result.verdict, check: checkRecord(result) };
    refusals.push(r);
    return r;
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
    if (parsed.ok && parsed.kind === 'ean') return scanUnmarked(ctx, { lines, refusals }, raw, parsed, options);
    const cis = parsed.ok ? parsed.cis : null;
    const result = checker.check(parsed, { operation: 'sale', price: options.price ?? null, inBasket: inBasket(cis), ...answerContext(options.online, cis) });
    if (!parsed.ok || result.verdict.decision === 'refuse') return { ok: false, refusal: refusalOf(raw, parsed, result) };
    const line = lineFrom(raw, parsed, result, options, fromAggregate);
    lines.push(line);
    return { ok: true, lines: [line] };
  }

  return {
    scan(raw, options = {}) {
      if (typeof raw !== 'string' || raw.length === 0) throw new CheckoutError('BAD_INPUT', 'empty scan');
      if (options.price !== undefined && !(Number.isSafeInteger(options.price) && options.price >= 0)) {
        throw new CheckoutError('BAD_INPUT', `price must be whole minor units (tiyn) ≥ 0, got ${options.price}`);
      }
      if (options.quantity !== undefined && !(Number.isFinite(options.quantity) && options.quantity > 0)) {
        throw new CheckoutError('BAD_QUANTITY', `quantity must be above zero, got ${options.quantity}`);
      }
      // Early and clear: no point filling a basket that cannot be sold.
      gate.assertSalesAllowed();
      return scanOne(raw, options, null);
    },

    setPrice(lineId, price) {
      const line = lines.find((l) => l.id === lineId);
      if (!line) throw new CheckoutError('NOT_FOUND', `no basket line ${lineId}`);
      if (!Number.isSafeInteger(price) || price < 0) throw new CheckoutError('BAD_INPUT', `price must be whole minor units ≥ 0, got ${price}`);
      if (line.cis !== null && line.override === null) {
        // The price can change the verdict (max retail / minimum price): decide again.
        const result = checker.check(ctx.parse(line.code), { operation: 'sale', price, inBasket: false });
        if (result.verdict.decision === 'refuse') throw new CheckoutError('BAD_INPUT', `price ${price} refused for this code: ${result.verdict.message}`);
        line.verdict = result.verdict;
        line.check = checkRecord(result);
      }
      line.price = price;
      computeSum(line);
      return line;
    },

    removeLine(lineId) {
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
    },

    cancel() {
      lines.length = 0;
      refusals.length = 0;
    },

    view() {
      return { lines: lines.map((l) => ({ ...l })), refusals: [...refusals], total: lines.reduce((s, l) => s + (l.sum ?? 0), 0) };
    },

    override(refusalId, approval) {
      const i = refusals.findIndex((r) => r.id === refusalId);
      const refusal = refusals[i];
      if (!refusal) throw new CheckoutError('NOT_FOUND', `no refused scan ${refusalId} in the basket`);
      const line = approveOverride(ctx, refusal, approval, { cashier, inBasket });
      refusals.splice(i, 1);
      lines.push(line);
      return line;
    },

    lines: () => lines,
    isEmpty: () => lines.length === 0,
    drop(taken) {
      for (const l of taken) {
        const k = lines.indexOf(l);
        if (k >= 0) lines.splice(k, 1);
      }
    },
    refuse(refusal) { refusals.push(refusal); },
    cashier: () => cashier,
    setCashier(name) { cashier = name; },
  };
}
