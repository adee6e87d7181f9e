/**
 * Every GS1 linter against Tanba's own vectors (./testdata/vectors/): for each, values on both sides of
 * each edge of its rule, the expected verdict and error (and, where the rule says, the position)
 * computed from the rule or spelled out with it. Each linter sees its data inside a longer text,
 * as it does inside a code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LINTER_NAMES } from './dictionary.generated.ts';
import { ALL_LINTERS, LINTERS } from './linters.ts';
import { COUPON_ERRORS, LINT_ERRORS, lintReason } from './reasons.ts';
import { LINTER_VECTORS } from './testdata/vectors/index.ts';

test('every linter the dictionary names is implemented and has valid and invalid vectors', () => {
  for (const name of [...LINTER_NAMES, 'csetnumeric', 'cset82', 'cset39', 'cset64', 'yyyymmd0']) {
    assert.equal(typeof ALL_LINTERS[name], 'function', name);
    const vs = LINTER_VECTORS[name] ?? [];
    assert.ok(vs.some((v) => v.error === null), `${name}: no valid vector`);
    assert.ok(vs.some((v) => v.error !== null), `${name}: no invalid vector`);
  }
  assert.deepEqual(Object.keys(LINTERS).sort(), [...LINTER_NAMES].sort());
});

for (const [name, vectors] of Object.entries(LINTER_VECTORS)) {
  const valid = vectors.filter((v) => v.error === null).length;
  test(`linter ${name}: ${vectors.length} vectors (${valid} valid, ${vectors.length - valid} invalid)`, () => {
    const lint = ALL_LINTERS[name];
    assert.ok(lint !== undefined, `no linter ${name}`);
    for (const v of vectors) {
      const text = `#${v.data}#`;
      const got = lint(text, 1, text.length - 1);
      const shown = `${name}(${JSON.stringify(v.data)})`;
      if (v.error === null) {
        assert.equal(got, null, `${shown} should pass, got ${got?.error}`);
        continue;
      }
      assert.equal(got?.error, v.error, shown);
      if (v.at !== undefined) assert.deepEqual([got?.pos, got?.len], [...v.at], `${shown} position`);
    }
  });
}

test('every coupon error has a vector that expects it', () => {
  const used = new Set(Object.values(LINTER_VECTORS).flat().map((v) => v.error));
  assert.deepEqual(COUPON_ERRORS.filter((e) => !used.has(e)), []);
});

test('every linter error has a reason in Russian, Kazakh and English', () => {
  for (const error of LINT_ERRORS) {
    const r = lintReason(error);
    assert.match(r.ru, /[а-яё]/i, `${error} ru: ${r.ru}`);
    assert.match(r.kk, /[а-яёәіңғүұқөһ]/i, `${error} kk: ${r.kk}`);
    assert.ok(r.en.length > 5 && r.en !== error, `${error} en: ${r.en}`);
  }
});
