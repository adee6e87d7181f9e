/**
 * Wrong PINs counted per account (migration 9), so a lockout survives a restart and does not
 * depend on which address the guesses come from. The lockout policy (how long after how many)
 * is the caller's; this module only counts and stores.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** 'pin': wrong PINs of the account itself; 'approvals': failed approvals the account asked for. */
export type FailureKind = 'pin' | 'approvals';

/** Consecutive failures of one account and kind. */
export interface FailureState {
  userId: string;
  kind: FailureKind;
  failures: number;
  lastAt: string;
  lockedUntil: string | null;
}

interface Row { user_id: string; kind: FailureKind; failures: number; last_at: string; locked_until: string | null }

function fromRow(r: Row): FailureState {
  return { userId: r.user_id, kind: r.kind, failures: r.failures, lastAt: r.last_at, lockedUntil: r.locked_until };
}

/** The stored failures of an account, if any. */
export function failureState(db: Db, userId: string, kind: FailureKind): FailureState | undefined {
  const r = prepared(db, 'SELECT * FROM auth_failures WHERE user_id = ? AND kind = ?').get(userId, kind) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/**
 * Counts one more failure and stores the lock the policy gives for the new count, in one
 * transaction (two requests cannot both read the old count).
 */
export function recordFailure(db: Db, userId: string, kind: FailureKind, at: Date, lockFor: (failures: number) => number): FailureState {
  return db.transaction(() => {
    const failures = (failureState(db, userId, kind)?.failures ?? 0) + 1;
    const ms = lockFor(failures);
    const lockedUntil = ms > 0 ? new Date(at.getTime() + ms).toISOString() : null;
    prepared(db, `INSERT INTO auth_failures (user_id, kind, failures, last_at, locked_until) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (user_id, kind) DO UPDATE SET failures = excluded.failures, last_at = excluded.last_at, locked_until = excluded.locked_until`)
      .run(userId, kind, failures, at.toISOString(), lockedUntil);
    return { userId, kind, failures, lastAt: at.toISOString(), lockedUntil };
  }).immediate();
}

/** Forgets an account's failures (a success, or an administrator's unlock); all kinds when none is given. */
export function clearFailures(db: Db, userId: string, kind?: FailureKind): number {
  return kind === undefined
    ? prepared(db, 'DELETE FROM auth_failures WHERE user_id = ?').run(userId).changes
    : prepared(db, 'DELETE FROM auth_failures WHERE user_id = ? AND kind = ?').run(userId, kind).changes;
}

/** Every stored failure count (for the users screen). */
export function listFailures(db: Db): FailureState[] {
  return (prepared(db, 'SELECT * FROM auth_failures ORDER BY user_id, kind').all() as Row[]).map(fromRow);
}
