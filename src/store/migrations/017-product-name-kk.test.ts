import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { productRow } from '../cache-codes.ts';
import { MIGRATIONS } from './index.ts';
import { migration017 } from './017-product-name-kk.ts';

test('migration 017 is version 17; products and their import stage get name_kk (NULL for the rows already there), in the same column order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m017-'));
  try {
    assert.equal(migration017.version, 17);
    assert.equal(MIGRATIONS[16], migration017);
    const file = join(dir, 'tanba.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 16) });
    old.prepare("INSERT INTO products (gtin, name, grp, ai) VALUES ('04870000000019', 'Молоко', 'dairy', 0)").run();
    old.close();
    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 17) });
    try {
      assert.equal(schemaVersion(db), 17);
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
