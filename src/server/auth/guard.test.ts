import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addUser, openDatabase, type Db } from '../../store/index.ts';
import { AccountGuard, LOCKOUT, lockMsAfter } from './guard.ts';

function withDb(fn: (db: Db, file: string) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-guard-'));
  const file = join(dir, 'tanba.db');
  const db = openDatabase(file);
  return (async () => {
    try { await fn(db, file); } finally { db.close(); rmSync(dir, { recursive: true, force: true }); }
  })();
}

test('the lock grows with each wrong PIN past the free ones, up to an hour', () => {
  assert.deepEqual([1, 2, 3, 4].map((n) => lockMsAfter(n)), [0, 0, 0, 0]);
  assert.deepEqual([5, 6, 7, 8, 9, 10, 11].map((n) => lockMsAfter(n) / 1000), [30, 60, 120, 240, 480, 960, 1920]);
  assert.equal(lockMsAfter(12), 3_600_000);
  assert.equal(lockMsAfter(10_000), LOCKOUT.maxLockMs);
});

test('failures of an account are stored: a new guard over the same file still sees the lock', () => withDb((db, file) => {
  const anna = addUser(db, { name: 'anna', role: 'cashier', pin: '5829', at: '2026-03-01T08:00:00.000Z' });
  const boris = addUser(db, { name: 'boris', role: 'cashier', pin: '6931', at: '2026-03-01T08:00:00.000Z' });
  const now = new Date('2026-03-01T09:00:00.000Z');
  const guard = new AccountGuard(db);
  for (let i = 0; i < 4; i++) assert.equal(guard.fail({ userId: anna.id, kind: 'pin' }, now).lockedUntil, null);
  assert.equal(guard.fail({ userId: anna.id, kind: 'pin' }, now).lockedUntil, '2026-03-01T09:00:30.000Z');
  const reopened = openDatabase(file);
  try {
    const again = new AccountGuard(reopened);
    assert.equal(again.waitMs({ userId: anna.id, kind: 'pin' }, now), 30_000);
    assert.equal(again.waitMs({ userId: boris.id, kind: 'pin' }, now), 0, 'another account is not locked');
    assert.equal(again.waitMs({ userId: anna.id, kind: 'approvals' }, now), 0, 'the approvals count is separate');
    again.succeed({ userId: anna.id, kind: 'pin' });
  } finally {
    reopened.close();
  }
  assert.equal(guard.waitMs({ userId: anna.id, kind: 'pin' }, now), 0, 'a success clears it for everyone');
}));

test('names no user has lock the same way, in a bounded memory', () => withDb((db) => {
  const guard = new AccountGuard(db, LOCKOUT, 3);
  const now = new Date('2026-03-01T09:00:00.000Z');
  for (let i = 0; i < 5; i++) guard.fail({ unknownName: 'ghost' }, now);
  assert.equal(guard.waitMs({ unknownName: 'ghost' }, now), 30_000);
  for (const n of ['a', 'b', 'c']) guard.fail({ unknownName: n }, now);
  assert.equal(guard.waitMs({ unknownName: 'ghost' }, now), 0, 'the oldest name left the map');
}));

test('exclusive: a second check of the same subject while one runs is refused, others run', () => withDb(async (db) => {
  const guard = new AccountGuard(db);
  let release!: () => void;
  const first = guard.exclusive([{ unknownName: 'x' }], () => new Promise<string>((r) => { release = () => r('first'); }));
  assert.equal(await guard.exclusive([{ unknownName: 'x' }], async () => 'second'), undefined);
  assert.equal(await guard.exclusive([{ unknownName: 'y' }], async () => 'other'), 'other');
  release();
  assert.equal(await first, 'first');
  assert.equal(await guard.exclusive([{ unknownName: 'x' }], async () => 'after'), 'after');
}));

test('firstRefusal: one report per lock window and subject, again for the next window', () => withDb((db) => {
  const guard = new AccountGuard(db, LOCKOUT, 2);
  const now = new Date('2026-03-01T09:00:00.000Z');
  const later = new Date(now.getTime() + 10_000);
  const ghost = { unknownName: 'ghost' };
  assert.equal(guard.firstRefusal(ghost, now, 30_000), true);
  assert.equal(guard.firstRefusal(ghost, later, 20_000), false, 'the same window');
  assert.equal(guard.firstRefusal({ unknownName: 'other' }, later, 20_000), true, 'another subject');
  assert.equal(guard.firstRefusal(ghost, later, 60_000), true, 'a new, longer lock');
  assert.equal(guard.firstRefusal(ghost, later, 60_000), false);
}));
