/**
 * The cashier screen. The scan field always has the focus (it takes it back whenever it loses
 * it, unless a dialog is open), so a scan is never typed into the wrong place and a scanner's
 * Enter never presses a button. Actions have function keys and big touch targets instead.
 * Key events go through the keyboard-wedge decoder: scanner bursts become scans (GS rebuilt,
 * layout repaired), a person's typing stays typing and is sent with Enter. A burst that lands
 * elsewhere (the page body after a dialog closed, a button) is caught at the window level and
 * scanned, or, if a window is open, answered with one clear message — never lost.
 *
 * State and behaviour live in state.ts (a reducer) and use-cashier.ts (hooks); this file lays
 * the screen out.
 *
 * The core owns the basket: every answer and every `basket` event replaces the whole view, so
 * the screen never shows a basket the core does not have. Scans from scanners attached to the
 * register arrive as `verdict` + `basket` events, exactly like the page's own scans.
 */
import { ofdLinkDown } from '../shared/links.ts';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatMoney } from '../shared/format.ts';
import { Banner } from '../shared/layout.tsx';
import { WEDGE_FIELD } from '../shared/use-wedge.ts';
import { BasketTable, RefusalList, Totals } from './basket.tsx';
import { OfflineBanner } from './offline.tsx';
import { UnprintedBanner } from './unprinted.tsx';
import { ChangePanel, LastSale, type LastSaleState } from './last-sale.tsx';
import { CancelDialog, OverrideDialog } from './dialogs.tsx';
import { ShiftDialog } from './shift-dialog.tsx';
import { ReturnDialog } from './return-dialog.tsx';
import { PaymentDialog } from './payment.tsx';
import { NtinBanner, NtinChoiceDialog, linesWaitingForNtin, useNtinPrompt } from './ntin-choice.tsx';
import { SellingDialogs } from './selling-hookup.tsx';
import { ScanNotice } from './scan-notice.tsx';
import type { CashierState, StatusLine } from './state.ts';
import { useCashier } from './use-cashier.ts';
import { VerdictPanel } from './verdict.tsx';

type Translate = ReturnType<typeof useT>;

/** The status line in the UI's language (rendered at display time, so it follows a switch). */
function statusText(s: StatusLine, t: Translate): string {
  if ('text' in s) return s.text;
  const head = t(s.key, s.params);
  return s.detail === undefined ? head : `${head}: ${s.detail}`;
}

/** The clock ticks so the offline banner's "time left" counts down between sync events. */
function useNow(sync: CashierState['sync']): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(tick);
  }, []);
  useEffect(() => { if (sync) setNow(Date.now()); }, [sync]);
  return now;
}

