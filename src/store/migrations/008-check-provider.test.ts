import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import { getSaleLines, insertSaleLine, type SaleLineRow } from '../sales.ts';

const UP_TO_7 = MIGRATIONS.slice(0, 7);
const UP_TO_8 = MIGRATIONS.slice(0, 8);
const T = '2026-03-01T10:00:00.000Z';

function withDir(fn: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m008-'));
  try { fn(join(dir, 'tanba.db')); } finally { rmSync(dir, { recursive: true, force: true }); }
}

test('migration 008 keeps a line written before it (provider and request time null) and stores both after', () => {
  withDir((file) => {
    const old = openDatabase(file, { migrations: UP_TO_7 });
    old.exec(`INSERT INTO shifts (number, id, register_id, cashier, opened_at) VALUES (1, 's1', 'REG-1', 'Ann', '${T}')`);
    old.exec(`INSERT INTO sales (id, kind, shift_number, shift_document_number, printed_document_number, register_id, cashier, created_at, total, tax_total, payments, taken, change)
      VALUES ('sale-1', 'sale', 1, 1, 1, 'REG-1', 'Ann', '${T}', 1000, 0, '[]', 1000, 0)`);
    // The old shape: no check_provider / request_time columns yet.
    old.exec(`INSERT INTO sale_lines (id, sale_id, position, code, cis, gtin, name, product_group, section_code, unit, quantity_milli, units, price, sum,
      tax_percent_milli, tax_sum, ai, decision, verdict, check_source, request_id, checked_at)
      VALUES ('l1', 'sale-1', 1, 'c', 'cis-1', null, 'Milk', 'dairy', '1', null, 1000, null, 1000, 1000, 0, 0, 0, 'allow', '{}', 'online', 'req-old', '${T}')`);
    old.close();

    const db = openDatabase(file, { migrations: UP_TO_8 });
    try {
      assert.equal(schemaVersion(db), 8);
      const [before] = getSaleLines(db, 'sale-1');
      assert.equal(before?.requestId, 'req-old');
      assert.equal(before?.checkProvider, null);
      assert.equal(before?.requestTime, null);
      const line: SaleLineRow = {
        ...(before as SaleLineRow), id: 'l2', position: 2, cis: 'cis-2', requestId: 'a1b2', checkProvider: 'true-api', requestTime: '2026-03-01T09:59:59.123Z',
      };
      insertSaleLine(db, line);
      const after = getSaleLines(db, 'sale-1')[1];
      assert.equal(after?.checkProvider, 'true-api');
      assert.equal(after?.requestTime, '2026-03-01T09:59:59.123Z');
      assert.equal(after?.requestId, 'a1b2');
    } finally {
      db.close();
    }
  });
});

test('migration 008 refuses a database from a newer schema', () => {
  withDir((file) => {
    const db = openDatabase(file, { migrations: UP_TO_8 });
    db.pragma('user_version = 79');
    db.close();
    assert.throws(() => openDatabase(file, { migrations: UP_TO_8 }), (e: unknown) => e instanceof NewerDatabaseError && /version 79 is newer/.test(e.message));
  });
});
