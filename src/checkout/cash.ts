/**
 * The drawer's cash in a shift: the opening float, cash in and cash out. Each movement is a
 * fiscal document (COMMAND_MONEY_PLACEMENT through the outbox, so it reaches the OFD also after
 * hours offline) with a printed document number and a journal entry, committed in one
 * transaction. The shift's cash total counts them with the cash taken and refunded.
 */
import { randomUUID } from 'node:crypto';
import { enqueueOutbox, nextCounter, shiftCashMovements, shiftTotals, type CashMovement, type Db, type ShiftRow } from '../store/index.ts';
import type { CheckoutContext } from './context.ts';
import { CheckoutError } from './types.ts';

/** The cash and card figures of a shift (minor units). */
export interface ShiftCash {
  /** The opening float. */
  float: number;
  /** Cash put in after the float. */
  deposits: number;
  /** Cash taken out. */
  withdrawals: number;
  /** Cash kept from sales (change already given back). */
  cashSales: number;
  cashRefunds: number;
  cardSales: number;
  cardRefunds: number;
  /** What the drawer should hold now. */
  inDrawer: number;
}

/** The largest single movement: 100 million tenge. */
const MAX_MOVEMENT = 10_000_000_000;

/** The shift's cash and card split. */
export function shiftCash(db: Db, shiftNumber: number): ShiftCash {
  const moves = shiftCashMovements(db, shiftNumber);
  const totals = shiftTotals(db, shiftNumber);
  const sum = (pred: (m: CashMovement) => boolean) => moves.filter(pred).reduce((s, m) => s + m.sum, 0);
  const float = sum((m) => m.float);
  const deposits = sum((m) => m.operation === 'deposit' && !m.float);
  const withdrawals = sum((m) => m.operation === 'withdrawal');
  const cashSales = totals.sale.payments.cash ?? 0;
  const cashRefunds = totals.return.payments.cash ?? 0;
  return {
    float, deposits, withdrawals, cashSales, cashRefunds, cardSales: totals.sale.payments.card ?? 0, cardRefunds: totals.return.payments.card ?? 0,
    inDrawer: float + deposits - withdrawals + cashSales - cashRefunds,
  };
}

/** Cash in and out of the open shift. */
export interface Cash {
  /** Records a movement; a withdrawal larger than the drawer holds is refused (NOT_ENOUGH_CASH). */
  place(operation: 'deposit' | 'withdrawal', sum: number, cashier: string, options?: { float?: boolean; reason?: string }): CashMovement;
  movements(): CashMovement[];
}

/** Creates the cash half of the checkout. */
export function createCash(ctx: CheckoutContext, shifts: { requireOpen(): ShiftRow; current(): ShiftRow | undefined }): Cash {
  const { db, config } = ctx;
  return {
    place(operation, sum, cashier, options = {}) {
      if (!Number.isSafeInteger(sum) || sum <= 0 || sum > MAX_MOVEMENT) throw new CheckoutError('BAD_INPUT', `amount: a whole number of tiyn from 1 to ${MAX_MOVEMENT}, not ${sum}`);
      const at = ctx.now();
      const documentId = randomUUID();
      return db.transaction(() => {
        const shift = shifts.requireOpen();
        if (operation === 'withdrawal') {
          const held = shiftCash(db, shift.number).inDrawer;
          if (sum > held) throw new CheckoutError('NOT_ENOUGH_CASH', `the drawer holds ${held} tiyn by the shift's records; cannot take out ${sum}`);
        }
        const printed = nextCounter(db, 'printed_document_number');
        const reason = options.reason?.trim() || null;
        enqueueOutbox(db, {
          kind: 'money_placement', documentId, createdAt: at,
          payload: {
            operation, sum, dateTime: at, shiftNumber: shift.number, printedDocumentNumber: printed, float: options.float === true,
            operator: { code: config.operatorCode ?? 1, name: cashier }, ...(reason ? { reason } : {}),
          },
        });
        ctx.journal('money_placement', documentId, { shift: shift.number, operation, sum, float: options.float === true, cashier, printed });
        return { documentId, at, operation, sum, float: options.float === true, cashier, reason, printedDocumentNumber: printed };
      }).immediate();
    },
    movements() {
      const shift = shifts.current();
      return shift ? shiftCashMovements(db, shift.number) : [];
    },
  };
}
