/**
 * Sales and returns with their lines. Rows are only ever inserted, inside the one transaction
 * that also writes the sold codes, the outbox entry and the journal entry (src/checkout). A
 * completed ticket is never changed or cancelled — corrections are returns (kind 'return',
 * original_sale_id set, each line pointing at the line it returns).
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** A sale or return header. */
export interface SaleRow {
  id: string;
  kind: 'sale' | 'return';
  originalSaleId: string | null;
  shiftNumber: number;
  shiftDocumentNumber: number;
  printedDocumentNumber: number;
  registerId: string;
  cashier: string;
  createdAt: string;
  total: number;
  taxTotal: number;
  payments: { type: 'cash' | 'card'; amount: number }[];
  taken: number;
  change: number;
}

/** One line of a sale or return. */
export interface SaleLineRow {
  id: string;
  saleId: string;
  position: number;
  code: string | null;
  cis: string | null;
  gtin: string | null;
  name: string;
  productGroup: string | null;
  sectionCode: string;
  unit: string | null;
  quantityMilli: number;
  units: number | null;
  price: number;
  sum: number;
  taxPercentMilli: number;
  taxSum: number;
  ai: boolean;
  decision: 'allow' | 'warn' | 'refuse';
  verdict: unknown;
  checkSource: 'online' | 'cache' | 'none';
  requestId: string | null;
  checkedAt: string;
  /** The marking-system provider whose answer counted (migration 008), else null. */
  checkProvider: string | null;
  /** The registry's time of that answer, UTC ISO (migration 008), else null. */
  requestTime: string | null;
  overrideId: string | null;
  originalLineId: string | null;
}

interface SaleDbRow {
  id: string; kind: 'sale' | 'return'; original_sale_id: string | null; shift_number: number; shift_document_number: number;
  printed_document_number: number; register_id: string; cashier: string; created_at: string; total: number; tax_total: number;
  payments: string; taken: number; change: number;
}

interface LineDbRow {
  id: string; sale_id: string; position: number; code: string | null; cis: string | null; gtin: string | null; name: string;
  product_group: string | null; section_code: string; unit: string | null; quantity_milli: number; units: number | null;
  price: number; sum: number; tax_percent_milli: number; tax_sum: number; ai: number; decision: 'allow' | 'warn' | 'refuse';
  verdict: string; check_source: 'online' | 'cache' | 'none'; request_id: string | null; checked_at: string;
  check_provider: string | null; request_time: string | null; override_id: string | null; original_line_id: string | null;
}

function saleFromRow(r: SaleDbRow): SaleRow {
  return {
    id: r.id, kind: r.kind, originalSaleId: r.original_sale_id, shiftNumber: r.shift_number, shiftDocumentNumber: r.shift_document_number,
    printedDocumentNumber: r.printed_document_number, registerId: r.register_id, cashier: r.cashier, createdAt: r.created_at,
    total: r.total, taxTotal: r.tax_total, payments: JSON.parse(r.payments) as SaleRow['payments'], taken: r.taken, change: r.change,
  };
}

function lineFromRow(r: LineDbRow): SaleLineRow {
  return {
    id: r.id, saleId: r.sale_id, position: r.position, code: r.code, cis: r.cis, gtin: r.gtin, name: r.name, productGroup: r.product_group,
    sectionCode: r.section_code, unit: r.unit, quantityMilli: r.quantity_milli, units: r.units, price: r.price, sum: r.sum,
    taxPercentMilli: r.tax_percent_milli, taxSum: r.tax_sum, ai: r.ai === 1, decision: r.decision, verdict: JSON.parse(r.verdict) as unknown,
    checkSource: r.check_source, requestId: r.request_id, checkedAt: r.checked_at, checkProvider: r.check_provider ?? null, requestTime: r.request_time ?? null,
    overrideId: r.override_id, originalLineId: r.original_line_id,
  };
}

