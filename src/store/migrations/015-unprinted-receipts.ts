/**
 * Migration 15: the receipts a register owes. (Never edit after it ships.)
 *
 * A sale or return that the core will print gets a row here in the same transaction that commits
 * it; the row goes when its receipt comes out of the printer. A process that dies between the
 * COMMIT and the printer leaves the row, so the next start can tell the cashier and offer the
 * reprint. Documents recorded before this migration owe nothing (their fate is not known).
 */
import type { Migration } from '../migrate.ts';

export const migration015: Migration = {
  version: 15,
  name: 'unprinted-receipts',
  up(db) {
    db.exec(`
      CREATE TABLE unprinted_receipts (
        document_id TEXT PRIMARY KEY REFERENCES sales(id),
        committed_at TEXT NOT NULL      -- UTC ISO-8601, the document's own time
      ) WITHOUT ROWID;
    `);
  },
};
