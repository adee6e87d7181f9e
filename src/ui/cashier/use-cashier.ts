/**
 * The cashier screen's behaviour as hooks over its reducer (state.ts): scanning (the scan field,
 * window-level bursts, fragments), the basket's actions (load, pay, remove), the core's live
 * events, and the function keys. Async callbacks read the state through one mirrored ref.
 */
import { useCallback, useEffect, useMemo, useReducer, useRef } from 'preact/hooks';
import type { BasketView, PaymentInput, PayRequest, ScanResponse, VerdictEvent } from '../../server/contract/index.ts';
import { beep } from '../shared/beep.ts';
import { useApp } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { formatMoney } from '../shared/format.ts';
import { translate, type MessageKey } from '../shared/i18n.ts';
import { useWedgeField, type CodeSource } from '../shared/use-wedge.ts';
import { useWindowWedge, type BurstPlace } from '../shared/use-window-wedge.ts';
import type { WedgeScan } from '../shared/wedge.ts';
import { repairKinds } from './scan-notice.tsx';
import { cashierReducer, INITIAL, NO_BASKET, READY, type CashierAction, type CashierState, type DialogKind } from './state.ts';

type Dispatch = (a: CashierAction) => void;

function isVerdictEvent(e: { type: string }): e is VerdictEvent {
  const v = e as Partial<VerdictEvent>;
  return e.type === 'verdict' && typeof v.code === 'string' && (v.decision === 'allow' || v.decision === 'warn' || v.decision === 'refuse') && typeof v.messages === 'object';
}

/** The reducer, a ref that always holds its latest state, and a dispatch that updates the ref at once. */
function useCashierState() {
  const [state, rawDispatch] = useReducer(cashierReducer, INITIAL);
  const ref = useRef<CashierState>(state);
  ref.current = state;
  const dispatch = useCallback((a: CashierAction) => {
    // The ref follows every action at once, so a key pressed before the next render sees it.
    ref.current = cashierReducer(ref.current, a);
    rawDispatch(a);
  }, []);
  return { state, ref, dispatch };
}

/**
 * Counts `basket` events. An HTTP answer carries the basket as it was when the core answered,
 * and the WebSocket may already have delivered a newer one (a scan that raced a slow payment):
 * an answer's basket is stale if an event arrived since its request was sent.
 */
function useBasketEvents() {
  const count = useRef(0);
  return useMemo(() => ({
    count,
    mark: () => count.current,
    stale: (seen: number) => count.current !== seen,
  }), []);
}

