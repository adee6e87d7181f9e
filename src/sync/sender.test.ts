// Unit properties of the sender's backoff (the delivery behaviour itself is tested over real TCP
// in test/sync-sender.test.ts and test/sync-chaos.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { backoffDelayMs } from './sender.ts';

test('backoff: between half and all of min(max, base * 2^(n-1)), never decreasing in n for a fixed jitter', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 3_600_000 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (n, base, max, r) => {
    const d = backoffDelayMs(n, base, max, () => r);
    const cap = Math.min(max, base * 2 ** Math.min(n - 1, 30));
    assert.ok(d >= Math.floor(cap / 2) && d <= Math.ceil(cap), `${d} outside [${cap / 2}, ${cap}]`);
    assert.ok(backoffDelayMs(n + 1, base, max, () => r) >= d);
  }));
});
