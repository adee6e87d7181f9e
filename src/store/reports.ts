/**
 * Read-only reporting for the manager's screens, and the two chart logs of migration 5
 * (`checks`, `delivery_log`). Reports join sales with their outbox row so a list shows what was
 * delivered; they never write to the records of account.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** One logged scan verdict. */
export interface CheckLogEntry {
  at: string;
  decision: 'allow' | 'warn' | 'refuse';
  reason: string;
  source: 'online' | 'cache' | 'none';
  cis: string | null;
  scanSource: string;
}

/** Logs one scan verdict (outside any sale transaction: it is a chart log, not a record). */
export function recordCheck(db: Db, e: CheckLogEntry): void {
  prepared(db, 'INSERT INTO checks (at, decision, reason, source, cis, scan_source) VALUES (?, ?, ?, ?, ?, ?)')
    .run(e.at, e.decision, e.reason, e.source, e.cis, e.scanSource);
}

/** Logs one delivery attempt to the OFD. */
export function recordDeliveryAttempt(db: Db, e: { at: string; outboxId: number; ok: boolean; kind: string | null; error: string | null }): void {
  prepared(db, 'INSERT INTO delivery_log (at, outbox_id, ok, kind, error) VALUES (?, ?, ?, ?, ?)').run(e.at, e.outboxId, e.ok ? 1 : 0, e.kind, e.error);
}

/** Drops chart log rows older than `before` (UTC ISO). */
export function pruneStats(db: Db, before: string): { checks: number; deliveries: number } {
  const checks = prepared(db, 'DELETE FROM checks WHERE at < ?').run(before).changes;
  const deliveries = prepared(db, 'DELETE FROM delivery_log WHERE at < ?').run(before).changes;
  return { checks, deliveries };
}

/** Verdicts per UTC hour in [from, to). Hours as "YYYY-MM-DDTHH:00:00.000Z". */
export function checksPerHour(db: Db, from: string, to: string): { hour: string; allow: number; warn: number; refuse: number }[] {
  return prepared(db, `SELECT substr(at, 1, 13) || ':00:00.000Z' AS hour,
      sum(decision = 'allow') AS allow, sum(decision = 'warn') AS warn, sum(decision = 'refuse') AS refuse
      FROM checks WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY 1`).all(from, to) as { hour: string; allow: number; warn: number; refuse: number }[];
}

/** Refusals by reason in [from, to), most frequent first. */
export function refusalsByReason(db: Db, from: string, to: string): { reason: string; count: number }[] {
  return prepared(db, `SELECT reason, count(*) AS count FROM checks WHERE decision = 'refuse' AND at >= ? AND at < ?
      GROUP BY reason ORDER BY count DESC, reason`).all(from, to) as { reason: string; count: number }[];
}

/** Verdicts by how the code was checked in [from, to). */
export function checksBySource(db: Db, from: string, to: string): { source: 'online' | 'cache' | 'none'; count: number }[] {
  return prepared(db, 'SELECT source, count(*) AS count FROM checks WHERE at >= ? AND at < ? GROUP BY source ORDER BY source')
    .all(from, to) as { source: 'online' | 'cache' | 'none'; count: number }[];
}

/** Delivery attempts per UTC hour in [from, to). */
export function deliveriesPerHour(db: Db, from: string, to: string): { hour: string; delivered: number; failed: number }[] {
  return prepared(db, `SELECT substr(at, 1, 13) || ':00:00.000Z' AS hour, sum(ok = 1) AS delivered, sum(ok = 0) AS failed
      FROM delivery_log WHERE at >= ? AND at < ? GROUP BY 1 ORDER BY 1`).all(from, to) as { hour: string; delivered: number; failed: number }[];
}

/**
 * A document's delivery as people are shown it (the outbox's own state, with `queued` told apart):
 * - `pending`: waiting for its first attempt;
 * - `sending`: its first attempt is in flight;
 * - `queued`: waiting for the link — an attempt failed (retries included: a reconnect attempt
 *   in flight does not make a sale stuck offline "sending"), or it was made offline and waits;
 * - `delivered`, `blocked`: as the outbox says.
 */
export type ShownDeliveryState = 'pending' | 'sending' | 'queued' | 'delivered' | 'blocked';

/** The SQL of {@link ShownDeliveryState} over the outbox row `o` (NULL when there is none). */
const SHOWN_STATE = `CASE WHEN o.state IN ('pending', 'sending') AND (o.last_error IS NOT NULL OR (o.state = 'pending' AND o.offline = 1))
  THEN 'queued' ELSE o.state END`;

/** Filters of {@link searchSales}. */
export interface SalesFilter {
  /** Inclusive, UTC ISO. */
  from?: string;
  /** Exclusive, UTC ISO. */
  to?: string;
  kind?: 'sale' | 'return';
  /** Matches a line's code as scanned, CIS or GTIN (substring), or the document id. */
  q?: string;
  delivery?: ShownDeliveryState;
  limit?: number;
  offset?: number;
}

