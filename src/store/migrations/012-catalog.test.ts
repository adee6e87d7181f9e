import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db.ts';
import { schemaVersion } from '../migrate.ts';
import { catalogBarcode, catalogProductsByBarcode, chooseCatalogNtin, storeCatalogAnswer } from '../catalog.ts';
import { getOfdRegInfo, recordOfdRegInfo } from '../ofd-state.ts';
import { MIGRATIONS } from './index.ts';
import { migration012 } from './012-catalog.ts';

const product = (ntin: string, title: string) => ({
  ntin, title, titleKk: null, measureUnitCode: '796', vatCategory: null, isMarked: false, isSocial: false, price: null, source: 'ofd' as const, fetchedAt: 't1',
});

test('migration 012 is version 12; it adds the catalogue tables, ofd_reg_info and the NTIN columns of sale lines to a version-11 file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m012-'));
  try {
    assert.equal(migration012.version, 12);
    assert.equal(MIGRATIONS[11], migration012);
    const file = join(dir, 'tanba.db');
    openDatabase(file, { migrations: MIGRATIONS.slice(0, 11) }).close();
    const db = openDatabase(file, { migrations: MIGRATIONS.slice(0, 12) });
    try {
      assert.equal(schemaVersion(db), 12);
      const cols = (db.prepare('PRAGMA table_info(sale_lines)').all() as { name: string }[]).map((c) => c.name);
      assert.ok(cols.includes('ntin') && cols.includes('name_kk'));
      assert.throws(() => db.prepare("INSERT INTO catalog_products (barcode, title, source, fetched_at, vat_category) VALUES ('1', 'x', 'ofd', 't', 'luxury')").run(), /CHECK/);
      // Two NTINs for one barcode; the pick is kept while the catalogue still lists it.
      storeCatalogAnswer(db, '04870001000011', [product('0200000000028', 'Хлеб белый'), product('0200000000035', 'Хлеб серый')], { source: 'ofd', fetchedAt: 't1' });
      assert.equal(chooseCatalogNtin(db, '04870001000011', '0200000000099'), false, 'not one of its NTINs');
      assert.equal(chooseCatalogNtin(db, '04870001000011', '0200000000035'), true);
      storeCatalogAnswer(db, '04870001000011', [product('0200000000028', 'Хлеб белый'), product('0200000000035', 'Хлеб серый 2')], { source: 'ofd', fetchedAt: 't2' });
      assert.deepEqual(catalogBarcode(db, '04870001000011'), { barcode: '04870001000011', status: 'found', chosenNtin: '0200000000035', source: 'ofd', fetchedAt: 't2' });
      assert.deepEqual(catalogProductsByBarcode(db, '04870001000011').map((p) => p.title), ['Хлеб белый', 'Хлеб серый 2']);
      storeCatalogAnswer(db, '04870001000011', [], { source: 'ofd', fetchedAt: 't3' });
      assert.equal(catalogBarcode(db, '04870001000011')?.status, 'not_found');
      assert.equal(catalogBarcode(db, '04870001000011')?.chosenNtin, null);
      recordOfdRegInfo(db, 5, { org: { address_kz: 'Алматы' } }, 't4');
      assert.deepEqual(getOfdRegInfo(db, 5), { regInfo: { org: { address_kz: 'Алматы' } }, receivedAt: 't4' });
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
