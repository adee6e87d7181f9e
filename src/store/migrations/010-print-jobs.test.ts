import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { addPrintJob, getPrintJob, markPrintJobFailed, markPrintJobPrinted, unprintedPrintJobs } from '../print-jobs.ts';
import { MIGRATIONS } from './index.ts';
import { migration010 } from './010-print-jobs.ts';

const UP_TO_9 = MIGRATIONS.slice(0, 9);
const UP_TO_10 = MIGRATIONS.slice(0, 10);

/** The table exactly as the printer driver created it at run time before migration 10. */
const RUNTIME_DDL = `CREATE TABLE IF NOT EXISTS print_jobs (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  bytes BLOB NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending','printed','failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  last_error_code TEXT,
  created_at TEXT NOT NULL,
  printed_at TEXT
)`;

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m010-'));
  try { fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

const unprintedPlan = (db: Db): string => (db.prepare("EXPLAIN QUERY PLAN SELECT * FROM print_jobs WHERE state != 'printed' ORDER BY id").all() as { detail: string }[]).map((r) => r.detail).join('; ');

test('migration 010 is version 10, after 009', () => {
  assert.equal(migration010.version, 10);
  assert.equal(MIGRATIONS[9], migration010);
});

test('migration 010 creates print_jobs and the reprint-list index on a fresh file; the store functions work on it', () => withDir((dir) => {
  const db = openDatabase(join(dir, 'tanba.db'), { migrations: UP_TO_10 });
  try {
    assert.equal(schemaVersion(db), 10);
    const cols = (db.prepare('PRAGMA table_info(print_jobs)').all() as { name: string }[]).map((c) => c.name);
    assert.deepEqual(cols, ['id', 'title', 'bytes', 'state', 'attempts', 'last_error', 'last_error_code', 'created_at', 'printed_at']);
    assert.match(unprintedPlan(db), /print_jobs_unprinted/, 'the reprint list reads the partial index');
    assert.throws(() => db.prepare("INSERT INTO print_jobs (title, bytes, state, created_at) VALUES ('x', x'01', 'lost', 't')").run(), /CHECK/);
    assert.throws(() => addPrintJob(db, { title: 'empty', bytes: new Uint8Array(0), createdAt: 't' }), /cannot be empty/);
    const a = addPrintJob(db, { title: 'sale 1', bytes: Uint8Array.of(0x1b, 0x40, 0x0a), createdAt: '2026-03-01T10:00:00.000Z' });
    const b = addPrintJob(db, { title: 'sale 2', bytes: Uint8Array.of(0x1d, 0x56, 0x00), createdAt: '2026-03-01T10:00:01.000Z' });
    markPrintJobFailed(db, a, { message: 'out of paper', code: 'paper-out' });
    markPrintJobPrinted(db, b, '2026-03-01T10:00:02.000Z');
    assert.deepEqual(unprintedPrintJobs(db).map((j) => [j.id, j.state, j.lastErrorCode, j.attempts]), [[a, 'failed', 'paper-out', 1]]);
    assert.deepEqual(getPrintJob(db, b), {
      id: b, title: 'sale 2', bytes: Uint8Array.of(0x1d, 0x56, 0x00), state: 'printed', attempts: 1, lastError: null, lastErrorCode: null,
      createdAt: '2026-03-01T10:00:01.000Z', printedAt: '2026-03-01T10:00:02.000Z',
    });
  } finally {
    db.close();
  }
}));

test('a version-9 database whose print_jobs the driver made at run time, with rows, upgrades: every job and its bytes kept, the index added', () => withDir((dir) => {
  const file = join(dir, 'tanba.db');
  const old = openDatabase(file, { migrations: UP_TO_9 });
  old.exec(RUNTIME_DDL);
  const ins = old.prepare('INSERT INTO print_jobs (title, bytes, state, attempts, last_error, last_error_code, created_at, printed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  ins.run('sale 1 (a)', Buffer.from([0x1b, 0x40, 0x41]), 'printed', 1, null, null, '2026-01-01T08:00:00.000Z', '2026-01-01T08:00:01.000Z');
  ins.run('sale 2 (b)', Buffer.from([0x1b, 0x40, 0x42, 0x00, 0xff]), 'failed', 2, 'printer did not answer', 'offline', '2026-01-01T09:00:00.000Z', null);
  ins.run('test receipt', Buffer.from([0x0a]), 'pending', 0, null, null, '2026-01-01T10:00:00.000Z', null);
  assert.equal(schemaVersion(old), 9);
  old.close();

  const db = openDatabase(file, { migrations: UP_TO_10 });
  try {
    assert.equal(schemaVersion(db), 10);
    assert.deepEqual(unprintedPrintJobs(db).map((j) => [j.id, j.title, j.state, j.attempts, j.lastError, j.lastErrorCode]), [
      [2, 'sale 2 (b)', 'failed', 2, 'printer did not answer', 'offline'],
      [3, 'test receipt', 'pending', 0, null, null],
    ]);
    assert.deepEqual(getPrintJob(db, 2)?.bytes, Uint8Array.of(0x1b, 0x40, 0x42, 0x00, 0xff));
    assert.equal(getPrintJob(db, 1)?.printedAt, '2026-01-01T08:00:01.000Z');
    assert.match(unprintedPlan(db), /print_jobs_unprinted/);
    // New jobs continue the old ids.
    assert.equal(addPrintJob(db, { title: 'sale 3', bytes: Uint8Array.of(1), createdAt: '2026-03-01T10:00:00.000Z' }), 4);
  } finally {
    db.close();
  }
}));

test('migration 010 refuses a database from a newer schema', () => withDir((dir) => {
  const file = join(dir, 'tanba.db');
  const db = openDatabase(file, { migrations: UP_TO_10 });
  db.pragma('user_version = 11');
  db.close();
  assert.throws(() => openDatabase(file, { migrations: UP_TO_10 }), (e: unknown) => e instanceof NewerDatabaseError && /version 11 is newer/.test(e.message));
}));
