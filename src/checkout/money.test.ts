import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { divRound, formatMoney, includedTax, lineSum, vatRateFor } from './money.ts';

test('divRound rounds halves up and is exact on integers', () => {
  assert.equal(divRound(5, 2), 3);
  assert.equal(divRound(4, 2), 2);
  assert.equal(divRound(1, 3), 0);
  assert.equal(divRound(2, 3), 1);
  assert.throws(() => divRound(-1, 2), /non-negative/);
});

test('line sum of weighted goods: 1.234 kg at 2 000.00 per kg', () => {
  assert.equal(lineSum(200_000, 1234), 246_800);
  assert.equal(lineSum(999, 333), 333); // 332.667 -> 333
});

test('included VAT at 16 % and 12 %', () => {
  assert.equal(includedTax(11_600, 16_000), 1_600);
  assert.equal(includedTax(11_200, 12_000), 1_200);
  assert.equal(includedTax(100, 0), 0);
});

test('included VAT never exceeds the gross amount and matches float math within half a tiyn', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000_00 }), fc.integer({ min: 0, max: 30_000 }), (gross, rate) => {
    const tax = includedTax(gross, rate);
    assert.ok(tax <= gross);
    assert.ok(Math.abs(tax - (gross * rate) / (100_000 + rate)) <= 0.5 + 1e-9);
  }));
});

test('formatMoney', () => {
  assert.equal(formatMoney(123456), '1234.56');
  assert.equal(formatMoney(5), '0.05');
  assert.equal(formatMoney(-250), '-2.50');
});

test('VAT by category and date: changes at Kazakhstan local midnight; rounded per line in tiyn, halves up', () => {
  // 2025-12-31 23:59 local (18:59 UTC) is still 12 %; 2026-01-01 00:00 local (2025-12-31 19:00 UTC) is 16 %.
  assert.equal(vatRateFor('standard', '2025-12-31T18:59:59.000Z'), 12_000);
  assert.equal(vatRateFor('standard', '2025-12-31T19:00:00.000Z'), 16_000);
  assert.equal(vatRateFor(undefined, '2026-06-01T10:00:00.000Z'), 16_000, 'no category: standard');
  assert.equal(vatRateFor('medicines', '2025-12-31T18:59:59.000Z'), 12_000);
  assert.equal(vatRateFor('medicines', '2026-12-31T18:59:59.000Z'), 5_000);
  assert.equal(vatRateFor('medicines', '2026-12-31T19:00:00.000Z'), 10_000);
  assert.equal(vatRateFor('periodicals', '2026-03-01T10:00:00.000Z'), 10_000);
  assert.equal(vatRateFor('zero', '2026-03-01T10:00:00.000Z'), 0);
  assert.equal(vatRateFor('none', '2026-03-01T10:00:00.000Z'), 0);
  assert.equal(vatRateFor('standard', '2026-03-01T10:00:00.000Z', { vatPayer: false }), 0, 'not a VAT payer: no tax');
  // Included VAT per line: gross x rate / (100 % + rate), to the nearest tiyn. (At 16, 10 and 5 % the
  // included share can never be exactly half a tiyn: the halves are in price x quantity, below.)
  assert.equal(includedTax(11_600, 16_000), 1_600);
  assert.equal(includedTax(29, 16_000), 4);
  assert.equal(includedTax(3_625, 16_000), 500, '3625 * 16 / 116 = 500 exactly');
  assert.equal(includedTax(11, 5_000), 1);
  assert.equal(includedTax(10, 5_000), 0);
  assert.equal(includedTax(231, 10_000), 21, '231 * 10 / 110 = 21 exactly');
  assert.equal(includedTax(2_475, 10_000), 225, '2475 * 10 / 110 = 225 exactly');
  assert.equal(includedTax(35, 16_000), 5, '35 * 16 / 116 = 4.83 -> 5');
  assert.equal(lineSum(1, 500), 1, 'half a tiyn (1 tiyn x 0.5) rounds up');
  assert.equal(lineSum(3, 1_500), 5, '4.5 -> 5');
  assert.equal(lineSum(3, 1_499), 4, '4.497 -> 4');
});
