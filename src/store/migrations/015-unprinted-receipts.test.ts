import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { insertSale } from '../sales.ts';
import { insertShift } from '../shifts.ts';
import { markReceiptOwed, markReceiptPrinted, unprintedReceipts } from '../unprinted-receipts.ts';
import { MIGRATIONS } from './index.ts';
import { migration015 } from './015-unprinted-receipts.ts';

test('migration 015 is version 15, after 014', () => {
  assert.equal(migration015.version, 15);
  assert.equal(MIGRATIONS[14], migration015);
});

test('migration 015 on a version-14 file: the table is added, existing sales owe nothing; owed receipts are listed until printed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m015-'));
  try {
    const file = join(dir, 'tanba.db');
    const sale = (id: string, n: number) => ({
      id, kind: 'sale' as const, originalSaleId: null, shiftNumber: 1, shiftDocumentNumber: n, printedDocumentNumber: n, registerId: 'R1', cashier: 'Aigul',
      createdAt: `2026-03-01T10:0${n}:00.000Z`, total: 4_528_400, taxTotal: 0, payments: [{ type: 'cash' as const, amount: 4_528_400 }], taken: 4_528_400, change: 0,
    });
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 14) });
    const shift = insertShift(old, { id: 'shift-1', registerId: 'R1', cashier: 'Aigul', openedAt: '2026-03-01T09:00:00.000Z' });
    assert.equal(shift.number, 1);
    insertSale(old, sale('S-old', 1));
    old.close();

    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 15) });
    try {
      assert.equal(schemaVersion(db), 15);
      assert.deepEqual(unprintedReceipts(db), [], 'a sale recorded before the migration owes nothing');
      insertSale(db, sale('S-2', 2));
      markReceiptOwed(db, 'S-2', '2026-03-01T10:02:00.000Z');
      markReceiptOwed(db, 'S-2', '2026-03-01T10:02:00.000Z');
      assert.deepEqual(unprintedReceipts(db), [{ documentId: 'S-2', kind: 'sale', printedDocumentNumber: 2, shiftNumber: 1, total: 4_528_400, cashier: 'Aigul', committedAt: '2026-03-01T10:02:00.000Z' }]);
      assert.throws(() => markReceiptOwed(db, 'no-such-sale', '2026-03-01T10:02:00.000Z'), /FOREIGN KEY/, 'only a recorded document can be owed');
      assert.equal(markReceiptPrinted(db, 'S-2'), true);
      assert.equal(markReceiptPrinted(db, 'S-2'), false);
      assert.deepEqual(unprintedReceipts(db), []);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
