/**
 * Tests driven by GS1's Syntax Dictionary itself (vendor/gs1-syntax-dictionary/): the generated
 * table is what the vendored file gives (and the ISO lists what Debian's iso-codes gives); every
 * AI of the dictionary is known with its flags and lengths; and for every AI, values at the edges
 * of each of its rules (length, character set, check digit, date and time, list membership, the
 * other linters) are accepted or refused with the error the rule gives, plus every pairing rule
 * with its partners present.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dictionaryFile, ISO_CODES_DIR, listsFile } from '../scripts/gs1-generate.ts';
import { dictionaryEntries, generateCases, type Case } from '../scripts/gs1/cases.ts';
import { aiDef } from '../src/marking/ais.ts';
import { DICTIONARY_RELEASE, parseElementString } from '../src/marking/index.ts';

const entries = dictionaryEntries();
const cases = generateCases();

test('the generated AI table is what the vendored dictionary gives (npm run gs1-generate)', () => {
  const [path, text] = dictionaryFile();
  assert.equal(readFileSync(path, 'utf8'), text, `${path} is stale or edited by hand`);
  assert.equal(DICTIONARY_RELEASE, '2026-01-27');
});

test('the generated ISO lists are what Debian\'s iso-codes gives', (t) => {
  const lists = listsFile();
  if (lists === null) return t.skip(`iso-codes is not installed (${ISO_CODES_DIR}); .ci/run installs it`);
  assert.equal(readFileSync(lists[0], 'utf8'), lists[1], `${lists[0]} is stale or edited by hand`);
});

test('every AI of the dictionary is known, with its FNC1 flag and lengths', () => {
  assert.ok(entries.size > 500);
  for (const e of entries.values()) {
    const def = aiDef(e.ai);
    assert.ok(def !== undefined, e.ai);
    assert.equal(def.predefined, e.predefined, `${e.ai} predefined`);
    assert.equal(def.max, e.parts.reduce((n, p) => n + p.max, 0), `${e.ai} max`);
    assert.equal(def.min, e.parts.reduce((n, p) => n + (p.optional ? 0 : p.min), 0), `${e.ai} min`);
    assert.equal(def.parts.length, e.parts.length, `${e.ai} components`);
  }
});

test('the fixed-length AIs that need a GS after them come from the dictionary flags', () => {
  const fixedWithGs = [...entries.values()].filter((e) => !e.predefined && e.parts.every((p) => p.min === p.max && !p.optional)).map((e) => e.ai);
  for (const ai of ['402', '422', '424', '426', '3940', '3955', '7001', '7003', '7006', '8001', '8005', '8006', '8017', '8018', '8026', '8111']) assert.ok(fixedWithGs.includes(ai), ai);
  assert.ok(!fixedWithGs.includes('8007'), '8007 (IBAN) is variable-length in the dictionary');
});

test('every AI has generated valid and invalid values', () => {
  for (const ai of entries.keys()) {
    const mine = cases.filter((c) => c.ai === ai);
    assert.ok(mine.some((c) => c.expected.ok), `${ai}: no valid value`);
    assert.ok(mine.some((c) => !c.expected.ok), `${ai}: no invalid value`);
  }
  assert.ok(cases.length > 4000, `${cases.length} cases`);
});

const byAi = new Map<string, Case[]>();
for (const c of cases) byAi.set(c.ai, [...(byAi.get(c.ai) ?? []), c]);

for (const [ai, mine] of byAi) {
  test(`dictionary edges: AI (${ai}), ${mine.length} values`, () => {
    for (const c of mine) {
      const r = parseElementString(c.data);
      const shown = `(${ai}) ${c.rule}: ${c.data.replaceAll('\x1d', '<GS>')}`;
      if (c.expected.ok) {
        assert.ok(r.ok, `${shown} refused: ${r.ok ? '' : r.error.message}`);
        const p = c.pairing;
        if (p !== undefined) assert.equal(r.warnings.some((w) => w.code === p.code && w.ai === ai), p.present, `${shown}: ${p.code} ${p.present ? 'missing' : 'unexpected'}`);
      } else {
        assert.ok(!r.ok, `${shown} accepted`);
        assert.equal(r.error.code, c.expected.code, `${shown}: ${r.error.message}`);
        if (c.expected.lint !== undefined) assert.ok(r.error.detail?.endsWith(`: ${c.expected.lint}`), `${shown}: ${r.error.detail} is not ${c.expected.lint}`);
      }
    }
  });
}