/** Everything the cashier screen does; the screen itself only lays it out. */
export function useCashier() {
  const { api, events, lang } = useApp();
  const { state, ref, dispatch } = useCashierState();
  const basketEvents = useBasketEvents();
  const busy = useRef(false);
  /** The last verdict shown (time + code): the HTTP answer and the event of one scan beep once. */
  const shownVerdict = useRef('');
  /** The last code sent and its answer: a fragment's refusal is dropped when the rest of its burst arrives. */
  const lastSubmit = useRef<{ code: string; done: Promise<ScanResponse | null> } | null>(null);
  /** Fragments whose whole code followed: their own verdicts are not shown. */
  const superseded = useRef(new Set<string>());

  const showVerdict = useCallback((v: VerdictEvent) => {
    const key = `${v.at}|${v.code}|${v.decision}`;
    dispatch({ type: 'verdict', verdict: v });
    if (shownVerdict.current !== key) beep(v.decision);
    shownVerdict.current = key;
  }, [dispatch]);

  /** Reports an action's failure in the status line, in the UI's language where it is known. */
  const report = useCallback((feature: MessageKey, err: unknown) => {
    dispatch({ type: 'status', status: { key: feature, detail: errorText(err, lang), kind: 'error' } });
  }, [dispatch, lang]);

  /** Drops the refusal of a fragment whose burst went on after a stall: the whole code follows. */
  const dropFragment = useCallback(async (fragment: string, previous: typeof lastSubmit.current) => {
    if (!previous || previous.code !== fragment) return;
    const answer = await previous.done;
    const refusal = answer?.verdict.decision === 'refuse' ? answer.basket.refusals.find((r) => r.code === fragment) : undefined;
    if (refusal) await api.removeLine(refusal.id).catch(() => undefined);
  }, [api]);

  const submitCode = useCallback(async (raw: string, source: CodeSource, scan?: WedgeScan) => {
    if (raw === '') return;
    if (ref.current.basket !== NO_BASKET && ref.current.basket.shift === null) {
      // A closed shift takes no scans (issue 16): refused at the first one, not at the payment.
      dispatch({ type: 'scan-failed', raw, note: translate(lang, 'error.SHIFT_CLOSED') });
      beep('refuse');
      return;
    }
    dispatch({ type: 'scan-sent', raw, repairs: scan ? repairKinds(scan.repairs) : [] });
    let settle: (r: ScanResponse | null) => void = () => undefined;
    const done = new Promise<ScanResponse | null>((resolve) => { settle = resolve; });
    const previous = lastSubmit.current;
    lastSubmit.current = { code: raw, done };
    try {
      if (scan?.continues !== undefined) {
        superseded.current.add(scan.continues);
        await dropFragment(scan.continues, previous);
      }
      const seen = basketEvents.mark();
      const result = await api.scan({ code: raw, source });
      settle(result);
      // A fragment's verdict is not shown once the whole code is on its way.
      if (!superseded.current.has(raw)) showVerdict(result.verdict);
      superseded.current.delete(raw);
      dispatch({ type: 'basket', basket: result.basket, stale: basketEvents.stale(seen) });
      dispatch({ type: 'status', status: READY });
    } catch (err) {
      settle(null);
      dispatch({ type: 'scan-failed', raw, note: errorText(err, lang) });
      beep('refuse');
      report('feature.scan', err);
    }
  }, [api, lang, report, showVerdict, dropFragment, dispatch, basketEvents, ref]);

  const scanField = useWedgeField((code, source, scan) => void submitCode(code, source, scan));

  /** A burst that reached the window, not the scan field: scanned if it can be, else one clear message. */
  const windowScan = useCallback((scan: WedgeScan, place: BurstPlace) => {
    if (ref.current.dialog === null && place === 'page') return void submitCode(scan.text, 'wedge', scan);
    dispatch({ type: 'notice', code: scan.text, reason: ref.current.dialog !== null ? 'dialog' : 'field', continues: scan.continues });
    beep('refuse');
  }, [submitCode, dispatch, ref]);
  useWindowWedge(windowScan);

  const focusScan = useCallback(() => {
    if (ref.current.dialog === null) scanField.inputRef.current?.focus();
  }, [scanField.inputRef, ref]);

  const basketActions = useBasketActions({ dispatch, ref, basketEvents, busy, report });
  useCoreEvents({ events, dispatch, showVerdict, basketEvents, loadBasket: basketActions.loadBasket });

  const openDialog = useCallback((kind: Exclude<DialogKind, null>) => dispatch({ type: 'dialog', dialog: kind }), [dispatch]);
  const closeDialog = useCallback(() => {
    dispatch({ type: 'dialog', dialog: null });
    setTimeout(focusScan, 0);
  }, [dispatch, focusScan]);
  useFunctionKeys({ ref, dispatch, scanField, openDialog, removeLine: basketActions.removeLine });
  useEffect(() => { focusScan(); }, [focusScan]);

  const dismissNotice = useCallback(() => dispatch({ type: 'dismiss-notice' }), [dispatch]);
  return { state, dispatch, basketEvents: basketEvents.count, scanField, focusScan, openDialog, closeDialog, dismissNotice, ...basketActions };
}

interface Deps {
  dispatch: Dispatch;
  ref: { current: CashierState };
  basketEvents: ReturnType<typeof useBasketEvents>;
  busy: { current: boolean };
  report(feature: MessageKey, err: unknown): void;
}

