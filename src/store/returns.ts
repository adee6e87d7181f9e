/**
 * Finding the sale a customer brings back: by any of its items (code as scanned, CIS, barcode),
 * its receipt number (printed document number), the OFD's ticket number (the fiscal sign), or
 * its id; or the day's sales to pick from. Read-only; returns are written by the checkout.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** What to look for: the text as typed or scanned, and the CIS a scanned marking code parsed to. */
export interface ReturnLookup {
  text: string;
  cis: string | null;
}

/** Sales (never returns) that the lookup names, newest first, at most `limit`. */
export function findSalesForReturn(db: Db, lookup: ReturnLookup, limit = 20): string[] {
  const text = lookup.text.trim();
  if (text === '') return [];
  const number = /^\d{1,9}$/.test(text) ? Number(text) : -1;
  return prepared(db, `SELECT s.id FROM sales s LEFT JOIN outbox o ON o.document_id = s.id
      WHERE s.kind = 'sale' AND (s.id = ? OR s.printed_document_number = ? OR o.ticket_number = ?
        OR EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id AND (l.code = ? OR l.cis = ? OR l.gtin = ?)))
      ORDER BY s.printed_document_number DESC LIMIT ?`)
    .pluck().all(text, number, text, text, lookup.cis ?? text, text, limit) as string[];
}

/** Sales (never returns) made at or after `since` (UTC ISO), newest first, at most `limit`. */
export function salesSince(db: Db, since: string, limit = 50): string[] {
  return prepared(db, `SELECT id FROM sales WHERE kind = 'sale' AND created_at >= ? ORDER BY printed_document_number DESC LIMIT ?`)
    .pluck().all(since, limit) as string[];
}
