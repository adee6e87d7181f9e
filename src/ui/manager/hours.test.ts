import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hourSlots } from './hours.ts';

test('hour slots cover the window with zeros where the server has no row', () => {
  const rows = [{ hour: '2026-11-27T10:00:00.000Z', allow: 5, refuse: 1 }];
  const slots = hourSlots('2026-11-27T08:30:00.000Z', '2026-11-27T11:10:00.000Z', rows, ['allow', 'refuse'] as const);
  assert.deepEqual(slots.map((s) => s.hour.slice(11, 13)), ['08', '09', '10', '11']);
  assert.deepEqual(slots.map((s) => s.allow), [0, 0, 5, 0]);
  assert.deepEqual(slots.map((s) => s.refuse), [0, 0, 1, 0]);
});

test('keeps only the newest `max` hours; a broken window returns the rows as they are', () => {
  const slots = hourSlots('2026-11-25T00:00:00.000Z', '2026-11-27T00:00:00.000Z', [], ['n'] as const, 24);
  assert.equal(slots.length, 24);
  assert.equal(slots.at(-1)?.hour, '2026-11-27T00:00:00.000Z');
  const rows = [{ hour: 'x', n: 1 }];
  assert.deepEqual(hourSlots('nonsense', '2026-11-27T00:00:00.000Z', rows, ['n'] as const), rows);
});
