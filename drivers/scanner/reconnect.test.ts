import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBackoff, ReconnectBackoff } from './reconnect.ts';

test('the backoff doubles from 100 ms up to 1000 ms and starts again after a reset', () => {
  const b = new ReconnectBackoff(checkBackoff({}, {}));
  const seen: number[] = [];
  for (let i = 0; i < 6; i++) { seen.push(b.delayMs); b.failed(); }
  assert.deepEqual(seen, [100, 200, 400, 800, 1000, 1000]);
  b.reset();
  assert.equal(b.delayMs, 100);
});

test('the options given replace the defaults, and extra numbers are kept', () => {
  const o = checkBackoff({ initialMs: 10, factor: 3, maxMs: 50 }, { watchMs: 500 });
  assert.deepEqual(o, { initialMs: 10, maxMs: 50, factor: 3, watchMs: 500 });
  const b = new ReconnectBackoff(o);
  b.failed(); assert.equal(b.delayMs, 30);
  b.failed(); assert.equal(b.delayMs, 50);
  assert.equal(checkBackoff({ watchMs: 0 }, { watchMs: 500 }).watchMs, 0);
});

test('bad options are refused with the option named', () => {
  assert.throws(() => checkBackoff({ maxMs: -1 }, {}), /reconnect\.maxMs must be a number >= 0, got -1/);
  assert.throws(() => checkBackoff({ initialMs: Number.NaN }, {}), /reconnect\.initialMs/);
  assert.throws(() => checkBackoff({}, { watchMs: -5 }), /reconnect\.watchMs/);
  assert.throws(() => checkBackoff({ initialMs: 0 }, {}), /1 <= initialMs <= maxMs/);
  assert.throws(() => checkBackoff({ initialMs: 500, maxMs: 100 }, {}), /1 <= initialMs <= maxMs/);
  assert.throws(() => checkBackoff({ factor: 0.5 }, {}), /reconnect\.factor must be >= 1/);
});
