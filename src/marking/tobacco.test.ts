import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TOBACCO_MRP_ALPHABET } from './groups.ts';
import { decodeMrp, encodeMrp } from './tobacco.ts';

test('MRP alphabet: 80 distinct CSET 82 characters', () => {
  assert.equal(TOBACCO_MRP_ALPHABET.length, 80);
  assert.equal(new Set(TOBACCO_MRP_ALPHABET).size, 80);
  assert.ok(!TOBACCO_MRP_ALPHABET.includes('(') && !TOBACCO_MRP_ALPHABET.includes(')'));
});

test('MRP base-80: the public pack example decodes to 168.00', () => {
  assert.equal(decodeMrp('ACyA', TOBACCO_MRP_ALPHABET), 16800);
  assert.equal(decodeMrp('AAAA', TOBACCO_MRP_ALPHABET), 0);
  assert.equal(decodeMrp('AA(A', TOBACCO_MRP_ALPHABET), -1);
});

test('MRP encode/decode round trip', () => {
  for (const v of [0, 1, 79, 80, 16800, 25000, 80 ** 4 - 1]) {
    assert.equal(decodeMrp(encodeMrp(v, TOBACCO_MRP_ALPHABET), TOBACCO_MRP_ALPHABET), v);
  }
});
