import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { acquireSyncLease, getSyncLease, releaseSyncLease } from '../outbox.ts';

const UP_TO_6 = MIGRATIONS.slice(0, 6);
const T = '2026-03-01T10:00:00.000Z';
const me = (owner: string, pid: number, now = T) => ({ owner, pid, host: 'till-1', now, ttlMs: 60_000 });

function withDb(fn: (db: Db, file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m006-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file, { migrations: UP_TO_6 });
    try { fn(db, file); } finally { db.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('migration 006 creates the delivery lease table on a real file', () => {
  withDb((db) => {
    assert.equal(schemaVersion(db), 6);
    const cols = (db.prepare('PRAGMA table_info(sync_lease)').all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(cols, ['name', 'owner', 'pid', 'host', 'acquired_at', 'expires_at']);
    assert.throws(() => db.prepare("INSERT INTO sync_lease VALUES ('ofd', 'a', 0, 'h', 't', 't')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO sync_lease VALUES ('ofd', 'a', 1, 'h', 'b', 'a')").run(), /CHECK/);
  });
});

test('migration 006 refuses a database from a newer schema', () => {
  withDb((db, file) => {
    db.pragma('user_version = 77');
    db.close();
    assert.throws(() => openDatabase(file, { migrations: UP_TO_6 }), (e: unknown) => e instanceof NewerDatabaseError && /version 77 is newer/.test(e.message));
    Object.assign(db, { close: () => undefined });
  });
});

test('lease: one holder at a time; renewable by its owner; free after expiry, release, or when the holder is gone', () => {
  withDb((db) => {
    const a = acquireSyncLease(db, 'ofd', me('A', 101));
    assert.equal(a.ok, true);
    const b = acquireSyncLease(db, 'ofd', me('B', 202, '2026-03-01T10:00:30.000Z'));
    assert.deepEqual(b.ok ? null : [b.holder.owner, b.holder.pid], ['A', 101], 'a second owner is refused and told who holds it');
    const renewed = acquireSyncLease(db, 'ofd', me('A', 101, '2026-03-01T10:00:50.000Z'));
    assert.equal(renewed.ok && renewed.lease.expiresAt, '2026-03-01T10:01:50.000Z');
    assert.equal(renewed.ok && renewed.lease.acquiredAt, T, 'renewal keeps the acquisition time');
    assert.equal(acquireSyncLease(db, 'ofd', me('B', 202, '2026-03-01T10:01:49.999Z')).ok, false);
    assert.equal(acquireSyncLease(db, 'ofd', me('B', 202, '2026-03-01T10:01:50.000Z')).ok, true, 'expired: taken over');
    assert.equal(acquireSyncLease(db, 'ofd', me('C', 303, '2026-03-01T10:01:51.000Z'), (h) => h.pid === 202).ok, true, 'holder gone: taken over');
    releaseSyncLease(db, 'ofd', 'B');
    assert.equal(getSyncLease(db, 'ofd')?.owner, 'C', 'only the owner releases');
    releaseSyncLease(db, 'ofd', 'C');
    assert.equal(getSyncLease(db, 'ofd'), undefined);
  });
});
