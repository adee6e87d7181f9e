/**
 * The fiscal ticket payload of a committed sale or return, as it goes into the outbox. Its one
 * schema (versioned) is src/sync/ticket.ts, which the sender validates and builds the OFD request
 * from; this module only fills it from the committed rows. Customer contacts are NOT copied
 * (personal data must be purgeable): `contactId` points at the contacts row.
 */
import type { SaleLineRow, SaleRow } from '../store/index.ts';
import { TAX_TYPE_VAT, TICKET_PAYLOAD_VERSION, type TicketPayloadV1 } from '../sync/index.ts';

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
export function ticketPayload(sale: SaleRow, lines: readonly SaleLineRow[], extra: { operatorCode: number; offlineTicketNumber: number; contactId: string | null }): TicketPayloadV1 {
  return {
    version: TICKET_PAYLOAD_VERSION,
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
