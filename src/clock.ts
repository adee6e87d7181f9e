/**
 * The one clock of the register: every service that needs "now" takes a {@link Clock}, so a
 * test or `TANBA_NOW` can fix or step time in one place. Times are UTC `Date`s.
 */

/** Source of the current time. */
export interface Clock {
  now(): Date;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock fixed at `iso` (TANBA_NOW, tests). Throws naming the value when it is not a time. */
export function fixedClock(iso: string): Clock {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) throw new Error(`not an ISO-8601 time: '${iso}'`);
  return { now: () => new Date(t) };
}

/** `TANBA_NOW` was set to something that is not an ISO-8601 time. */
export class ClockEnvError extends Error {
  override name = 'ClockEnvError';
}

/**
 * The clock of a command-line run: fixed at `TANBA_NOW` (ISO-8601) when set, else the system
 * clock. The server ignores TANBA_NOW (a fixed clock would freeze the lease and backoff timers).
 */
export function clockFromEnv(env: NodeJS.ProcessEnv): Clock {
  const fixed = env.TANBA_NOW;
  if (fixed === undefined || fixed === '') return systemClock;
  if (Number.isNaN(Date.parse(fixed))) throw new ClockEnvError(`TANBA_NOW must be an ISO-8601 time, got '${fixed}'`);
  return fixedClock(fixed);
}
