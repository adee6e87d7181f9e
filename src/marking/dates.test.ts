import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gs1Year, parseGs1Date } from './dates.ts';

test('GS1 century rule: 49 years back to 50 ahead of the reference year', () => {
  assert.equal(gs1Year(26, 2026), 2026);
  assert.equal(gs1Year(76, 2026), 2076);
  assert.equal(gs1Year(77, 2026), 1977);
  assert.equal(gs1Year(99, 2026), 1999);
  assert.equal(gs1Year(1, 2090), 2101);
});

test('day 00 is the last day of the month, leap years included', () => {
  assert.deepEqual(parseGs1Date('280200', 2026), { ok: true, iso: '2028-02-29' });
  assert.deepEqual(parseGs1Date('270200', 2026), { ok: true, iso: '2027-02-28' });
  assert.deepEqual(parseGs1Date('261100', 2026), { ok: true, iso: '2026-11-30' });
  assert.deepEqual(parseGs1Date('261231', 2026), { ok: true, iso: '2026-12-31' });
});

test('invalid months and days are refused with a reason in three languages', () => {
  const m = parseGs1Date('261301', 2026);
  assert.equal(m.ok, false);
  if (!m.ok) assert.match(m.reason.en, /month 13/);
  const d = parseGs1Date('270229', 2026);
  assert.equal(d.ok, false);
  if (!d.ok) {
    assert.match(d.reason.en, /day 29/);
    assert.match(d.reason.ru, /день 29/);
    assert.match(d.reason.kk, /күн 29/);
  }
  assert.equal(parseGs1Date('260431', 2026).ok, false);
  assert.equal(parseGs1Date('260001', 2026).ok, false);
});
