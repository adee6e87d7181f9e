/**
 * The cashier screen. The scan field always has the focus (it takes it back whenever it loses
 * it, unless a dialog is open), so a scan is never typed into the wrong place and a scanner's
 * Enter never presses a button. Actions have function keys and big touch targets instead.
 * Key events go through the keyboard-wedge decoder: scanner bursts become scans (GS rebuilt,
 * layout repaired), a person's typing stays typing and is sent with Enter.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { ServerEvent } from '../../server/contract/index.ts';
import { isNotConnected } from '../shared/api.ts';
import { beep } from '../shared/beep.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import type { MessageKey } from '../shared/i18n.ts';
import { EMPTY_BASKET, type BasketView, type Decision, type PaymentMethod, type SyncView } from '../shared/pending.ts';
import { WedgeInput, type WedgeOutput } from '../shared/wedge.ts';
import { BasketTable, Totals } from './basket.tsx';
import { OfflineBanner } from './offline.tsx';
import { VerdictPanel, type VerdictState } from './verdict.tsx';

type DialogKind = null | 'override' | 'return';

type Translate = ReturnType<typeof useT>;
/** The status line, rendered at display time so that it follows a language switch. */
interface StatusLine { render(t: Translate): string }
const READY: StatusLine = { render: (t) => t('cashier.ready') };

function isDecision(v: unknown): v is Decision {
  return v === 'allow' || v === 'warn' || v === 'refuse';
}

/** A `sync` event's status, if it has the shape the banner needs (the route is not written yet). */
function asSyncView(v: unknown): SyncView | null {
  if (v === null || typeof v !== 'object') return null;
  const s = v as Record<string, unknown>;
  return typeof s.online === 'boolean' && typeof s.queueDepth === 'number' && typeof s.offlineLimitHours === 'number' ? (s as unknown as SyncView) : null;
}

export function CashierScreen() {
  const { api, events, lang } = useApp();
  const t = useT();
  const inputRef = useRef<HTMLInputElement>(null);
  const [verdict, setVerdict] = useState<VerdictState>({ kind: 'idle' });
  const [lastScan, setLastScan] = useState<string | null>(null);
  const [basket, setBasket] = useState<BasketView>(EMPTY_BASKET);
  const [status, setStatus] = useState<StatusLine>(READY);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [sync, setSync] = useState<SyncView | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const dialogRef = useRef<DialogKind>(null);
  dialogRef.current = dialog;

  const focusScan = useCallback(() => {
    if (dialogRef.current === null) inputRef.current?.focus();
  }, []);

  /** Reports an action's failure in the status line; "not connected yet" is said plainly. */
  const report = useCallback((feature: MessageKey, err: unknown) => {
    const text = errorText(err, lang);
    setStatus(isNotConnected(err) ? { render: (tr) => tr('notConnected.feature', { feature: tr(feature) }) } : { render: () => text });
  }, [lang]);

  const submitCode = useCallback(async (raw: string) => {
    if (raw === '') return;
    setLastScan(raw);
    try {
      const result = await api.scan(raw);
      setVerdict({ kind: 'verdict', verdict: result.verdict });
      setBasket(result.basket);
      beep(result.verdict.decision);
      setStatus(READY);
    } catch (err) {
      setVerdict({ kind: 'pending', raw, note: isNotConnected(err) ? null : errorText(err, lang) });
      report('feature.scan', err);
    }
  }, [api, lang, report]);

  // The wedge decoder lives as long as the screen.
  const wedgeRef = useRef<WedgeInput | null>(null);
  const submitRef = useRef(submitCode);
  submitRef.current = submitCode;
  useEffect(() => {
    const wedge = new WedgeInput((out: WedgeOutput) => {
      const input = inputRef.current;
      if (out.kind === 'scan') {
        // The field shows what the keyboard layout made of the burst; the decoder has the real code.
        if (input) input.value = '';
        void submitRef.current(out.text);
      } else if (out.terminator === 'Enter' && input) {
        const typed = input.value.trim();
        input.value = '';
        void submitRef.current(typed);
      }
    });
    wedgeRef.current = wedge;
    return () => wedge.dispose();
  }, []);

  const onScanKey = (e: KeyboardEvent) => {
    // Enter/Tab end a code; Ctrl+] is GS. None of them may act on the page.
    if (e.type === 'keydown' && (e.key === 'Enter' || e.key === 'Tab' || (e.ctrlKey && e.code === 'BracketRight'))) e.preventDefault();
    wedgeRef.current?.handle(e);
  };

  // Live verdicts and scans from the core (scanners attached to the register, not this page).
  useEffect(() => {
    if (!events) return undefined;
    return events.on((e: ServerEvent) => {
      if (e.type === 'verdict' && isDecision(e.decision)) {
        setVerdict({ kind: 'verdict', verdict: { decision: e.decision, reason: e.reason, message: e.message, code: e.code, at: e.at } });
        beep(e.decision);
      } else if (e.type === 'scan') {
        setLastScan(e.raw);
      } else if (e.type === 'sync') {
        const view = asSyncView(e.status);
        if (view) setSync(view);
      }
    });
  }, [events]);

  // Sync status for the offline banner; the clock ticks so "time left" counts down.
  useEffect(() => {
    let stopped = false;
    const load = () => api.syncStatus().then((s) => { if (!stopped) setSync(s); }, () => undefined);
    void load();
    const poll = setInterval(load, 30_000);
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => { stopped = true; clearInterval(poll); clearInterval(tick); };
  }, [api]);

  const pay = useCallback(async (method: PaymentMethod) => {
    try {
      await api.pay(method);
      setBasket(EMPTY_BASKET);
      setVerdict({ kind: 'idle' });
      setStatus(READY);
    } catch (err) {
      report('feature.sale', err);
    }
  }, [api, report]);

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
      const actions: Record<string, () => void> = {
        F2: () => void pay('cash'),
        F3: () => void pay('card'),
        F4: () => openDialog('return'),
        F7: () => openDialog('override'),
      };
      const action = actions[e.key];
      if (action) {
        e.preventDefault();
        action();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [pay, openDialog]);

  useEffect(() => { focusScan(); }, [focusScan]);

  return (
    <main class="cashier" id="cashier">
      <OfflineBanner sync={sync} now={now} />
      <div class="cashier-grid">
        <div class="cashier-main">
          <div class="scan-field">
            <label for="scan-input">{t('cashier.scanLabel')}</label>
            <input
              id="scan-input"
              ref={inputRef}
              class="scan-input"
              autoComplete="off"
              autoCorrect="off"
              autoCapitalize="off"
              spellcheck={false}
              aria-describedby="scan-hint"
              onKeyDown={onScanKey}
              onKeyUp={onScanKey}
              onBlur={() => setTimeout(focusScan, 0)}
            />
            <p id="scan-hint" class="small muted">{t('cashier.scanHint')}</p>
          </div>
          <VerdictPanel state={verdict} />
          {lastScan !== null && (
            <p class="last-scan small">
              {t('cashier.lastScan')}: <Code raw={lastScan} testId="last-scan" />
            </p>
          )}
          <BasketTable basket={basket} />
        </div>
        <aside class="cashier-side">
          <Totals basket={basket} />
          <div class="pay-buttons">
            <button type="button" class="btn btn-pay" id="pay-cash" onClick={() => void pay('cash')}>
              {t('pay.cash')} <kbd>F2</kbd>
            </button>
            <button type="button" class="btn btn-pay" id="pay-card" onClick={() => void pay('card')}>
              {t('pay.card')} <kbd>F3</kbd>
            </button>
          </div>
          <div class="side-buttons">
            <button type="button" class="btn" id="return" onClick={() => openDialog('return')}>
              {t('action.return')} <kbd>F4</kbd>
            </button>
            <button type="button" class="btn" id="override" onClick={() => openDialog('override')}>
              {t('action.override')} <kbd>F7</kbd>
            </button>
          </div>
          <p class="status-line" role="status" data-testid="cashier-status">{status.render(t)}</p>
          <p class="small muted shortcuts">{t('cashier.shortcuts')}</p>
        </aside>
      </div>
      {dialog === 'override' && (
        <OverrideDialog
          code={verdict.kind === 'verdict' ? verdict.verdict.code : lastScan ?? ''}
          onClose={closeDialog}
          onError={(err) => report('feature.override', err)}
          onDone={(b) => { setBasket(b); closeDialog(); }}
        />
      )}
      {dialog === 'return' && (
        <ReturnDialog
          onClose={closeDialog}
          onError={(err) => report('feature.return', err)}
          onDone={(b) => { setBasket(b); closeDialog(); }}
        />
      )}
    </main>
  );
}

