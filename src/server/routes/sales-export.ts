/**
 * The manager's CSV exports: one row per document (GET /api/sales.csv) or per line with its
 * codes (GET /api/sales/lines.csv). UTF-8 with a BOM; `sep=semicolon` gives ';' and a decimal
 * comma for spreadsheets in Russian and Kazakh locales. Returns are negative (money leaving),
 * cash_tiyn is the cash kept (cash_tendered_tiyn minus change_tiyn),
 * and `offline` says what the receipt says: not delivered to the OFD, or sent as an offline ticket.
 */
import type { FastifyReply } from 'fastify';
import { visibleGs } from '../../marking/index.ts';
import { linesForExport, searchSales, type SaleReportRow, type SalesFilter } from '../../store/index.ts';
import { salesCsvQuery } from '../contract/index.ts';
import type { RouteModule } from '../http.ts';
import { csvRow, isoBound, parseQuery } from './util.ts';

/** Columns of the sales CSV export (one row per document). */
export const SALES_CSV_COLUMNS = [
  'document_id', 'kind', 'created_at_utc', 'shift', 'document_number', 'cashier', 'total', 'total_tiyn', 'tax_tiyn', 'cash_tiyn', 'card_tiyn',
  'lines', 'original_sale_id', 'delivery', 'ticket_number', 'delivered_at_utc', 'offline', 'cash_tendered_tiyn', 'change_tiyn',
] as const;

/** Columns of the per-line export. `code` is the code as scanned with GS shown as <GS>. */
export const SALES_LINES_CSV_COLUMNS = [
  'document_id', 'kind', 'created_at_utc', 'shift', 'document_number', 'cashier', 'position', 'name', 'code', 'cis', 'gtin', 'ntin',
  'quantity', 'unit', 'price', 'sum', 'sum_tiyn', 'vat_tiyn', 'decision', 'checked', 'override_id', 'original_line_id', 'offline',
] as const;

/** Tenge with two decimals, the decimal separator the locale expects. */
function tenge(minor: number, decimal: '.' | ','): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}${decimal}${String(abs % 100).padStart(2, '0')}`;
}

/** A return takes money back: its amounts are exported negative. */
const signOf = (r: SaleReportRow): number => (r.kind === 'return' ? -1 : 1);
/** Offline as the receipt says it: not (yet) delivered, or delivered as an offline ticket. */
const offlineOf = (r: SaleReportRow): boolean => r.deliveryState !== 'delivered' || r.offline;

const sumOf = (payments: SaleReportRow['payments'], type: 'cash' | 'card'): number => payments.filter((p) => p.type === type).reduce((s, p) => s + p.amount, 0);

/** The manager's exports. */
export function salesExportRoutes(): RouteModule {
  return ({ app, db, requireRole, audit, clock }) => {
    const manage = { preHandler: requireRole('manage') };

    const send = (reply: FastifyReply, kind: string, body: string) => reply.type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="tanba-${kind}-${clock.now().toISOString().slice(0, 10)}.csv"`).send(body);

    app.get('/api/sales.csv', manage, async (request, reply) => {
      const q = parseQuery(salesCsvQuery, request, reply);
      if (!q) return reply;
      const sep = q.sep === 'semicolon' ? ';' : ',';
      const decimal = q.sep === 'semicolon' ? ',' : '.';
      const { rows } = searchSales(db, { ...filterOf(q), limit: 1_000_000 });
      // UTF-8 BOM: spreadsheet programs then read Cyrillic and Kazakh names correctly.
      let out = `\ufeff${csvRow(SALES_CSV_COLUMNS, sep)}`;
      for (const r of rows) {
        const k = signOf(r);
        // cash_tiyn is the cash kept (tendered minus change), as the X/Z reports count it.
        const cash = sumOf(r.kept, 'cash');
        const card = sumOf(r.kept, 'card');
        out += csvRow([
          r.id, r.kind, r.createdAt, r.shiftNumber, r.printedDocumentNumber, r.cashier, tenge(k * r.total, decimal), k * r.total, k * r.taxTotal, k * cash, k * card,
          r.lineCount, r.originalSaleId, r.deliveryState ?? 'missing', r.ticketNumber, r.deliveredAt, offlineOf(r), k * sumOf(r.payments, 'cash'), k * r.change,
        ], sep);
      }
      audit(request, 'sales.export', 'ok', { rows: rows.length, from: q.from ?? null, to: q.to ?? null, kind: q.kind ?? null, sep: q.sep });
      return send(reply, 'sales', out);
    });

    app.get('/api/sales/lines.csv', manage, async (request, reply) => {
      const q = parseQuery(salesCsvQuery, request, reply);
      if (!q) return reply;
      const sep = q.sep === 'semicolon' ? ';' : ',';
      const decimal = q.sep === 'semicolon' ? ',' : '.';
      const lines = linesForExport(db, { ...filterOf(q), limit: 1_000_000 });
      let out = `\ufeff${csvRow(SALES_LINES_CSV_COLUMNS, sep)}`;
      for (const { document: d, line: l } of lines) {
        const k = signOf(d);
        out += csvRow([
          d.id, d.kind, d.createdAt, d.shiftNumber, d.printedDocumentNumber, d.cashier, l.position, l.name, l.code === null ? null : visibleGs(l.code), l.cis, l.gtin,
          l.ntin ?? null, (l.quantityMilli / 1000).toFixed(3).replace('.', decimal), l.unit, tenge(l.price, decimal), tenge(k * l.sum, decimal), k * l.sum, k * l.taxSum,
          l.decision, l.checkSource, l.overrideId, l.originalLineId, offlineOf(d),
        ], sep);
      }
      audit(request, 'sales.export-lines', 'ok', { rows: lines.length, from: q.from ?? null, to: q.to ?? null, kind: q.kind ?? null, sep: q.sep });
      return send(reply, 'sales-lines', out);
    });
  };
}

function filterOf(q: { from?: string | undefined; to?: string | undefined; kind?: 'sale' | 'return' | undefined; q?: string | undefined; delivery?: SalesFilter['delivery'] }): SalesFilter {
  return { from: isoBound(q.from, false), to: isoBound(q.to, true), kind: q.kind, q: q.q, delivery: q.delivery };
}
