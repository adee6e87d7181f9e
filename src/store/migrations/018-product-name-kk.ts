/**
 * Migration 18: a product's Kazakh name in the status cache's catalogue (feed `product` records
 * may carry `nameKk`, as the National Catalogue answers and the store's price list already do),
 * so a Kazakh till names goods in Kazakh. (Never edit after it ships.)
 *
 * Both `products` and its import stage get the column, at the end, so the import's
 * `INSERT INTO products SELECT * FROM stage_products` still lines the columns up. NULL: the feed
 * gave none (the till shows the name it has).
 */
import type { Migration } from '../migrate.ts';

export const migration018: Migration = {
  version: 18,
  name: 'product-name-kk',
  up(db) {
    db.exec(`
      ALTER TABLE products ADD COLUMN name_kk TEXT;
      ALTER TABLE stage_products ADD COLUMN name_kk TEXT;
    `);
  },
};
