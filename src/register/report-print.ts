/**
 * The X and Z reports as printed: the shift's sales and returns, the cash / card split and the
 * drawer's cash (float, cash in, cash out), in the register's languages, laid out with the
 * printer driver's own writer so it prints on every profile the receipts print on.
 */
import { LABELS, ReceiptWriter, formatMoney, label, type Lang, type PrinterProfile } from '../../drivers/printer/index.ts';
import type { ShiftReport } from '../checkout/index.ts';
import type { CashMovement } from '../store/index.ts';

const TEXT = {
  x: { kk: 'X-ЕСЕП', ru: 'X-ОТЧЁТ', en: 'X REPORT' },
  z: { kk: 'Z-ЕСЕП (АУЫСЫМДЫ ЖАБУ)', ru: 'Z-ОТЧЁТ (ЗАКРЫТИЕ СМЕНЫ)', en: 'Z REPORT (SHIFT CLOSED)' },
  opened: { kk: 'Ашылды', ru: 'Открыта', en: 'Opened' },
  sales: { kk: 'Сатулар', ru: 'Продажи', en: 'Sales' },
  returns: { kk: 'Қайтарулар', ru: 'Возвраты', en: 'Returns' },
  net: { kk: 'Түсім', ru: 'Выручка', en: 'Net' },
  float: { kk: 'Бастапқы қалдық', ru: 'Размен на начало', en: 'Opening float' },
  deposits: { kk: 'Енгізу', ru: 'Внесения', en: 'Cash in' },
  withdrawals: { kk: 'Алу', ru: 'Изъятия', en: 'Cash out' },
  inDrawer: { kk: 'Кассадағы қолма-қол', ru: 'Наличные в кассе', en: 'Cash in drawer' },
  deposit: { kk: 'ҚОЛМА-ҚОЛ ЕНГІЗУ', ru: 'ВНЕСЕНИЕ НАЛИЧНЫХ', en: 'CASH IN' },
  withdrawal: { kk: 'ҚОЛМА-ҚОЛ АЛУ', ru: 'ИЗЪЯТИЕ НАЛИЧНЫХ', en: 'CASH OUT' },
  amount: { kk: 'Сомасы', ru: 'Сумма', en: 'Amount' },
  reason: { kk: 'Себебі', ru: 'Основание', en: 'Reason' },
  drawerAfter: { kk: 'Кассада қалды', ru: 'В кассе после', en: 'In the drawer after' },
} as const satisfies Record<string, Record<Lang, string>>;

const say = (id: keyof typeof TEXT, languages: readonly Lang[]): string => [...new Set(languages.map((l) => TEXT[id][l]))].join(' / ');

/** What the printed report says besides the figures. */
export interface ReportHeader {
  store: string;
  registerId: string;
  cashier: string | null;
  languages: readonly Lang[];
  training: boolean;
}

/** Kazakhstan's time (UTC+5), as the receipts print it when the register sets no other. */
export const SLIP_UTC_OFFSET_MINUTES = 300;

/** "YYYY-MM-DD HH:MM:SS" of a UTC time at an offset. */
function at(iso: string, offsetMinutes: number): string {
  return new Date(Date.parse(iso) + offsetMinutes * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

function offsetName(min: number): string {
  const a = Math.abs(min);
  return `UTC${min < 0 ? '-' : '+'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/**
 * ESC/POS bytes of a cash-in or cash-out slip: the amount, the cashier, the time (local, and
 * UTC), the shift, the reason and the cash left in the drawer after it — like the X report.
 */
export function encodeCashSlip(movement: CashMovement, after: { shiftNumber: number; inDrawer: number }, header: ReportHeader & { utcOffsetMinutes?: number }, profile: PrinterProfile): Uint8Array {
  const L = header.languages;
  const offset = header.utcOffsetMinutes ?? SLIP_UTC_OFFSET_MINUTES;
  const w = new ReceiptWriter(profile);
  if (header.training) {
    w.text(label('training', L), { align: 'center', bold: true });
    w.rule('═');
  }
  w.text(header.store, { align: 'center', bold: true });
  w.text(say(movement.operation, L), { align: 'center', bold: true, height: 2 });
  w.pair(`${label('register', L)}:`, header.registerId);
  w.pair(`${label('shift', L)}:`, String(after.shiftNumber));
  const cashier = movement.cashier ?? header.cashier;
  if (cashier) w.pair(`${label('cashier', L)}:`, cashier);
  w.pair(`${label('timeLocal', L)} ${offsetName(offset)}:`, at(movement.at, offset));
  w.pair(`${label('timeUtc', L)}:`, at(movement.at, 0));
  w.rule();
  w.pair(say('amount', L), formatMoney(movement.sum), { bold: true });
  if (movement.reason) w.pair(`${say('reason', L)}:`, movement.reason);
  w.pair(say('drawerAfter', L), formatMoney(after.inDrawer), { bold: true });
  w.rule();
  w.pair(`${LABELS.document[L[0] ?? 'ru']}`, String(movement.printedDocumentNumber));
  return w.cut();
}

/** ESC/POS bytes of an X or Z report. */
export function encodeShiftReport(report: ShiftReport, kind: 'x' | 'z', header: ReportHeader, profile: PrinterProfile): Uint8Array {
  const L = header.languages;
  const w = new ReceiptWriter(profile);
  const money = (m: number) => formatMoney(m);
  if (header.training) {
    w.text(label('training', L), { align: 'center', bold: true });
    w.rule('═');
  }
  w.text(header.store, { align: 'center', bold: true });
  w.text(say(kind, L), { align: 'center', bold: true, height: 2 });
  w.pair(`${label('register', L)}:`, header.registerId);
  w.pair(`${label('shift', L)}:`, String(report.shiftNumber));
  if (header.cashier) w.pair(`${label('cashier', L)}:`, header.cashier);
  w.pair(`${say('opened', L)} (UTC):`, report.openedAt.slice(0, 19).replace('T', ' '));
  w.pair(`${label('timeUtc', L)}:`, report.at.slice(0, 19).replace('T', ' '));
  w.rule();
  w.pair(`${say('sales', L)} (${report.sale.count})`, money(report.sale.sum), { bold: true });
  w.pair(`  ${label('cash', L)}`, money(report.cash.cashSales));
  w.pair(`  ${label('card', L)}`, money(report.cash.cardSales));
  w.pair(`${say('returns', L)} (${report.return.count})`, money(report.return.sum), { bold: true });
  w.pair(`  ${label('cash', L)}`, money(report.cash.cashRefunds));
  w.pair(`  ${label('card', L)}`, money(report.cash.cardRefunds));
  w.pair(say('net', L), money(report.net), { bold: true });
  w.rule();
  w.pair(say('float', L), money(report.cash.float));
  w.pair(say('deposits', L), money(report.cash.deposits));
  w.pair(say('withdrawals', L), money(report.cash.withdrawals));
  w.pair(say('inDrawer', L), money(report.cash.inDrawer), { bold: true });
  w.rule();
  w.pair(`${LABELS.document[L[0] ?? 'ru']}`, String(report.lastPrintedDocumentNumber));
  return w.cut();
}
