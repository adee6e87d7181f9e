import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasLayoutCharacters, layoutReadings, typeWithLayout } from './layout.ts';

test('Russian layout: letters map back to the Latin key, case kept', () => {
  assert.equal(typeWithLayout('qwertyQWERTY', 'ru'), 'йцукенЙЦУКЕН');
  const { full } = layoutReadings('йцукенЙЦУКЕН');
  assert.ok(full.some((r) => r.layout === 'ru' && r.text === 'qwertyQWERTY'));
});

test('Russian layout: punctuation on moved keys maps back too (/ is typed as .)', () => {
  assert.equal(typeWithLayout('AB/+=', 'ru'), 'ФИ.+=');
  const { full } = layoutReadings('ФИ.+=');
  assert.deepEqual(full.map((r) => r.text), ['AB/+=']);
});

test('Kazakh layout: the digit row types Kazakh letters (KBDKAZ)', () => {
  assert.equal(typeWithLayout('1234567890-=', 'kk'), '"әіңғ,.үұқөһ');
  assert.equal(typeWithLayout('@#$%^&*()_+', 'kk'), 'ӘІҢҒ;:ҮҰҚӨҺ');
  const { full } = layoutReadings('қә"ФИ');
  assert.deepEqual(full.map((r) => [r.layout, r.text]), [['kk', '021AB']]);
});

test('a layout is only assumed when it could type every character', () => {
  // Latin letters mixed with Cyrillic: neither layout typed it; only the letters-only reading.
  const r = layoutReadings('AФ');
  assert.deepEqual(r.full, []);
  assert.equal(r.lettersOnly?.text, 'AA');
  // Digits other than 1, 6, 7 cannot come from the Kazakh layout.
  assert.deepEqual(layoutReadings('0Ф').full.map((x) => x.layout), ['ru']);
});

test('hasLayoutCharacters', () => {
  assert.ok(hasLayoutCharacters('abcй'));
  assert.ok(hasLayoutCharacters('№'));
  assert.ok(!hasLayoutCharacters('0104600000000006'));
});
