import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDateInput, parseDateInput } from './dates.ts';

test('an ISO date is shown day first in each language: dd.mm.yyyy in ru and kk, dd/mm/yyyy in en', () => {
  assert.equal(formatDateInput('2026-12-05', 'ru'), '05.12.2026');
  assert.equal(formatDateInput('2026-12-05', 'kk'), '05.12.2026');
  assert.equal(formatDateInput('2026-12-05', 'en'), '05/12/2026');
  assert.equal(formatDateInput('', 'en'), '');
});

test('typed dates are read day, month, year with any of . / -, or as ISO; not a real date is null', () => {
  assert.equal(parseDateInput('05.12.2026'), '2026-12-05');
  assert.equal(parseDateInput('5/12/2026'), '2026-12-05');
  assert.equal(parseDateInput(' 5-1-2026 '), '2026-01-05');
  assert.equal(parseDateInput('2026-12-05'), '2026-12-05');
  assert.equal(parseDateInput('29.02.2028'), '2028-02-29', 'a leap day');
  assert.equal(parseDateInput(''), '');
  for (const bad of ['31.02.2026', '12/31/2026', '00.01.2026', '05.12.26', '5 December', '05.13.2026', '2026-02-30']) {
    assert.equal(parseDateInput(bad), null, bad);
  }
});

test('what is shown reads back as the same date in every language', () => {
  for (const lang of ['ru', 'kk', 'en'] as const) assert.equal(parseDateInput(formatDateInput('2027-01-31', lang)), '2027-01-31');
});