/** A sale or return with its delivery state. */
export interface SaleReportRow {
  id: string;
  kind: 'sale' | 'return';
  originalSaleId: string | null;
  createdAt: string;
  shiftNumber: number;
  printedDocumentNumber: number;
  cashier: string;
  total: number;
  taxTotal: number;
  /** As tendered: cash is what the customer handed over. */
  payments: { type: 'cash' | 'card' | 'mobile'; amount: number }[];
  /** Change given back in cash. */
  change: number;
  /** What stayed in the drawer or on the card: cash with the change deducted. */
  kept: { type: 'cash' | 'card' | 'mobile'; amount: number }[];
  lineCount: number;
  outboxId: number | null;
  deliveryState: ShownDeliveryState | null;
  ticketNumber: string | null;
  qrUrl: string | null;
  deliveredAt: string | null;
  /** Offline as the receipt says it: not delivered, sent as an offline ticket, or its receipt printed offline. */
  offline: boolean;
  attempts: number;
  lastError: string | null;
}

interface ReportDbRow {
  id: string; kind: 'sale' | 'return'; original_sale_id: string | null; created_at: string; shift_number: number; printed_document_number: number;
  cashier: string; total: number; tax_total: number; payments: string; change: number; line_count: number; outbox_id: number | null;
  state: ShownDeliveryState | null; ticket_number: string | null; qr_url: string | null;
  delivered_at: string | null; offline: number | null; attempts: number | null; last_error: string | null;
}

/**
 * Payments as kept: change is given back in cash, so it comes off the cash payments (X/Z reports
 * count the drawer the same way). A payment list without cash is returned as it is.
 */
export function paymentsKept<P extends { type: string; amount: number }>(payments: readonly P[], change: number): P[] {
  let left = Math.max(0, change);
  return payments.map((p) => {
    if (p.type !== 'cash' || left === 0) return p;
    const c = Math.min(left, p.amount);
    left -= c;
    return { ...p, amount: p.amount - c };
  });
}

function paymentsOf(r: ReportDbRow): Pick<SaleReportRow, 'payments' | 'change' | 'kept'> {
  const payments = JSON.parse(r.payments) as SaleReportRow['payments'];
  return { payments, change: r.change, kept: paymentsKept(payments, r.change) };
}

/** The LIKE pattern of a search text, with LIKE's own wildcards escaped. */
function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function where(f: SalesFilter): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.from !== undefined) { parts.push('s.created_at >= ?'); args.push(f.from); }
  if (f.to !== undefined) { parts.push('s.created_at < ?'); args.push(f.to); }
  if (f.kind !== undefined) { parts.push('s.kind = ?'); args.push(f.kind); }
  if (f.delivery !== undefined) { parts.push(`(${SHOWN_STATE}) = ?`); args.push(f.delivery); }
  if (f.q !== undefined && f.q !== '') {
    const p = likePattern(f.q);
    parts.push(`(s.id = ? OR EXISTS (SELECT 1 FROM sale_lines l WHERE l.sale_id = s.id
      AND (l.code LIKE ? ESCAPE '\\' OR l.cis LIKE ? ESCAPE '\\' OR l.gtin LIKE ? ESCAPE '\\')))`);
    args.push(f.q, p, p, p);
  }
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', args };
}

/** Sales and returns matching the filter, newest first, with the number matching in all. */
export function searchSales(db: Db, f: SalesFilter = {}): { rows: SaleReportRow[]; total: number } {
  const w = where(f);
  const from = 'FROM sales s LEFT JOIN outbox o ON o.document_id = s.id';
  const total = db.prepare(`SELECT count(*) ${from} ${w.sql}`).pluck().get(...w.args) as number;
  const rows = db.prepare(`SELECT s.id, s.kind, s.original_sale_id, s.created_at, s.shift_number, s.printed_document_number, s.cashier,
      s.total, s.tax_total, s.payments, s.change, (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.id) AS line_count,
      o.id AS outbox_id, ${SHOWN_STATE} AS state, o.ticket_number, o.qr_url, o.delivered_at, o.attempts, o.last_error,
      (o.state IS NOT 'delivered' OR o.offline = 1 OR EXISTS (SELECT 1 FROM offline_receipts r WHERE r.document_id = s.id)) AS offline
      ${from} ${w.sql} ORDER BY s.printed_document_number DESC LIMIT ? OFFSET ?`)
    .all(...w.args, f.limit ?? -1, f.offset ?? 0) as ReportDbRow[];
  return {
    total,
    rows: rows.map((r) => ({
      id: r.id, kind: r.kind, originalSaleId: r.original_sale_id, createdAt: r.created_at, shiftNumber: r.shift_number,
      printedDocumentNumber: r.printed_document_number, cashier: r.cashier, total: r.total, taxTotal: r.tax_total,
      ...paymentsOf(r), lineCount: r.line_count, outboxId: r.outbox_id,
      deliveryState: r.state, ticketNumber: r.ticket_number, qrUrl: r.qr_url, deliveredAt: r.delivered_at, offline: r.offline === 1,
      attempts: r.attempts ?? 0, lastError: r.last_error,
    })),
  };
}

/** Contacts (e-receipt consents), newest first — for the manager's privacy screen, masked by the caller. */
export function listContacts(db: Db, limit = 500): { id: string; saleId: string; phone: string | null; email: string | null; purpose: string; consentAt: string; expiresAt: string | null; withdrawnAt: string | null }[] {
  return (prepared(db, 'SELECT * FROM contacts ORDER BY consent_at DESC LIMIT ?').all(limit) as {
    id: string; sale_id: string; phone: string | null; email: string | null; purpose: string; consent_at: string; expires_at: string | null; withdrawn_at: string | null;
  }[]).map((r) => ({ id: r.id, saleId: r.sale_id, phone: r.phone, email: r.email, purpose: r.purpose, consentAt: r.consent_at, expiresAt: r.expires_at, withdrawnAt: r.withdrawn_at }));
}
