/**
 * Migration 16: the store's own price list and parked baskets. (Never edit after it ships.)
 *
 * `store_products` is what the store sells by barcode besides marked goods: its own name, price
 * and unit (a CSV from the back office, `tanba catalog import FILE.csv`). It is kept apart from
 * the National Catalogue's answers (catalog_products), which a lookup replaces per barcode: a
 * store's price never disappears because the OFD answered again.
 * `parked_baskets` holds a basket the cashier put aside (one JSON document of its lines as they
 * were scanned), so it survives a restart until it is recalled.
 */
import type { Migration } from '../migrate.ts';

export const migration016: Migration = {
  version: 16,
  name: 'selling',
  up(db) {
    db.exec(`
      CREATE TABLE store_products (
        barcode TEXT PRIMARY KEY NOT NULL,   -- EAN / GTIN as printed (digits)
        title TEXT NOT NULL,
        title_kk TEXT,
        price INTEGER CHECK (price IS NULL OR price >= 0), -- tiyn; NULL: a free-price item (typed at the till)
        weighed INTEGER NOT NULL DEFAULT 0 CHECK (weighed IN (0,1)), -- sold by the kg
        ntin TEXT,
        vat_category TEXT CHECK (vat_category IN ('standard','medicines','periodicals','zero','none')),
        updated_at TEXT NOT NULL             -- UTC ISO-8601
      ) WITHOUT ROWID;
      CREATE INDEX store_products_title ON store_products (title);
      CREATE TABLE parked_baskets (
        id TEXT PRIMARY KEY NOT NULL,
        parked_at TEXT NOT NULL,             -- UTC ISO-8601
        cashier TEXT NOT NULL,
        total INTEGER NOT NULL,              -- tiyn, as parked (shown in the list)
        lines TEXT NOT NULL                  -- JSON: [{ code, quantityMilli, price, name }]
      );
    `);
  },
};
