/** The register's SQLite store: opening, migrations and the query functions per table group. */
export { openDatabase, type Db, type OpenOptions } from './db.ts';
export { DataModeError, makeExistingPrivate, makePrivateDir, makePrivateFile, securePrivateTree } from './private.ts';
export { migrate, schemaVersion, NewerDatabaseError, type Migration } from './migrate.ts';
export { MIGRATIONS } from './migrations/index.ts';
// Checkout (sales, returns, shifts, outbox, journal, overrides, users, e-receipt contacts).
export * from './sales.ts';
export { shiftCashMovements, type CashMovement } from './cash.ts';
export { linesForExport, type ExportLine } from './sales-export.ts';
export { findSalesForReturn, salesSince, type ReturnLookup } from './returns.ts';
export * from './shifts.ts';
export * from './outbox.ts';
export * from './journal.ts';
export { DIGEST_SEAL_KIND, DIGEST_VERSION, documentDigest, firstDigestMismatch } from './document-digest.ts';
export * from './consents.ts';
export * from './users.ts';
export * from './print-jobs.ts';
export * from './unprinted-receipts.ts';
export * from './sessions.ts';
export * from './auth-failures.ts';
// Code-status cache (codes, blocks, products, sold codes, sync state, imports).
export {
  STATUS_CODES, BLOCK_KINDS, statusName, toDayNumber, fromDayNumber, gtinOfCis, lookupRow, productRow, syncRow,
  cacheCounts, databaseBytes, type LookupRow, type ProductRow, type SyncRow, type StatusName,
} from './cache-codes.ts';
export {
  importRow, acquireImport, releaseImportLease, leaseHeldByOther, abandonImport, stageBatch, commitFull, commitDelta, feedCursor,
  CursorMovedError, ImportBusyError, LeaseLostError, type StagedRecord, type ImportRow, type Lease, type BatchProgress,
} from './cache-import.ts';
export { recordSold, releaseSold, isSoldHere, soldRow, purgeSold, SoldTwiceError, DEFAULT_RETURN_DAYS, type SoldRow } from './cache-sold.ts';
export { aggregateContentsOf, aggregatesHolding, aggregateCounts } from './cache-aggregates.ts';
// OFD client state (token, REQNUM, pending request, counters, offline/blocked modes) and accepted documents.
export {
  getOfdState, listOfdStates, initOfdState, reserveOfdRequest, reserveOfdServiceRequest, completeOfdRequest, clearOfdPending,
  recordOfdOffline, recordOfdBlocked, resolveOfdBlock, setOfdInfoMessage, allocateOfdDocumentNumbers, allocateOfdCloseShift,
  allocateOfdOfflineTicketNumber, recordOfdDocument, getOfdDocument, PendingRequestError, recordOfdRegInfo, getOfdRegInfo,
  type OfdState, type OfdDocument, type OfdDocumentNumbers,
} from './ofd-state.ts';
// Reports for the manager's screens and the chart logs (checks, delivery attempts; migration 5).
export {
  recordCheck, recordDeliveryAttempt, pruneStats, checksPerHour, refusalsByReason, checksBySource, deliveriesPerHour, searchSales, listContacts, paymentsKept,
  type CheckLogEntry, type SalesFilter, type SaleReportRow, type ShownDeliveryState,
} from './reports.ts';
// The multi-machine layer (migration 11): claims, conflicts, the head-office queue, applied streams.
export * from './hub.ts';
// National Catalogue (migration 12): products per barcode / NTIN, the answer per barcode.
export {
  catalogProductsByBarcode, catalogBarcode, storeCatalogAnswer, upsertCatalogProduct, chooseCatalogNtin, catalogCounts,
  type CatalogProduct, type CatalogBarcode, type CatalogSource, type VatCategory,
} from './catalog.ts';
export {
  upsertStoreProducts, storeProduct, searchProducts, productNameByGtin, insertParkedBasket, listParkedBaskets, takeParkedBasket, KG_UNIT,
  type StoreProduct, type ProductHit, type ParkedBasket, type ParkedLine,
} from './selling.ts';
