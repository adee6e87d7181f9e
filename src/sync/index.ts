/** The sync worker: outbox sender, cache puller, sync status. */
export { createCachePuller, type CachePuller, type CachePullerOptions, type FeedStatus, type FeedSynced, type FeedFailed } from './puller.ts';
export {
  createOutboxSender, checkSenderOptions, requestForOutbox, backoffDelayMs, outboxHead, blockedOutbox, SyncRetryError, OutboxPayloadError,
  type OutboxSender, type OutboxSenderOptions, type SenderEvent, type DeliveryPass, type PassStop,
} from './sender.ts';
export { syncStatus, syncStatusSchema, type SyncStatus, type SyncStatusConfig, type SyncStatusExtras } from './status.ts';
export { openOfdClient, type OfdTarget } from './ofd-target.ts';
export { retryBlocked } from './retry.ts';
export {
  ticketPayloadSchema, ticketPayloadV1Schema, ticketPayloadV2Schema, parseTicketPayload, ticketRequest, TicketPayloadError, ParentTicketPendingError,
  TICKET_PAYLOAD_VERSION, TAX_TYPE_VAT,
  type TicketPayload, type TicketPayloadV1, type TicketPayloadV2, type TicketRequestOptions, type ParentTicket,
} from './ticket.ts';
export {
  createCatalogLookup, catalogKey, wireBarcode, NOT_IN_CATALOGUE, CATALOGUE_UNAVAILABLE,
  type CatalogLookup, type CatalogLookupOptions, type CatalogResult,
} from './catalog.ts';
