/**
 * Shifts and document counters. The fiscal protocol wants the shift number to rise by exactly
 * one per shift and document numbers only to rise; both are kept here and checked by UNIQUE
 * constraints, so two writers can never hand out the same number.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';
import { paymentsKept } from './reports.ts';

/** One shift. */
export interface ShiftRow {
  number: number;
  id: string;
  registerId: string;
  cashier: string;
  openedAt: string;
  closedAt: string | null;
  zReport: unknown;
}

interface Row { number: number; id: string; register_id: string; cashier: string; opened_at: string; closed_at: string | null; z_report: string | null }

function fromRow(r: Row): ShiftRow {
  return { number: r.number, id: r.id, registerId: r.register_id, cashier: r.cashier, openedAt: r.opened_at, closedAt: r.closed_at, zReport: r.z_report === null ? null : JSON.parse(r.z_report) as unknown };
}

/** The register's open shift, if any. */
export function getOpenShift(db: Db, registerId: string): ShiftRow | undefined {
  const r = prepared(db, 'SELECT * FROM shifts WHERE register_id = ? AND closed_at IS NULL').get(registerId) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** A shift by number. */
export function getShift(db: Db, number: number): ShiftRow | undefined {
  const r = prepared(db, 'SELECT * FROM shifts WHERE number = ?').get(number) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** The most recent shift of the register (open or closed). */
export function lastShift(db: Db, registerId: string): ShiftRow | undefined {
  const r = prepared(db, 'SELECT * FROM shifts WHERE register_id = ? ORDER BY number DESC LIMIT 1').get(registerId) as Row | undefined;
  return r ? fromRow(r) : undefined;
}

/** Opens a shift with the next number. Throws (unique index) when one is already open. */
export function insertShift(db: Db, shift: { id: string; registerId: string; cashier: string; openedAt: string }): ShiftRow {
  const number = (prepared(db, 'SELECT coalesce(max(number), 0) + 1 FROM shifts').pluck().get() as number);
  prepared(db, 'INSERT INTO shifts (number, id, register_id, cashier, opened_at) VALUES (?, ?, ?, ?, ?)')
    .run(number, shift.id, shift.registerId, shift.cashier, shift.openedAt);
  return getShift(db, number) as ShiftRow;
}

/** Closes a shift and stores its Z report. */
export function closeShiftRow(db: Db, number: number, close: { closedAt: string; zReport: unknown }): void {
  const info = prepared(db, 'UPDATE shifts SET closed_at = ?, z_report = ? WHERE number = ? AND closed_at IS NULL')
    .run(close.closedAt, JSON.stringify(close.zReport), number);
  if (info.changes !== 1) throw new Error(`shift ${number} is not open`);
}

/**
 * Takes the next value of a named counter (1, 2, 3, ... or at least `atLeast`). Must run in a
 * write transaction; values only ever rise.
 */
export function nextCounter(db: Db, name: string, atLeast = 1): number {
  const current = prepared(db, 'SELECT value FROM counters WHERE name = ?').pluck().get(name) as number | undefined;
  const next = Math.max((current ?? 0) + 1, atLeast);
  prepared(db, 'INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, next);
  return next;
}

/** Current value of a counter (0 if never taken). */
export function counterValue(db: Db, name: string): number {
  return (prepared(db, 'SELECT value FROM counters WHERE name = ?').pluck().get(name) as number | undefined) ?? 0;
}

/** Next document number within a shift. */
export function nextShiftDocumentNumber(db: Db, shiftNumber: number): number {
  return nextCounter(db, `shift_document:${shiftNumber}`);
}

/** Totals of one operation kind within a shift. */
export interface OperationTotals {
  count: number;
  sum: number;
  tax: number;
  payments: Record<string, number>;
}

/** Sums per operation (sale / return) and payment type over a shift's documents. */
export function shiftTotals(db: Db, shiftNumber: number): { sale: OperationTotals; return: OperationTotals } {
  const out = { sale: { count: 0, sum: 0, tax: 0, payments: {} as Record<string, number> }, return: { count: 0, sum: 0, tax: 0, payments: {} as Record<string, number> } };
  const rows = prepared(db, 'SELECT kind, total, tax_total, payments, change FROM sales WHERE shift_number = ?').all(shiftNumber) as { kind: 'sale' | 'return'; total: number; tax_total: number; payments: string; change: number }[];
  for (const r of rows) {
    const t = out[r.kind];
    t.count++;
    t.sum += r.total;
    t.tax += r.tax_total;
    // Change is given back in cash: count what stayed in the drawer.
    for (const p of paymentsKept(JSON.parse(r.payments) as { type: string; amount: number }[], r.change)) {
      t.payments[p.type] = (t.payments[p.type] ?? 0) + p.amount;
    }
  }
  return out;
}
