import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HqRegisterView } from '../../server/contract/index.ts';
import { firstRows, hasProblem, refusalsText } from './overview.tsx';

const reg = (id: string, over: Partial<HqRegisterView> = {}): HqRegisterView => ({
  id, queue: 0, oldestUndelivered: null, hoursLeft: null, mode: 'online', refusalsLastHour: {}, unguarded: 0, conflicts: 0, hubQueue: 0, documents: 0, lastSeen: null, ...over,
});

test('refusals by reason, largest first, none as null', () => {
  assert.equal(refusalsText({ BLOCKED: 1, SOLD: 3, EXPIRED: 1 }), 'SOLD 3, BLOCKED 1, EXPIRED 1');
  assert.equal(refusalsText({ SOLD: 0 }), null);
  assert.equal(refusalsText({}), null);
});

test('a problem: queue, unguarded, conflicts or under a day left (the server\'s problems=1 rule)', () => {
  assert.equal(hasProblem(reg('L1')), false);
  assert.equal(hasProblem(reg('L1', { hoursLeft: 30 })), false);
  assert.equal(hasProblem(reg('L1', { hoursLeft: 23.5 })), true);
  assert.equal(hasProblem(reg('L1', { queue: 1 })), true);
  assert.equal(hasProblem(reg('L1', { unguarded: 1 })), true);
  assert.equal(hasProblem(reg('L1', { conflicts: 1 })), true);
});

test('at most MAX_ROWS rows are drawn, store by store', () => {
  const status = { at: '2026-03-01T10:00:00.000Z', stores: [{ id: 'S1', registers: [reg('L1'), reg('L2')] }, { id: 'S2', registers: [reg('L1')] }] };
  assert.deepEqual(firstRows(status, 2).map(([s, r]) => `${s}/${r.id}`), ['S1/L1', 'S1/L2']);
  assert.deepEqual(firstRows(status, 10).map(([s, r]) => `${s}/${r.id}`), ['S1/L1', 'S1/L2', 'S2/L1']);
});
