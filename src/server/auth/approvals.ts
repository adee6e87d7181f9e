/**
 * Override approvals: the approver names themselves and types their PIN on the cashier's
 * screen. A wrong PIN counts against the named approver's account (the same count as their
 * logins: one PIN, one budget of guesses) and against the asking user's approvals (so a cashier
 * cannot spread guesses over many managers); either lock refuses further tries until it runs
 * out. The answer never says whether the name exists or holds the role.
 */
import type { Clock } from '../../clock.ts';
import { userByName, userNameKey, verifyUserPin, type Db, type SessionUser, type User } from '../../store/index.ts';
import type { AccountGuard, Subject } from './guard.ts';
import { mayDo } from './permissions.ts';

/** An approval's outcome; a refusal carries what the audit log records. */
export type ApprovalResult =
  | { ok: true; approver: User }
  | {
    ok: false; status: 403 | 429; code: 'BAD_PIN' | 'TOO_MANY_ATTEMPTS'; message: string; retryAfterMs?: number;
    /** What to audit; null for a refusal already audited in this lock window, or a concurrent try (no PIN was checked). */
    audit: Record<string, unknown> | null;
  };

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Checks an approval by name and PIN for the session user `requester`. */
export async function checkApproval(deps: { db: Db; guard: AccountGuard; clock: Clock }, requester: SessionUser, name: string, pin: string): Promise<ApprovalResult> {
  const { db, guard, clock } = deps;
  const named = userByName(db, name);
  const approverSubject: Subject = named ? { userId: named.id, kind: 'pin' } : { unknownName: userNameKey(name) };
  const requesterSubject: Subject = { userId: requester.id, kind: 'approvals' };
  const now = clock.now();
  const locked = (ms: number, who: string, subject: Subject | null): ApprovalResult => ({
    ok: false, status: 429, code: 'TOO_MANY_ATTEMPTS', retryAfterMs: ms, message: `${who}; try again in ${seconds(ms)} s`,
    audit: subject && guard.firstRefusal(subject, now, ms) ? { reason: 'locked', approver: name, retryAfterS: seconds(ms) } : null,
  });
  const requesterWait = guard.waitMs(requesterSubject, now);
  if (requesterWait > 0) return locked(requesterWait, 'too many wrong approvals from this user', requesterSubject);
  const approverWait = guard.waitMs(approverSubject, now);
  if (approverWait > 0) return locked(approverWait, `too many wrong PINs for ${name}`, approverSubject);
  const result = await guard.exclusive([approverSubject, requesterSubject], async (): Promise<ApprovalResult> => {
    const user = await verifyUserPin(db, name, pin);
    // The roles of the `override` permission approve (PERMISSIONS): managers and the administrator.
    if (user && user.disabledAt === null && mayDo(user.role, 'override')) {
      guard.succeed(approverSubject);
      guard.succeed(requesterSubject);
      return { ok: true, approver: user };
    }
    const at = clock.now();
    const approver = guard.fail(approverSubject, at);
    const asking = guard.fail(requesterSubject, at);
    return {
      ok: false, status: 403, code: 'BAD_PIN', message: 'wrong approver name or PIN, or not a manager',
      audit: { reason: 'bad_pin', approver: name, approverFailures: approver.failures, requesterFailures: asking.failures, lockedUntil: approver.lockedUntil ?? asking.lockedUntil },
    };
  });
  return result ?? locked(1000, 'another approval by this approver or user is being checked', null);
}
