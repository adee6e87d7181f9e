/**
 * What the checkout's parts share: the database, the checker, the clock, the configuration, how a
 * scan is read, and the journal writer. Built once by `createCheckout` and handed to the basket,
 * the shifts, the fiscal gate and the document commit.
 */
import type { Clock } from '../clock.ts';
import { aggregateContents as cacheAggregateContents, type CodeChecker } from '../cache/index.ts';
import { parseCode, visibleGs, type ParseOptions, type ParseResult } from '../marking/index.ts';
import { appendJournal, type Db } from '../store/index.ts';
import { NO_GUARD, type CheckoutConfig, type CheckoutGuard } from './types.ts';

/** What the checkout service needs. */
export interface CheckoutDeps {
  db: Db;
  checker: CodeChecker;
  /** Current time; TANBA_NOW in the CLI. */
  clock: Clock;
  config: CheckoutConfig;
  /**
   * Contents of a group pack (aggregate) code: the children's codes (each scanned as if it were the
   * unit's own code), or null when unknown. Default: the cache's `aggregate` feed records.
   */
  aggregateContents?: (db: Db, code: string) => string[] | null;
  /**
   * Whether the law lets this register sell (see CheckoutError OFFLINE_LIMIT / REGISTER_BLOCKED).
   * Always enforced; these only choose the OFD device whose state counts (default: every device
   * in the database) and lower the offline limit (default and maximum 72 h).
   */
  fiscal?: { deviceId?: number; offlineLimitHours?: number };
  /**
   * How scanned text is read: the configured extra GS stand-ins (`marking.extraSeparators`) and
   * the message language, the same as `tanba parse` / `tanba check` use.
   */
  parseOptions?: ParseOptions;
  /** Lanes of a store sharing codes (src/hub); default: none, this register alone. */
  guard?: CheckoutGuard;
}

/** The shared part of the checkout's modules. */
export interface CheckoutContext {
  readonly db: Db;
  readonly checker: CodeChecker;
  readonly config: CheckoutConfig;
  readonly clock: Clock;
  /** The current time as an ISO string (UTC). */
  now(): string;
  /** Reads scanned text with the configured options. */
  parse(raw: string): ParseResult;
  /** Contents of a group pack, or null when unknown. */
  aggregateContents(code: string): string[] | null;
  /** Appends a journal entry; call inside the transaction of the change it describes. */
  journal(kind: string, ref: string | null, payload: unknown): void;
  /** The store's shared reservations (a no-op without store NATS). */
  readonly guard: CheckoutGuard;
}

/** Builds the shared context from the service's dependencies. */
export function checkoutContext(deps: CheckoutDeps): CheckoutContext {
  const { db } = deps;
  const contents = deps.aggregateContents ?? cacheAggregateContents;
  const now = (): string => deps.clock.now().toISOString();
  return {
    db,
    checker: deps.checker,
    config: deps.config,
    clock: deps.clock,
    now,
    parse: (raw) => (deps.parseOptions ? parseCode(raw, deps.parseOptions) : parseCode(raw)),
    aggregateContents: (code) => contents(db, code),
    journal: (kind, ref, payload) => { appendJournal(db, { at: now(), kind, ref, payload }); },
    guard: deps.guard ?? NO_GUARD,
  };
}

/** A code for messages: GS shown as <GS> (visibleGs), long codes shortened. */
export function codeForMessage(code: string): string {
  const s = visibleGs(code);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