export function CashierScreen() {
  const { lang } = useApp();
  const t = useT();
  const c = useCashier();
  const { state, dispatch, scanField } = c;
  const { basket, verdict, lastScan, lastSale } = state;
  const now = useNow(state.sync);
  const shiftOpen = basket.shift !== null;
  const done = (status: StatusLine) => dispatch({ type: 'status', status });
  const { openDialog } = c;
  useNtinPrompt(basket, state.dialog !== null, useCallback(() => openDialog('ntin'), [openDialog]));
  return (
    <main class="cashier" id="cashier">
      <ScanNotice notice={state.notice} onDismiss={c.dismissNotice} />
      <OfflineBanner sync={state.sync} now={now} />
      <UnprintedBanner />
      {!basket.salesAllowed && <Banner kind="error" testId="sales-stopped">{t(basket.salesStoppedCode === 'REGISTER_BLOCKED' ? 'error.REGISTER_BLOCKED' : 'error.OFFLINE_LIMIT')}</Banner>}
      {!shiftOpen && <Banner kind="info" testId="shift-closed">{t('shift.closedBanner')}</Banner>}
      {state.dialog !== 'ntin' && <NtinBanner basket={basket} onOpen={() => c.openDialog('ntin')} />}
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
              {...{ [WEDGE_FIELD]: '' }}
              onKeyDown={scanField.onKey}
              onKeyUp={scanField.onKey}
              onBlur={() => setTimeout(c.focusScan, 0)}
            />
            <p id="scan-hint" class="small muted">{t('cashier.scanHint')}</p>
          </div>
          {state.justSold && lastSale
            ? <ChangePanel sale={lastSale} />
            : <VerdictPanel state={verdict} repairs={verdict.kind === 'verdict' ? state.repairs.get(verdict.verdict.code) : undefined} compact={basket.refusals.length > 0} />}
          {lastScan !== null && !(verdict.kind === 'verdict' && verdict.verdict.code === lastScan) && verdict.kind !== 'pending' && (
            <p class="last-scan small">
              {t('cashier.lastScan')}: <Code raw={lastScan} testId="last-scan" />
            </p>
          )}
          <RefusalList refusals={basket.refusals} onOverride={() => c.openDialog('override')} onRemove={(id) => void c.removeLine(id)} />
          <BasketTable basket={basket} repairs={state.repairs} selected={state.selected} onSelect={(id) => dispatch({ type: 'select', id })} onRemove={(id) => void c.removeLine(id)} />
        </div>
        <SidePanel c={c} />
      </div>
      {state.dialog === 'override' && (
        <OverrideDialog
          refusals={basket.refusals}
          onClose={c.closeDialog}
          basketEvents={c.basketEvents}
          onDone={(b, seen) => { c.answered(b, seen); done({ key: 'override.done', kind: 'ok' }); c.closeDialog(); }}
        />
      )}
      {state.dialog === 'ntin' && (
        <NtinChoiceDialog basket={basket} basketEvents={c.basketEvents} onClose={c.closeDialog}
          onDone={(b, seen, ntin) => { c.answered(b, seen); done({ key: 'ntin.done', params: { ntin }, kind: 'ok' }); if (linesWaitingForNtin(b).length === 0) c.closeDialog(); }} />
      )}
      {state.dialog === 'return' && (
        <ReturnDialog
          // Opens empty with today's sales listed (the last sale first): prefilling the last
          // sale hid the list, and the customer at the counter is rarely the last one.
          saleId=""
          basketEvents={c.basketEvents}
          onClose={c.closeDialog}
          onDone={(res, seen) => {
            dispatch({ type: 'completed', res, stale: c.basketEvents.current !== seen });
            done({ key: 'return.done', params: { total: formatMoney(res.receipt.totals.total, lang) }, kind: 'ok' });
            c.closeDialog();
          }}
        />
      )}
      {state.dialog === 'shift' && (
        <ShiftDialog shift={basket.shift} onClose={c.closeDialog} onDone={(text) => { done({ text, kind: 'ok' }); void c.loadBasket(); c.closeDialog(); }} />
      )}
      {state.dialog === 'receipt' && lastSale && <ReceiptDialog sale={lastSale} onClose={c.closeDialog} />}
      {(state.dialog === 'pay-cash' || state.dialog === 'pay-card') && (
        <PaymentDialog method={state.dialog === 'pay-cash' ? 'cash' : 'card'} total={basket.total} busy={state.paying} onClose={c.closeDialog}
          onPay={(payments, contact) => void c.pay(payments, contact).then((ok) => { if (ok) c.closeDialog(); })} />
      )}
      <SellingDialogs c={c} />
      {state.dialog === 'cancel' && (
        <CancelDialog basket={basket} onClose={c.closeDialog} onDone={(b) => { dispatch({ type: 'basket', basket: b }); done({ key: 'basket.cancelled', kind: 'ok' }); c.closeDialog(); }} />
      )}
    </main>
  );
}

