import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { clearFailures, failureState, listFailures, recordFailure } from '../auth-failures.ts';
import { listUsers, setUserDisabled, userByName, verifyUserPin } from '../users.ts';
import { createSession, liveSessionByHash, hashToken } from '../sessions.ts';

const UP_TO_8 = MIGRATIONS.slice(0, 8);
const UP_TO_9 = MIGRATIONS.slice(0, 9);

function withFile(fn: (file: string) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m009-'));
  return (async () => {
    try { await fn(join(dir, 'tanba.db')); } finally { rmSync(dir, { recursive: true, force: true }); }
  })();
}

/** A version-8 database holding a user and a session, written the way version 8 wrote them. */
function version8(file: string): { userId: string; token: string } {
  const db = openDatabase(file, { migrations: UP_TO_8 });
  try {
    assert.equal(schemaVersion(db), 8);
    // PIN 5829 with a fixed salt, hashed as src/store/users.ts does (scrypt, 32 bytes).
    db.prepare(`INSERT INTO users (id, name, role, pin_hash, pin_salt, created_at) VALUES ('u1', 'Дана', 'cashier',
      '${scryptHex('5829', '00112233445566778899aabbccddeeff')}', '00112233445566778899aabbccddeeff', '2026-03-01T08:00:00.000Z')`).run();
    const { token } = createSession(db, 'u1', new Date('2026-03-01T08:00:00.000Z'), 12 * 3600_000);
    return { userId: 'u1', token };
  } finally {
    db.close();
  }
}

function scryptHex(pin: string, saltHex: string): string {
  return scryptSync(pin, Buffer.from(saltHex, 'hex'), 32).toString('hex');
}

test('migration 009 upgrades a version-8 file: users keep ids, PINs and sessions and are active; failures are counted per account', () => withFile(async (file) => {
  const { userId, token } = version8(file);
  const db: Db = openDatabase(file, { migrations: UP_TO_9 });
  try {
    assert.equal(schemaVersion(db), 9);
    const cols = (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name);
    assert.ok(cols.includes('disabled_at'));
    assert.deepEqual(listUsers(db).map((u) => [u.id, u.name, u.disabledAt]), [[userId, 'Дана', null]]);
    assert.equal((await verifyUserPin(db, 'Дана', '5829'))?.id, userId, 'the old PIN still signs in');
    const at = new Date('2026-03-01T09:00:00.000Z');
    assert.equal(liveSessionByHash(db, hashToken(token), at)?.user.name, 'Дана', 'the old session is live');
    // A disabled user's sessions are not live (the row stays; the API deletes it too).
    setUserDisabled(db, userId, at.toISOString());
    assert.equal(liveSessionByHash(db, hashToken(token), at), undefined);
    assert.ok(userByName(db, 'Дана')?.disabledAt);
    // Failures: counted per account and kind, locked by the caller's policy, cascaded with the user.
    const lockAfter3 = (n: number) => (n >= 3 ? 30_000 : 0);
    recordFailure(db, userId, 'pin', at, lockAfter3);
    recordFailure(db, userId, 'pin', at, lockAfter3);
    const third = recordFailure(db, userId, 'pin', at, lockAfter3);
    assert.deepEqual([third.failures, third.lockedUntil], [3, '2026-03-01T09:00:30.000Z']);
    recordFailure(db, userId, 'approvals', at, lockAfter3);
    assert.equal(failureState(db, userId, 'approvals')?.failures, 1);
    assert.throws(() => db.prepare("INSERT INTO auth_failures VALUES ('u1', 'other', 1, 'x', NULL)").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO auth_failures VALUES ('nobody', 'pin', 1, 'x', NULL)").run(), /FOREIGN KEY/);
    assert.equal(clearFailures(db, userId, 'pin'), 1);
    assert.deepEqual(listFailures(db).map((f) => f.kind), ['approvals']);
    db.prepare('DELETE FROM sessions').run();
    db.prepare('DELETE FROM users').run();
    assert.equal(listFailures(db).length, 0, 'failures go with their user');
  } finally {
    db.close();
  }
}));

test('migration 009 refuses a database from a newer schema', () => withFile((file) => {
  const db = openDatabase(file, { migrations: UP_TO_9 });
  db.pragma('user_version = 99');
  db.close();
  assert.throws(() => openDatabase(file, { migrations: UP_TO_9 }), (e: unknown) => e instanceof NewerDatabaseError && /version 99 is newer/.test(e.message));
}));
