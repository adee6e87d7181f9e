import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { appendJournal, listJournal, verifyJournal } from '../journal.ts';
import { insertSale, insertSaleLine } from '../sales.ts';
import { insertShift } from '../shifts.ts';
import { DIGEST_SEAL_KIND, documentDigest, firstDigestMismatch } from '../document-digest.ts';
import { MIGRATIONS } from './index.ts';
import { migration013 } from './013-journal-digests.ts';

const UP_TO_12 = MIGRATIONS.slice(0, 12);

/** A sale written the way version 12 wrote it: rows plus a journal entry without a digest. */
function oldSale(db: Db, n: number, shiftNumber: number): string {
  const id = `00000000-0000-4000-8000-00000000000${n}`;
  const at = `2026-03-01T10:0${n}:00.000Z`;
  db.transaction(() => {
    insertSale(db, {
      id, kind: 'sale', originalSaleId: null, shiftNumber, shiftDocumentNumber: n, printedDocumentNumber: n, registerId: 'R1', cashier: 'Aigul',
      createdAt: at, total: 4_528_400, taxTotal: 624_607, payments: [{ type: 'cash', amount: 4_528_400 }], taken: 4_528_400, change: 0,
    });
    insertSaleLine(db, {
      id: `${id}-l1`, saleId: id, position: 1, code: `0104870000001011213000000000${n}\x1d93Ab1x`, cis: `01048700000010112130000000000${n}`, gtin: '04870000001011',
      name: 'Вода', productGroup: 'water', sectionCode: '1', unit: 'pcs', quantityMilli: 1000, units: null, price: 4_528_400, sum: 4_528_400,
      taxPercentMilli: 16_000, taxSum: 624_607, ai: false, decision: 'allow', verdict: { decision: 'allow', reason: 'OK', source: 'cache' },
      checkSource: 'cache', requestId: null, checkedAt: at, checkProvider: null, requestTime: null, overrideId: null, originalLineId: null,
    });
    appendJournal(db, { at, kind: 'sale', ref: id, payload: { shift: shiftNumber, doc: n, total: 4_528_400 } });
  })();
  return id;
}

test('migration 013 is version 13, after 012', () => {
  assert.equal(migration013.version, 13);
  assert.equal(MIGRATIONS[12], migration013);
});

test('upgrading a version-12 database holding sales seals their digests in the chain; a later edit is detected', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m013-'));
  const file = join(dir, 'tanba.db');
  try {
    let db = openDatabase(file, { migrations: UP_TO_12 });
    const shift = insertShift(db, { id: 'shift-1', registerId: 'R1', cashier: 'Aigul', openedAt: '2026-03-01T09:00:00.000Z' });
    const ids = [oldSale(db, 1, shift.number), oldSale(db, 2, shift.number)];
    assert.equal(schemaVersion(db), 12);
    assert.deepEqual(firstDigestMismatch(db), { id: ids[0], seq: 1, reason: 'no journal entry commits to its content' }, 'before the upgrade nothing covers the content');
    db.close();

    db = openDatabase(file);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    const seal = listJournal(db).find((e) => e.kind === DIGEST_SEAL_KIND);
    assert.ok(seal, 'a seal entry was appended');
    assert.deepEqual((seal.payload as { documents: { id: string; digest: string }[] }).documents, ids.map((id) => ({ id, digest: documentDigest(db, id) })));
    assert.equal(verifyJournal(db).ok, true, 'the chain stays intact');
    assert.equal(firstDigestMismatch(db), undefined, 'every old document is covered');

    db.prepare('UPDATE sales SET total = 1 WHERE id = ?').run(ids[1]);
    const bad = firstDigestMismatch(db);
    assert.equal(bad?.id, ids[1]);
    assert.match(bad?.reason ?? '', /changed after it was recorded/);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an empty database upgrades without a seal entry', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m013-'));
  try {
    const db = openDatabase(join(dir, 'tanba.db'));
    assert.equal(listJournal(db).length, 0);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
