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
  Command, Domain, ItemType, Operation, Payment, KZ_UTC_OFFSET_MINUTES, isoTimeSchema, measureUnitCode, minorUnitsSchema, toDateTime, toMoney, toQuantity,
  u32Schema,
  type PaymentMsg, type RequestMsg, type TaxMsg,
} from '../registry/index.ts';

/** The version the checkout writes now (2: National Catalogue code, marking code list, payment details). */
export const TICKET_PAYLOAD_VERSION = 2;

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

const ticketBaseV1 = z.object({
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
});

/** Lines add up to the total, payments too, at most one payment of each type. */
function consistent(t: { items: readonly { sum: number }[]; payments: readonly { type: string; sum: number }[]; amounts: { total: number } }, ctx: z.RefinementCtx): void {
  const items = t.items.reduce((a, i) => a + i.sum, 0);
  if (items !== t.amounts.total) ctx.addIssue({ code: 'custom', path: ['amounts', 'total'], message: `total ${t.amounts.total} differs from the sum of the lines ${items}` });
  const paid = t.payments.reduce((a, p) => a + p.sum, 0);
  if (paid !== t.amounts.total) ctx.addIssue({ code: 'custom', path: ['payments'], message: `payments add up to ${paid}, the total is ${t.amounts.total}` });
  if (new Set(t.payments.map((p) => p.type)).size !== t.payments.length) ctx.addIssue({ code: 'custom', path: ['payments'], message: 'at most one payment of each type (protocol 3.3)' });
}

/** Version 1: the payload Tanba wrote for protocol 2.0.2 (rows without `version` included); still delivered. */
export const ticketPayloadV1Schema = ticketBaseV1.superRefine(consistent);


/** A version-1 payload as an older Tanba wrote it. */
export type TicketPayloadV1 = z.input<typeof ticketPayloadV1Schema>;

/** One item of a version-2 ticket (protocol 2.0.3): the National Catalogue code and every marking code of the line. */
const itemV2 = itemV1.omit({ exciseStamp: true }).extend({
  /** The product's National Catalogue (НКТ) code, when known: sent as `ntin`. */
  ntin: z.string().min(1).nullable().optional(),
  /** The line's marking codes exactly as scanned (GS = 0x1D), one entry per code: sent as `list_excise_stamp`. */
  markingCodes: z.array(z.string().min(1)).optional(),
});

const digits = z.string().regex(/^\d{1,20}$/, 'digits only');
/** What a card or mobile payment carries (2.0.3 CardPaymentFields / MobilePaymentFields); all optional. */
const paymentV2 = z.object({
  type: z.enum(['cash', 'card', 'mobile']),
  sum: minor,
  card: z.object({
    terminalId: z.string().min(1).optional(), cardType: z.string().min(1).optional(),
    /** Authorisation code; the protocol has a uint32, so a code with letters stays off the wire. */
    authCode: z.string().min(1).optional(), rrn: digits.optional(), receiptNumber: digits.optional(),
  }).optional(),
  mobile: z.object({ qrType: z.string().min(1).optional(), qrId: z.string().min(1).optional() }).optional(),
});

/** Version 2: version 1 with {@link itemV2} lines and {@link paymentV2} payments. */
export const ticketPayloadV2Schema = ticketBaseV1.extend({
  version: z.literal(2),
  items: z.array(itemV2).min(1),
  payments: z.array(paymentV2).min(1),
}).superRefine(consistent);

/** A version-2 payload as the checkout writes it. */
export type TicketPayloadV2 = z.input<typeof ticketPayloadV2Schema>;

/** Every payload version the sender can deliver; a payload without `version` is version 1. */
export const ticketPayloadSchema = z.preprocess(
  (v) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !('version' in v) ? { ...v, version: 1 } : v),
  z.discriminatedUnion('version', [ticketPayloadV1Schema, ticketPayloadV2Schema]),
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

/** The delivered sale a return refers to (2.0.3 `parent_ticket`), looked up when the return is sent. */
export interface ParentTicket {
  /** The ticket number the OFD gave the original sale. */
  ticketNumber: string;
  /** The sale's date and time (UTC ISO). */
  dateTime: string;
  /** The sale's total, tiyn. */
  total: number;
  /** The sale went out as an offline ticket. */
  offline: boolean;
  /** The register's registration number at КГД (`registry.ofd.kgdKkmId`). */
  kgdKkmId: string;
}

/** How a ticket goes out. */
export interface TicketRequestOptions {
  /** The row is an offline document: the ticket carries its offline_ticket_number. */
  offline?: boolean;
  /** Local time offset of the register for protocol DateTimes (default UTC+5). */
  utcOffsetMinutes?: number;
  /** For a return: the original sale as the OFD accepted it (required by 2.0.3). */
  parent?: ParentTicket;
}

/** A return whose original sale has no ticket number from the OFD yet: the return waits (transient). */
export class ParentTicketPendingError extends Error {
  override name = 'ParentTicketPendingError';
}

const PAYMENT: Record<'cash' | 'card' | 'mobile', number> = { cash: Payment.CASH, card: Payment.CARD, mobile: Payment.MOBILE };

function taxes(list: readonly z.output<typeof taxSchema>[] | undefined): TaxMsg[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((t) => ({ tax_type: t.taxType, percent: t.percent, sum: toMoney(t.sum), is_in_total_sum: t.isInTotalSum }));
}

type V2 = z.output<typeof ticketPayloadV2Schema>;

