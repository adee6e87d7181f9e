import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LARGEST_NOTE, missingAmount, planPayment } from './payment.tsx';
import { parseQuantityInput } from './selling.tsx';

test('a payment plan: change from cash only, split card first, the approval code on the card payment', () => {
  assert.deepEqual(planPayment(150_000, '2000', ''), { payments: [{ type: 'cash', amount: 200_000 }], change: 50_000 });
  assert.deepEqual(planPayment(150_000, '500', '1000', ' 654321 '), {
    payments: [{ type: 'card', amount: 100_000, card: { authCode: '654321' } }, { type: 'cash', amount: 50_000 }], change: 0,
  });
  assert.deepEqual(planPayment(150_000, '', '1500', ''), { payments: [{ type: 'card', amount: 150_000 }], change: 0 }, 'no code typed: none sent');
  assert.deepEqual(planPayment(150_000, '', '1600'), { problem: 'cardOver' });
  assert.deepEqual(planPayment(150_000, '1000', ''), { problem: 'short' });
  assert.deepEqual(planPayment(150_000, '1,2,3', ''), { problem: 'amount' });
});

test('a typed quantity: pieces or kg with up to three decimals, comma or point; nothing else', () => {
  assert.equal(parseQuantityInput('1,255'), 1.255);
  assert.equal(parseQuantityInput(' 2 '), 2);
  assert.equal(parseQuantityInput('0.5'), 0.5);
  assert.equal(parseQuantityInput('0'), null);
  assert.equal(parseQuantityInput('1.2345'), null);
  assert.equal(parseQuantityInput('-1'), null);
  assert.equal(parseQuantityInput('abc'), null);
});

test('how much is missing, and the largest banknote that bounds plausible change', () => {
  assert.equal(missingAmount(215_685, '2000', ''), 15_685);
  assert.equal(missingAmount(215_685, '1000', '1000'), 15_685);
  assert.equal(missingAmount(215_685, '5000', ''), 0);
  assert.equal(missingAmount(215_685, 'x', ''), 0);
  const absurd = planPayment(72_200, '100000', '');
  assert.ok('change' in absurd && absurd.change > LARGEST_NOTE, '100 000 for 722 is more change than a 20 000 note');
  const fine = planPayment(72_200, '20000', '');
  assert.ok('change' in fine && fine.change <= LARGEST_NOTE, 'a 20 000 note for 722 is plausible');
});
