/**
 * Migration 8: which marking system answered a sale line's check, and its time. (Never edit after it ships.)
 *
 * `check_provider` names the provider whose answer counted ('xtrace', 'true-api',
 * 'local-module', 'tanba-feed'; NULL when the cache alone decided, and for every line written
 * before this migration). `request_time` is the registry's time of that answer (UTC ISO; Russia's
 * True API `reqTimestamp`, which the fiscal record carries with `reqId` as tag 1265).
 * `request_id` and `checked_at` are unchanged.
 */
import type { Migration } from '../migrate.ts';

export const migration008: Migration = {
  version: 8,
  name: 'check-provider',
  up(db) {
    db.exec(`
      ALTER TABLE sale_lines ADD COLUMN check_provider TEXT;
      ALTER TABLE sale_lines ADD COLUMN request_time TEXT;
    `);
  },
};
