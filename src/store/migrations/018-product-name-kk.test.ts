import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { productRow } from '../cache-codes.ts';
import { MIGRATIONS } from './index.ts';
import { migration018 } from './018-product-name-kk.ts';

test('migration 018 is version 18; products and their import stage get name_kk (NULL for the rows already there), in the same column order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m018-'));
  try {
    assert.equal(migration018.version, 18);
    assert.equal(MIGRATIONS[17], migration018);
    const file = join(dir, 'tanba.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 17) });
    old.prepare("INSERT INTO products (gtin, name, grp, ai) VALUES ('04870000000019', 'Молоко', 'dairy', 0)").run();
    old.close();
    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 18) });
    try {
      assert.equal(schemaVersion(db), 18);
      assert.equal(productRow(db, '04870000000019')?.name_kk, null);
      db.prepare("INSERT INTO stage_products (gtin, name, grp, ai, vat_category, name_kk) VALUES ('04870000000026', 'Сок', 'water', 0, NULL, 'Шырын')").run();
      // The import's swap copies the stage column for column.
      db.exec('INSERT OR REPLACE INTO products SELECT * FROM stage_products');
      assert.equal(productRow(db, '04870000000026')?.name_kk, 'Шырын');
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
