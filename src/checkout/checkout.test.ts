import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KZ_VAT_RATES, codeForMessage, vatRateOn } from './checkout.ts';
import { describeVerification } from './journal.ts';

test('VAT rate by date: 12 % in 2025, 16 % from 2026-01-01', () => {
  assert.equal(vatRateOn(KZ_VAT_RATES, '2025-12-31'), 12_000);
  assert.equal(vatRateOn(KZ_VAT_RATES, '2026-01-01'), 16_000);
  assert.equal(vatRateOn(KZ_VAT_RATES, '2001-01-01'), 0);
});

test('codes in messages show GS visibly and stay short', () => {
  assert.equal(codeForMessage('0104600000000000213ABC\x1d93abcd'), '0104600000000000213ABC<GS>93abcd');
  assert.equal(codeForMessage('x'.repeat(100)).length, 60);
});

test('journal verification reads as one line', () => {
  assert.equal(describeVerification({ ok: true, count: 3, lastHash: 'h' }), 'journal OK: 3 entries, chain intact');
  assert.equal(describeVerification({ ok: false, count: 1, brokenAt: 2, reason: 'content does not match its hash (entry changed)' }), 'journal BROKEN at entry 2: content does not match its hash (entry changed)');
});