function OverrideDialog(props: { code: string; onClose(): void; onError(err: unknown): void; onDone(basket: BasketView): void }) {
  const { api } = useApp();
  const t = useT();
  const [managerName, setManagerName] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      props.onDone(await api.override({ managerName, managerPin, reason, code: props.code }));
    } catch (err) {
      props.onError(err);
      setMessage(isNotConnected(err) ? t('notConnected.feature', { feature: t('feature.override') }) : String((err as Error).message));
    }
  };
  return (
    <Dialog title={t('override.title')} onClose={props.onClose} id="override-dialog">
      <p>{t('override.intro')}</p>
      {props.code && <p class="small"><Code raw={props.code} /></p>}
      {message && <p class="form-error" role="alert">{message}</p>}
      <form onSubmit={submit}>
        <div class="field">
          <label for="override-manager">{t('override.manager')}</label>
          <input id="override-manager" value={managerName} onInput={(e) => setManagerName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="override-pin">{t('override.pin')}</label>
          <input id="override-pin" type="password" inputMode="numeric" value={managerPin} onInput={(e) => setManagerPin(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="override-reason">{t('override.reason')}</label>
          <input id="override-reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="submit" class="btn btn-primary">{t('action.confirm')}</button>
        </div>
      </form>
    </Dialog>
  );
}

function ReturnDialog(props: { onClose(): void; onError(err: unknown): void; onDone(basket: BasketView): void }) {
  const { api } = useApp();
  const t = useT();
  const [code, setCode] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      props.onDone(await api.returnItem(code));
    } catch (err) {
      props.onError(err);
      setMessage(isNotConnected(err) ? t('notConnected.feature', { feature: t('feature.return') }) : String((err as Error).message));
    }
  };
  return (
    <Dialog title={t('action.return')} onClose={props.onClose} id="return-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      <form onSubmit={submit}>
        <div class="field">
          <label for="return-code">{t('cashier.scanLabel')}</label>
          <input id="return-code" value={code} autoComplete="off" onInput={(e) => setCode(e.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="submit" class="btn btn-primary">{t('action.confirm')}</button>
        </div>
      </form>
    </Dialog>
  );
}
