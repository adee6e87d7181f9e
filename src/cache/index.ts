/**
 * The code-status cache: lookups + decisions (CodeChecker), bulk import of the status feed,
 * freshness, and this store's sold codes. See README.md.
 */
export { createCodeChecker, lookupFacts, getProduct, answerContext } from './checker.ts';
export type { CodeChecker, CheckResult, CheckContext, CheckerOptions, CheckableCode, ProductInfo, OnlineFacts } from './checker.ts';
export { importFeed, FeedError, DEFAULT_BATCH_SIZE } from './import.ts';
export type { ImportOptions, ImportProgress, ImportResult, FeedErrorCode } from './import.ts';
export { computeFreshness, limitMsFor } from './freshness.ts';
export type { Freshness, FreshnessInfo, Limits } from './freshness.ts';
export { cacheStats, type CacheStats } from './stats.ts';
// Group packs (SSCC / aggregation): the units the feed says a pack holds (migration 007).
export { aggregateContents, aggregateKey } from './aggregates.ts';
export { parseFeedLine, feedRecordSchema, PRODUCT_GROUPS, MAX_AGGREGATE_UNITS, RecordError, type FeedLine } from './feed.ts';
// Sold codes: plain synchronous functions, called by the checkout inside its own transaction.
export { recordSold, releaseSold, isSoldHere, purgeSold, SoldTwiceError, DEFAULT_RETURN_DAYS } from '../store/cache-sold.ts';
export type { CodeFacts, Verdict } from '../rules/index.ts';
