import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from './db.ts';
import { appendJournal, canonicalJson, verifyJournal } from './journal.ts';

function withDb(fn: (db: Db) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-journal-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  try { fn(db); } finally { db.close(); rmSync(dir, { recursive: true, force: true }); }
}

function fill(db: Db, n: number): void {
  for (let i = 0; i < n; i++) db.transaction(() => appendJournal(db, { at: `2026-01-01T00:00:0${i}Z`, kind: 'sale', ref: `s${i}`, payload: { total: i * 100, b: [1, { z: 1, a: 2 }] } }))();
}

test('canonical JSON sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 0 }], c: null } }), '{"a":{"c":null,"d":[2,{"x":0,"y":1}]},"b":1}');
});

test('a fresh chain verifies', () => withDb((db) => {
  fill(db, 5);
  assert.deepEqual({ ...verifyJournal(db), lastHash: undefined }, { ok: true, count: 5, lastHash: undefined });
}));

test('appending outside a transaction is refused', () => withDb((db) => {
  assert.throws(() => appendJournal(db, { at: 'x', kind: 'k', ref: null, payload: {} }), /inside the transaction/);
}));

test('a changed entry is named', () => withDb((db) => {
  fill(db, 5);
  db.exec('DROP TRIGGER journal_no_update');
  db.prepare("UPDATE journal SET payload = '{\"b\":[1,{\"a\":2,\"z\":1}],\"total\":999}' WHERE seq = 3").run();
  const v = verifyJournal(db);
  assert.equal(v.ok, false);
  assert.ok(!v.ok && v.brokenAt === 3 && /changed/.test(v.reason));
}));

test('a deleted middle entry is named', () => withDb((db) => {
  fill(db, 5);
  db.exec('DROP TRIGGER journal_no_delete');
  db.prepare('DELETE FROM journal WHERE seq = 2').run();
  const v = verifyJournal(db);
  assert.ok(!v.ok && v.brokenAt === 3 && /entry 2 is missing/.test(v.reason), JSON.stringify(v));
}));

test('deleted newest entries are caught by the head counter', () => withDb((db) => {
  fill(db, 5);
  db.exec('DROP TRIGGER journal_no_delete');
  db.prepare('DELETE FROM journal WHERE seq >= 4').run();
  const v = verifyJournal(db);
  assert.ok(!v.ok && v.brokenAt === 4 && /4\.\.5 are missing/.test(v.reason), JSON.stringify(v));
}));

test('a recomputed hash still breaks the next link', () => withDb((db) => {
  fill(db, 4);
  db.exec('DROP TRIGGER journal_no_update');
  db.prepare("UPDATE journal SET hash = 'f' || substr(hash, 2) WHERE seq = 2").run();
  const v = verifyJournal(db);
  assert.ok(!v.ok && v.brokenAt === 2, JSON.stringify(v));
}));
