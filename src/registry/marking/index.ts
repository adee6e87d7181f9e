/**
 * The marking system (status feed + online check): HTTP client, its wire protocol, and an
 * emulator with a seeded dataset and fault injection. See README.md.
 */
export {
  createMarkingClient, isLoopbackHost, parseRetryAfter, requireClosingCursor, MarkingConfigError, FeedTransferError,
} from './client.ts';
export type {
  MarkingClientOptions, MarkingRegistryClient, CheckOutcome, CheckAnswered, CheckFailed, FeedRequest, FeedOpened,
} from './client.ts';
export { RegistryEmulator, startRegistryEmulator, type RegistryEmulatorOptions, type EmulatorCounters } from './emulator.ts';
export {
  RegistryDataset, generateDataset, writeFeedFile, seededRandom, SAMPLE_KINDS, EMULATED_GROUPS,
} from './dataset.ts';
export type { DatasetOptions, EmulatedCode, EmulatedProduct, EmulatedGroup, SampleCode, SampleKind, Block } from './dataset.ts';
export {
  PATHS, NDJSON, MAX_CHECK_CODES, NO_FAULTS, faultsSchema, checkRequestSchema, checkResponseSchema, checkResultSchema,
} from './protocol.ts';
export type { Faults, CheckRequest, CheckResponse, CheckResultWire } from './protocol.ts';
