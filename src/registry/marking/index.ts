/**
 * The marking systems: one provider interface (provider.ts) over Kazakhstan's xTrace, Russia's
 * True API and local module, and a Tanba feed (status feed + online check, client.ts); the chain
 * that asks them within the checkout's budget (chain.ts); and the wire shapes the emulators
 * (emulators/marking, emulators/registry) share. See README.md.
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
export { PROVIDER_KINDS, notFoundFacts, dateOnly } from './provider.ts';
export type {
  CodeQuery, FailureReason, HostView, MarkingProvider, ProviderAnswer, ProviderFailure, ProviderHealth, ProviderKind, ProviderOutcome, ProviderTestResult,
} from './provider.ts';
export { createMarkingChain, type ChainAttempt, type ChainResult, type MarkingChain, type MarkingChainOptions } from './chain.ts';
export { DEFAULT_PROBE_SCHEDULE, probeDelayMs, type ChainProviderHealth, type ProbeSchedule } from './health.ts';
export { createProvider, type ProviderConfig, type ProviderContext } from './providers.ts';
export { createXtraceProvider, xtraceFacts, xtraceStatus, type XtraceOptions } from './xtrace.ts';
export { createTrueApiProvider, wireCode, isoOfMs, type TrueApiOptions } from './true-api.ts';
export { createLocalModuleProvider, type LocalModuleOptions } from './local-module.ts';
export { tanbaFeedProvider } from './tanba-feed.ts';
export { crptOnlineFacts, crptOfflineFacts, CRPT_GROUPS } from './crpt.ts';
export { HttpTransport, shownUrl } from './http.ts';
export * from './xtrace-wire.ts';
export * from './true-api-wire.ts';
