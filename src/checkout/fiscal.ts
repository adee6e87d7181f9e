/**
 * The self-contained fiscal document that goes into the outbox. It carries everything the OFD
 * client needs to build the protocol's TicketRequest / CloseShiftRequest without reading any
 * other table: the sync worker must be able to send it even if the rest of the database moved on.
 *
 * Units: money in minor units (tiyn; the client splits into bills/coins), quantity in
 * thousandths (as the protocol's `quantity`), tax percent in thousandths of a percent. Taxes are
 * given per item only (the protocol forbids item and ticket taxes together). Customer contacts
 * are NOT copied here (personal data must be purgeable): `contactId` points at the contacts row,
 * which the worker reads at send time — a purged contact is simply absent.
 */
import type { SaleLineRow, SaleRow } from '../store/index.ts';

/** The protocol's tax type for VAT (TaxTypeEnum 100). */
export const TAX_TYPE_VAT = 100;

/** One item of a fiscal ticket. */
export interface FiscalItem {
  name: string;
  sectionCode: string;
  quantity: number;
  price: number;
  sum: number;
  /** The marking code exactly as scanned (GS = 0x1D), or null for unmarked goods. */
  exciseStamp: string | null;
  barcode: string | null;
  measureUnitCode: string | null;
  taxes: { taxType: number; percent: number; sum: number; isInTotalSum: boolean }[];
  /**
   * How the code was checked (online / cache / none), request id and time; which marking system
   * answered and its own time of the answer (True API reqTimestamp: tag 1265 `UUID=<reqId>&Time=<reqTimestamp>`).
   */
  check: { source: string; requestId: string | null; checkedAt: string; decision: string; reason: string; provider?: string | null; requestTime?: string | null } | null;
}

/** The payload of a sell / sell_return outbox row. */
export interface TicketPayload {
  operation: 'sell' | 'sell_return';
  documentId: string;
  originalDocumentId: string | null;
  registerId: string;
  dateTime: string;
  operator: { code: number; name: string };
  items: FiscalItem[];
  payments: { type: 'cash' | 'card'; sum: number }[];
  amounts: { total: number; taken: number; change: number };
  shiftNumber: number;
  shiftDocumentNumber: number;
  printedDocumentNumber: number;
  /** Used if the ticket is sent after the fact (offline mode): unique within the day. */
  offlineTicketNumber: number;
  contactId: string | null;
}

/**
 * What each payment contributes to the ticket: the change is handed back from cash, so the
 * payments add up to the total (the OFD refuses a ticket whose payments do not); what the
 * customer handed over stays in `amounts.taken` / `amounts.change`.
 */
function appliedPayments(payments: SaleRow['payments'], change: number): { type: 'cash' | 'card'; sum: number }[] {
  let left = change;
  const out = payments.map((p) => {
    if (p.type !== 'cash' || left <= 0) return { type: p.type, sum: p.amount };
    const back = Math.min(left, p.amount);
    left -= back;
    return { type: p.type, sum: p.amount - back };
  });
  const nonZero = out.filter((p) => p.sum > 0);
  return nonZero.length > 0 ? nonZero : out.slice(0, 1);
}

/** Builds the payload of a sale or return from its committed rows. */
export function ticketPayload(sale: SaleRow, lines: readonly SaleLineRow[], extra: { operatorCode: number; offlineTicketNumber: number; contactId: string | null }): TicketPayload {
  return {
    operation: sale.kind === 'sale' ? 'sell' : 'sell_return',
    documentId: sale.id,
    originalDocumentId: sale.originalSaleId,
    registerId: sale.registerId,
    dateTime: sale.createdAt,
    operator: { code: extra.operatorCode, name: sale.cashier },
    items: lines.map((l) => ({
      name: l.name,
      sectionCode: l.sectionCode,
      quantity: l.quantityMilli,
      price: l.price,
      sum: l.sum,
      exciseStamp: l.code !== null && l.cis !== null ? l.code : null,
      barcode: l.gtin,
      measureUnitCode: l.unit,
      taxes: l.taxPercentMilli > 0 ? [{ taxType: TAX_TYPE_VAT, percent: l.taxPercentMilli, sum: l.taxSum, isInTotalSum: true }] : [],
      check: l.cis !== null ? {
        source: l.checkSource, requestId: l.requestId, checkedAt: l.checkedAt, decision: l.decision, reason: (l.verdict as { reason?: string }).reason ?? '',
        provider: l.checkProvider, requestTime: l.requestTime,
      } : null,
    })),
    payments: appliedPayments(sale.payments, sale.change),
    amounts: { total: sale.total, taken: sale.taken, change: sale.change },
    shiftNumber: sale.shiftNumber,
    shiftDocumentNumber: sale.shiftDocumentNumber,
    printedDocumentNumber: sale.printedDocumentNumber,
    offlineTicketNumber: extra.offlineTicketNumber,
    contactId: extra.contactId,
  };
}
