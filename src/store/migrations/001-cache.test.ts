import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { migration001 } from './001-cache.ts';
import type { Db } from '../db.ts';

function columns(db: Db, table: string): string[] {
  return (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; type: string; pk: number; notnull: number }[])
    .map((c) => `${c.name}:${c.type}:${c.pk}:${c.notnull}`);
}

test('migration 001 creates the cache tables on a real file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m001-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file, { migrations: [migration001] });
    assert.equal(schemaVersion(db), 1);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['blocks', 'cache_import', 'cache_sync', 'codes', 'products', 'sold_codes', 'stage_blocks', 'stage_codes', 'stage_products']);
    // the staging tables must match the live ones column for column: a full import swaps them by renaming
    assert.deepEqual(columns(db, 'stage_codes'), columns(db, 'codes'));
    assert.deepEqual(columns(db, 'stage_products'), columns(db, 'products'));
    assert.deepEqual(columns(db, 'stage_blocks').slice(0, 3), columns(db, 'blocks'));
    // the import row doubles as the one-import-at-a-time lease (holder pid, token, expiry)
    assert.deepEqual(columns(db, 'cache_import').slice(-3), ['holder_pid:INTEGER:0:0', 'lease_token:TEXT:0:0', 'lease_until:TEXT:0:0']);
    // compact: no rowid on the big table
    const codesSql = db.prepare("SELECT sql FROM sqlite_master WHERE name='codes'").pluck().get() as string;
    assert.match(codesSql, /WITHOUT ROWID/);
    // sold codes: the primary key refuses a second sale of the same code
    const ins = db.prepare("INSERT INTO sold_codes VALUES (?, 's1', '2026-01-01T00:00:00.000Z', 1, 1, '2027-01-01')");
    ins.run('0104870000000001213ABCDEFGHIJKL');
    assert.throws(() => ins.run('0104870000000001213ABCDEFGHIJKL'), /UNIQUE|PRIMARY KEY/);
    // constraints hold
    assert.throws(() => db.prepare("INSERT INTO sold_codes VALUES ('x', 's', 't', 2, 1, 'r')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO cache_import (id, kind, source, byte_offset, line, state, started_at, updated_at) VALUES (2, 'full', '-', 0, 0, '{}', 't', 't')").run(), /CHECK/);
    db.close();
    // reopening is a no-op
    const again = openDatabase(file, { migrations: [migration001] });
    assert.equal(again.prepare('SELECT count(*) FROM sold_codes').pluck().get(), 1);
    again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('migration 001 refuses a database from a newer schema', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m001-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file, { migrations: [migration001] });
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => openDatabase(file, { migrations: [migration001] }), (err: unknown) => err instanceof NewerDatabaseError && /99/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
