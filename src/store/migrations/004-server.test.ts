// Migration 004 rebuilds `users` (SQLite cannot widen a CHECK) and adds sessions and the audit
// log. The test upgrades a real file holding version-3 users and checks that they keep their ids
// and PINs, that the new tables behave, and that the statements the API runs use their indexes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, scryptSync } from 'node:crypto';
import { schemaVersion } from '../migrate.ts';
import { appendAudit, createSession, listAudit, purgeExpiredSessions, sessionUser } from '../sessions.ts';
import { listUsers, verifyUserPin } from '../users.ts';
import { MIGRATIONS } from './index.ts';
import { migration004 } from './004-server.ts';
import { LATEST, insertRows, migrateTo, queryPlan, recordStatements, tableRows, tempDatabase, type Row } from '../../../test/helpers/migrations.ts';

const T = '2026-01-15T09:00:00.000Z';

/**
 * A user row as version 3 stored it: scrypt(PIN, 16-byte salt, 32 bytes), hex. Without a PIN
 * the hash is random bytes of the same shape (scrypt is slow on purpose; only PINs a test
 * logs in with are hashed).
 */
function v3User(id: string, name: string, role: 'cashier' | 'manager', pin?: string): Row {
  const salt = randomBytes(16);
  const hash = pin === undefined ? randomBytes(32) : scryptSync(pin, salt, 32);
  return { id, name, role, pin_hash: hash.toString('hex'), pin_salt: salt.toString('hex'), created_at: T };
}

test('migration 004 is version 4, fourth in the list', () => {
  assert.equal(migration004.version, 4);
  assert.equal(MIGRATIONS[3], migration004);
});

test('migration 004 keeps version-3 users (ids, PINs, roles) and widens the roles', async () => {
  const t = tempDatabase(3);
  try {
    const { db } = t;
    const users = [v3User('u-1', 'Aigerim', 'manager', '4821'), v3User('u-2', 'Bolat', 'cashier', '1357')];
    insertRows(db, 'users', users);
    // The old shape: a technician cannot exist yet.
    assert.throws(() => insertRows(db, 'users', [{ ...v3User('u-3', 'Tech', 'cashier'), role: 'technician' }]), /CHECK constraint/);

    migrateTo(db, 4);
    assert.equal(schemaVersion(db), 4);
    assert.deepEqual(tableRows(db, 'users'), users, 'every column of every user unchanged');
    insertRows(db, 'users', [{ ...v3User('u-3', 'Tech', 'cashier'), role: 'technician' }, { ...v3User('u-4', 'Root', 'cashier'), role: 'admin' }]);
    assert.throws(() => insertRows(db, 'users', [{ ...v3User('u-5', 'Owner', 'cashier'), role: 'owner' }]), /CHECK constraint/);
    assert.throws(() => insertRows(db, 'users', [v3User('u-6', 'Bolat', 'cashier')]), /UNIQUE constraint failed: users\.name/, 'names stay unique');
    assert.throws(() => insertRows(db, 'users', [{ ...v3User('u-7', 'Typed', 'cashier'), created_at: Buffer.from('T') }]), /cannot store BLOB value in TEXT column/, 'still STRICT');
    // Read back through the store, whose statements are written for the latest schema.
    migrateTo(db, LATEST);
    assert.equal((await verifyUserPin(db, 'Aigerim', '4821'))?.id, 'u-1', 'a version-3 PIN still logs in');
    assert.equal(await verifyUserPin(db, 'Bolat', '0000'), undefined);
    assert.deepEqual(listUsers(db).map((u) => [u.name, u.role]), [['Aigerim', 'manager'], ['Bolat', 'cashier'], ['Root', 'admin'], ['Tech', 'technician']]);
  } finally {
    t.done();
  }
});

test('migration 004: sessions follow their user, the audit log is append-only', () => {
  const t = tempDatabase(3);
  try {
    const { db } = t;
    insertRows(db, 'users', [v3User('u-1', 'Aigerim', 'manager')]);
    migrateTo(db, 4);
    const now = new Date(T);
    const { token } = createSession(db, 'u-1', now, 60_000);
    assert.equal(tableRows(db, 'sessions')[0]?.token_hash === token, false, 'only the hash of the token is stored');
    assert.throws(() => createSession(db, 'nobody', now, 60_000), /FOREIGN KEY constraint failed/);
    db.prepare("DELETE FROM users WHERE id = 'u-1'").run();
    assert.equal(tableRows(db, 'sessions').length, 0, 'a removed user loses their sessions');
    // A session read back through the store (its statements are written for the latest schema).
    insertRows(db, 'users', [v3User('u-1', 'Aigerim', 'manager')]);
    const again = createSession(db, 'u-1', now, 60_000);
    migrateTo(db, LATEST);
    assert.deepEqual(sessionUser(db, again.token, now), { id: 'u-1', name: 'Aigerim', role: 'manager' });
    assert.equal(sessionUser(db, again.token, new Date(now.getTime() + 60_000)), undefined, 'expired');

    appendAudit(db, { at: T, user: null, userName: 'Aigerim', action: 'login_failed', outcome: 'denied', details: { attempts: 1 } });
    assert.deepEqual(listAudit(db).map((a) => [a.action, a.outcome, a.details]), [['login_failed', 'denied', { attempts: 1 }]]);
    assert.throws(() => db.prepare("UPDATE audit_log SET outcome = 'ok'").run(), /audit log is append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /audit log is append-only/);
    assert.throws(() => insertRows(db, 'audit_log', [{ at: T, action: 'x', outcome: 'maybe' }]), /CHECK constraint/);
  } finally {
    t.done();
  }
});

test('migration 004: a login looks its token up by key, the purge of expired sessions uses its index', () => {
  // The statement of today's store, on today's schema (it also reads users.disabled_at, 008).
  const t = tempDatabase(LATEST);
  try {
    const { db } = t;
    const [lookup] = recordStatements(db, () => sessionUser(db, 'some-token', new Date(T)));
    assert.ok(lookup);
    const plan = queryPlan(db, lookup.sql, lookup.params);
    assert.ok(plan.some((d) => /^SEARCH s USING (INDEX sqlite_autoindex_sessions_1|PRIMARY KEY) \(token_hash=\?/.test(d)), plan.join('\n'));
    assert.ok(plan.some((d) => /^SEARCH u USING INDEX sqlite_autoindex_users_1 \(id=\?\)/.test(d)), plan.join('\n'));
    assert.ok(!plan.some((d) => /^SCAN/.test(d)), plan.join('\n'));
    const [purge] = recordStatements(db, () => purgeExpiredSessions(db, new Date(T)));
    assert.ok(purge);
    const purgePlan = queryPlan(db, purge.sql, purge.params);
    assert.equal(purgePlan.length, 1, purgePlan.join('\n'));
    assert.match(purgePlan[0] ?? '', /^SEARCH sessions USING (COVERING )?INDEX sessions_expiry \(expires_at<\?\)$/);
  } finally {
    t.done();
  }
});