/** A version-1 payload in the version-2 shape: its one excise stamp becomes the line's code list. */
function upgradeV1(t: z.output<typeof ticketPayloadV1Schema>): V2 {
  return {
    ...t, version: 2,
    items: t.items.map(({ exciseStamp, ...i }) => ({ ...i, ntin: null, markingCodes: exciseStamp ? [exciseStamp] : [] })),
  };
}

const u32Max = 0xffffffff;
function numericU32(s: string | undefined): number | undefined {
  if (s === undefined || !/^\d{1,10}$/.test(s)) return undefined;
  const n = Number(s);
  return n <= u32Max ? n : undefined;
}

/** A payment with its 2.0.3 card / mobile detail fields when the payment carries them. */
function paymentMsg(p: V2['payments'][number]): PaymentMsg {
  const card = p.type === 'card' && p.card ? {
    ...(p.card.terminalId ? { pos_terminal_id: p.card.terminalId } : {}),
    ...(p.card.cardType ? { pos_card_type: p.card.cardType } : {}),
    ...(numericU32(p.card.authCode) !== undefined ? { pos_autorization_code: numericU32(p.card.authCode) } : {}),
    ...(p.card.rrn && Number.isSafeInteger(Number(p.card.rrn)) ? { pos_rrn: Number(p.card.rrn) } : {}),
    ...(numericU32(p.card.receiptNumber) !== undefined ? { pos_receipt_number: numericU32(p.card.receiptNumber) } : {}),
  } : null;
  const mobile = p.type === 'mobile' && p.mobile ? { ...(p.mobile.qrType ? { qr_type: p.mobile.qrType } : {}), ...(p.mobile.qrId ? { qr_id: p.mobile.qrId } : {}) } : null;
  return {
    type: PAYMENT[p.type], sum: toMoney(p.sum),
    ...(card && Object.keys(card).length > 0 ? { card_payment_fields: card } : {}),
    ...(mobile && Object.keys(mobile).length > 0 ? { mobile_payment_fields: mobile } : {}),
  };
}

/**
 * COMMAND_TICKET (protocol 2.0.3) for a payload: `domain.type` TRADING on every ticket; each line
 * with its `ntin` when known, its marking codes in `list_excise_stamp` (one entry per code, byte
 * for byte as scanned) and `excise_stamp` left empty (deprecated since 203); a return with its
 * `parent_ticket`.
 */
function ticketRequest203(t: V2, options: TicketRequestOptions): RequestMsg {
  if (options.offline && t.offlineTicketNumber === undefined) throw new TicketPayloadError('an offline ticket without offlineTicketNumber');
  const offset = options.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES;
  const isReturn = t.operation === 'sell_return';
  if (isReturn && options.parent === undefined) {
    throw new ParentTicketPendingError(`return ${t.documentId}: the original sale ${t.originalDocumentId ?? '(none)'} has no ticket number from the OFD yet`);
  }
  const parent = isReturn ? options.parent : undefined;
  return {
    command: Command.TICKET,
    ticket: {
      operation: isReturn ? Operation.SELL_RETURN : Operation.SELL,
      date_time: toDateTime(t.dateTime, offset),
      operator: t.operator.name ? { code: t.operator.code, name: t.operator.name } : { code: t.operator.code },
      domain: { type: Domain.TRADING },
      items: t.items.map((i) => ({
        type: ItemType.COMMODITY,
        commodity: {
          name: i.name,
          section_code: i.sectionCode,
          quantity: toQuantity(i.quantity),
          price: toMoney(i.price),
          sum: toMoney(i.sum),
          ...(taxes(i.taxes) ? { taxes: taxes(i.taxes) } : {}),
          ...(i.barcode ? { barcode: i.barcode } : {}),
          // Mandatory above protocol 2.0.0 (4.x, Commodity): always sent, as the IS ESF code.
          measure_unit_code: measureUnitCode(i.measureUnitCode || undefined),
          ...(i.markingCodes && i.markingCodes.length > 0 ? { list_excise_stamp: [...i.markingCodes] } : {}),
          ...(i.ntin ? { ntin: i.ntin } : {}),
        },
      })),
      payments: t.payments.map(paymentMsg),
      amounts: {
        total: toMoney(t.amounts.total),
        ...(t.amounts.taken !== undefined ? { taken: toMoney(t.amounts.taken) } : {}),
        ...(t.amounts.change !== undefined ? { change: toMoney(t.amounts.change) } : {}),
      },
      ...(options.offline && t.offlineTicketNumber !== undefined ? { offline_ticket_number: t.offlineTicketNumber } : {}),
      fr_shift_number: t.shiftNumber,
      shift_document_number: t.shiftDocumentNumber,
      printed_document_number: t.printedDocumentNumber,
      ...(parent ? {
        parent_ticket: {
          parent_ticket_number: parent.ticketNumber,
          parent_ticket_data_time: toDateTime(parent.dateTime, offset),
          kgd_kkm_id: parent.kgdKkmId,
          parent_ticket_total: toMoney(parent.total),
          parent_ticket_is_offline: parent.offline,
        },
      } : {}),
    },
  };
}

/**
 * The OFD request for a validated payload ({@link parseTicketPayload}): a pure function of the
 * payload and the options, so every resend carries the same bytes. Every version goes out in the
 * 2.0.3 shape. An offline ticket without its number is a {@link TicketPayloadError}; a return
 * without its parent a {@link ParentTicketPendingError}; a unit of measure the protocol has no
 * code for is the registry's OfdInputError.
 */
export function ticketRequest(t: TicketPayload, options: TicketRequestOptions = {}): RequestMsg {
  switch (t.version) {
    case 1: return ticketRequest203(upgradeV1(t), options);
    case 2: return ticketRequest203(t, options);
  }
}
