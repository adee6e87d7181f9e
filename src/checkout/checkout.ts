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
import type { PurgeResult, ShiftRow } from '../store/index.ts';
import { createBasket } from './basket.ts';
import { createDocuments, type CommittedDocument, type ContactInput } from './commit.ts';
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
  currentShift(): ShiftRow | undefined;
  scan(raw: string, options?: ScanOptions): ScanResult;
  setPrice(lineId: string, price: number): BasketLine;
  removeLine(lineId: string): void;
  cancelBasket(): void;
  basket(): { lines: BasketLine[]; refusals: Refusal[]; refusalCount: number; total: number };
  /**
   * Sells a refused scan on an approval. The approver was authenticated by the caller (the
   * API checks name + PIN with lockouts); here only their role is checked again.
   */
  override(refusalId: string, approval: OverrideApproval): BasketLine;
  completeSale(input: { payments: Payment[]; contact?: ContactInput }): CommittedDocument;
  returnLines(saleId: string, items: readonly string[], options?: { payments?: Payment[] }): CommittedDocument;
  getReceipt(documentId: string): ReceiptModel | undefined;
  purgeContacts(): PurgeResult;
}

/** Creates the checkout service for one register. */
export function createCheckout(deps: CheckoutDeps): Checkout {
  const ctx = checkoutContext(deps);
  const gate = createSalesGate(ctx, deps.fiscal);
  const shifts = createShifts(ctx);
  const basket = createBasket(ctx, gate);
  const documents = createDocuments(ctx, gate, shifts);

  return {
    currentShift: shifts.current,
    openShift(cashier) {
      const shift = shifts.open(cashier);
      basket.setCashier(cashier);
      return shift;
    },
    closeShift() {
      if (!basket.isEmpty()) throw new CheckoutError('BAD_INPUT', 'the basket is not empty: complete or cancel it before closing the shift');
      return shifts.close();
    },
    xReport: shifts.xReport,
    scan: basket.scan,
    setPrice: basket.setPrice,
    removeLine: basket.removeLine,
    cancelBasket: basket.cancel,
    basket: basket.view,
    override: basket.override,
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
  };
}
