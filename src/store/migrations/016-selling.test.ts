import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { storeCatalogAnswer } from '../catalog.ts';
import { insertParkedBasket, listParkedBaskets, searchProducts, storeProduct, takeParkedBasket, upsertStoreProducts } from '../selling.ts';
import { MIGRATIONS } from './index.ts';
import { migration016 } from './016-selling.ts';

const T = '2026-03-01T10:00:00.000Z';

test('migration 016 is version 16; it adds the store price list and parked baskets to a version-15 file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m016-'));
  try {
    assert.equal(migration016.version, 16);
    assert.equal(MIGRATIONS[15], migration016);
    const file = join(dir, 'tanba.db');
    openDatabase(file, { migrations: MIGRATIONS.slice(0, 15) }).close();
    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 16) });
    try {
      assert.equal(schemaVersion(db), 16);
      assert.throws(() => db.prepare("INSERT INTO store_products (barcode, title, price, updated_at) VALUES ('1', 'x', -1, 't')").run(), /CHECK/);
      upsertStoreProducts(db, [
        { barcode: '4870000000017', title: 'Яблоки Апорт', titleKk: 'Алма Апорт', price: 89_000, weighed: true, ntin: null, vatCategory: null, updatedAt: T },
        { barcode: '4870000000024', title: 'Пакет', titleKk: null, price: null, weighed: false, ntin: null, vatCategory: 'standard', updatedAt: T },
      ]);
      assert.equal(storeProduct(db, '4870000000017')?.price, 89_000);
      assert.equal(storeProduct(db, '4870000000024')?.price, null, 'a free-price item');
      // The catalogue's answer for another barcode; the search finds both, in any case, by name or barcode.
      storeCatalogAnswer(db, '4870000000031', [{ ntin: '0200000000011', title: 'ХЛЕБ БЕЛЫЙ', titleKk: 'Ақ нан', measureUnitCode: '796', vatCategory: null, isMarked: false, isSocial: false, price: null, source: 'ofd', fetchedAt: T }], { source: 'ofd', fetchedAt: T });
      assert.deepEqual(searchProducts(db, 'апорт', 10).map((h) => [h.barcode, h.weighed, h.source]), [['4870000000017', true, 'store']]);
      assert.deepEqual(searchProducts(db, 'хлеб', 10).map((h) => h.barcode), ['4870000000031']);
      assert.deepEqual(searchProducts(db, 'АҚ', 10).map((h) => h.barcode), ['4870000000031'], 'Kazakh names, any case');
      assert.deepEqual(searchProducts(db, '000002', 10).map((h) => h.barcode), ['4870000000024']);
      assert.deepEqual(searchProducts(db, '%', 10), [], 'LIKE wildcards are literal');
      insertParkedBasket(db, { id: 'p1', parkedAt: T, cashier: 'Aigul', total: 500, lines: [{ code: '4870000000024', quantityMilli: 2000, price: 250, name: 'Пакет' }] });
      assert.equal(listParkedBaskets(db).length, 1);
      assert.deepEqual(takeParkedBasket(db, 'p1')?.lines[0], { code: '4870000000024', quantityMilli: 2000, price: 250, name: 'Пакет' });
      assert.equal(takeParkedBasket(db, 'p1'), undefined, 'taken once');
      assert.equal(listParkedBaskets(db).length, 0);
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
