import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aiAt, aiDef, allAis } from './ais.ts';

test('AI table: lengths of the AIs marking codes use', () => {
  assert.equal(aiDef('01')?.fixed, 14);
  assert.equal(aiDef('00')?.fixed, 18);
  assert.equal(aiDef('17')?.fixed, 6);
  assert.equal(aiDef('21')?.max, 20);
  assert.equal(aiDef('10')?.max, 20);
  assert.equal(aiDef('91')?.max, 90);
  assert.equal(aiDef('92')?.max, 90);
  assert.equal(aiDef('93')?.max, 90);
  assert.equal(aiDef('8005')?.fixed, 6);
  assert.equal(aiDef('3103')?.fixed, 6);
  assert.equal(aiDef('3103')?.decimals, 3);
  assert.equal(aiDef('7003')?.fixed, 10);
});

test('predefined-length AIs need no GS; others do', () => {
  for (const ai of ['00', '01', '17', '3103']) assert.equal(aiDef(ai)?.predefined, true, ai);
  for (const ai of ['10', '21', '91', '92', '93', '8005', '7003']) assert.equal(aiDef(ai)?.predefined, false, ai);
});

test('aiAt reads 2-, 3- and 4-digit AIs and refuses unknown ones', () => {
  assert.equal(aiAt('0104600', 0, 7)?.ai, '01');
  assert.equal(aiAt('8005123456', 0, 10)?.ai, '8005');
  assert.equal(aiAt('3103000450', 0, 10)?.ai, '3103');
  assert.equal(aiAt('240ABC', 0, 6)?.ai, '240');
  assert.equal(aiAt('23', 0, 2), undefined); // 23 is not an AI
  assert.equal(aiAt('3109', 0, 4), undefined); // 310n only for n 0-5
  assert.equal(aiAt('0', 0, 1), undefined);
  assert.equal(aiAt('AB', 0, 2), undefined);
});

test('GS1 AIs are prefix-free in the table', () => {
  const names = allAis().map((d) => d.ai);
  for (const a of names) for (const b of names) if (a !== b) assert.ok(!b.startsWith(a), `${a} is a prefix of ${b}`);
});
