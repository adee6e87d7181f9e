/**
 * The receipts a register owes (migration 15): a document the core prints is recorded here in the
 * transaction that commits it and leaves when its receipt printed, so a receipt lost to a crash
 * between COMMIT and the printer is found at the next start.
 */
import type { Db } from './db-type.ts';
import { prepared } from './cache-codes.ts';

/** A committed document whose receipt has not come out of the printer. */
export interface UnprintedReceiptRow {
  documentId: string;
  kind: 'sale' | 'return';
  /** The number printed on the receipt (the register's running document number). */
  printedDocumentNumber: number;
  shiftNumber: number;
  total: number;
  cashier: string;
  committedAt: string;
}

/** Records that `documentId`'s receipt is owed; call inside the transaction that commits it. */
export function markReceiptOwed(db: Db, documentId: string, committedAt: string): void {
  prepared(db, 'INSERT OR IGNORE INTO unprinted_receipts (document_id, committed_at) VALUES (?, ?)').run(documentId, committedAt);
}

/** The receipt of `documentId` printed: it is owed no more. Returns whether it was owed. */
export function markReceiptPrinted(db: Db, documentId: string): boolean {
  return prepared(db, 'DELETE FROM unprinted_receipts WHERE document_id = ?').run(documentId).changes > 0;
}

/** Every owed receipt, oldest first, with what the cashier needs to recognise the document. */
export function unprintedReceipts(db: Db): UnprintedReceiptRow[] {
  return prepared(db, `
    SELECT u.document_id AS documentId, s.kind, s.printed_document_number AS printedDocumentNumber, s.shift_number AS shiftNumber,
           s.total, s.cashier, u.committed_at AS committedAt
    FROM unprinted_receipts u JOIN sales s ON s.id = u.document_id
    ORDER BY s.printed_document_number`).all() as UnprintedReceiptRow[];
}

/**
 * Records that `documentId`'s receipt printed with the offline mark (migration 17): the sales list,
 * the CSV export and a reprint say "offline" as the customer's receipt does. Idempotent.
 */
export function markReceiptOffline(db: Db, documentId: string, printedAt: string): void {
  prepared(db, 'INSERT OR IGNORE INTO offline_receipts (document_id, printed_at) VALUES (?, ?)').run(documentId, printedAt);
}

/** Whether `documentId`'s receipt printed with the offline mark. */
export function receiptPrintedOffline(db: Db, documentId: string): boolean {
  return prepared(db, 'SELECT 1 FROM offline_receipts WHERE document_id = ?').get(documentId) !== undefined;
}