/** Loading the basket, paying, removing a line. */
function useBasketActions({ dispatch, basketEvents, busy, report }: Deps) {
  const { api, lang } = useApp();
  // The basket as the core has it (a reload, a second tab, or a scanner attached to the register).
  const loadBasket = useCallback(async () => {
    const seen = basketEvents.mark();
    try {
      dispatch({ type: 'basket', basket: await api.basket(), stale: basketEvents.stale(seen) });
    } catch (err) {
      report('feature.basket', err);
    }
  }, [api, dispatch, report, basketEvents]);
  useEffect(() => { void loadBasket(); }, [loadBasket]);

  /** Completes the sale with the payments the payment step confirmed; true when it went through. */
  const pay = useCallback(async (payments: PaymentInput[], contact?: PayRequest['contact']): Promise<boolean> => {
    // One payment at a time: a second confirm while the first completes would pay the next basket unseen.
    if (busy.current) {
      dispatch({ type: 'status', status: { key: 'pay.busy', kind: 'error' } });
      return false;
    }
    const seen = basketEvents.mark();
    busy.current = true;
    dispatch({ type: 'paying', paying: true });
    dispatch({ type: 'status', status: { key: 'pay.paying' } });
    try {
      const res = await api.pay({ payments, ...(contact ? { contact } : {}) });
      dispatch({ type: 'completed', res, stale: basketEvents.stale(seen) });
      const { total, change } = res.receipt.totals;
      dispatch({ type: 'status', status: change > 0
        ? { key: 'pay.doneChange', params: { total: formatMoney(total, lang), change: formatMoney(change, lang) }, kind: 'ok' }
        : { key: 'pay.done', params: { total: formatMoney(total, lang) }, kind: 'ok' } });
      return true;
    } catch (err) {
      report('feature.sale', err);
      return false;
    } finally {
      busy.current = false;
      dispatch({ type: 'paying', paying: false });
    }
  }, [api, dispatch, report, lang, busy, basketEvents]);

  const removeLine = useCallback(async (lineId: string) => {
    const seen = basketEvents.mark();
    try {
      const { basket } = await api.removeLine(lineId);
      dispatch({ type: 'basket', basket, stale: basketEvents.stale(seen) });
      dispatch({ type: 'status', status: READY });
    } catch (err) {
      report('feature.remove', err);
    }
  }, [api, dispatch, report, basketEvents]);

  /** A basket from a dialog's answer (override), applied unless an event overtook it. */
  const answered = useCallback((basket: BasketView, seen: number) => dispatch({ type: 'basket', basket, stale: basketEvents.stale(seen) }), [dispatch, basketEvents]);
  return { loadBasket, pay, removeLine, answered };
}

/** Live events from the core: verdicts of register scanners, basket changes, sync health, sales. */
function useCoreEvents(p: { events: ReturnType<typeof useApp>['events']; dispatch: Dispatch; showVerdict(v: VerdictEvent): void; basketEvents: ReturnType<typeof useBasketEvents>; loadBasket(): Promise<void> }) {
  const { events, dispatch, showVerdict, basketEvents, loadBasket } = p;
  useEffect(() => {
    if (!events) return undefined;
    return events.on((e) => {
      if (isVerdictEvent(e)) showVerdict(e);
      else if (e.type === 'basket') {
        basketEvents.count.current++;
        dispatch({ type: 'basket', basket: e.basket });
      }
      else if (e.type === 'sync' && 'cache' in e) dispatch({ type: 'sync', sync: e });
      else if (e.type === 'scan') dispatch({ type: 'raw-scan', raw: e.raw });
      else if (e.type === 'print') dispatch({ type: 'print', event: e });
      else if (e.type === 'delivery') dispatch({ type: 'delivery', event: e });
      else if (e.type === 'hello') void loadBasket();
    });
  }, [events, showVerdict, dispatch, basketEvents, loadBasket]);
}

/** Function keys work wherever the focus is (it is nearly always in the scan field). */
function useFunctionKeys(p: {
  ref: { current: CashierState }; dispatch: Dispatch; scanField: ReturnType<typeof useWedgeField>;
  openDialog(kind: Exclude<DialogKind, null>): void; removeLine(id: string): Promise<void>;
}) {
  const { ref, dispatch, scanField, openDialog, removeLine } = p;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const s = ref.current;
      if (s.dialog !== null) return;
      const fieldEmpty = (scanField.inputRef.current?.value ?? '') === '';
      const actions: Record<string, () => void> = {
        // Payment is a step of its own: F2/F3 open it, only its confirmation completes the sale.
        F2: () => { if (s.basket.lines.length > 0) openDialog('pay-cash'); },
        F3: () => { if (s.basket.lines.length > 0) openDialog('pay-card'); },
        F4: () => openDialog('return'),
        F7: () => openDialog('override'),
        F8: () => openDialog('shift'),
        F10: () => { if (s.lastSale) openDialog('receipt'); },
        F1: () => openDialog('search'),
        F5: () => { if (s.selected) openDialog('quantity'); },
        ArrowUp: () => dispatch({ type: 'move-selection', step: -1 }),
        ArrowDown: () => dispatch({ type: 'move-selection', step: 1 }),
        // Delete removes the selected line (arrows choose it); Shift+Delete asks to cancel the basket.
        Delete: () => {
          if (e.shiftKey) { if (s.basket.lines.length > 0 || s.basket.refusals.length > 0) openDialog('cancel'); }
          else if (fieldEmpty && s.selected) void removeLine(s.selected);
        },
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [openDialog, removeLine, scanField.inputRef, ref, dispatch]);
}
