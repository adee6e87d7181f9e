/**
 * The checkout service: one in-memory basket per register, driven alike by the UI and the CLI.
 * This module wires its parts and keeps the public interface:
 *
 * - basket.ts: scan -> parse -> check (cache / online, rules) -> basket line or refusal; price
 *   changes; manager overrides.
 * - shifts.ts: open, close (Z report queued for the OFD), X report.
 * - commit.ts: a sale from the basket and a return against a sale, each written with its outbox
 *   row and journal entry in ONE transaction; the receipt is read back only after COMMIT.
 * - gate.ts: the fiscal gate (offline limit, OFD block) every scan and document passes.
 */
import { randomUUID } from 'node:crypto';
import { laneVerdict } from '../rules/index.ts';
import type { CashMovement, PurgeResult, ShiftRow } from '../store/index.ts';
import { createCash } from './cash.ts';
import { createBasket } from './basket.ts';
import { createDocuments, type CommittedDocument, type ContactInput, type ReturnOptions } from './commit.ts';
import { checkoutContext, type CheckoutDeps } from './context.ts';
import { createSalesGate } from './gate.ts';
import { buildReceipt, type ReceiptModel } from './receipt.ts';
import { createShifts, type ShiftReport } from './shifts.ts';
import { CheckoutError, type BasketLine, type OverrideApproval, type Payment, type Refusal, type ScanOptions, type ScanResult } from './types.ts';

/** The checkout of one register. */
export interface Checkout {
  openShift(cashier: string): ShiftRow;
  closeShift(): ShiftReport;
  xReport(): ShiftReport;
  /** The open shift's figures, recording nothing. */
  shiftFigures(): ShiftReport;
  currentShift(): ShiftRow | undefined;
  scan(raw: string, options?: ScanOptions): ScanResult;
  /**
   * `scan`, then the store's shared reservation of each new marked line (issue 19): a code another
   * lane holds is refused (ALREADY_IN_BASKET / SOLD naming that lane) and leaves the basket. With
   * no store NATS it is `scan`.
   */
  scanGuarded(raw: string, options?: ScanOptions): Promise<ScanResult>;
  setPrice(lineId: string, price: number): BasketLine;
  /** A line of unmarked goods changes its quantity (whole pieces, or kg for weighed goods). */
  setQuantity(lineId: string, quantity: number): BasketLine;
  removeLine(lineId: string): void;
  cancelBasket(): void;
  basket(): { lines: BasketLine[]; refusals: Refusal[]; refusalCount: number; total: number };
  /**
   * Sells a refused scan on an approval. The approver was authenticated by the caller (the
   * API checks name + PIN with lockouts); here only their role is checked again.
   */
  override(refusalId: string, approval: OverrideApproval): BasketLine;
  /** The cashier's pick among a line's NTINs (remembered for the barcode). */
  chooseNtin(lineId: string, ntin: string): BasketLine;
  /** The pick by barcode: every line of it waiting for one; remembered for the barcode in this store. */
  chooseNtinForBarcode(barcode: string, ntin: string): BasketLine[];
  completeSale(input: { payments: Payment[]; contact?: ContactInput }): CommittedDocument;
  returnLines(saleId: string, items: readonly string[], options?: ReturnOptions): CommittedDocument;
  getReceipt(documentId: string): ReceiptModel | undefined;
  purgeContacts(): PurgeResult;
  /** Cash in or out of the open shift's drawer (the opening float is a deposit with `float`). */
  placeMoney(operation: 'deposit' | 'withdrawal', sum: number, options?: { float?: boolean; reason?: string }): CashMovement;
  /** The open shift's cash movements. */
  cashMovements(): CashMovement[];
}

/** Creates the checkout service for one register. */
export function createCheckout(deps: CheckoutDeps): Checkout {
  const ctx = checkoutContext(deps);
  const gate = createSalesGate(ctx, deps.fiscal);
  const shifts = createShifts(ctx);
  const basket = createBasket(ctx, gate);
  const documents = createDocuments(ctx, gate, shifts);
  const cash = createCash(ctx, shifts);
  const { guard } = ctx;
  /** Tells the guard about marked codes that left the basket. */
  const releaseGone = (before: readonly BasketLine[]): void => {
    const still = new Set(basket.lines());
    for (const l of before) if (!still.has(l) && l.cis !== null) guard.release(l.cis);
  };

  return {
    currentShift: shifts.current,
    openShift(cashier) {
      const shift = shifts.open(cashier);
      basket.setCashier(cashier);
      return shift;
    },
    closeShift() {
      if (!basket.isEmpty()) throw new CheckoutError('BASKET_NOT_EMPTY', 'the basket is not empty: complete or cancel it before closing the shift');
      return shifts.close();
    },
    xReport: shifts.xReport,
    shiftFigures: shifts.figures,
    scan: basket.scan,
    async scanGuarded(raw, options) {
      const result = basket.scan(raw, options);
      if (!result.ok) return result;
      const marked = result.lines.filter((l) => l.cis !== null);
      if (marked.length === 0) return result;
      const answers = await Promise.all(marked.map((l) => guard.reserve(l.cis as string, l.code)));
      const held = answers.find((a) => !a.ok);
      if (held === undefined || held.ok) return result;
      // All or nothing (a group pack): the lines leave, the codes this lane got are let go.
      answers.forEach((a, i) => { if (a.ok && a.guarded) guard.release((marked[i] as BasketLine).cis as string); });
      basket.drop(result.lines);
      const first = marked[answers.indexOf(held)] as BasketLine;
      const verdict = laneVerdict(held.reason, held.lane, deps.config.languages[0] ?? 'ru');
      const refusal: Refusal = { id: randomUUID(), code: raw, cis: first.cis, verdict, check: { source: 'none', requestId: null, checkedAt: ctx.now() } };
      basket.refuse(refusal);
      return { ok: false, refusal };
    },
    setPrice: basket.setPrice,
    setQuantity: basket.setQuantity,
    removeLine(lineId) {
      const before = [...basket.lines()];
      basket.removeLine(lineId);
      releaseGone(before);
    },
    cancelBasket() {
      const before = [...basket.lines()];
      basket.cancel();
      releaseGone(before);
    },
    basket: basket.view,
    override: basket.override,
    chooseNtin: basket.chooseNtin,
    chooseNtinForBarcode: basket.chooseNtinForBarcode,
    completeSale(input) {
      // Once more at payment: the price rules see the price the customer pays, on every path.
      basket.assertPayable();
      const doc = documents.sell(basket.lines(), basket.cashier(), input);
      basket.cancel();
      return doc;
    },
    returnLines: (saleId, items, options) => documents.returnLines(saleId, items, basket.cashier(), options),
    getReceipt: (documentId) => buildReceipt(deps.db, documentId, deps.config, ctx.now()),
    purgeContacts: shifts.purgeContacts,
    placeMoney: (operation, sum, options) => cash.place(operation, sum, basket.cashier() ?? shifts.current()?.cashier ?? '', options),
    cashMovements: cash.movements,
  };
}
