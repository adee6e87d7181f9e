/** A manager (UI) or technician (CLI) un-blocks a blocked outbox row: one transaction with its journal entry. */
import { appendJournal, getOutbox, type Db, type OutboxEntry } from '../store/index.ts';
import type { OutboxSender } from './sender.ts';

/**
 * Un-blocks row `id` through the sender (which lifts the OFD client's blocked mode too) and
 * journals who did it and the error the row had, in the same transaction: either both are
 * recorded or neither. Throws the sender's SyncRetryError for a row that is missing or not blocked.
 */
export function retryBlocked(db: Db, sender: Pick<OutboxSender, 'retry'>, id: number, by: string | null, at: string): { row: OutboxEntry; error: string | null } {
  return db.transaction(() => {
    const error = getOutbox(db, id)?.lastError ?? null;
    const row = sender.retry(id);
    appendJournal(db, { at, kind: 'sync_retry', ref: row.documentId, payload: { outboxId: row.id, seq: row.seq, kind: row.kind, error, by } });
    return { row, error };
  }).immediate();
}
