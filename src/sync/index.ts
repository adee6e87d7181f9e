/** The sync worker: outbox sender, cache puller, sync status. */
export { createCachePuller, type CachePuller, type CachePullerOptions, type FeedStatus, type FeedSynced, type FeedFailed } from './puller.ts';
export {
  createOutboxSender, requestForOutbox, backoffDelayMs, outboxHead, blockedOutbox, SyncRetryError, OutboxPayloadError,
  type OutboxSender, type OutboxSenderOptions, type SenderEvent, type DeliveryPass, type PassStop,
} from './sender.ts';
export { syncStatus, syncStatusSchema, type SyncStatus, type SyncStatusConfig, type SyncStatusExtras } from './status.ts';
export { openOfdClient, type OfdTarget } from './ofd-target.ts';
export { retryBlocked } from './retry.ts';
