/**
 * The lines of the documents a sales filter matches, for the per-line CSV export: each line
 * with its document's kind, time and number, in document order. Read-only.
 */
import type { Db } from './db.ts';
import { getSaleLines, type SaleLineRow } from './sales.ts';
import { searchSales, type SaleReportRow, type SalesFilter } from './reports.ts';

/** One exported line: its document and the line as recorded. */
export interface ExportLine {
  document: SaleReportRow;
  line: SaleLineRow;
}

/** Every line of the matching documents (newest document first, lines in receipt order). */
export function linesForExport(db: Db, filter: SalesFilter): ExportLine[] {
  return searchSales(db, filter).rows.flatMap((document) => getSaleLines(db, document.id).map((line) => ({ document, line })));
}
