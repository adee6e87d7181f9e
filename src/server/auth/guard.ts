/**
 * Lockout of wrong PINs per account, with growing delays. Failures of known accounts are stored
 * (src/store/auth-failures.ts), so a restart does not reset them; a name no user has is counted
 * the same way in memory (bounded), so the answers do not tell which names exist. Nothing here
 * looks at the caller's address: guesses from any address count against the account they
 * name, and never lock another account.
 */
import { clearFailures, failureState, recordFailure, type Db, type FailureKind } from '../../store/index.ts';

/** How many wrong PINs are free and how the lock grows after them. */
export interface LockoutPolicy {
  /** Failures in a row before the first lock. */
  freeFailures: number;
  /** The first lock; each further failure doubles it. */
  firstLockMs: number;
  /** The longest lock. */
  maxLockMs: number;
}

/** 4 free failures; the 5th locks 30 s, then 1, 2, 4, ... min, at most an hour per failure. */
export const LOCKOUT: LockoutPolicy = { freeFailures: 4, firstLockMs: 30_000, maxLockMs: 3_600_000 };

/** The lock (ms) after the `failures`-th wrong PIN in a row. */
export function lockMsAfter(failures: number, policy: LockoutPolicy = LOCKOUT): number {
  if (failures <= policy.freeFailures) return 0;
  return Math.min(policy.firstLockMs * 2 ** Math.min(failures - policy.freeFailures - 1, 30), policy.maxLockMs);
}

/** Whose failures: an account by id and kind, or a name no user has. */
export type Subject = { userId: string; kind: FailureKind } | { unknownName: string };

/** The outcome of one more failure. */
export interface FailureCount {
  failures: number;
  lockedUntil: string | null;
}

function keyOf(s: Subject): string {
  return 'unknownName' in s ? `name:${s.unknownName}` : `${s.kind}:${s.userId}`;
}

/** Counts, locks and releases; also keeps two checks of one account from running at once. */
export class AccountGuard {
  private readonly unknown = new Map<string, FailureCount>();
  private readonly inFlight = new Set<string>();
  /** The end of the lock window in which a refusal was last reported, per subject. */
  private readonly reported = new Map<string, number>();

  constructor(private readonly db: Db, private readonly policy: LockoutPolicy = LOCKOUT, private readonly maxUnknown = 1000) {}

  /** Milliseconds until the subject may try again (0: now). */
  waitMs(subject: Subject, now: Date): number {
    const until = 'unknownName' in subject ? this.unknown.get(subject.unknownName)?.lockedUntil : failureState(this.db, subject.userId, subject.kind)?.lockedUntil;
    return until ? Math.max(0, Date.parse(until) - now.getTime()) : 0;
  }

  /** Counts one more failure and locks as the policy says. */
  fail(subject: Subject, now: Date): FailureCount {
    const lockFor = (n: number) => lockMsAfter(n, this.policy);
    if (!('unknownName' in subject)) {
      const s = recordFailure(this.db, subject.userId, subject.kind, now, lockFor);
      return { failures: s.failures, lockedUntil: s.lockedUntil };
    }
    const failures = (this.unknown.get(subject.unknownName)?.failures ?? 0) + 1;
    const ms = lockFor(failures);
    const count = { failures, lockedUntil: ms > 0 ? new Date(now.getTime() + ms).toISOString() : null };
    this.unknown.delete(subject.unknownName);
    this.unknown.set(subject.unknownName, count);
    // Oldest first out: a flood of made-up names cannot grow the map without bound.
    if (this.unknown.size > this.maxUnknown) this.unknown.delete(this.unknown.keys().next().value as string);
    return count;
  }

  /**
   * True for the first refusal within a lock window of the subject (`waitMs` as just answered):
   * the audit log records one refusal per window, so a flood of refused tries cannot fill it.
   */
  firstRefusal(subject: Subject, now: Date, waitMs: number): boolean {
    const key = keyOf(subject);
    const until = now.getTime() + waitMs;
    // Two answers within the same window differ by rounding only.
    if (Math.abs((this.reported.get(key) ?? -Infinity) - until) < 1000) return false;
    this.reported.delete(key);
    this.reported.set(key, until);
    if (this.reported.size > this.maxUnknown) this.reported.delete(this.reported.keys().next().value as string);
    return true;
  }

  /** A right PIN: the count starts again. */
  succeed(subject: Subject): void {
    if ('unknownName' in subject) this.unknown.delete(subject.unknownName);
    else clearFailures(this.db, subject.userId, subject.kind);
  }

  /**
   * Runs `check` while no other check of these subjects is running, or returns undefined at once
   * when one is: parallel requests cannot all pass the lock test before the first failure counts.
   */
  async exclusive<T>(subjects: readonly Subject[], check: () => Promise<T>): Promise<T | undefined> {
    const keys = subjects.map(keyOf);
    if (keys.some((k) => this.inFlight.has(k))) return undefined;
    for (const k of keys) this.inFlight.add(k);
    try {
      return await check();
    } finally {
      for (const k of keys) this.inFlight.delete(k);
    }
  }
}
