/**
 * The cashier screen's state as one reducer: every change is a named action, so the screen's
 * async callbacks read one mirrored state instead of a dozen refs, and the rules (which
 * basket wins a race, which line stays selected, one message per burst) are unit-tested here
 * without a browser.
 */
import type { BasketView, CompleteResponse, DeliveryEvent, PrintEvent, SyncEvent, VerdictEvent } from '../../server/contract/index.ts';
import type { MessageKey } from '../shared/i18n.ts';
import type { WedgeRepair } from '../shared/wedge.ts';
import type { LastSaleState } from './last-sale.tsx';
import type { ScanNoticeState } from './scan-notice.tsx';
import type { VerdictState } from './verdict.tsx';

/** The cashier's dialogs (one at a time). */
export type DialogKind = null | 'override' | 'return' | 'shift' | 'receipt' | 'cancel' | 'pay-cash' | 'pay-card' | 'ntin' | 'search' | 'quantity' | 'parked' | 'discount';

/**
 * The status line as data, rendered at display time so that it follows a language switch:
 * a message key with its parameters, an optional detail (an error's text) after a colon, or a
 * text already in the UI's language.
 */
export type StatusLine =
  | { key: MessageKey; params?: Record<string, string | number>; detail?: string; kind?: 'ok' | 'error' }
  | { text: string; kind?: 'ok' | 'error' };

export const READY: StatusLine = { key: 'cashier.ready' };

/** An empty basket before the core has answered. */
export const NO_BASKET: BasketView = { lines: [], refusals: [], refusalCount: 0, total: 0, shift: null, salesAllowed: true, salesStoppedReason: null };

export interface CashierState {
  verdict: VerdictState;
  lastScan: string | null;
  basket: BasketView;
  selected: string | null;
  status: StatusLine;
  dialog: DialogKind;
  sync: SyncEvent | null;
  lastSale: LastSaleState | null;
  /** The sale just completed stays large on screen (its change) until the next scan or sale. */
  justSold: boolean;
  notice: ScanNoticeState | null;
  /** Notices shown so far: each burst's message has a number of its own. */
  notices: number;
  /** Repairs the decoder made, by the code they produced (shown on the verdict and the line). */
  repairs: ReadonlyMap<string, ReadonlyArray<WedgeRepair['kind']>>;
  paying: boolean;
}

export const INITIAL: CashierState = {
  verdict: { kind: 'idle' }, lastScan: null, basket: NO_BASKET, selected: null, status: READY, dialog: null,
  sync: null, lastSale: null, justSold: false, notice: null, notices: 0, repairs: new Map(), paying: false,
};

export type CashierAction =
  | { type: 'scan-sent'; raw: string; repairs: ReadonlyArray<WedgeRepair['kind']> }
  | { type: 'verdict'; verdict: VerdictEvent }
  | { type: 'scan-failed'; raw: string; note: string }
  /** A basket from the core; `stale`: an event arrived after its request was sent, so it is older. */
  | { type: 'basket'; basket: BasketView; stale?: boolean }
  | { type: 'select'; id: string | null }
  | { type: 'move-selection'; step: number }
  | { type: 'status'; status: StatusLine }
  | { type: 'dialog'; dialog: DialogKind }
  | { type: 'sync'; sync: SyncEvent }
  | { type: 'raw-scan'; raw: string }
  | { type: 'completed'; res: CompleteResponse; stale: boolean }
  | { type: 'print'; event: PrintEvent }
  | { type: 'delivery'; event: DeliveryEvent }
  /** A burst that could not go where scans go; `continues`: the fragment it completes. */
  | { type: 'notice'; code: string; reason: ScanNoticeState['reason']; continues?: string | undefined }
  | { type: 'dismiss-notice' }
  | { type: 'paying'; paying: boolean };

/** Keeps the selection on a line that still exists; else selects the newest line. */
function keepSelection(selected: string | null, basket: BasketView): string | null {
  return selected !== null && basket.lines.some((l) => l.id === selected) ? selected : basket.lines[basket.lines.length - 1]?.id ?? null;
}

function withBasket(s: CashierState, basket: BasketView, stale = false): CashierState {
  return stale ? s : { ...s, basket, selected: keepSelection(s.selected, basket) };
}

/** The screen's state after one action (pure). */
export function cashierReducer(s: CashierState, a: CashierAction): CashierState {
  switch (a.type) {
    case 'scan-sent': {
      const repairs = a.repairs.length > 0 ? new Map(s.repairs).set(a.raw, a.repairs) : s.repairs;
      return { ...s, lastScan: a.raw, verdict: { kind: 'pending', raw: a.raw, note: null }, repairs, justSold: false };
    }
    case 'verdict': return { ...s, verdict: { kind: 'verdict', verdict: a.verdict }, lastScan: a.verdict.code, justSold: false };
    case 'scan-failed': return { ...s, verdict: { kind: 'error', raw: a.raw, note: a.note } };
    case 'basket': return withBasket(s, a.basket, a.stale);
    case 'select': return { ...s, selected: a.id };
    case 'move-selection': {
      const lines = s.basket.lines;
      const i = lines.findIndex((l) => l.id === s.selected);
      const next = lines[Math.min(lines.length - 1, Math.max(0, (i < 0 ? lines.length : i) + a.step))];
      return { ...s, selected: next?.id ?? null };
    }
    case 'status': return { ...s, status: a.status };
    case 'dialog': return { ...s, dialog: a.dialog };
    case 'sync': return { ...s, sync: a.sync };
    case 'raw-scan': return { ...s, lastScan: a.raw, justSold: false };
    case 'completed': {
      const { res } = a;
      const lastSale: LastSaleState = {
        saleId: res.saleId, kind: res.kind, total: res.receipt.totals.total, print: res.print, training: res.training,
        delivered: res.receipt.fiscal.state === 'delivered', ticketNumber: res.receipt.fiscal.ticketNumber, offline: res.receipt.fiscal.offline,
        taken: res.receipt.totals.taken, change: res.receipt.totals.change,
      };
      return { ...withBasket(s, res.basket, a.stale), lastSale, verdict: { kind: 'idle' }, justSold: res.kind === 'sale' };
    }
    case 'print': {
      const sale = s.lastSale;
      if (!sale || (a.event.documentId !== null && a.event.documentId !== sale.saleId)) return s;
      return { ...s, lastSale: { ...sale, print: a.event.print } };
    }
    case 'delivery': {
      const sale = s.lastSale;
      if (!sale || !a.event.ok || a.event.documentId !== sale.saleId) return s;
      return { ...s, lastSale: { ...sale, delivered: true, ticketNumber: a.event.ticketNumber ?? sale.ticketNumber } };
    }
    case 'notice': {
      // The rest of a fragment already reported replaces its message: one burst, one message.
      const n = s.notice;
      if (n && a.continues !== undefined && a.continues === n.code) return { ...s, notice: { ...n, code: a.code, reason: a.reason } };
      return { ...s, notices: s.notices + 1, notice: { seq: s.notices + 1, code: a.code, reason: a.reason } };
    }
    case 'dismiss-notice': return s.notice ? { ...s, notice: null } : s;
    case 'paying': return { ...s, paying: a.paying };
  }
}