/** Totals, payment and action buttons, the last sale and the status line. */
function SidePanel({ c }: { c: ReturnType<typeof useCashier> }) {
  const t = useT();
  const { basket, paying, lastSale, status } = c.state;
  const shiftOpen = basket.shift !== null;
  const overridable = basket.refusals.filter((r) => r.verdict.overridable);
  return (
    <aside class="cashier-side">
      <Totals basket={basket} />
      <div class="pay-buttons">
        <button type="button" class="btn btn-pay" id="pay-cash" disabled={basket.lines.length === 0 || paying} onClick={() => c.openDialog('pay-cash')}>
          {t('pay.cash')} <kbd>F2</kbd>
        </button>
        <button type="button" class="btn btn-pay" id="pay-card" disabled={basket.lines.length === 0 || paying} onClick={() => c.openDialog('pay-card')}>
          {t('pay.card')} <kbd>F3</kbd>
        </button>
      </div>
      <div class="side-buttons">
        <button type="button" class="btn" id="return" onClick={() => c.openDialog('return')}>
          {t('action.return')} <kbd>F4</kbd>
        </button>
        <button type="button" class="btn" id="override" onClick={() => c.openDialog('override')}>
          {t('action.override')}{overridable.length > 0 ? ` (${overridable.length})` : ''} <kbd>F7</kbd>
        </button>
        <button type="button" class="btn" id="search" onClick={() => c.openDialog('search')}>
          {t('action.search')} <kbd>F1</kbd>
        </button>
        <button type="button" class="btn" id="quantity" disabled={c.state.selected === null} onClick={() => c.openDialog('quantity')}>
          {t('action.quantity')} <kbd>F5</kbd>
        </button>
        <button type="button" class="btn" id="discount" disabled={c.state.selected === null} onClick={() => c.openDialog('discount')}>
          {t('action.discount')}
        </button>
        <button type="button" class="btn" id="parked" onClick={() => c.openDialog('parked')}>
          {t('action.parked')}
        </button>
        <button type="button" class="btn btn-wide" id="cancel-basket" disabled={basket.lines.length === 0 && basket.refusals.length === 0} onClick={() => c.openDialog('cancel')}>
          {t('basket.cancel')} <kbd>Shift+Del</kbd>
        </button>
        <button type="button" class="btn btn-wide" id="shift" onClick={() => c.openDialog('shift')}>
          {shiftOpen ? t('shift.close') : t('shift.open')} <kbd>F8</kbd>
        </button>
      </div>
      {lastSale && <LastSale sale={lastSale} ofdDown={c.state.sync !== null && (c.state.sync.status.mode !== 'online' || ofdLinkDown(c.state.sync.status, c.state.sync.ofdProbe ?? null))} onShow={() => c.openDialog('receipt')} />}
      <p class={`status-line${status.kind ? ` status-${status.kind}` : ''}`} role="status" data-testid="cashier-status">{statusText(status, t)}</p>
      <p class="small muted shortcuts">{t('cashier.shortcuts')}</p>
    </aside>
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
  const [actual, setActual] = useState(false);
  const [printed, setPrinted] = useState<string | null>(null);
  const reprint = () => api.reprint(props.sale.saleId).then(
    (r) => setPrinted(t('receipt.reprinted', { state: t(`print.${r.print.state}`) })),
    (err: unknown) => setError(errorText(err, lang)),
  );
  return (
    <Dialog title={t('receipt.title')} onClose={props.onClose} id="receipt-dialog" wide>
      <p class="small"><code>{props.sale.saleId}</code></p>
      {error && <p class="form-error" role="alert">{error}</p>}
      {printed && <p class="ok-text" role="status" data-testid="reprinted">{printed}</p>}
      {/* Fit shows the whole receipt; actual size shows it pixel for pixel, scrolled. */}
      <div class={actual ? 'receipt-scroll actual' : 'receipt-scroll'}>
        {src ? <img class="receipt-image" src={src} alt={t('receipt.alt')} data-testid="receipt-image" /> : !error && <p role="status">{t('loading')}</p>}
      </div>
      <div class="form-actions">
        <button type="button" class="btn" id="receipt-zoom" aria-pressed={actual} onClick={() => setActual(!actual)}>{actual ? t('receipt.fit') : t('receipt.actualSize')}</button>
        <button type="button" class="btn" id="receipt-reprint" onClick={() => void reprint()}>{t('receipt.reprint')}</button>
        <button type="button" class="btn btn-primary" onClick={props.onClose}>{t('action.close')}</button>
      </div>
    </Dialog>
  );
}
