/**
 * The fiscal ticket payload: ONE versioned schema for the document a sale or return puts in the
 * outbox. The checkout writes it (src/checkout/fiscal.ts), the sender validates it and builds the
 * OFD's COMMAND_TICKET from it ({@link ticketRequest}). It carries everything the request needs,
 * so the sender never reads another table (the rest of the database may have moved on).
 *
 * Units: money in minor units (tiyn; Money's bills/coins are made here), quantity in thousandths
 * (as the protocol's `quantity`), tax percent in thousandths of a percent. Taxes are per item
 * only (the protocol forbids item and ticket taxes together). Customer contacts are NOT copied
 * here (personal data must be purgeable): `contactId` points at the contacts row.
 *
 * Versions: a payload carries `version`; rows written before the field existed are version 1
 * (the same shape). A new shape gets a new schema in {@link ticketPayloadSchema}'s union and a
 * case in {@link ticketRequest}; rows already queued keep their version and still deliver.
 */
import * as z from 'zod';
import {
  Command, ItemType, Operation, Payment, KZ_UTC_OFFSET_MINUTES, isoTimeSchema, measureUnitCode, minorUnitsSchema, toDateTime, toMoney, toQuantity,
  u32Schema,
  type RequestMsg, type TaxMsg,
} from '../registry/index.ts';

/** The version the checkout writes now. */
export const TICKET_PAYLOAD_VERSION = 1;

/** The protocol's tax type for VAT (TaxTypeEnum 100). */
export const TAX_TYPE_VAT = 100;

const minor = minorUnitsSchema;
const u32 = u32Schema;
const isoTime = isoTimeSchema;

const taxSchema = z.object({
  taxType: u32,
  /** Percent in thousandths as the OFDs use it (12 % = 12000). */
  percent: u32,
  sum: minor,
  isInTotalSum: z.boolean(),
});

/** One item of a version-1 ticket. An empty or null optional text is left off the request. */
const itemV1 = z.object({
  name: z.string().min(1),
  sectionCode: z.string().min(1),
  /** Thousandths: 1000 == 1 piece, 2500 == 2.5 kg. */
  quantity: z.number().int().positive().max(0x7fffffff),
  /** Unit price, tiyn. */
  price: minor,
  /** Line total, tiyn. */
  sum: minor,
  /** The marking code exactly as scanned (GS = 0x1D), or null for unmarked goods. */
  exciseStamp: z.string().nullable().optional(),
  barcode: z.string().nullable().optional(),
  /** A unit name ('pcs', 'kg', 'l', ...) or IS ESF code ('796'); sent as the code, default piece. */
  measureUnitCode: z.string().nullable().optional(),
  taxes: z.array(taxSchema).optional(),
  /**
   * How the code was checked (online / cache / none), request id and time; which marking system
   * answered and its own time of the answer (True API reqTimestamp). For people, not sent. The
   * provider fields came later (migration 008-check-provider): rows queued before have none.
   */
  check: z.object({
    source: z.string(), requestId: z.string().nullable(), checkedAt: z.string(), decision: z.string(), reason: z.string(),
    provider: z.string().nullable().optional(), requestTime: z.string().nullable().optional(),
  }).nullable().optional(),
});

/** Version 1: the payload Tanba has written since its first release (rows without `version` included). */
export const ticketPayloadV1Schema = z.object({
  version: z.literal(1),
  operation: z.enum(['sell', 'sell_return']),
  documentId: z.string(),
  originalDocumentId: z.string().nullable(),
  registerId: z.string(),
  dateTime: isoTime,
  operator: z.object({ code: u32, name: z.string().nullable().optional() }),
  items: z.array(itemV1).min(1),
  /** What each payment contributes: they add up to the total (the change comes back from cash). */
  payments: z.array(z.object({ type: z.enum(['cash', 'card', 'mobile']), sum: minor })).min(1),
  amounts: z.object({ total: minor, taken: minor.optional(), change: minor.optional() }),
  shiftNumber: u32.min(1),
  shiftDocumentNumber: u32.min(1),
  printedDocumentNumber: minor.min(1),
  /** Fixed when the sale committed (printed on the receipt); sent when the ticket goes out as an offline one. */
  offlineTicketNumber: z.number().int().nonnegative().max(0xffffffff).optional(),
  contactId: z.string().nullable(),
}).superRefine((t, ctx) => {
  const items = t.items.reduce((a, i) => a + i.sum, 0);
  if (items !== t.amounts.total) ctx.addIssue({ code: 'custom', path: ['amounts', 'total'], message: `total ${t.amounts.total} differs from the sum of the lines ${items}` });
  const paid = t.payments.reduce((a, p) => a + p.sum, 0);
  if (paid !== t.amounts.total) ctx.addIssue({ code: 'custom', path: ['payments'], message: `payments add up to ${paid}, the total is ${t.amounts.total}` });
  if (new Set(t.payments.map((p) => p.type)).size !== t.payments.length) ctx.addIssue({ code: 'custom', path: ['payments'], message: 'at most one payment of each type (protocol 3.3)' });
});

