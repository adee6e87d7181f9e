/**
 * COMMAND_TICKET requests for the protocol tests and benchmarks, built the way the sender builds
 * them: a fiscal ticket payload (src/sync/ticket.ts, the current version) through ticketRequest.
 */
import type { RequestMsg } from '../../src/registry/index.ts';
import { parseTicketPayload, ticketRequest, TICKET_PAYLOAD_VERSION, type TicketPayloadV1 } from '../../src/sync/index.ts';

/** The fields a test names; the rest (ids, operator, payments equal to the total) are filled in. */
export type TicketFields = Pick<TicketPayloadV1, 'dateTime' | 'items' | 'shiftNumber' | 'shiftDocumentNumber' | 'printedDocumentNumber'> & Partial<TicketPayloadV1>;

/** A payload of the current version: one card payment of the lines' total unless `payments` / `amounts` say otherwise. */
export function ticketPayloadOf(fields: TicketFields): TicketPayloadV1 {
  const total = fields.items.reduce((s, i) => s + i.sum, 0);
  return {
    version: TICKET_PAYLOAD_VERSION, operation: 'sell', documentId: `doc-${fields.printedDocumentNumber}`, originalDocumentId: null,
    registerId: 'REG-TEST', operator: { code: 1 }, payments: [{ type: 'card', sum: total }], amounts: { total }, contactId: null,
    ...fields,
  };
}

/** The OFD request for a payload of these fields; `offline` adds its offline_ticket_number. */
export function ticketRequestOf(fields: TicketFields, options: { offline?: boolean } = {}): RequestMsg {
  return ticketRequest(parseTicketPayload(ticketPayloadOf(fields)), options);
}
