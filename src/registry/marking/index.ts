/**
 * The marking system (status feed + online check): HTTP client and its wire protocol (the
 * emulator with its seeded dataset is in emulators/registry). See README.md.
 */
export {
  createMarkingClient, isLoopbackHost, parseRetryAfter, requireClosingCursor, MarkingConfigError, FeedTransferError,
} from './client.ts';
export type {
  MarkingClientOptions, MarkingRegistryClient, CheckOutcome, CheckAnswered, CheckFailed, FeedRequest, FeedOpened,
} from './client.ts';
export {
  PATHS, NDJSON, MAX_CHECK_CODES, NO_FAULTS, faultsSchema, checkRequestSchema, checkResponseSchema, checkResultSchema,
} from './protocol.ts';
export type { Faults, CheckRequest, CheckResponse, CheckResultWire } from './protocol.ts';
