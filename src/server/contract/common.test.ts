import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPinSchema, normalisePhone, pinWeakness } from './common.ts';
import { payRequest } from './checkout.ts';

test('a new PIN: the first guesses are refused, each for its rule', () => {
  const cases: Record<string, ReturnType<typeof pinWeakness>> = {
    '123': 'format', '1234567890123': 'format', '12a4': 'format', '': 'format',
    '1111': 'all-same', '000000': 'all-same',
    '1234': 'sequence', '0123': 'sequence', '4321': 'sequence', '9876543210': 'sequence', '7890': 'sequence', '8901': 'sequence', '1098': 'sequence',
    '1212': 'repeated', '123123': 'repeated', '100100': 'repeated', '56785678': 'repeated',
    '4826': null, '2580': null, '1122': null, '864209': null, '12341': null, '5173': null,
  };
  for (const [pin, want] of Object.entries(cases)) assert.equal(pinWeakness(pin), want, pin);
});

test('the schema message names the rule and lists all of them', () => {
  const r = newPinSchema.safeParse('1212');
  assert.equal(r.success, false);
  assert.match(r.error?.issues[0]?.message ?? '', /^the PIN is a group of digits repeated .*; a new PIN is 4 to 12 digits, not one digit repeated/);
  assert.equal(newPinSchema.safeParse('5937').success, true);
});

test('e-receipt phones: one +7XXXXXXXXXX form, another country kept, a bad number named', () => {
  for (const typed of ['87011234567', '8 (701) 123-45-67', '+7 701 123 45 67', '77011234567', '7011234567']) {
    assert.deepEqual(normalisePhone(typed), { phone: '+77011234567' }, typed);
  }
  assert.deepEqual(normalisePhone('+49 30 1234567'), { phone: '+49301234567' });
  assert.deepEqual(normalisePhone('12345'), { problem: 'phone' });
  assert.deepEqual(normalisePhone('870112345'), { problem: 'phone' });
  assert.deepEqual(normalisePhone('+770112345678'), { problem: 'phoneKz' });
  assert.deepEqual(normalisePhone('12345678901'), { problem: 'phoneKz' });
  assert.deepEqual(normalisePhone('8701abc4567'), { problem: 'phone' });
  assert.equal(payRequest.parse({ payments: [{ type: 'cash', amount: 1 }], contact: { phone: '87011234567', consent: true } }).contact?.phone, '+77011234567');
  const bad = payRequest.safeParse({ payments: [{ type: 'cash', amount: 1 }], contact: { phone: '12345678901', consent: true } });
  assert.equal(bad.success, false);
  assert.match(bad.error?.issues[0]?.message ?? '', /\+7 and 10 digits/);
});
