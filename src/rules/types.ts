/**
 * Input and output types of the decision rules. The rules layer imports nothing of ours, so these
 * are its own definitions; the cache and the online check fill them in.
 */

/** What the cashier sees: green, amber (may proceed, shown prominently) or red. */
export type Decision = 'allow' | 'warn' | 'refuse';

/** Where the facts came from: an online registry answer, the local cache, or nothing at all. */
export type CheckSource = 'online' | 'cache' | 'none';

/** Freshness of the local cache (see src/cache/freshness.ts for the state machine). */
export type FreshnessState = 'not_configured' | 'initializing' | 'ready' | 'stale';

/** Why a verdict was given. Stable identifiers: the UI, the journal and the tests key on them. */
export type ReasonCode =
  | 'OK'
  | 'OK_OFFLINE'
  | 'RETURN_OK'
  | 'NOT_FOUND'
  | 'NOT_INTRODUCED'
  | 'NOT_GENUINE'
  | 'BLOCKED'
  | 'SOLD'
  | 'WITHDRAWN'
  | 'EXPIRED'
  | 'PRICE_ABOVE_MRP'
  | 'PRICE_BELOW_MIN'
  | 'CACHE_STALE'
  | 'CACHE_NOT_READY'
  | 'INVALID_CODE'
  | 'ALREADY_IN_BASKET'
  | 'NOT_SOLD_HERE'
  | 'NOT_SOLD';

/** Registry status of one code. */
export type CodeStatus = 'in_circulation' | 'sold' | 'withdrawn' | 'not_introduced';

/** What the cache or the online check knows about one CIS. */
export interface CodeFacts {
  /** The registry (or the cache's copy of it) knows this code. */
  found: boolean;
  status: CodeStatus | null;
  blocked: boolean;
  blockedBy: 'code' | 'gtin' | 'batch' | null;
  /** Expiry date YYYY-MM-DD, from the registry or from the code's (17). */
  expires: string | null;
  /** Maximum retail price in minor units (registry, or a tobacco pack's price printed in the code). */
  mrp: number | null;
  /** Minimum retail price of the GTIN in minor units. */
  minPrice: number | null;
  group: string | null;
  /** This store has a sale record for the code (at least one unit sold and not returned). */
  soldHere: boolean;
  /**
   * For a package sold by units (partial sale): units sold here so far and units in the package.
   * Absent or null means the code is sold whole, so `soldHere` means sold out.
   */
  units?: { sold: number; total: number } | null;
  /**
   * The registry's crypto verification of the code (Russia's True API `verified`): false = not
   * genuine. Absent or null = not checked, which never refuses.
   */
  genuine?: boolean | null;
  /** The registry's format check (True API `valid`): false = the registry cannot read the code. Absent = not checked. */
  formatValid?: boolean | null;
}

/** Everything one decision depends on. Pure data: the same input always gives the same verdict. */
export interface DecisionInput {
  operation: 'sale' | 'return';
  codeValid: boolean;
  /** Short reason from the parser when the code is invalid (e.g. its error code). */
  invalidReason?: string;
  facts: CodeFacts | null;
  source: CheckSource;
  freshness: FreshnessState;
  /** Today's date, YYYY-MM-DD in UTC. */
  today: string;
  /** Price of the unit being sold, minor units; null when not known yet. */
  price: number | null;
  /** The same CIS is already a line of the open basket. */
  inBasket: boolean;
  group: string | null;
  lang?: 'ru' | 'kk' | 'en';
}

/** The outcome of {@link DecisionInput}. */
export interface Verdict {
  decision: Decision;
  reason: ReasonCode;
  /** Message in `lang` (default ru). */
  message: string;
  messages: Record<'ru' | 'kk' | 'en', string>;
  source: CheckSource;
  /** A manager may override it (decided offline, cache stale); never what the law forbids. */
  overridable: boolean;
  /** Decided without an online answer. */
  offline: boolean;
  /** Id of the table row that decided. */
  rule: string;
  /**
   * Which source decided: a marking-system provider ('xtrace', 'true-api', 'local-module',
   * 'tanba-feed'), the local 'cache', or 'none'. Set by the checker; absent on verdicts made
   * without a code check.
   */
  decidedBy?: string;
  /** Another lane of the store holds the code (its `register.id`): in its basket or sold there. */
  lane?: string;
}

/** One row of the rules table: the first row (in order) whose groups, operations and `when` match decides. */
export interface RuleRow {
  id: string;
  /** Product groups it applies to; '*' = every group including an unknown one. */
  groups: readonly string[] | '*';
  operations: readonly ('sale' | 'return')[];
  /** Plain-language statement of the check, for the README and reviewers. */
  description: string;
  when(input: DecisionInput): boolean;
  decision: Decision;
  reason: ReasonCode;
  overridable: boolean;
}
