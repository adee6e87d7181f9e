import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { aggregateContentsOf, aggregatesHolding, aggregateCounts } from '../cache-aggregates.ts';

const UP_TO_7 = MIGRATIONS.slice(0, 7);

function withDb(fn: (db: Db, file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m007-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file, { migrations: UP_TO_7 });
    try { fn(db, file); } finally { db.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('migration 007 creates the aggregate tables and the index by unit on a real file', () => {
  withDb((db) => {
    assert.equal(schemaVersion(db), 7);
    const cols = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(cols('aggregate_contents'), ['code', 'cis']);
    assert.deepEqual(cols('stage_aggregates'), ['code', 'op']);
    assert.deepEqual(cols('stage_aggregate_contents'), ['code', 'cis']);
    const idx = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'aggregate_contents'").pluck().all();
    assert.ok(idx.includes('aggregate_contents_cis'), `index by CIS missing: ${JSON.stringify(idx)}`);
    assert.throws(() => db.prepare("INSERT INTO stage_aggregates VALUES ('x', 2)").run(), /CHECK/);
    const ins = db.prepare('INSERT INTO aggregate_contents (code, cis) VALUES (?, ?)');
    ins.run('046000000000000015', 'B');
    ins.run('046000000000000015', 'A');
    assert.throws(() => ins.run('046000000000000015', 'A'), /UNIQUE|PRIMARY/);
    assert.deepEqual(aggregateContentsOf(db, '046000000000000015'), ['A', 'B']);
    assert.equal(aggregateContentsOf(db, '046000000000000022'), null);
    assert.deepEqual(aggregatesHolding(db, 'B'), ['046000000000000015']);
    assert.deepEqual(aggregateCounts(db), { aggregates: 1, units: 2 });
  });
});

test('migration 007 refuses a database from a newer schema', () => {
  withDb((db, file) => {
    db.pragma('user_version = 78');
    db.close();
    assert.throws(() => openDatabase(file, { migrations: UP_TO_7 }), (e: unknown) => e instanceof NewerDatabaseError && /version 78 is newer/.test(e.message));
    Object.assign(db, { close: () => undefined });
  });
});
