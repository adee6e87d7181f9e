/**
 * The conformance report as a test: on every element string generated from GS1's Syntax
 * Dictionary (verdicts known by construction, scripts/gs1/cases.ts), Tanba answers as the
 * dictionary's rules say — verdict, error code, linter error and pairing warning — alone and
 * inside marking codes, except where a documented marking-specific rule (serial and crypto lengths
 * by product group) refuses what GS1 accepts. `npm run gs1-report` prints the same figures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateCases } from '../scripts/gs1/cases.ts';
import { expectedOutcomes, MARKING_RULES, runConformance } from '../scripts/gs1/conformance.ts';

const cases = generateCases();
const reports = runConformance(cases);

test('the generated set exercises every kind of refusal, not only acceptance', () => {
  const outcomes = expectedOutcomes(cases);
  for (const code of ['AI_LENGTH', 'INVALID_CHARACTER', 'UNKNOWN_AI', 'CHECK_DIGIT', 'GTIN_CHECK_DIGIT', 'SSCC_CHECK_DIGIT', 'INVALID_DATE ILLEGAL_DAY',
    'INVALID_DATE ILLEGAL_MONTH', 'INVALID_VALUE NOT_ISO3166', 'INVALID_VALUE NOT_ISO4217', 'INVALID_VALUE INCORRECT_CHECK_PAIR', 'INVALID_VALUE INCORRECT_IBAN_CHECKSUM',
    'INVALID_VALUE PIECE_NUMBER_EXCEEDS_TOTAL', 'INVALID_VALUE INVALID_IMPORT_IDX_CHARACTER', 'INVALID_VALUE ILLEGAL_ZERO_VALUE', 'INVALID_VALUE INVALID_LATITUDE']) {
    assert.ok((outcomes.get(code) ?? 0) > 0, `no case expects ${code}`);
  }
  assert.ok([...outcomes.keys()].some((k) => k.startsWith('INVALID_VALUE COUPON_')), 'no coupon refusal');
  const refused = cases.filter((c) => !c.expected.ok).length;
  assert.ok(refused > 1500 && cases.length - refused > 1500, `${refused} refused of ${cases.length}`);
  assert.ok(cases.filter((c) => c.pairing?.code === 'INVALID_AI_PAIR').length > 300);
});

test('agreement is 100 % outside the documented marking-specific rules', () => {
  assert.equal(reports.length, 3);
  for (const r of reports) {
    const show = r.disagreements.slice(0, 5).map((m) => `${m.data.replaceAll('\x1d', '<GS>')}: expected ${m.expected} / Tanba ${m.tanba}`).join('\n');
    assert.equal(r.disagreements.length, 0, `${r.setting}:\n${show}`);
    assert.equal(r.agreed + r.exceptions.length, r.total, r.setting);
    assert.ok(r.total > 4000, r.setting);
    for (const e of r.exceptions) assert.ok(Object.values(MARKING_RULES).includes(e.because), e.because);
  }
  assert.equal(reports[0]?.exceptions.length, 0, 'the GS1 layer alone has no marking rules');
});
