import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import {
  addHubClaim, addHubConflict, enqueueHubOutbox, hubAppliedSeq, hubOutboxDepth, listHubConflicts, markHubPublished, pendingHubClaims,
  setHubAppliedSeq, settleHubClaim, unguardedSaleCount, unpublishedHubOutbox,
} from '../hub.ts';
import { MIGRATIONS } from './index.ts';
import { migration011 } from './011-hub.ts';

const UP_TO_10 = MIGRATIONS.slice(0, 10);
const UP_TO_11 = MIGRATIONS.slice(0, 11);

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m011-'));
  try { fn(dir); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('migration 011 is version 11, after 010', () => {
  assert.equal(migration011.version, 11);
  assert.equal(MIGRATIONS[10], migration011);
});

test('a version-10 database with print jobs upgrades to 11; claims, conflicts, the head-office queue and applied streams work', () => withDir((dir) => {
  const file = join(dir, 'tanba.db');
  const old = openDatabase(file, { migrations: UP_TO_10 });
  old.prepare("INSERT INTO print_jobs (title, bytes, state, created_at) VALUES ('sale 1', x'01', 'pending', 't')").run();
  old.close();
  const db = openDatabase(file, { migrations: UP_TO_11 });
  try {
    assert.equal(schemaVersion(db), 11);
    assert.equal((db.prepare('SELECT COUNT(*) AS n FROM print_jobs').get() as { n: number }).n, 1, 'older rows kept');
    addHubClaim(db, { op: 'sold', cis: 'C1', code: 'C1\x1d93ab', saleId: 's1', at: '2026-03-01T10:00:00.000Z', unguarded: true });
    addHubClaim(db, { op: 'sold', cis: 'C1', code: 'C1\x1d93ab', saleId: 's1', at: '2026-03-01T10:00:00.000Z', unguarded: true }); // once
    addHubClaim(db, { op: 'sold', cis: 'C2', code: 'C2', saleId: 's1', at: '2026-03-01T10:00:00.000Z', unguarded: true });
    addHubClaim(db, { op: 'sold', cis: 'C3', code: 'C3', saleId: 's2', at: '2026-03-01T10:01:00.000Z', unguarded: false });
    assert.equal(unguardedSaleCount(db), 1);
    const pending = pendingHubClaims(db);
    assert.deepEqual(pending.map((c) => [c.cis, c.code, c.unguarded, c.state]), [['C1', 'C1\x1d93ab', true, 'pending'], ['C2', 'C2', true, 'pending'], ['C3', 'C3', false, 'pending']]);
    settleHubClaim(db, pending[0]!.id, 'confirmed', 't');
    settleHubClaim(db, pending[1]!.id, 'conflict', 't');
    assert.equal(unguardedSaleCount(db), 0);
    assert.throws(() => db.prepare("UPDATE hub_claims SET state = 'lost'").run(), /CHECK/);
    const c = { cis: 'C2', code: 'C2', foundAt: 't', first: { store: 'S1', register: 'L1', saleId: 'x', at: 'a' }, second: { store: 'S1', register: 'L2', saleId: 's1', at: 'b' } };
    assert.equal(addHubConflict(db, c), true);
    assert.equal(addHubConflict(db, c), false, 'the same pair is listed once');
    assert.deepEqual(listHubConflicts(db).map(({ id: _id, ...rest }) => rest), [c]);
    enqueueHubOutbox(db, { msgId: 'd1', kind: 'sale', payload: { a: 1 }, createdAt: '2026-03-01T10:00:00.000Z' });
    enqueueHubOutbox(db, { msgId: 'd1', kind: 'sale', payload: { a: 2 }, createdAt: '2026-03-01T10:00:00.000Z' });
    enqueueHubOutbox(db, { msgId: 'd2', kind: 'shift_close', payload: { b: 1 }, createdAt: '2026-03-01T11:00:00.000Z' });
    assert.deepEqual(hubOutboxDepth(db), { queue: 2, oldest: '2026-03-01T10:00:00.000Z' });
    const q = unpublishedHubOutbox(db);
    assert.deepEqual(q.map((e) => [e.msgId, e.payload]), [['d1', { a: 1 }], ['d2', { b: 1 }]]);
    markHubPublished(db, q[0]!.seq, 't');
    assert.deepEqual(unpublishedHubOutbox(db).map((e) => e.msgId), ['d2']);
    assert.equal(hubAppliedSeq(db, 'TANBA_S1'), 0);
    setHubAppliedSeq(db, 'TANBA_S1', 5, 't');
    setHubAppliedSeq(db, 'TANBA_S1', 7, 't');
    assert.equal(hubAppliedSeq(db, 'TANBA_S1'), 7);
  } finally {
    db.close();
  }
}));

test('migration 011 refuses a database from a newer schema', () => withDir((dir) => {
  const file = join(dir, 'tanba.db');
  const db = openDatabase(file, { migrations: UP_TO_11 });
  db.pragma('user_version = 12');
  db.close();
  assert.throws(() => openDatabase(file, { migrations: UP_TO_11 }), (e: unknown) => e instanceof NewerDatabaseError && /version 12 is newer/.test(e.message));
}));
