import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, NewerDatabaseError, schemaVersion, type Migration } from './migrate.ts';
import { openDatabase } from './db.ts';

const steps: Migration[] = [
  { version: 1, name: 'a', up: (db) => db.exec('CREATE TABLE a (x INTEGER)') },
  { version: 2, name: 'b', up: (db) => db.exec('CREATE TABLE b (y INTEGER)') },
];

test('migrations run in order and set user_version', () => {
  const db = new Database(':memory:');
  assert.equal(migrate(db, steps), 2);
  assert.equal(schemaVersion(db), 2);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
  assert.deepEqual(tables, ['a', 'b']);
});

test('a failing migration rolls back with its version bump', () => {
  const db = new Database(':memory:');
  const broken: Migration[] = [steps[0] as Migration, { version: 2, name: 'bad', up: (d) => { d.exec('CREATE TABLE c (z)'); throw new Error('boom'); } }];
  assert.throws(() => migrate(db, broken), /boom/);
  assert.equal(schemaVersion(db), 1);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name='c'").pluck().get(), 0);
});

test('a newer database is refused with a clear message', () => {
  const db = new Database(':memory:');
  db.pragma('user_version = 7');
  assert.throws(() => migrate(db, steps), (err: unknown) => err instanceof NewerDatabaseError && /version 7 is newer/.test(err.message));
});

test('gaps in the migration list are a programming error', () => {
  const db = new Database(':memory:');
  assert.throws(() => migrate(db, [steps[1] as Migration]), /out of order/);
});

test('openDatabase uses WAL and synchronous=FULL on a real file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-db-'));
  try {
    const db = openDatabase(join(dir, 'sub', 'tanba.db'), { migrations: steps });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('synchronous', { simple: true }), 2);
    assert.equal(schemaVersion(db), 2);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
