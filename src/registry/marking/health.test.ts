import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PROBE_SCHEDULE, probeDelayMs } from './health.ts';

test('a failed provider is re-probed after 15 s, then doubling, never past 5 min', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 100].map((n) => probeDelayMs(n, DEFAULT_PROBE_SCHEDULE)), [15_000, 30_000, 60_000, 120_000, 240_000, 300_000, 300_000, 300_000]);
  assert.equal(probeDelayMs(0, { baseMs: 300, maxMs: 1_000 }), 300);
});
