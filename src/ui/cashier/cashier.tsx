/**
 * The cashier screen. The scan field always has the focus (it takes it back whenever it loses
 * it, unless a dialog is open), so a scan is never typed into the wrong place and a scanner's
 * Enter never presses a button. Actions have function keys and big touch targets instead.
 * Key events go through the keyboard-wedge decoder: scanner bursts become scans (GS rebuilt,
 * layout repaired), a person's typing stays typing and is sent with Enter.
 *
 * The core owns the basket: every answer and every `basket` event replaces the whole view, so
 * the screen never shows a basket the core does not have. Scans from scanners attached to the
 * register arrive as `verdict` + `basket` events, exactly like the page's own scans.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { BasketView, CompleteResponse, PaymentInput, SyncEvent, VerdictEvent } from '../../server/contract/index.ts';
import { beep } from '../shared/beep.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatMoney } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';
import { Banner } from '../shared/layout.tsx';
import { useWedgeField, type CodeSource } from '../shared/use-wedge.ts';
import { BasketTable, RefusalList, Totals } from './basket.tsx';
import { OfflineBanner } from './offline.tsx';
import { LastSale, type LastSaleState } from './last-sale.tsx';
import { OverrideDialog, ReturnDialog, ShiftDialog } from './dialogs.tsx';
import { VerdictPanel, type VerdictState } from './verdict.tsx';

type DialogKind = null | 'override' | 'return' | 'shift' | 'receipt';

type Translate = ReturnType<typeof useT>;
/** The status line, rendered at display time so that it follows a language switch. */
interface StatusLine { render(t: Translate): string; kind?: 'ok' | 'error' }
const READY: StatusLine = { render: (t) => t('cashier.ready') };

/** An empty basket before the core has answered. */
const NO_BASKET: BasketView = { lines: [], refusals: [], refusalCount: 0, total: 0, shift: null, salesAllowed: true, salesStoppedReason: null };

function isVerdictEvent(e: { type: string }): e is VerdictEvent {
  const v = e as Partial<VerdictEvent>;
  return e.type === 'verdict' && typeof v.code === 'string' && (v.decision === 'allow' || v.decision === 'warn' || v.decision === 'refuse') && typeof v.messages === 'object';
}

