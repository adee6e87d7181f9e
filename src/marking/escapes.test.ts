import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unescapeSeparators } from './escapes.ts';

const GS = '\u001d';

test('every built-in stand-in becomes GS', () => {
  for (const t of ['\\u001d', '\\u001D', '\\x1d', '\\x1D', '\\035', '<GS>', '<gs>', '{GS}', '[GS]', '<FNC1>', '{FNC1}', '^]', '\u2194']) {
    const r = unescapeSeparators(`A${t}B`);
    assert.ok(r, t);
    assert.equal(r.text, `A${GS}B`, t);
    assert.equal(r.count, 1);
    assert.deepEqual(r.tokens, [t]);
  }
});

test('no stand-in: null (the caller keeps its string)', () => {
  assert.equal(unescapeSeparators('0104600000000006213ABC<TYf'), null);
  assert.equal(unescapeSeparators('plain'), null);
});

test('configured stand-ins, longest first, exactly as given', () => {
  const r = unescapeSeparators('A|B~1C', ['|', '~1']);
  assert.equal(r?.text, `A${GS}B${GS}C`);
  assert.equal(r?.count, 2);
  assert.equal(unescapeSeparators('A~1B', ['~', '~1'])?.text, `A${GS}B`);
  assert.equal(unescapeSeparators('A|B', [''])?.text ?? null, null);
});

test('counts repeats and keeps the first spelling of each token', () => {
  const r = unescapeSeparators('a<GS>b<gs>c{GS}d');
  assert.equal(r?.count, 3);
  assert.deepEqual(r?.tokens, ['<GS>', '{GS}']);
});
