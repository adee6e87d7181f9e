import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { migration002 } from './002-checkout.ts';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m002-'));
  try { fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('migration 002 creates the checkout tables on a real file', () => withDir((dir) => {
  const db = openDatabase(join(dir, 'tanba.db'));
  assert.ok(schemaVersion(db) >= 2);
  const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  for (const t of ['shifts', 'counters', 'sales', 'sale_lines', 'overrides', 'outbox', 'journal', 'users', 'contacts']) assert.ok(tables.has(t), `table ${t}`);
  const cols = (t: string): string[] => (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name);
  for (const c of ['id', 'seq', 'kind', 'document_id', 'payload', 'state', 'attempts', 'next_attempt_at', 'last_error', 'created_at', 'delivered_at', 'ticket_number', 'qr_url', 'offline']) {
    assert.ok(cols('outbox').includes(c), `outbox.${c}`);
  }
  for (const c of ['code', 'cis', 'verdict', 'check_source', 'request_id', 'checked_at']) assert.ok(cols('sale_lines').includes(c), `sale_lines.${c}`);
  db.close();
}));

test('the journal refuses UPDATE and DELETE', () => withDir((dir) => {
  const db = openDatabase(join(dir, 'tanba.db'));
  db.prepare("INSERT INTO journal (seq, at, kind, ref, payload, prev_hash, hash) VALUES (1, 'x', 'k', NULL, '{}', 'p', 'h')").run();
  assert.throws(() => db.prepare("UPDATE journal SET kind = 'z'").run(), /append-only/);
  assert.throws(() => db.prepare('DELETE FROM journal').run(), /append-only/);
  db.close();
}));

test('only one open shift per register', () => withDir((dir) => {
  const db = openDatabase(join(dir, 'tanba.db'));
  db.prepare("INSERT INTO shifts (number, id, register_id, cashier, opened_at) VALUES (1, 'a', 'R', 'c', 't')").run();
  assert.throws(() => db.prepare("INSERT INTO shifts (number, id, register_id, cashier, opened_at) VALUES (2, 'b', 'R', 'c', 't')").run(), /UNIQUE/);
  db.close();
}));

test('a database newer than this program is refused', () => withDir((dir) => {
  const path = join(dir, 'tanba.db');
  const raw = new Database(path);
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
  raw.close();
  assert.throws(() => openDatabase(path), (err: unknown) => err instanceof NewerDatabaseError);
}));

test('migration 002 is version 2', () => {
  assert.equal(migration002.version, 2);
  assert.equal(MIGRATIONS[1], migration002);
});
