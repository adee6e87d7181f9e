import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gs1CheckDigit, hasValidCheckDigit, isValidGtin, isValidSscc } from './check-digit.ts';

test('GS1 check digit: published examples', () => {
  // GS1 General Specifications 7.9.1 example: GTIN-13 629104150021 -> 3
  assert.equal(gs1CheckDigit('629104150021'), 3);
  // EAN-8 9638507 -> 4 (96385074)
  assert.equal(gs1CheckDigit('9638507'), 4);
  // SSCC 37610425002123456 -> 9
  assert.equal(gs1CheckDigit('37610425002123456'), 9);
  // GTIN-14 of the public tobacco pack example
  assert.equal(gs1CheckDigit('0000004620984'), 9);
});

test('isValidGtin accepts 8/12/13/14 digits with a correct check digit only', () => {
  assert.ok(isValidGtin('96385074'));
  assert.ok(isValidGtin('6291041500213'));
  assert.ok(isValidGtin('00000046209849'));
  assert.ok(!isValidGtin('00000046209848'));
  assert.ok(!isValidGtin('0000004620984'));
  assert.ok(!isValidGtin('0000004620984X'));
  assert.ok(!isValidGtin(''));
});

test('isValidSscc', () => {
  assert.ok(isValidSscc('376104250021234569'));
  assert.ok(!isValidSscc('376104250021234568'));
  assert.ok(!hasValidCheckDigit('1'));
});

test('gs1CheckDigit rejects non-digits', () => {
  assert.throws(() => gs1CheckDigit('12a'), RangeError);
});
