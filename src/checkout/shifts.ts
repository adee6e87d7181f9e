/**
 * Shifts and their reports: open, close (Z report with the operator, queued for the OFD as
 * `close_shift`), X report (journaled and queued as `x_report`: 2.0.3 / 3.8 the register sends its
 * current X report to the OFD with COMMAND_REPORT, through the outbox so it survives offline), and
 * the open shift a document needs.
 */
import { randomUUID } from 'node:crypto';
import {
  closeShiftRow, counterValue, enqueueOutbox, getOpenShift, insertShift, nextCounter, purgeContacts, shiftTotals,
  type OperationTotals, type PurgeResult, type ShiftRow,
} from '../store/index.ts';
import { shiftCash, type ShiftCash } from './cash.ts';
import type { CheckoutContext } from './context.ts';
import { CheckoutError } from './types.ts';

/** Z or X report figures. */
export interface ShiftReport {
  shiftNumber: number;
  registerId: string;
  openedAt: string;
  closedAt: string | null;
  at: string;
  sale: OperationTotals;
  return: OperationTotals;
  /** Sales minus returns. */
  net: number;
  lastPrintedDocumentNumber: number;
  /** The cash / card split and what the drawer should hold (float, cash in and out counted). */
  cash: ShiftCash;
}

/** The shifts of one register. */
export interface Shifts {
  current(): ShiftRow | undefined;
  open(cashier: string): ShiftRow;
  /** Closes the open shift: Z report stored, queued for the OFD and journaled in one transaction. */
  close(): ShiftReport;
  xReport(): ShiftReport;
  /** The open shift's figures now, recording nothing (the till's screen; an X report is `xReport`). */
  figures(): ShiftReport;
  /** The open shift a document is written in; SHIFT_CLOSED / SHIFT_EXPIRED otherwise. */
  requireOpen(): ShiftRow;
  /** Purges expired and withdrawn e-receipt contacts (also done when a shift opens or closes). */
  purgeContacts(): PurgeResult;
}

/** Creates the shift half of the checkout. */
export function createShifts(ctx: CheckoutContext): Shifts {
  const { db, config } = ctx;
  const autoPurge = (): PurgeResult => purgeContacts(db, ctx.now());

  function report(shift: ShiftRow, at: string, closedAt: string | null): ShiftReport {
    const totals = shiftTotals(db, shift.number);
    return {
      shiftNumber: shift.number, registerId: shift.registerId, openedAt: shift.openedAt, closedAt, at,
      sale: totals.sale, return: totals.return, net: totals.sale.sum - totals.return.sum,
      lastPrintedDocumentNumber: counterValue(db, 'printed_document_number'), cash: shiftCash(db, shift.number),
    };
  }

  return {
    current: () => getOpenShift(db, config.registerId),

    open(cashier) {
      if (!cashier.trim()) throw new CheckoutError('BAD_INPUT', 'cashier name is empty');
      const shift = db.transaction(() => {
        if (getOpenShift(db, config.registerId)) throw new CheckoutError('SHIFT_OPEN', 'a shift is already open: close it first');
        const s = insertShift(db, { id: randomUUID(), registerId: config.registerId, cashier, openedAt: ctx.now() });
        ctx.journal('shift_open', s.id, { shift: s.number, cashier, register: config.registerId });
        return s;
      }).immediate();
      autoPurge();
      return shift;
    },

    close() {
      const at = ctx.now();
      const z = db.transaction(() => {
        const shift = getOpenShift(db, config.registerId);
        if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open');
        const rep = report(shift, at, at);
        closeShiftRow(db, shift.number, { closedAt: at, zReport: rep });
        const printed = nextCounter(db, 'printed_document_number');
        enqueueOutbox(db, {
          kind: 'close_shift', documentId: shift.id, createdAt: at,
          payload: {
            operation: 'close_shift', documentId: shift.id, registerId: config.registerId, closeTime: at, shiftNumber: shift.number, printedDocumentNumber: printed, report: rep,
            operator: { code: config.operatorCode ?? 1, name: shift.cashier },
          },
        });
        ctx.journal('shift_close', shift.id, { shift: shift.number, net: rep.net, sales: rep.sale.count, returns: rep.return.count, printed });
        ctx.guard.recordDocument({ kind: 'shift_close', id: shift.id, registerId: config.registerId, shiftNumber: shift.number, at, report: rep });
        return { ...rep, lastPrintedDocumentNumber: printed, shiftId: shift.id };
      }).immediate();
      const { shiftId, ...zReport } = z;
      ctx.guard.committed({ kind: 'shift_close', id: shiftId, registerId: config.registerId, shiftNumber: z.shiftNumber, at, report: zReport });
      autoPurge();
      return zReport;
    },

    xReport() {
      const shift = getOpenShift(db, config.registerId);
      if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open');
      // An X report changes nothing; it is journaled (who looked when) but not queued for the operator.
      const rep = report(shift, ctx.now(), null);
      db.transaction(() => {
        ctx.journal('x_report', shift.id, { shift: shift.number, net: rep.net });
        enqueueOutbox(db, {
          kind: 'x_report', documentId: `x-report:${randomUUID()}`, createdAt: rep.at,
          payload: { operation: 'x_report', registerId: config.registerId, dateTime: rep.at, shiftNumber: shift.number, report: rep },
        });
      }).immediate();
      return rep;
    },

    figures() {
      const shift = getOpenShift(db, config.registerId);
      if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open');
      return report(shift, ctx.now(), null);
    },

    requireOpen() {
      const shift = getOpenShift(db, config.registerId);
      if (!shift) throw new CheckoutError('SHIFT_CLOSED', 'no shift is open: open a shift first');
      const maxHours = config.shiftMaxHours ?? 24;
      if (Date.parse(ctx.now()) - Date.parse(shift.openedAt) > maxHours * 3_600_000) {
        throw new CheckoutError('SHIFT_EXPIRED', `shift ${shift.number} has been open more than ${maxHours} hours: close it (Z report) and open a new one`);
      }
      return shift;
    },

    purgeContacts: autoPurge,
  };
}
