import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testClock } from './clock.ts';

test('testClock stands still until advanced or set, and refuses a time that is not one', () => {
  const clock = testClock('2026-03-01T10:00:00Z');
  assert.equal(clock.now().toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(clock.now().toISOString(), '2026-03-01T10:00:00.000Z', 'no time passes by itself');
  assert.equal(clock.advance(1_500).iso(), '2026-03-01T10:00:01.500Z');
  assert.equal(clock.advance(-500).ms(), Date.parse('2026-03-01T10:00:01Z'));
  assert.equal(clock.set('2026-03-02T00:00:00Z').iso(), '2026-03-02T00:00:00.000Z');
  assert.equal(testClock(0).iso(), '1970-01-01T00:00:00.000Z');
  assert.throws(() => testClock('yesterday'), /testClock\(start\): not a time: 'yesterday'/);
  assert.throws(() => clock.set('soon'), /set\(iso\): not a time: 'soon'/);
  assert.throws(() => clock.advance(Number.NaN), /advance\(ms\): ms must be a finite number/);
  assert.equal(clock.iso(), '2026-03-02T00:00:00.000Z', 'a refused move leaves the clock where it was');
});
