import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { productRow } from '../cache-codes.ts';
import { MIGRATIONS } from './index.ts';
import { migration014 } from './014-product-vat.ts';

test('migration 014 is version 14; products and their import stage get vat_category (NULL for the rows already there), checked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m014-'));
  try {
    assert.equal(migration014.version, 14);
    assert.equal(MIGRATIONS[13], migration014);
    const file = join(dir, 'tanba.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.slice(0, 13) });
    old.prepare("INSERT INTO products (gtin, name, grp, ai) VALUES ('04870000000019', 'Сүт', 'dairy', 0)").run();
    old.close();
    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 14) });
    try {
      assert.equal(schemaVersion(db), 14);
      assert.equal(productRow(db, '04870000000019')?.vat_category, null);
      db.prepare("INSERT INTO stage_products (gtin, name, grp, ai, vat_category) VALUES ('04870000000026', 'Дәрі', 'medicines', 0, 'medicines')").run();
      // The import's swap copies the stage column for column.
      db.exec('INSERT OR REPLACE INTO products SELECT * FROM stage_products');
      assert.equal(productRow(db, '04870000000026')?.vat_category, 'medicines');
      assert.throws(() => db.prepare("UPDATE products SET vat_category = 'luxury'").run(), /CHECK/);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
