import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visibleBytes, visibleGs } from './visible.ts';

test('visibleGs shows GS and other controls', () => {
  assert.equal(visibleGs('01\u001d91'), '01<GS>91');
  assert.equal(visibleGs('a\r\n'), 'a<CR><LF>');
  assert.equal(visibleGs('\u0001x'), '<0x01>x');
  assert.equal(visibleGs('plain'), 'plain');
});

test('visibleBytes shows GS by name and other bytes in hex', () => {
  assert.equal(visibleBytes(Uint8Array.from([0x30, 0x31, 0x1d, 0x0d, 0xd0])), '01<GS><0d><d0>');
});
