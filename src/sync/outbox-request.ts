/**
 * Payload translation: the OFD request for an outbox row. A pure function of the stored payload
 * and the row's `offline` flag, so every resend carries the same bytes (the sender's invariant 4).
 * Payloads are validated because they cross a version boundary (written by the checkout, maybe of
 * an older Tanba): a bad one is an {@link OutboxPayloadError} naming the row and the field, and
 * the sender blocks the row instead of sending it half-right.
 */
import * as z from 'zod';
import {
  OfdCodecError, OfdInputError, buildCloseShift, buildMoneyPlacement, buildXReport, type RequestMsg,
} from '../registry/index.ts';
import type { OutboxEntry } from '../store/index.ts';
import { parseTicketPayload, ticketRequest, TicketPayloadError } from './ticket.ts';

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
}).loose();

const xReportPayloadSchema = z.object({ dateTime: z.string() }).loose();

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

function ticketFor(row: OutboxEntry, offset: { utcOffsetMinutes?: number }): RequestMsg {
  const p = parseTicketPayload(row.payload);
  if (p.operation !== row.kind) throw new OutboxPayloadError(`outbox row ${row.id}: payload operation ${p.operation} differs from the row kind ${row.kind}`);
  return ticketRequest(p, { offline: row.offline, ...offset });
}

/**
 * The protocol request for an outbox row: a pure function of the stored payload and the row's
 * offline flag (so every resend carries the same bytes). Offline tickets carry the
 * offline_ticket_number fixed when the sale committed (it is printed on the receipt).
 */
export function requestForOutbox(row: OutboxEntry, options: { utcOffsetMinutes?: number } = {}): RequestMsg {
  const offset = options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {};
  try {
    switch (row.kind) {
      case 'sell':
      case 'sell_return':
        return ticketFor(row, offset);
      case 'close_shift': {
        const p = parsePayload(closeShiftPayloadSchema, row);
        return buildCloseShift({
          closeTime: p.closeTime, shiftNumber: p.shiftNumber, printedDocumentNumber: p.printedDocumentNumber,
          ...(p.operator ? { operator: p.operator } : {}), ...(row.offline ? { isOffline: true } : {}), ...offset,
        });
      }
      case 'x_report': {
        const p = parsePayload(xReportPayloadSchema, row);
        return buildXReport({ dateTime: p.dateTime, ...(row.offline ? { isOffline: true } : {}), ...offset });
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
