/**
 * One AIM symbology table (src/marking/aim.ts): the scanner driver names a frame's symbology as
 * the parser names the same code's, for every identifier it knows, Caps Lock-flipped ones too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AIM_SYMBOLOGIES as DRIVER_TABLE, symbologyOf } from '../drivers/scanner/index.ts';
import { AIM_SYMBOLOGIES, parseCode } from '../src/marking/index.ts';
import { codes } from './fixtures/scanner/codes.ts';

const [CODE = ''] = codes(1, 7);

test('the driver and the parser share one table', () => {
  assert.equal(DRIVER_TABLE, AIM_SYMBOLOGIES);
});

test('for every AIM identifier the driver names the symbology the parser gives the code', () => {
  for (const aim of Object.keys(AIM_SYMBOLOGIES)) {
    const parsed = parseCode(`${aim}${CODE}`);
    assert.ok(parsed.ok, `${aim}: ${JSON.stringify(parsed)}`);
    assert.equal(parsed.symbology, symbologyOf(aim), aim);
  }
});

test('ISO/IEC 15424 modifiers: FNC1 first is GS1, FNC1 second and ECI are not', () => {
  assert.deepEqual([']C0', ']C1', ']Q3', ']Q5', ']d2', ']d4', ']d5', ']I1'].map((a) => symbologyOf(a)), ['code-128', 'gs1-128', 'gs1-qr', 'qr', 'gs1-datamatrix', 'datamatrix', 'gs1-datamatrix', 'itf']);
  assert.equal(symbologyOf(']D2'), 'gs1-datamatrix', 'Caps Lock flips the letter');
  assert.equal(symbologyOf(']X9'), 'aim:]X9', 'unknown: reported, not guessed');
});
