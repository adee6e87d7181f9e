/**
 * The multi-machine layer on NATS JetStream (issue 19): lanes of a store share sold and in-basket
 * codes through a KV bucket, publish their documents and heartbeats to the store's stream, which
 * the head-office hub sources from the leaf node's JetStream domain. NATS packages live here only.
 */
export { createStoreLink, type LaneHubStatus, type LaneNatsConfig, type ReconcileResult, type StoreLink, type StoreLinkOptions } from './lane.ts';
export { hubServerConfig, startNatsServer, type HubClusterPlace, storeServerConfig, writeServerConfig, type NatsServerProcess, type ServerPlace } from './server.ts';
export { ensureConfigStream, ensureHqStream, ensureStoreStream, publishToGroup, sourceStores } from './streams.ts';
export * from './names.ts';
export { HQ_DOCUMENTS_PAGE, hqDocuments, hqDocumentsPage, hqDocumentsPageFrom, hqStatus, hqStatusFrom, type HqDocument, type HqDocumentPage, type HqRegister, type HqStatus } from './hq.ts';
export { applyHqUpdate, hqUpdateSchema, publishHqUpdate, type HqUpdate } from './updates.ts';
export { publishStatusDelta, FEED_HEADERS, type ApplyStatus } from './status-feed.ts';
export { downloadLock, FEED_PART_BYTES, leadBucket, publishFeedFile, type DownloadResult, type StatusAnswer, type StatusRequest, type StatusSource } from './status-download.ts';
export { filterStatus, hqCsv, startHqWeb, HQ_CSV_COLUMNS, type HqWebOptions } from './hq-web.ts';
