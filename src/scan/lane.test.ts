import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLane } from './lane.ts';

test('jobs run in the order queued, even when an earlier one awaits', async () => {
  const lane = createLane();
  const order: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  const first = lane.run(async () => { await gate; order.push('first'); return 1; });
  const second = lane.run(() => { order.push('second'); return 2; });
  await Promise.resolve();
  assert.deepEqual(order, [], 'the second job waits for the first');
  release();
  assert.deepEqual(await Promise.all([first, second]), [1, 2]);
  assert.deepEqual(order, ['first', 'second']);
});

test('a failed job rejects its caller but does not stop the lane', async () => {
  const lane = createLane();
  await assert.rejects(lane.run(() => { throw new Error('boom'); }), /boom/);
  assert.equal(await lane.run(() => 'next'), 'next');
  await lane.idle();
});
