/**
 * Migration 12: the National Catalogue (НКТ) table, and the catalogue code on sale lines.
 * (Never edit after it ships.)
 *
 * `catalog_products` holds one row per (barcode, NTIN) the store knows: from the OFD's
 * COMMAND_NOMENCLATURE answers, a head-office file (`tanba catalog import`) or, later, the store's
 * own entries. It is shaped to become the store's product catalogue (names in both languages,
 * unit, VAT category, marked / social flags, price where known, where it came from and when).
 * `catalog_barcodes` is the answer per barcode: found / not found, when it was fetched (the TTL
 * counts from there) and the NTIN the cashier chose when the catalogue gave several.
 */
import type { Migration } from '../migrate.ts';

export const migration012: Migration = {
  version: 12,
  name: 'catalog',
  up(db) {
    db.exec(`
      CREATE TABLE catalog_products (
        id INTEGER PRIMARY KEY,
        barcode TEXT,                        -- GTIN / EAN as printed (digits); NULL: a product known by NTIN only
        ntin TEXT,                           -- National Catalogue code (13 digits, 0200...); NULL: not in the catalogue
        title TEXT NOT NULL,                 -- name in Russian (catalogue name)
        title_kk TEXT,                       -- name in Kazakh
        measure_unit_code TEXT,              -- IS ESF unit code ('796' piece)
        vat_category TEXT CHECK (vat_category IN ('standard','medicines','periodicals','zero','none')),
        is_marked INTEGER NOT NULL DEFAULT 0 CHECK (is_marked IN (0,1)),
        is_social INTEGER NOT NULL DEFAULT 0 CHECK (is_social IN (0,1)),
        price INTEGER,                       -- tiyn, where known
        source TEXT NOT NULL CHECK (source IN ('ofd','import','manual')),
        fetched_at TEXT NOT NULL,            -- UTC ISO-8601
        UNIQUE (barcode, ntin)
      );
      CREATE INDEX catalog_products_ntin ON catalog_products (ntin);
      CREATE INDEX catalog_products_title ON catalog_products (title);
      CREATE TABLE catalog_barcodes (
        barcode TEXT PRIMARY KEY,
        status TEXT NOT NULL CHECK (status IN ('found','not_found')),
        chosen_ntin TEXT,                    -- the cashier's pick among several NTINs (remembered for this store)
        source TEXT NOT NULL CHECK (source IN ('ofd','import','manual')),
        fetched_at TEXT NOT NULL             -- the answer's time: fresh while younger than catalog.ttlHours
      );
      -- 2.0.3: what the OFD says about the register, its point of sale (address_kz, latitude,
      -- longitude) and its organisation, as last answered (shown to the technician).
      CREATE TABLE ofd_reg_info (
        device_id INTEGER PRIMARY KEY,
        reg_info TEXT NOT NULL,              -- JSON: { kkm, pos, org } as decoded
        received_at TEXT NOT NULL
      );
      ALTER TABLE sale_lines ADD COLUMN ntin TEXT;
      ALTER TABLE sale_lines ADD COLUMN name_kk TEXT;
    `);
  },
};
