/**
 * The tests' controllable clock: `testClock(start)` is a {@link Clock} that stands still until the
 * test moves it with `advance(ms)` or `set(iso)`. Pass it wherever the code takes a clock
 * (checkout, checker, sender, OFD client) to step time instead of waiting for it.
 */
import type { Clock } from '../../src/clock.ts';

/** A clock the test moves by hand. */
export interface TestClock extends Clock {
  /** Moves the clock forward (or back, with a negative `ms`); returns the clock. */
  advance(ms: number): TestClock;
  /** Puts the clock at an ISO-8601 time; returns the clock. */
  set(iso: string): TestClock;
  /** The current time as an ISO string. */
  iso(): string;
  /** The current time in ms since the epoch. */
  ms(): number;
}

function timeOf(value: string | number | Date, what: string): number {
  const t = typeof value === 'string' ? Date.parse(value) : typeof value === 'number' ? value : value.getTime();
  if (!Number.isFinite(t)) throw new TypeError(`${what}: not a time: '${String(value)}'`);
  return t;
}

/** A clock standing at `start` (ISO-8601 string, epoch ms or Date) until moved. */
export function testClock(start: string | number | Date): TestClock {
  let t = timeOf(start, 'testClock(start)');
  const clock: TestClock = {
    now: () => new Date(t),
    advance(ms) {
      if (!Number.isFinite(ms)) throw new TypeError(`advance(ms): ms must be a finite number, got ${ms}`);
      t += ms;
      return clock;
    },
    set(iso) {
      t = timeOf(iso, 'set(iso)');
      return clock;
    },
    iso: () => new Date(t).toISOString(),
    ms: () => t,
  };
  return clock;
}
