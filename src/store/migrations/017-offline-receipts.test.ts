import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { insertSale } from '../sales.ts';
import { insertShift } from '../shifts.ts';
import { markReceiptOffline, receiptPrintedOffline } from '../unprinted-receipts.ts';
import { MIGRATIONS } from './index.ts';
import { migration017 } from './017-offline-receipts.ts';

test('migration 017 is version 17, after 016', () => {
  assert.equal(migration017.version, 17);
  assert.equal(MIGRATIONS[16], migration017);
});

test('migration 017 on a version-16 file: existing sales printed nothing offline; a receipt printed offline is remembered once', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m017-'));
  try {
    const file = join(dir, 'tanba.db');
    const sale = (id: string, n: number) => ({
      id, kind: 'sale' as const, originalSaleId: null, shiftNumber: 1, shiftDocumentNumber: n, printedDocumentNumber: n, registerId: 'R1', cashier: 'Aigul',
      createdAt: `2026-03-01T10:0${n}:00.000Z`, total: 1_000, taxTotal: 0, payments: [{ type: 'cash' as const, amount: 1_000 }], taken: 1_000, change: 0,
    });
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 16) });
    insertShift(old, { id: 'shift-1', registerId: 'R1', cashier: 'Aigul', openedAt: '2026-03-01T09:00:00.000Z' });
    insertSale(old, sale('S-old', 1));
    old.close();

    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 17) });
    try {
      assert.equal(schemaVersion(db), 17);
      assert.equal(receiptPrintedOffline(db, 'S-old'), false);
      markReceiptOffline(db, 'S-old', '2026-03-01T10:01:02.000Z');
      markReceiptOffline(db, 'S-old', '2026-03-01T10:05:00.000Z');
      assert.equal(receiptPrintedOffline(db, 'S-old'), true);
      assert.deepEqual(db.prepare('SELECT document_id, printed_at FROM offline_receipts').all(), [{ document_id: 'S-old', printed_at: '2026-03-01T10:01:02.000Z' }], 'the first print is kept');
      assert.throws(() => markReceiptOffline(db, 'no-such-sale', '2026-03-01T10:02:00.000Z'), /FOREIGN KEY/);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
