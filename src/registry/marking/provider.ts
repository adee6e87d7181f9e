/**
 * One interface for every marking system the register can ask about a code: Kazakhstan's xTrace
 * (ИС МПТ), Russia's True API online check, the operator's local module (ЛМ ЧЗ) and a Tanba feed
 * from head office. A provider answers "what does the system know about these codes" as the
 * facts the rules already use (src/rules CodeFacts), plus the request id and time that are kept
 * with the sale line. The chain (chain.ts) asks the configured providers in order within the
 * checkout's budget; nothing here throws at the caller.
 */
import type { CodeFacts } from '../../rules/index.ts';

/** The kinds of provider, as `registry.marking[].kind` names them. */
export const PROVIDER_KINDS = ['xtrace', 'true-api', 'local-module', 'tanba-feed'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A provider answered. Facts are keyed by CIS; a code the system does not know has `found: false`. */
export interface ProviderAnswer {
  kind: 'answered';
  provider: ProviderKind;
  /** The system's request id (True API reqId), or the id this register sent with the request. */
  requestId: string | null;
  /** UTC ISO time of the answer as the system gave it (True API reqTimestamp), else when it arrived. */
  requestTime: string | null;
  facts: Map<string, CodeFacts>;
  /** Codes the system could not relate to a CIS. */
  unresolved: string[];
  /**
   * An offline source (the local module): its facts are a black list (blocked, sold) and say
   * nothing about a code they do not list; the verdict is an offline one.
   */
  offline: boolean;
}

/** Why a provider gave no usable answer. Stable identifiers (CLI JSON `online.reason`). */
export type FailureReason =
  /** No answer within the time it had. */
  | 'timeout'
  /** Connection refused / reset / dropped, 5xx, 429, every host blocked. */
  | 'unavailable'
  /** Credentials refused (401 / 403), or login failed. */
  | 'auth'
  /** True API HTTP 203: the system is in emergency mode (sell without the check). */
  | 'emergency'
  /** The local module is not `ready` (initialization, sync_error, locked after 72 h without sync). */
  | 'not_ready'
  /** The answer did not match the protocol (schema, envelope code, size). */
  | 'protocol'
  /** Anything else (a 4xx other than auth, TLS verification). */
  | 'error';

/** A provider gave no usable answer: the next provider, then the cache, decides. */
export interface ProviderFailure {
  kind: 'failed';
  provider: ProviderKind;
  reason: FailureReason;
  /** What happened, for logs and `tanba registry test`; never carries a secret. */
  message: string;
  /** Worth trying again later; false = the setup needs fixing. */
  transient: boolean;
  /** HTTP status when there was one. */
  status: number | null;
}

export type ProviderOutcome = ProviderAnswer | ProviderFailure;

/** The outcome of `tanba registry test` for one provider. */
export interface ProviderTestResult {
  provider: ProviderKind;
  /** Where it talks to (no credentials). */
  target: string;
  ok: boolean;
  /** What was tried and what failed, in one line. */
  detail: string;
  /** Round trip of the probe, ms (null when it failed). */
  latencyMs: number | null;
  /** Steps tried, in order. */
  steps: { step: string; ok: boolean; detail: string; ms: number | null }[];
  /** True API: the hosts as ranked (lowest avgTimeMs first). */
  hosts?: HostView[];
}

/** A True API check host as the provider sees it. */
export interface HostView {
  host: string;
  /** avgTimeMs of its last good health check, null when it had none. */
  avgTimeMs: number | null;
  usable: boolean;
  /** Until when it is skipped after a failure (UTC ISO), else null. */
  blockedUntil: string | null;
  lastError: string | null;
}

/** A provider's health for the manager's dashboard (the local module's sync state, mainly). */
export interface ProviderHealth {
  provider: ProviderKind;
  target: string;
  /** 'ok', or what is wrong: the local module's status, 'locked' after 72 h without sync, 'failing'. */
  state: 'ok' | 'unknown' | 'not_configured' | 'initialization' | 'sync_error' | 'locked' | 'failing';
  /** Plain-language detail for the manager. */
  detail: string;
  /** Local module: its last successful sync (UTC ISO), else null. */
  lastSyncAt: string | null;
}

/** One code to ask about: as scanned (GS kept) and its CIS (the key of the answer's facts). */
export interface CodeQuery {
  code: string;
  cis: string;
}

/** Options of one check. */
export interface ProviderCheckOptions {
  /** Aborts the request (the chain's budget). */
  signal: AbortSignal;
  /** When the budget ends, performance.now() ms (a provider with several hosts shares it out). */
  deadline?: number;
}

/** A marking system. */
export interface MarkingProvider {
  readonly kind: ProviderKind;
  /** Where it talks to, without credentials (logs, dashboard). */
  readonly target: string;
  /** What the system knows about these codes. Never throws. */
  check(queries: readonly CodeQuery[], options: ProviderCheckOptions): Promise<ProviderOutcome>;
  /** Auth, reachability and latency, for `tanba registry test`. Never throws. */
  test(options?: { timeoutMs?: number; probeCode?: string }): Promise<ProviderTestResult>;
  /** Current health (no network). */
  health(): ProviderHealth;
  /** Background work (True API host list refresh, local-module status poll). Idempotent. */
  start?(): void;
  /** Ends background work and kept-alive connections. */
  close(): Promise<void>;
}

/** Facts of a code the system does not know. */
export function notFoundFacts(): CodeFacts {
  return { found: false, status: null, blocked: false, blockedBy: null, expires: null, mrp: null, minPrice: null, group: null, soldHere: false, units: null };
}

/** YYYY-MM-DD (UTC) of an ISO date or date-time, or null when it is none. */
export function dateOnly(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t).toISOString().slice(0, 10);
}
