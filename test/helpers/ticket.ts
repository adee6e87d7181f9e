/**
 * COMMAND_TICKET requests for the protocol tests and benchmarks, built the way the sender builds
 * them: a fiscal ticket payload (src/sync/ticket.ts, the current version) through ticketRequest.
 * Tests name a line's marking code as `exciseStamp` (one code) or `markingCodes` (the list).
 */
import type { RequestMsg } from '../../src/registry/index.ts';
import {
  parseTicketPayload, ticketRequest, TICKET_PAYLOAD_VERSION, type ParentTicket, type TicketPayloadV1, type TicketPayloadV2,
} from '../../src/sync/index.ts';

type Item = TicketPayloadV2['items'][number] & { exciseStamp?: string | null };

/** The fields a test names; the rest (ids, operator, payments equal to the total) are filled in. */
export type TicketFields = Pick<TicketPayloadV1, 'dateTime' | 'shiftNumber' | 'shiftDocumentNumber' | 'printedDocumentNumber'>
  & Partial<Omit<TicketPayloadV2, 'items'>> & { items: Item[] };

/** A payload of the current version: one card payment of the lines' total unless `payments` / `amounts` say otherwise. */
export function ticketPayloadOf(fields: TicketFields): TicketPayloadV2 {
  const total = fields.items.reduce((s, i) => s + i.sum, 0);
  const items = fields.items.map(({ exciseStamp, ...i }) => ({ ...i, markingCodes: i.markingCodes ?? (exciseStamp ? [exciseStamp] : []) }));
  return {
    registerId: 'REG-TEST', operator: { code: 1 }, payments: [{ type: 'card', sum: total }], amounts: { total }, contactId: null,
    operation: 'sell', documentId: `doc-${fields.printedDocumentNumber}`, originalDocumentId: null,
    ...fields, version: TICKET_PAYLOAD_VERSION, items,
  };
}

/** The OFD request for a payload of these fields; `offline` adds its offline_ticket_number, `parent` a return's parent_ticket. */
export function ticketRequestOf(fields: TicketFields, options: { offline?: boolean; parent?: ParentTicket } = {}): RequestMsg {
  return ticketRequest(parseTicketPayload(ticketPayloadOf(fields)), options);
}
