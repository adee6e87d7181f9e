import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkToken, codeKey, docSubject, storeSubjects } from './names.ts';
import { filterStatus, hqCsv } from './hq-web.ts';

test('codeKey: any CIS (with the punctuation crypto tails hold) becomes a valid KV key, one to one', () => {
  const cises = ['0104600000000017215Ab!"%&\'()*+,-./:;<=>?_', '01046000000000172112345678901234', '00000046208764Abc/.=-'];
  const keys = cises.map(codeKey);
  for (const k of keys) assert.match(k, /^[-/_=.a-zA-Z0-9]+$/);
  assert.equal(new Set(keys).size, cises.length);
  assert.deepEqual(keys.map((k) => Buffer.from(k, 'base64url').toString('utf8')), cises);
});

test('store and register ids must be subject tokens; subjects per store and register', () => {
  assert.equal(checkToken('register.id', 'L-2_a'), 'L-2_a');
  assert.throws(() => checkToken('register.id', 'lane 2'), /register.id 'lane 2' cannot name NATS subjects/);
  assert.throws(() => checkToken('store.id', 'S.1'), /store.id/);
  assert.equal(docSubject('S1', 'L2', 'sale'), 'tanba.doc.S1.L2.sale');
  assert.deepEqual(storeSubjects('S1'), ['tanba.doc.S1.>', 'tanba.status.S1', 'tanba.status.S1.base', 'tanba.status.S1.rebase']);
});

test('hq filters and CSV', () => {
  const reg = (id: string, over: object = {}) => ({ id, queue: 0, oldestUndelivered: null, hoursLeft: null, mode: 'online', refusalsLastHour: {}, unguarded: 0, conflicts: 0, hubQueue: 0, documents: 3, lastSeen: '2026-03-01T10:00:00.000Z', ...over });
  const s = { at: '2026-03-01T12:00:00.000Z', stores: [{ id: 'S1', registers: [reg('L1'), reg('L2', { conflicts: 1, refusalsLastHour: { SOLD: 2, BLOCKED: 1 } })] }, { id: 'S2', registers: [reg('L1', { lastSeen: '2026-03-01T11:30:00.000Z' })] }] };
  assert.deepEqual(filterStatus(s, { problems: true }).stores.map((x) => [x.id, x.registers.map((r) => r.id)]), [['S1', ['L2']]]);
  assert.deepEqual(filterStatus(s, { store: 'S2' }).stores.map((x) => x.id), ['S2']);
  assert.deepEqual(filterStatus(s, { silentHours: 1 }).stores.map((x) => [x.id, x.registers.map((r) => r.id)]), [['S1', ['L1', 'L2']]]);
  const csv = hqCsv(s).split('\r\n');
  assert.equal(csv[0], 'store,register,last_seen_utc,queue,oldest_undelivered_utc,hours_left,unguarded,conflicts,documents,refusals_last_hour');
  assert.equal(csv[2], 'S1,L2,2026-03-01T10:00:00.000Z,0,,,0,1,3,SOLD:2 BLOCKED:1');
});
