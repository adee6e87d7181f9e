/**
 * Migration 10: the print queue's table, made by a migration. (Never edit after it ships.)
 *
 * Before this, the printer driver created `print_jobs` itself at run time (CREATE TABLE IF NOT
 * EXISTS, the same columns), so a register database that has printed holds the table — with its
 * rows — already; one that has not does not. Both end here with the same table and the index for
 * the reprint list: every job is kept as the exact bytes sent, so a reprint is identical.
 */
import type { Migration } from '../migrate.ts';

export const migration010: Migration = {
  version: 10,
  name: 'print-jobs',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS print_jobs (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,                -- what it is, for people: 'sale 345 (<document id>)'
        bytes BLOB NOT NULL,                -- the exact ESC/POS bytes sent
        state TEXT NOT NULL CHECK (state IN ('pending','printed','failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_error_code TEXT,               -- PrinterError code ('paper-out', ...) when known
        created_at TEXT NOT NULL,           -- UTC ISO-8601, the register's clock
        printed_at TEXT
      );
      -- The jobs still to print, oldest first (the reprint list); printed ones are most rows.
      CREATE INDEX IF NOT EXISTS print_jobs_unprinted ON print_jobs (id) WHERE state != 'printed';
    `);
  },
};
