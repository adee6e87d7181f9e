/**
 * Migration 5: logs for the manager's charts — every scan verdict (`checks`) and every delivery
 * attempt to the fiscal data operator (`delivery_log`). (Never edit after it ships.)
 *
 * Both are logs, not records of account: they are written outside the sale transaction and a
 * lost row only makes a chart a little less complete. They hold no personal data (a CIS
 * identifies a pack of goods, not a person) and are pruned by age (`pruneStats`).
 */
import type { Migration } from '../migrate.ts';

export const migration005: Migration = {
  version: 5,
  name: 'stats',
  up(db) {
    db.exec(`
      CREATE TABLE checks (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,                  -- UTC ISO-8601
        decision    TEXT NOT NULL CHECK (decision IN ('allow', 'warn', 'refuse')),
        reason      TEXT NOT NULL,                  -- rules ReasonCode
        source      TEXT NOT NULL CHECK (source IN ('online', 'cache', 'none')),
        cis         TEXT,
        scan_source TEXT NOT NULL                   -- device id, 'wedge', 'manual', 'camera', 'test-scan'
      ) STRICT;
      CREATE INDEX checks_at ON checks(at);

      CREATE TABLE delivery_log (
        id          INTEGER PRIMARY KEY,
        at          TEXT NOT NULL,
        outbox_id   INTEGER NOT NULL,
        ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
        kind        TEXT,                           -- transient / permanent / blocked when not ok
        error       TEXT
      ) STRICT;
      CREATE INDEX delivery_log_at ON delivery_log(at);
    `);
  },
};
