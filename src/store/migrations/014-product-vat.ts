/**
 * Migration 14: a product's VAT category in the status cache's catalogue (feed `product`
 * records carry `vat`, as the National Catalogue file does). (Never edit after it ships.)
 *
 * Both `products` and its import stage get the column, at the end, so the import's
 * `INSERT INTO products SELECT * FROM stage_products` still lines the columns up. NULL: the feed
 * did not say (the sale uses the catalogue's category, else standard).
 */
import type { Migration } from '../migrate.ts';

const CATEGORY = "TEXT CHECK (vat_category IS NULL OR vat_category IN ('standard','medicines','periodicals','zero','none'))";

export const migration014: Migration = {
  version: 14,
  name: 'product-vat',
  up(db) {
    db.exec(`
      ALTER TABLE products ADD COLUMN vat_category ${CATEGORY};
      ALTER TABLE stage_products ADD COLUMN vat_category ${CATEGORY};
    `);
  },
};
