import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatMoney, parseMoneyInput, showCode } from './format.ts';

test('GS and other control characters are made visible; the rest is untouched', () => {
  assert.equal(showCode('0104600439931256215abc\x1d93Zx'), '0104600439931256215abc␝93Zx');
  assert.equal(showCode('a\x00b\x7f'), 'a\\x00b\\x7f');
  assert.equal(showCode('Қ!"%&'), 'Қ!"%&');
});

test('money is integer minor units and refuses fractions', () => {
  assert.match(formatMoney(123456, 'en'), /1,234\.56/);
  assert.match(formatMoney(123456, 'en'), /₸/);
  assert.match(formatMoney(0, 'ru'), /0,00/);
  assert.throws(() => formatMoney(1.5, 'en'), /integer minor units/);
  // Kazakh and Russian screens show money the same way (Chromium has no Kazakh number data).
  assert.equal(formatMoney(123456750, 'kk'), formatMoney(123456750, 'ru'));
  assert.match(formatMoney(123456750, 'kk'), /^1\s234\s567,50\s₸$/);
});

test('durations in hours and minutes, per language', () => {
  assert.equal(formatDuration(3 * 3600_000 + 5 * 60_000 + 59_000, 'en'), '3 h 05 min');
  assert.equal(formatDuration(59_000, 'ru'), '0 мин');
  assert.equal(formatDuration(-5, 'kk'), '0 мин');
  assert.equal(formatDuration(72 * 3600_000, 'kk'), '72 сағ 00 мин');
});

test('typed amounts become minor units without floating point; anything else is null', () => {
  assert.equal(parseMoneyInput('1 234,50'), 123450);
  assert.equal(parseMoneyInput('1234.5'), 123450);
  assert.equal(parseMoneyInput('800'), 80000);
  assert.equal(parseMoneyInput('0,07'), 7);
  assert.equal(parseMoneyInput('1\u00a0000'), 100000);
  for (const bad of ['', '-5', '1.234', '12a', '1,2,3', '₸5']) assert.equal(parseMoneyInput(bad), null, bad);
});
