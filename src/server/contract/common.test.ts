import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newPinSchema, pinWeakness } from './common.ts';

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