/** Inserts a sale header (inside the sale transaction). */
export function insertSale(db: Db, s: SaleRow): void {
  prepared(db, `INSERT INTO sales (id, kind, original_sale_id, shift_number, shift_document_number, printed_document_number, register_id,
      cashier, created_at, total, tax_total, payments, taken, change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(s.id, s.kind, s.originalSaleId, s.shiftNumber, s.shiftDocumentNumber, s.printedDocumentNumber, s.registerId, s.cashier,
      s.createdAt, s.total, s.taxTotal, JSON.stringify(s.payments), s.taken, s.change);
}

/** Inserts a line (inside the sale transaction). */
export function insertSaleLine(db: Db, l: SaleLineRow): void {
  prepared(db, `INSERT INTO sale_lines (id, sale_id, position, code, cis, gtin, name, product_group, section_code, unit, quantity_milli,
      units, price, sum, tax_percent_milli, tax_sum, ai, decision, verdict, check_source, request_id, checked_at, check_provider, request_time,
      override_id, original_line_id)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(l.id, l.saleId, l.position, l.code, l.cis, l.gtin, l.name, l.productGroup, l.sectionCode, l.unit, l.quantityMilli, l.units,
      l.price, l.sum, l.taxPercentMilli, l.taxSum, l.ai ? 1 : 0, l.decision, JSON.stringify(l.verdict), l.checkSource, l.requestId,
      l.checkedAt, l.checkProvider, l.requestTime, l.overrideId, l.originalLineId);
}

/** A sale or return by id. */
export function getSale(db: Db, id: string): SaleRow | undefined {
  const r = prepared(db, 'SELECT * FROM sales WHERE id = ?').get(id) as SaleDbRow | undefined;
  return r ? saleFromRow(r) : undefined;
}

/** Lines of a sale in order. */
export function getSaleLines(db: Db, saleId: string): SaleLineRow[] {
  return (prepared(db, 'SELECT * FROM sale_lines WHERE sale_id = ? ORDER BY position').all(saleId) as LineDbRow[]).map(lineFromRow);
}

/** Ids of a sale's lines that have already been returned. */
export function returnedLineIds(db: Db, saleId: string): Set<string> {
  const ids = prepared(db, `SELECT r.original_line_id FROM sale_lines r JOIN sale_lines o ON o.id = r.original_line_id WHERE o.sale_id = ?`)
    .pluck().all(saleId) as string[];
  return new Set(ids);
}

/** The first sale or return without its journal entry ('sale' / 'return'), if any: written around the journal writer. */
export function documentWithoutJournal(db: Db): string | undefined {
  return prepared(db, `SELECT s.id FROM sales s WHERE NOT EXISTS (SELECT 1 FROM journal j WHERE j.ref = s.id AND j.kind IN ('sale', 'return')) LIMIT 1`)
    .pluck().get() as string | undefined;
}

/** Returns made against a sale. */
export function returnsOf(db: Db, saleId: string): SaleRow[] {
  return (prepared(db, 'SELECT * FROM sales WHERE original_sale_id = ? ORDER BY printed_document_number').all(saleId) as SaleDbRow[]).map(saleFromRow);
}

/** Sales and returns, newest first. */
export function listSales(db: Db, options: { shiftNumber?: number; limit?: number } = {}): SaleRow[] {
  const rows = options.shiftNumber !== undefined
    ? prepared(db, 'SELECT * FROM sales WHERE shift_number = ? ORDER BY printed_document_number DESC LIMIT ?').all(options.shiftNumber, options.limit ?? -1)
    : prepared(db, 'SELECT * FROM sales ORDER BY printed_document_number DESC LIMIT ?').all(options.limit ?? -1);
  return (rows as SaleDbRow[]).map(saleFromRow);
}

/** A manager override, as shown to managers. */
export interface OverrideRow {
  id: string; at: string; manager: string; cashier: string; code: string; cis: string | null; rule: string;
  reasonCode: string; reason: string; saleId: string | null;
}

/** Records an override (at the moment the manager approves it). */
export function insertOverride(db: Db, o: OverrideRow): void {
  prepared(db, 'INSERT INTO overrides (id, at, manager, cashier, code, cis, rule, reason_code, reason, sale_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    .run(o.id, o.at, o.manager, o.cashier, o.code, o.cis, o.rule, o.reasonCode, o.reason, o.saleId);
}

/** Links an override to the sale that used it (inside the sale transaction). */
export function attachOverride(db: Db, overrideId: string, saleId: string): void {
  prepared(db, 'UPDATE overrides SET sale_id = ? WHERE id = ?').run(saleId, overrideId);
}

/** Overrides, newest first, for the manager's view. */
export function listOverrides(db: Db, limit = 100): OverrideRow[] {
  return (prepared(db, 'SELECT * FROM overrides ORDER BY at DESC, rowid DESC LIMIT ?').all(limit) as { id: string; at: string; manager: string; cashier: string; code: string; cis: string | null; rule: string; reason_code: string; reason: string; sale_id: string | null }[])
    .map((r) => ({ id: r.id, at: r.at, manager: r.manager, cashier: r.cashier, code: r.code, cis: r.cis, rule: r.rule, reasonCode: r.reason_code, reason: r.reason, saleId: r.sale_id }));
}

/** Overrides used by one sale. */
export function overridesOfSale(db: Db, saleId: string): OverrideRow[] {
  return (prepared(db, 'SELECT * FROM overrides WHERE sale_id = ?').all(saleId) as { id: string; at: string; manager: string; cashier: string; code: string; cis: string | null; rule: string; reason_code: string; reason: string; sale_id: string | null }[])
    .map((r) => ({ id: r.id, at: r.at, manager: r.manager, cashier: r.cashier, code: r.code, cis: r.cis, rule: r.rule, reasonCode: r.reason_code, reason: r.reason, saleId: r.sale_id }));
}
