/**
 * Fiscal documents: a sale from the basket, a return against a committed sale.
 *
 * A document is written in ONE IMMEDIATE SQLite transaction: the sale, its lines (code as
 * scanned, CIS, verdict, how and when it was checked), the sold-code entries, the e-receipt
 * contact, the outbox entry and the journal entry. It returns only after COMMIT; printing is a
 * separate step that takes the committed id. If anything inside fails — including another lane
 * selling the same code a moment earlier (sold_codes PRIMARY KEY) — nothing of the document is
 * written. Documents are never cancelled: corrections are returns against the original sale.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { MAX_PAYMENTS, MAX_TOTAL, type Verdict } from '../rules/index.ts';
import { recordSold, releaseSold, SoldTwiceError } from '../cache/index.ts';
import {
  attachOverride, documentDigest, enqueueOutbox, getSale, offlineAtCommit, getSaleLines, insertContact, insertSale, insertSaleLine, nextCounter, nextShiftDocumentNumber,
  returnedLineIds, type SaleLineRow, type SaleRow,
} from '../store/index.ts';
import { codeForMessage, type CheckoutContext } from './context.ts';
import { checkRecord } from './lines.ts';
import { ticketPayload } from './fiscal.ts';
import type { SalesGate } from './gate.ts';
import { includedTax, vatRateFor } from './money.ts';
import { buildReceipt, type ReceiptModel } from './receipt.ts';
import type { Shifts } from './shifts.ts';
import { CheckoutError, type BasketLine, type CheckRecord, type Payment } from './types.ts';

/** A committed sale or return. */
export interface CommittedDocument {
  sale: SaleRow;
  lines: SaleLineRow[];
  receipt: ReceiptModel;
}

/** A customer's e-receipt contact, given with consent. */
export type ContactInput = { phone?: string; email?: string; consent: boolean };

/** A line about to be written: the row without its sale and position, plus the units a package sale takes. */
type LineInput = Omit<SaleLineRow, 'saleId' | 'position'> & { soldUnits: number | null };

/** Sales and returns of one register. */
/** How a return is refunded: explicit payments, or the whole total one way (default: card when the sale was all card, else cash). */
export interface ReturnOptions {
  payments?: Payment[];
  refund?: 'cash' | 'card';
}

export interface Documents {
  /** Pays and commits the basket's lines as a sale. */
  sell(lines: readonly BasketLine[], cashier: string | null, input: { payments: Payment[]; contact?: ContactInput }): CommittedDocument;
  /** Commits a return of some lines (ids or codes) of a committed sale. */
  returnLines(saleId: string, items: readonly string[], cashier: string | null, options?: ReturnOptions): CommittedDocument;
}

const detail = z.string().min(1).max(64);
const digits = z.string().regex(/^\d{1,20}$/, 'digits only');
const paymentsSchema = z.array(z.object({
  type: z.enum(['cash', 'card', 'mobile']),
  amount: z.number().int().nonnegative().max(MAX_TOTAL),
  card: z.object({ terminalId: detail.optional(), cardType: detail.optional(), authCode: detail.optional(), rrn: digits.optional(), receiptNumber: digits.optional() }).strict().optional(),
  mobile: z.object({ qrType: detail.optional(), qrId: detail.optional() }).strict().optional(),
})).min(1).max(MAX_PAYMENTS);
const contactSchema = z.object({
  phone: z.string().regex(/^\+?\d{10,15}$/, 'phone must be 10 to 15 digits').optional(),
  email: z.string().email().optional(),
  consent: z.literal(true, { message: 'a contact is stored only with the customer\'s consent' }),
}).refine((c) => c.phone !== undefined || c.email !== undefined, { message: 'give a phone or an e-mail' });

