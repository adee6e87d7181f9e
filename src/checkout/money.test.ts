import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { divRound, formatMoney, includedTax, lineSum } from './money.ts';

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
