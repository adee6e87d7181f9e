/**
 * Cash put into or taken out of the drawer during a shift (the opening float, cash in, cash
 * out). Each is a fiscal document — a `money_placement` outbox row sent to the OFD as
 * COMMAND_MONEY_PLACEMENT — so the outbox row is the record; this reads them back per shift.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** One cash movement of a shift. */
export interface CashMovement {
  documentId: string;
  at: string;
  operation: 'deposit' | 'withdrawal';
  /** Minor units, positive. */
  sum: number;
  /** The opening float (a deposit made when the shift opened). */
  float: boolean;
  cashier: string | null;
  reason: string | null;
  printedDocumentNumber: number;
}

/** The shift's cash movements in the order they were made. */
export function shiftCashMovements(db: Db, shiftNumber: number): CashMovement[] {
  const rows = prepared(db, `SELECT document_id, created_at, payload FROM outbox
      WHERE kind = 'money_placement' AND json_extract(payload, '$.shiftNumber') = ? ORDER BY seq`).all(shiftNumber) as { document_id: string; created_at: string; payload: string }[];
  return rows.map((r) => {
    const p = JSON.parse(r.payload) as { operation: 'deposit' | 'withdrawal'; sum: number; float?: boolean; operator?: { name?: string }; reason?: string; printedDocumentNumber: number };
    return {
      documentId: r.document_id, at: r.created_at, operation: p.operation, sum: p.sum, float: p.float === true,
      cashier: p.operator?.name ?? null, reason: p.reason ?? null, printedDocumentNumber: p.printedDocumentNumber,
    };
  });
}