/** A version-1 payload as the checkout writes it. */
export type TicketPayloadV1 = z.input<typeof ticketPayloadV1Schema>;

/** Every payload version the sender can deliver; a payload without `version` is version 1. */
export const ticketPayloadSchema = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !('version' in v) ? { ...v, version: 1 } : v),
  z.discriminatedUnion('version', [ticketPayloadV1Schema]),
);

/** A validated payload of any version. */
export type TicketPayload = z.output<typeof ticketPayloadSchema>;

/** A payload the schema refuses; the message names the first bad field. */
export class TicketPayloadError extends Error {
  override name = 'TicketPayloadError';
}

/** Validates a stored payload (any version). Throws {@link TicketPayloadError} naming the field. */
export function parseTicketPayload(value: unknown): TicketPayload {
  const r = ticketPayloadSchema.safeParse(value);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new TicketPayloadError(`invalid payload: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`);
  }
  return r.data;
}

/** How a ticket goes out. */
export interface TicketRequestOptions {
  /** The row is an offline document: the ticket carries its offline_ticket_number. */
  offline?: boolean;
  /** Local time offset of the register for protocol DateTimes (default UTC+5). */
  utcOffsetMinutes?: number;
}

const PAYMENT: Record<'cash' | 'card' | 'mobile', number> = { cash: Payment.CASH, card: Payment.CARD, mobile: Payment.MOBILE };

function taxes(list: readonly z.output<typeof taxSchema>[] | undefined): TaxMsg[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((t) => ({ tax_type: t.taxType, percent: t.percent, sum: toMoney(t.sum), is_in_total_sum: t.isInTotalSum }));
}

/** COMMAND_TICKET for a version-1 payload; every marked line carries its code in excise_stamp. */
function ticketRequestV1(t: z.output<typeof ticketPayloadV1Schema>, options: TicketRequestOptions): RequestMsg {
  if (options.offline && t.offlineTicketNumber === undefined) throw new TicketPayloadError('an offline ticket without offlineTicketNumber');
  const offset = options.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES;
  return {
    command: Command.TICKET,
    ticket: {
      operation: t.operation === 'sell' ? Operation.SELL : Operation.SELL_RETURN,
      date_time: toDateTime(t.dateTime, offset),
      operator: t.operator.name ? { code: t.operator.code, name: t.operator.name } : { code: t.operator.code },
      items: t.items.map((i) => ({
        type: ItemType.COMMODITY,
        commodity: {
          name: i.name,
          section_code: i.sectionCode,
          quantity: toQuantity(i.quantity),
          price: toMoney(i.price),
          sum: toMoney(i.sum),
          ...(taxes(i.taxes) ? { taxes: taxes(i.taxes) } : {}),
          ...(i.exciseStamp ? { excise_stamp: i.exciseStamp } : {}),
          ...(i.barcode ? { barcode: i.barcode } : {}),
          // Mandatory above protocol 2.0.0 (4.x, Commodity): always sent, as the IS ESF code.
          measure_unit_code: measureUnitCode(i.measureUnitCode || undefined),
        },
      })),
      payments: t.payments.map((p) => ({ type: PAYMENT[p.type], sum: toMoney(p.sum) })),
      amounts: {
        total: toMoney(t.amounts.total),
        ...(t.amounts.taken !== undefined ? { taken: toMoney(t.amounts.taken) } : {}),
        ...(t.amounts.change !== undefined ? { change: toMoney(t.amounts.change) } : {}),
      },
      ...(options.offline && t.offlineTicketNumber !== undefined ? { offline_ticket_number: t.offlineTicketNumber } : {}),
      fr_shift_number: t.shiftNumber,
      shift_document_number: t.shiftDocumentNumber,
      printed_document_number: t.printedDocumentNumber,
    },
  };
}

/**
 * The OFD request for a validated payload ({@link parseTicketPayload}): a pure function of the
 * payload and the options, so every resend carries the same bytes. An offline ticket without its
 * number is a {@link TicketPayloadError}; a unit of measure the protocol has no code for is the
 * registry's OfdInputError.
 */
export function ticketRequest(t: TicketPayload, options: TicketRequestOptions = {}): RequestMsg {
  switch (t.version) {
    case 1: return ticketRequestV1(t, options);
  }
}
