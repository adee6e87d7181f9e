/**
 * Migration 17: the documents whose receipt printed with the offline mark. (Never edit after it ships.)
 *
 * A receipt prints offline when the OFD's ticket number has not come within the wait — the OFD
 * unreachable, or the document queued behind undelivered ones. The outbox row of a document whose
 * first send was already under way keeps its online flag (every resend carries the same bytes),
 * so what the customer holds is recorded here, and the manager's sales list, the CSV export and a
 * reprint say "offline" exactly when the printed receipt did.
 */
import type { Migration } from '../migrate.ts';

export const migration017: Migration = {
  version: 17,
  name: 'offline-receipts',
  up(db) {
    db.exec(`
      CREATE TABLE offline_receipts (
        document_id TEXT PRIMARY KEY REFERENCES sales(id),
        printed_at TEXT NOT NULL        -- UTC ISO-8601: when the receipt went to the printer
      ) WITHOUT ROWID;
    `);
  },
};