function parsePayments(payments: unknown): Payment[] {
  const parsed = paymentsSchema.safeParse(payments);
  if (!parsed.success) throw new CheckoutError('BAD_PAYMENT', `payments: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

function parseContact(contact: ContactInput | undefined): { phone?: string; email?: string } | undefined {
  if (contact === undefined) return undefined;
  const c = contactSchema.safeParse(contact);
  if (!c.success) throw new CheckoutError('NO_CONSENT', `e-receipt contact: ${c.error.issues[0]?.message ?? 'invalid'}`);
  return { ...(c.data.phone ? { phone: c.data.phone } : {}), ...(c.data.email ? { email: c.data.email } : {}) };
}

/** Paid at least the total; card never above it; change only from cash. */
export function checkPayments(payments: readonly Payment[], total: number): void {
  const paid = payments.reduce((s, p) => s + p.amount, 0);
  const card = payments.filter((p) => p.type !== 'cash').reduce((s, p) => s + p.amount, 0);
  if (paid < total) throw new CheckoutError('BAD_PAYMENT', `paid ${paid} is less than the total ${total}`);
  // Change can only be given from cash: card (and mobile) payments may not exceed the total.
  if (card > total) throw new CheckoutError('BAD_PAYMENT', `card payments ${card} exceed the total ${total}`);
  if (paid - total > payments.filter((p) => p.type === 'cash').reduce((s, p) => s + p.amount, 0)) {
    throw new CheckoutError('BAD_PAYMENT', 'change exceeds the cash given');
  }
}

/**
 * Writes one document in ONE IMMEDIATE transaction (see the module comment); the fiscal gate and
 * the shift are checked inside it, so no other process can block or close in between.
 */
function commitDocument(ctx: CheckoutContext, guards: { gate: SalesGate; shifts: Shifts }, kind: 'sale' | 'return', input: {
  originalSaleId: string | null; cashier: string; payments: Payment[]; lines: LineInput[]; contact?: { phone?: string; email?: string } | undefined;
}): CommittedDocument {
  const { db, config } = ctx;
  const saleId = randomUUID();
  const at = ctx.now();
  const run = db.transaction(() => {
    // Inside the IMMEDIATE transaction: no other process can block or unblock in between.
    guards.gate.assertSalesAllowed();
    const shift = guards.shifts.requireOpen();
    const total = input.lines.reduce((s, l) => s + l.sum, 0);
    const taxTotal = input.lines.reduce((s, l) => s + l.taxSum, 0);
    const paid = input.payments.reduce((s, p) => s + p.amount, 0);
    const sale: SaleRow = {
      id: saleId, kind, originalSaleId: input.originalSaleId, shiftNumber: shift.number,
      shiftDocumentNumber: nextShiftDocumentNumber(db, shift.number),
      printedDocumentNumber: nextCounter(db, 'printed_document_number'),
      registerId: config.registerId, cashier: input.cashier, createdAt: at, total, taxTotal,
      payments: input.payments, taken: paid, change: paid - total,
    };
    insertSale(db, sale);
    const rows: SaleLineRow[] = input.lines.map(({ soldUnits: _units, ...l }, i) => ({ ...l, saleId, position: i + 1 }));
    input.lines.forEach((l, i) => {
      insertSaleLine(db, rows[i] as SaleLineRow);
      if (l.cis !== null) {
        if (kind === 'sale') recordSold(db, { cis: l.cis, saleId, soldAt: at, ...(l.soldUnits !== null ? { units: l.soldUnits } : {}) });
        else releaseSold(db, l.cis, l.soldUnits ?? undefined);
      }
      if (l.overrideId !== null) attachOverride(db, l.overrideId, saleId);
    });
    let contactId: string | null = null;
    if (input.contact) {
      contactId = randomUUID();
      // Upper bound even if the e-receipt is never delivered; delivery shortens it (markDelivered).
      const expiresAt = new Date(Date.parse(at) + (config.contactMaxPendingDays ?? 33) * 86_400_000).toISOString();
      insertContact(db, {
        id: contactId, saleId, phone: input.contact.phone ?? null, email: input.contact.email ?? null, purpose: 'e-receipt', consentAt: at, expiresAt,
      });
    }
    // Offline ticket number: unique within the day; the protocol suggests the low 32 bits of
    // unix time, kept strictly rising so two documents in one second still differ.
    const offlineTicketNumber = nextCounter(db, 'offline_ticket_number', Math.floor(Date.parse(at) / 1000) >>> 0);
    enqueueOutbox(db, {
      kind: kind === 'sale' ? 'sell' : 'sell_return', documentId: saleId, createdAt: at, offline: offlineAtCommit(db),
      payload: ticketPayload(sale, rows, { operatorCode: config.operatorCode ?? 1, offlineTicketNumber, contactId }),
    });
    // The entry commits to the document as recorded (read back inside this transaction).
    ctx.journal(kind, saleId, {
      digest: documentDigest(db, saleId),
      shift: sale.shiftNumber, doc: sale.shiftDocumentNumber, printed: sale.printedDocumentNumber, total, tax: taxTotal,
      payments: sale.payments, original: input.originalSaleId,
      lines: rows.map((r) => ({ cis: r.cis, gtin: r.gtin, q: r.quantityMilli, units: r.units, price: r.price, sum: r.sum, decision: r.decision, override: r.overrideId })),
    });
    ctx.guard.recordDocument({ kind, sale, lines: rows });
    return { sale, rows };
  });
  let committed: { sale: SaleRow; rows: SaleLineRow[] };
  try {
    committed = run.immediate();
  } catch (err) {
    if (err instanceof SoldTwiceError) throw new CheckoutError('SOLD_TWICE', `${err.message} — remove that line; nothing was recorded`);
    throw err;
  }
  // COMMIT has returned: only now may anything print or leave the machine.
  ctx.guard.committed({ kind, sale: committed.sale, lines: committed.rows });
  const receipt = buildReceipt(db, saleId, config, at) as ReceiptModel;
  return { sale: committed.sale, lines: committed.rows, receipt };
}

/** The lines of `saleId` that `items` (line ids, codes, or a group pack's code) name, each with its return check. */
function linesToReturn(ctx: CheckoutContext, saleId: string, items: readonly string[]): { chosen: SaleLineRow[]; verdicts: Map<string, { verdict: Verdict; check: CheckRecord }> } {
  const all = getSaleLines(ctx.db, saleId);
  const returned = returnedLineIds(ctx.db, saleId);
  const chosen: SaleLineRow[] = [];
  const verdicts = new Map<string, { verdict: Verdict; check: CheckRecord }>();
  // A group pack is sold as its units: naming the pack's code returns the units it holds.
  const wanted = items.flatMap((item) => (all.some((l) => l.id === item || l.code === item) ? [item] : ctx.aggregateContents(item) ?? [item]));
  for (const item of wanted) {
    let line = all.find((l) => l.id === item);
    let parsed = null;
    if (!line) {
      parsed = ctx.parse(item);
      const cis = parsed.ok ? parsed.cis : null;
      line = all.find((l) => l.code === item || (cis !== null && l.cis === cis));
    }
    if (!line) throw new CheckoutError('NOT_IN_SALE', `${codeForMessage(item)} is not a line of sale ${saleId}`);
    if (returned.has(line.id) || chosen.includes(line)) throw new CheckoutError('ALREADY_RETURNED', `${codeForMessage(line.code ?? line.name)} of sale ${saleId} has already been returned`);
    if (line.cis !== null) {
      const result = ctx.checker.check(parsed ?? ctx.parse(line.code ?? ''), { operation: 'return', price: line.price, inBasket: false });
      if (result.verdict.decision === 'refuse') throw new CheckoutError('RETURN_REFUSED', `${codeForMessage(line.code ?? '')}: ${result.verdict.message}`);
      verdicts.set(line.id, { verdict: result.verdict, check: checkRecord(result) });
    }
    chosen.push(line);
  }
  return { chosen, verdicts };
}

/** Creates the document half of the checkout. */
export function createDocuments(ctx: CheckoutContext, gate: SalesGate, shifts: Shifts): Documents {
  const { db, config } = ctx;

  return {
    sell(lines, cashier, input) {
      if (lines.length === 0) throw new CheckoutError('EMPTY_BASKET', 'the basket is empty');
      const shift = shifts.requireOpen();
      const unpicked = lines.find((l) => (l.ntinCandidates ?? []).length > 0);
      if (unpicked) {
        throw new CheckoutError('NTIN_CHOICE', `${unpicked.name}: the National Catalogue lists ${unpicked.ntinCandidates?.length ?? 0} NTINs for barcode ${unpicked.gtin ?? '?'} (${(unpicked.ntinCandidates ?? []).map((c) => `${c.ntin} ${c.title}`).join('; ')}): choose one`);
      }
      const noPrice = lines.find((l) => l.price === null);
      if (noPrice) throw new CheckoutError('NO_PRICE', `no price for ${codeForMessage(noPrice.code)} (${noPrice.name}): give one with a price override`);
      for (const l of lines) {
        // Defence in depth: a refusal can only be a line through an override.
        if (l.verdict.decision === 'refuse' && l.override === null) throw new CheckoutError('BAD_INPUT', `code ${codeForMessage(l.code)} was refused: ${l.verdict.message}`);
      }
      const payments = parsePayments(input.payments);
      const contact = parseContact(input.contact);
      const total = lines.reduce((s, l) => s + (l.sum as number), 0);
      checkPayments(payments, total);
      // VAT by the product's category and the date (local midnight), rounded per line in tiyn.
      const now = ctx.now();
      const rateOf = (l: BasketLine): number => vatRateFor(l.vatCategory, now, { ...(config.vatPayer !== undefined ? { vatPayer: config.vatPayer } : {}), ...(config.vatRates ? { standardRates: config.vatRates } : {}) });
      return commitDocument(ctx, { gate, shifts }, 'sale', {
        originalSaleId: null, cashier: cashier ?? shift.cashier, payments, contact,
        lines: lines.map((l) => ({
          id: randomUUID(), code: l.code, cis: l.cis, gtin: l.gtin, name: l.name, productGroup: l.group, sectionCode: config.sectionCode ?? '1',
          unit: l.unit, quantityMilli: l.quantityMilli, units: l.units, price: l.price as number, sum: l.sum as number,
          taxPercentMilli: rateOf(l), taxSum: includedTax(l.sum as number, rateOf(l)), ai: l.ai, decision: l.verdict.decision, verdict: l.verdict,
          checkSource: l.check.source, requestId: l.check.requestId, checkedAt: l.check.checkedAt, checkProvider: l.check.provider ?? null,
          requestTime: l.check.requestTime ?? null, overrideId: l.override?.id ?? null,
          originalLineId: null, soldUnits: l.units, ntin: l.ntin ?? null, nameKk: l.nameKk ?? null,
        })),
      });
    },

    returnLines(saleId, items, cashier, options = {}) {
      const original = getSale(db, saleId);
      if (!original) throw new CheckoutError('NOT_FOUND', `no sale ${saleId}`);
      if (original.kind !== 'sale') throw new CheckoutError('BAD_INPUT', `${saleId} is a return, not a sale`);
      if (items.length === 0) throw new CheckoutError('BAD_INPUT', 'name the codes or line ids to return');
      const shift = shifts.requireOpen();
      const { chosen, verdicts } = linesToReturn(ctx, saleId, items);
      const total = chosen.reduce((s, l) => s + l.sum, 0);
      // Refund the way the customer paid when it was all by card, else in cash.
      const byCard = original.payments.every((p) => p.type === 'card');
      const payments = parsePayments(options.payments ?? [{ type: options.refund ?? (byCard ? 'card' : 'cash'), amount: total }]);
      if (payments.reduce((s, p) => s + p.amount, 0) !== total) throw new CheckoutError('BAD_PAYMENT', `a refund must equal the returned total ${total}`);
      return commitDocument(ctx, { gate, shifts }, 'return', {
        originalSaleId: saleId, cashier: cashier ?? shift.cashier, payments,
        lines: chosen.map((l) => {
          const v = verdicts.get(l.id);
          return {
            ...l, id: randomUUID(), originalLineId: l.id, overrideId: null,
            decision: v?.verdict.decision ?? 'allow', verdict: v?.verdict ?? { decision: 'allow', reason: 'RETURN_OK', source: 'none' },
            checkSource: v?.check.source ?? 'none', requestId: v?.check.requestId ?? null, checkedAt: v?.check.checkedAt ?? ctx.now(),
            checkProvider: v?.check.provider ?? null, requestTime: v?.check.requestTime ?? null,
            soldUnits: l.units,
          };
        }),
      });
    },
  };
}
