import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { checksBySource, checksPerHour, deliveriesPerHour, pruneStats, recordCheck, recordDeliveryAttempt, refusalsByReason } from '../reports.ts';

const UP_TO_5 = MIGRATIONS.slice(0, 5);

function withDb(fn: (db: Db, file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m005-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file, { migrations: UP_TO_5 });
    try { fn(db, file); } finally { db.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('migration 005 creates the chart logs on a real file', () => {
  withDb((db) => {
    assert.equal(schemaVersion(db), 5);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name IN ('checks', 'delivery_log') ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['checks', 'delivery_log']);
    assert.throws(() => db.prepare("INSERT INTO checks (at, decision, reason, source, scan_source) VALUES ('t', 'maybe', 'OK', 'cache', 'wedge')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO checks (at, decision, reason, source, scan_source) VALUES ('t', 'allow', 'OK', 'guess', 'wedge')").run(), /CHECK/);
  });
});

test('migration 005 refuses a database from a newer schema', () => {
  withDb((db, file) => {
    db.pragma('user_version = 42');
    db.close();
    assert.throws(() => openDatabase(file, { migrations: UP_TO_5 }), (e: unknown) => e instanceof NewerDatabaseError && /version 42 is newer/.test(e.message));
    Object.assign(db, { close: () => undefined });
  });
});

test('chart queries group by UTC hour and reason, and prune by age', () => {
  withDb((db) => {
    const rows: [string, 'allow' | 'warn' | 'refuse', string, 'online' | 'cache' | 'none'][] = [
      ['2025-03-01T10:05:00.000Z', 'allow', 'OK', 'online'],
      ['2025-03-01T10:59:59.999Z', 'refuse', 'SOLD', 'cache'],
      ['2025-03-01T11:00:00.000Z', 'refuse', 'SOLD', 'online'],
      ['2025-03-01T11:30:00.000Z', 'refuse', 'EXPIRED', 'online'],
      ['2025-03-01T11:31:00.000Z', 'warn', 'OK_OFFLINE', 'cache'],
    ];
    for (const [at, decision, reason, source] of rows) recordCheck(db, { at, decision, reason, source, cis: null, scanSource: 'wedge' });
    assert.deepEqual(checksPerHour(db, '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'), [
      { hour: '2025-03-01T10:00:00.000Z', allow: 1, warn: 0, refuse: 1 },
      { hour: '2025-03-01T11:00:00.000Z', allow: 0, warn: 1, refuse: 2 },
    ]);
    assert.deepEqual(refusalsByReason(db, '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'), [{ reason: 'SOLD', count: 2 }, { reason: 'EXPIRED', count: 1 }]);
    assert.deepEqual(checksBySource(db, '2025-03-01T11:00:00.000Z', '2025-03-02T00:00:00.000Z'), [{ source: 'cache', count: 1 }, { source: 'online', count: 2 }]);
    recordDeliveryAttempt(db, { at: '2025-03-01T10:10:00.000Z', outboxId: 1, ok: false, kind: 'transient', error: 'ECONNREFUSED' });
    recordDeliveryAttempt(db, { at: '2025-03-01T10:20:00.000Z', outboxId: 1, ok: true, kind: null, error: null });
    assert.deepEqual(deliveriesPerHour(db, '2025-03-01T00:00:00.000Z', '2025-03-02T00:00:00.000Z'), [{ hour: '2025-03-01T10:00:00.000Z', delivered: 1, failed: 1 }]);
    assert.deepEqual(pruneStats(db, '2025-03-01T11:00:00.000Z'), { checks: 2, deliveries: 2 });
    assert.equal(db.prepare('SELECT count(*) FROM checks').pluck().get(), 3);
  });
});
