/**
 * Payload translation: the OFD request for an outbox row. A pure function of the stored payload
 * and the row's `offline` flag, so every resend carries the same bytes (the sender's invariant 4).
 * Payloads are validated because they cross a version boundary (written by the checkout, maybe of
 * an older Tanba): a bad one is an {@link OutboxPayloadError} naming the row and the field, and
 * the sender blocks the row instead of sending it half-right.
 */
import * as z from 'zod';
import {
  OfdCodecError, OfdInputError, buildCloseShift, buildMoneyPlacement, buildXReport, shiftFiguresSchema, type RequestMsg,
} from '../registry/index.ts';
import { getOutboxByDocument, type Db, type OutboxEntry } from '../store/index.ts';
import { parseTicketPayload, ticketRequest, TicketPayloadError, type ParentTicket } from './ticket.ts';

/** How a row's request is built: the register's time zone, and what a return's parent_ticket needs. */
export interface OutboxRequestOptions {
  utcOffsetMinutes?: number;
  /** The register's database: a return's original sale is looked up in the outbox when the return is sent. */
  db?: Db;
  /** The register's КГД registration number (`registry.ofd.kgdKkmId`, else the registration card's fns_kkm_id). */
  kgdKkmId?: string;
}

/**
 * The delivered original of a return, as 2.0.3's parent_ticket wants it: its ticket number, time,
 * total and offline flag come from its own delivered outbox row. Undefined while it is not
 * delivered (the return then waits: the outbox is delivered in order, so this only lasts while the
 * sale itself is still queued). A return of a sale not in the outbox at all is refused.
 */
export function parentTicketFor(db: Db, row: OutboxEntry, originalDocumentId: string | null, kgdKkmId: string | undefined): ParentTicket | undefined {
  if (originalDocumentId === null) throw new OutboxPayloadError(`outbox row ${row.id}: a return without originalDocumentId`);
  const parent = getOutboxByDocument(db, originalDocumentId);
  if (!parent) throw new OutboxPayloadError(`outbox row ${row.id}: the original sale ${originalDocumentId} of this return is not in the outbox`);
  if (parent.state !== 'delivered' || parent.ticketNumber === null) return undefined;
  if (kgdKkmId === undefined || kgdKkmId === '') {
    throw new OutboxPayloadError(`outbox row ${row.id}: a return needs the register's КГД registration number: set registry.ofd.kgdKkmId`);
  }
  const p = parseTicketPayload(parent.payload);
  return { ticketNumber: parent.ticketNumber, dateTime: p.dateTime, total: p.amounts.total, offline: parent.offline, kgdKkmId };
}

/** A document the sender refuses to send (bad payload): the row is blocked, never sent half-right. */
export class OutboxPayloadError extends Error {
  override name = 'OutboxPayloadError';
}

// The fiscal ticket (sell / sell_return) has its one versioned schema in ticket.ts; the shift and
// cash documents are validated here and again, field by field, by the registry's builders.
const closeShiftPayloadSchema = z.object({
  closeTime: z.string(),
  shiftNumber: z.number(),
  printedDocumentNumber: z.number(),
  operator: z.object({ code: z.number(), name: z.string().optional() }).optional(),
  report: z.unknown().optional(),
}).loose();

const xReportPayloadSchema = z.object({ dateTime: z.string(), report: z.unknown().optional() }).loose();

/** The report figures of a payload, when it has them in the shape the builders read (older rows may not). */
function figures(report: unknown): { report: z.output<typeof shiftFiguresSchema> } | Record<string, never> {
  const r = shiftFiguresSchema.safeParse(report);
  return r.success ? { report: r.data } : {};
}

const moneyPlacementPayloadSchema = z.object({
  dateTime: z.string(),
  operation: z.enum(['deposit', 'withdrawal']),
  sum: z.number(),
  shiftNumber: z.number(),
  printedDocumentNumber: z.number(),
  operator: z.object({ code: z.number(), name: z.string().optional() }).optional(),
}).loose();

function parsePayload<T extends z.ZodType>(schema: T, row: OutboxEntry): z.output<T> {
  const r = schema.safeParse(row.payload);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new OutboxPayloadError(`outbox row ${row.id} (${row.kind} ${row.documentId}): invalid payload: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`);
  }
  return r.data;
}

function ticketFor(row: OutboxEntry, offset: { utcOffsetMinutes?: number }, options: OutboxRequestOptions): RequestMsg {
  const p = parseTicketPayload(row.payload);
  if (p.operation !== row.kind) throw new OutboxPayloadError(`outbox row ${row.id}: payload operation ${p.operation} differs from the row kind ${row.kind}`);
  const parent = p.operation === 'sell_return' && options.db ? parentTicketFor(options.db, row, p.originalDocumentId, options.kgdKkmId) : undefined;
  return ticketRequest(p, { offline: row.offline, ...offset, ...(parent ? { parent } : {}) });
}

/**
 * The protocol request for an outbox row: a pure function of the stored payload and the row's
 * offline flag (so every resend carries the same bytes). Offline tickets carry the
 * offline_ticket_number fixed when the sale committed (it is printed on the receipt).
 */
export function requestForOutbox(row: OutboxEntry, options: OutboxRequestOptions = {}): RequestMsg {
  const offset = options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {};
  try {
    switch (row.kind) {
      case 'sell':
      case 'sell_return':
        return ticketFor(row, offset, options);
      case 'close_shift': {
        const p = parsePayload(closeShiftPayloadSchema, row);
        return buildCloseShift({
          closeTime: p.closeTime, shiftNumber: p.shiftNumber, printedDocumentNumber: p.printedDocumentNumber,
          ...(p.operator ? { operator: p.operator } : {}), ...(row.offline ? { isOffline: true } : {}), ...offset, ...figures(p.report),
        });
      }
      case 'x_report': {
        const p = parsePayload(xReportPayloadSchema, row);
        return buildXReport({ dateTime: p.dateTime, ...(row.offline ? { isOffline: true } : {}), ...offset, ...figures(p.report) });
      }
      case 'money_placement': {
        const p = parsePayload(moneyPlacementPayloadSchema, row);
        return buildMoneyPlacement({
          dateTime: p.dateTime, operation: p.operation, sum: p.sum, shiftNumber: p.shiftNumber, printedDocumentNumber: p.printedDocumentNumber,
          ...(p.operator ? { operator: p.operator } : {}), ...(row.offline ? { isOffline: true } : {}), ...offset,
        });
      }
      default:
        throw new OutboxPayloadError(`outbox row ${row.id}: unknown kind '${String(row.kind)}'`);
    }
  } catch (err) {
    if (err instanceof TicketPayloadError || err instanceof OfdInputError || err instanceof OfdCodecError) {
      throw new OutboxPayloadError(`outbox row ${row.id} (${row.kind} ${row.documentId}): ${err.message}`);
    }
    throw err;
  }
}
