import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClockEnvError, clockFromEnv, fixedClock, systemClock } from './clock.ts';

test('fixedClock returns the same instant each time and names a bad value', () => {
  const c = fixedClock('2026-03-01T12:00:00Z');
  assert.equal(c.now().toISOString(), '2026-03-01T12:00:00.000Z');
  assert.notEqual(c.now(), c.now(), 'a fresh Date each call: a caller cannot move the clock by mutating it');
  assert.throws(() => fixedClock('yesterday'), /'yesterday'/);
});

test('clockFromEnv: TANBA_NOW fixes the clock, empty or unset is the system clock', () => {
  assert.equal(clockFromEnv({ TANBA_NOW: '2026-01-02T03:04:05Z' }).now().toISOString(), '2026-01-02T03:04:05.000Z');
  assert.equal(clockFromEnv({}), systemClock);
  assert.equal(clockFromEnv({ TANBA_NOW: '' }), systemClock);
  assert.throws(() => clockFromEnv({ TANBA_NOW: 'soon' }), (e: unknown) => e instanceof ClockEnvError && /TANBA_NOW.*'soon'/.test(e.message));
});
