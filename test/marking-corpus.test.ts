/**
 * Runs every case of test/fixtures/marking/corpus.jsonl through parseCode, one test per case.
 * A case: {"name", "input", "options"?, "expect"} where expect is a subset of toJson's output
 * (arrays compare element by element, with the same length). Dates use reference year 2026.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCode, toJson, type ParseOptions } from '../src/marking/index.ts';

interface Case {
  name: string;
  input: string;
  options?: ParseOptions;
  expect: Record<string, unknown>;
}

const file = new URL('./fixtures/marking/corpus.jsonl', import.meta.url);
const cases: Case[] = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Case);

/** Every key of `expected` matches in `actual` (recursively); arrays match element-wise. */
function assertSubset(actual: unknown, expected: unknown, path: string): void {
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${path}: expected an array, got ${JSON.stringify(actual)}`);
    assert.equal(actual.length, expected.length, `${path}: length (${JSON.stringify(actual)})`);
    expected.forEach((e, i) => assertSubset(actual[i], e, `${path}[${i}]`));
  } else if (expected !== null && typeof expected === 'object') {
    assert.ok(actual !== null && typeof actual === 'object', `${path}: expected an object, got ${JSON.stringify(actual)}`);
    for (const [k, v] of Object.entries(expected)) assertSubset((actual as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    assert.deepEqual(actual, expected, path);
  }
}

test('the corpus has at least 150 cases, failures and every kind and group among them', () => {
  assert.ok(cases.length >= 150, `${cases.length} cases`);
  const kinds = new Set(cases.map((c) => c.expect.kind).filter(Boolean));
  for (const k of ['gs1', 'tobacco-pack', 'tobacco-block', 'sscc', 'ean']) assert.ok(kinds.has(k), k);
  assert.ok(cases.filter((c) => c.expect.ok === false).length >= 30);
  const names = cases.map((c) => c.name).join('\n');
  for (const g of ['tobacco', 'shoes', 'medicines', 'beer', 'oil', 'dairy', 'water', 'light-industry', 'other']) assert.match(names, new RegExp(`^${g}`, 'm'), g);
});

for (const c of cases) {
  test(`corpus: ${c.name}`, () => {
    const result = toJson(parseCode(c.input, { referenceYear: 2026, ...c.options }));
    assertSubset(result, c.expect, 'result');
  });
}