export function CashierScreen() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [verdict, setVerdict] = useState<VerdictState>({ kind: 'idle' });
  const [lastScan, setLastScan] = useState<string | null>(null);
  const [basket, setBasket] = useState<BasketView>(NO_BASKET);
  const [selected, setSelected] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusLine>(READY);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [sync, setSync] = useState<SyncEvent | null>(null);
  const [lastSale, setLastSale] = useState<LastSaleState | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const dialogRef = useRef<DialogKind>(null);
  dialogRef.current = dialog;
  const basketRef = useRef(basket);
  basketRef.current = basket;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const lastSaleRef = useRef(lastSale);
  lastSaleRef.current = lastSale;
  const busy = useRef(false);
  const [paying, setPaying] = useState(false);
  /** The last verdict shown (time + code): the HTTP answer and the event of one scan beep once. */
  const shownVerdict = useRef('');

  const showVerdict = useCallback((v: VerdictEvent) => {
    const key = `${v.at}|${v.code}|${v.decision}`;
    setVerdict({ kind: 'verdict', verdict: v });
    setLastScan(v.code);
    if (shownVerdict.current !== key) beep(v.decision);
    shownVerdict.current = key;
  }, []);

  /**
   * Counts `basket` events. An HTTP answer carries the basket as it was when the core answered,
   * and the WebSocket may already have delivered a newer one (a scan that raced a slow payment):
   * an answer's basket is applied only if no event arrived since its request was sent.
   */
  const basketEvents = useRef(0);
  const applyBasket = useCallback((b: BasketView) => {
    setBasket(b);
    // Keep the selection on a line that still exists; else select the newest line.
    setSelected((s) => (s !== null && b.lines.some((l) => l.id === s) ? s : b.lines[b.lines.length - 1]?.id ?? null));
  }, []);

  /** Reports an action's failure in the status line, in the UI's language where it is known. */
  const report = useCallback((feature: MessageKey, err: unknown) => {
    const text = errorText(err, lang);
    setStatus({ render: (tr) => `${tr(feature)}: ${text}`, kind: 'error' });
  }, [lang]);

  const submitCode = useCallback(async (raw: string, source: CodeSource) => {
    if (raw === '') return;
    setLastScan(raw);
    setVerdict({ kind: 'pending', raw, note: null });
    const seen = basketEvents.current;
    try {
      const result = await api.scan({ code: raw, source });
      showVerdict(result.verdict);
      if (basketEvents.current === seen) applyBasket(result.basket);
      setStatus(READY);
    } catch (err) {
      setVerdict({ kind: 'error', raw, note: errorText(err, lang) });
      beep('refuse');
      report('feature.scan', err);
    }
  }, [api, lang, report, showVerdict, applyBasket]);

  const scanField = useWedgeField((code, source) => void submitCode(code, source));
  const focusScan = useCallback(() => {
    if (dialogRef.current === null) scanField.inputRef.current?.focus();
  }, [scanField.inputRef]);

  // The basket as the core has it (a reload, a second tab, or a scanner attached to the register).
  const loadBasket = useCallback(async () => {
    const seen = basketEvents.current;
    try {
      const b = await api.basket();
      if (basketEvents.current === seen) applyBasket(b);
    } catch (err) {
      report('feature.basket', err);
    }
  }, [api, applyBasket, report]);
  useEffect(() => { void loadBasket(); }, [loadBasket]);

  // Live events from the core: verdicts of register scanners, basket changes, sync health, sales.
  useEffect(() => {
    if (!events) return undefined;
    return events.on((e) => {
      if (isVerdictEvent(e)) showVerdict(e);
      else if (e.type === 'basket') {
        basketEvents.current++;
        applyBasket(e.basket);
      }
      else if (e.type === 'sync' && 'cache' in e) setSync(e);
      else if (e.type === 'scan') setLastScan(e.raw);
      else if (e.type === 'print') setLastSale((s) => (s && (e.documentId === null || e.documentId === s.saleId) ? { ...s, print: e.print } : s));
      else if (e.type === 'delivery') setLastSale((s) => (s && e.ok && e.documentId === s.saleId ? { ...s, delivered: true, ticketNumber: e.ticketNumber ?? s.ticketNumber } : s));
      else if (e.type === 'hello') void loadBasket();
    });
  }, [events, showVerdict, applyBasket, loadBasket]);

  // The clock ticks so the offline banner's "time left" counts down between sync events.
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(tick);
  }, []);
  useEffect(() => { if (sync) setNow(Date.now()); }, [sync]);

  const completed = useCallback((res: CompleteResponse, seen: number) => {
    if (basketEvents.current === seen) applyBasket(res.basket);
    setLastSale({
      saleId: res.saleId, kind: res.kind, total: res.receipt.totals.total, print: res.print, training: res.training,
      delivered: res.receipt.fiscal.state === 'delivered', ticketNumber: res.receipt.fiscal.ticketNumber, offline: res.receipt.fiscal.offline,
    });
    setVerdict({ kind: 'idle' });
  }, [applyBasket]);

  const pay = useCallback(async (method: PaymentInput['type']) => {
    // One payment at a time: a second F2 while the first completes would pay the next basket unseen.
    if (busy.current) return setStatus({ render: (tr) => tr('pay.busy'), kind: 'error' });
    const total = basketRef.current.total;
    const seen = basketEvents.current;
    busy.current = true;
    setPaying(true);
    setStatus({ render: (tr) => tr('pay.paying') });
    try {
      const res = await api.pay({ payments: [{ type: method, amount: total }] });
      completed(res, seen);
      setStatus({ render: (tr) => tr('pay.done', { total: formatMoney(res.receipt.totals.total, lang) }), kind: 'ok' });
    } catch (err) {
      report('feature.sale', err);
    } finally {
      busy.current = false;
      setPaying(false);
    }
  }, [api, completed, report, lang]);

  const removeLine = useCallback(async (lineId: string) => {
    const seen = basketEvents.current;
    try {
      const { basket: b } = await api.removeLine(lineId);
      if (basketEvents.current === seen) applyBasket(b);
      setStatus(READY);
    } catch (err) {
      report('feature.remove', err);
    }
  }, [api, applyBasket, report]);

  const openDialog = useCallback((kind: Exclude<DialogKind, null>) => {
    dialogRef.current = kind;
    setDialog(kind);
  }, []);
  const closeDialog = useCallback(() => {
    dialogRef.current = null;
    setDialog(null);
    setTimeout(focusScan, 0);
  }, [focusScan]);

  // Function keys work wherever the focus is (it is nearly always in the scan field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (dialogRef.current !== null) return;
      const lines = basketRef.current.lines;
      const fieldEmpty = (scanField.inputRef.current?.value ?? '') === '';
      const moveSelection = (step: number) => setSelected((s) => {
        const i = lines.findIndex((l) => l.id === s);
        const next = lines[Math.min(lines.length - 1, Math.max(0, (i < 0 ? lines.length : i) + step))];
        return next?.id ?? null;
      });
      const actions: Record<string, () => void> = {
        F2: () => void pay('cash'),
        F3: () => void pay('card'),
        F4: () => openDialog('return'),
        F7: () => openDialog('override'),
        F8: () => openDialog('shift'),
        F10: () => { if (lastSaleRef.current) openDialog('receipt'); },
        ArrowUp: () => moveSelection(-1),
        ArrowDown: () => moveSelection(1),
        Delete: () => { if (fieldEmpty && selectedRef.current) void removeLine(selectedRef.current); },
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [pay, openDialog, removeLine, scanField.inputRef]);

  useEffect(() => { focusScan(); }, [focusScan]);

  const shiftOpen = basket.shift !== null;
  const overridable = basket.refusals.filter((r) => r.verdict.overridable);
  return (
    <main class="cashier" id="cashier">
      <OfflineBanner sync={sync} now={now} />
      {!basket.salesAllowed && <Banner kind="error" testId="sales-stopped">{t('cashier.salesStopped', { reason: basket.salesStoppedReason ?? '' })}</Banner>}
      {!shiftOpen && <Banner kind="info" testId="shift-closed">{t('shift.closedBanner')}</Banner>}
      <div class="cashier-grid">
        <div class="cashier-main">
          <div class="scan-field">
            <label for="scan-input">{t('cashier.scanLabel')}</label>
            <input
              id="scan-input"
              ref={scanField.inputRef}
              class="scan-input"
              autoComplete="off"
              autoCorrect="off"
              autoCapitalize="off"
              spellcheck={false}
              aria-describedby="scan-hint"
              onKeyDown={scanField.onKey}
              onKeyUp={scanField.onKey}
              onBlur={() => setTimeout(focusScan, 0)}
            />
            <p id="scan-hint" class="small muted">{t('cashier.scanHint')}</p>
          </div>
          <VerdictPanel state={verdict} />
          {lastScan !== null && !(verdict.kind === 'verdict' && verdict.verdict.code === lastScan) && verdict.kind !== 'pending' && (
            <p class="last-scan small">
              {t('cashier.lastScan')}: <Code raw={lastScan} testId="last-scan" />
            </p>
          )}
          <RefusalList refusals={basket.refusals} onOverride={() => openDialog('override')} onRemove={(id) => void removeLine(id)} />
          <BasketTable basket={basket} selected={selected} onSelect={setSelected} onRemove={(id) => void removeLine(id)} />
        </div>
        <aside class="cashier-side">
          <Totals basket={basket} />
          <div class="pay-buttons">
            <button type="button" class="btn btn-pay" id="pay-cash" disabled={basket.lines.length === 0 || paying} onClick={() => void pay('cash')}>
              {t('pay.cash')} <kbd>F2</kbd>
            </button>
            <button type="button" class="btn btn-pay" id="pay-card" disabled={basket.lines.length === 0 || paying} onClick={() => void pay('card')}>
              {t('pay.card')} <kbd>F3</kbd>
            </button>
          </div>
          <div class="side-buttons">
            <button type="button" class="btn" id="return" onClick={() => openDialog('return')}>
              {t('action.return')} <kbd>F4</kbd>
            </button>
            <button type="button" class="btn" id="override" onClick={() => openDialog('override')}>
              {t('action.override')}{overridable.length > 0 ? ` (${overridable.length})` : ''} <kbd>F7</kbd>
            </button>
            <button type="button" class="btn btn-wide" id="shift" onClick={() => openDialog('shift')}>
              {shiftOpen ? t('shift.close') : t('shift.open')} <kbd>F8</kbd>
            </button>
          </div>
          {lastSale && <LastSale sale={lastSale} onShow={() => openDialog('receipt')} />}
          <p class={`status-line${status.kind ? ` status-${status.kind}` : ''}`} role="status" data-testid="cashier-status">{status.render(t)}</p>
          <p class="small muted shortcuts">{t('cashier.shortcuts')}</p>
        </aside>
      </div>
      {dialog === 'override' && (
        <OverrideDialog
          refusals={basket.refusals}
          onClose={closeDialog}
          basketEvents={basketEvents}
          onDone={(b, seen) => { if (basketEvents.current === seen) applyBasket(b); setStatus({ render: (tr) => tr('override.done'), kind: 'ok' }); closeDialog(); }}
        />
      )}
      {dialog === 'return' && (
        <ReturnDialog
          saleId={lastSale?.kind === 'sale' ? lastSale.saleId : ''}
          basketEvents={basketEvents}
          onClose={closeDialog}
          onDone={(res, seen) => { completed(res, seen); setStatus({ render: (tr) => tr('return.done', { total: formatMoney(res.receipt.totals.total, lang) }), kind: 'ok' }); closeDialog(); }}
        />
      )}
      {dialog === 'shift' && (
        <ShiftDialog
          shift={basket.shift}
          onClose={closeDialog}
          onDone={(text) => { setStatus({ render: () => text, kind: 'ok' }); void loadBasket(); closeDialog(); }}
        />
      )}
      {dialog === 'receipt' && lastSale && (
        <ReceiptDialog sale={lastSale} onClose={closeDialog} />
      )}
    </main>
  );
}

/** The last receipt as printed (the virtual printer's PNG in training mode). */
function ReceiptDialog(props: { sale: LastSaleState; onClose(): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let live = true;
    api.receiptPng(props.sale.saleId).then((blob) => {
      url = URL.createObjectURL(blob);
      if (live) setSrc(url);
    }, (err: unknown) => { if (live) setError(errorText(err, lang)); });
    return () => { live = false; if (url) URL.revokeObjectURL(url); };
  }, [api, lang, props.sale.saleId]);
  return (
    <Dialog title={t('receipt.title')} onClose={props.onClose} id="receipt-dialog">
      <p class="small"><code>{props.sale.saleId}</code></p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {src ? <img class="receipt-image" src={src} alt={t('receipt.alt')} data-testid="receipt-image" /> : !error && <p role="status">{t('loading')}</p>}
      <div class="form-actions">
        <button type="button" class="btn btn-primary" onClick={props.onClose}>{t('action.close')}</button>
      </div>
    </Dialog>
  );
}
