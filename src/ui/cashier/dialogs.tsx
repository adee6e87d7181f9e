/**
 * The cashier's dialogs: manager override of a refusal, return against a sale, shift open /
 * close. Each holds the focus while open (the scan field does not take it back) and closes
 * with Escape. Fields that take a marking code run the keyboard-wedge decoder, so a scanner
 * works in them too (GS kept).
 */
import { useState } from 'preact/hooks';
import type { BasketView, CompleteResponse, RefusalView, ShiftView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatMoney, formatTime } from '../shared/format.ts';
import { useWedgeField, WEDGE_FIELD } from '../shared/use-wedge.ts';
import { verdictText } from './verdict.tsx';

/** A manager approves one refused scan with their name, PIN and a reason (audited; wrong PINs lock out). */
export function OverrideDialog(props: { refusals: readonly RefusalView[]; basketEvents: { current: number }; onClose(): void; onDone(basket: BasketView, seen: number): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const candidates = props.refusals.filter((r) => r.verdict.overridable);
  const [refusalId, setRefusalId] = useState(candidates[candidates.length - 1]?.id ?? '');
  const [managerName, setManagerName] = useState('');
  const [managerPin, setManagerPin] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!refusalId) return setMessage(t('override.none'));
    if (!managerName.trim()) return setMessage(t('override.managerRequired'));
    if (!/^\d{4,12}$/.test(managerPin)) return setMessage(t('setup.pinFormat'));
    if (reason.trim().length < 3) return setMessage(t('override.reasonShort'));
    setBusy(true);
    const seen = props.basketEvents.current;
    try {
      props.onDone((await api.override({ refusalId, managerName: managerName.trim(), managerPin, reason: reason.trim() })).basket, seen);
    } catch (err) {
      setMessage(errorText(err, lang));
      setManagerPin('');
    } finally {
      setBusy(false);
    }
  };
  // Or ask on the approvers' own screens: the approved line arrives as a basket event.
  const ask = async () => {
    // The refusal picked, else the latest (as the list preselects it; it may have arrived after the dialog opened).
    const chosen = refusalId || (candidates[candidates.length - 1]?.id ?? '');
    if (!chosen) return setMessage(t('override.none'));
    if (reason.trim().length < 3) return setMessage(t('override.reasonShort'));
    try {
      await api.askOverride({ refusalId: chosen, reason: reason.trim() });
      setMessage(t('override.asked'));
    } catch (err) {
      setMessage(errorText(err, lang));
    }
  };
  return (
    <Dialog title={t('override.title')} onClose={props.onClose} id="override-dialog">
      <p>{t('override.intro')}</p>
      {message && <p class="form-error" role="alert">{message}</p>}
      {candidates.length === 0 && <p class="not-connected" data-testid="override-none">{t('override.none')}</p>}
      <form onSubmit={submit}>
        {candidates.length > 0 && (
          <fieldset class="field">
            <legend>{t('override.which')}</legend>
            {candidates.map((r) => (
              <label key={r.id} class="check radio">
                <input type="radio" name="refusal" value={r.id} checked={refusalId === r.id} onChange={() => setRefusalId(r.id)} />
                <span>
                  <strong>{verdictText(r.verdict.messages, r.verdict.message, lang)}</strong>
                  <span class="small"> <Code raw={r.code} /></span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <div class="field">
          <label for="override-manager">{t('override.manager')}</label>
          <input id="override-manager" value={managerName} maxLength={64} autoComplete="off" spellcheck={false} onInput={(e) => setManagerName(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="override-pin">{t('override.pin')}</label>
          <input id="override-pin" type="password" inputMode="numeric" autoComplete="off" value={managerPin} onInput={(e) => setManagerPin(e.currentTarget.value.replace(/\D/g, ''))} />
        </div>
        <div class="field">
          <label for="override-reason">{t('override.reason')}</label>
          <input id="override-reason" value={reason} autoComplete="off" onInput={(e) => setReason(e.currentTarget.value)} />
        </div>
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="button" class="btn" id="override-ask" disabled={busy || candidates.length === 0} onClick={() => void ask()}>{t('override.ask')}</button>
          <button type="submit" class="btn btn-primary" id="override-confirm" disabled={busy || candidates.length === 0}>{t('action.confirm')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** A return against a committed sale: the sale's id and the codes (scanned or typed) to take back. */
export function ReturnDialog(props: { saleId: string; basketEvents: { current: number }; onClose(): void; onDone(res: CompleteResponse, seen: number): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [saleId, setSaleId] = useState(props.saleId);
  const [items, setItems] = useState<string[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useWedgeField((code, _source, scan) => setItems((list) => {
    // The rest of a burst a stall cut short replaces its fragment.
    const kept = scan?.continues !== undefined ? list.filter((c) => c !== scan.continues) : list;
    return kept.includes(code) ? kept : [...kept, code];
  }), { keepTab: true });
  const submit = async (e: Event) => {
    e.preventDefault();
    // A code still in the field (typed, Enter not pressed) counts too.
    const pending = field.inputRef.current?.value.trim() ?? '';
    const all = pending && !items.includes(pending) ? [...items, pending] : items;
    if (!saleId.trim()) return setMessage(t('return.needSale'));
    if (all.length === 0) return setMessage(t('return.needItems'));
    setBusy(true);
    const seen = props.basketEvents.current;
    try {
      props.onDone(await api.returnItems({ saleId: saleId.trim(), items: all }), seen);
    } catch (err) {
      setMessage(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('action.return')} onClose={props.onClose} id="return-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      <form onSubmit={submit}>
        <div class="field">
          <label for="return-sale">{t('return.sale')}</label>
          <input id="return-sale" value={saleId} autoComplete="off" spellcheck={false} onInput={(e) => setSaleId(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="return-code">{t('return.code')}</label>
          <input id="return-code" ref={field.inputRef} autoComplete="off" spellcheck={false} aria-describedby="return-code-hint" {...{ [WEDGE_FIELD]: '' }}
            onKeyDown={field.onKey} onKeyUp={field.onKey} />
          <p id="return-code-hint" class="small muted">{t('return.codeHint')}</p>
        </div>
        {items.length > 0 && (
          <ul class="return-items" data-testid="return-items">
            {items.map((code) => (
              <li key={code}>
                <Code raw={code} />
                <button type="button" class="btn btn-icon" aria-label={t('refusals.remove')} onClick={() => setItems(items.filter((c) => c !== code))}>×</button>
              </li>
            ))}
          </ul>
        )}
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="submit" class="btn btn-primary" id="return-confirm" disabled={busy}>{t('action.confirm')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** Opens a shift, or closes it with the Z report (the figures are shown in the status line). */
export function ShiftDialog(props: { shift: ShiftView | null; onClose(): void; onDone(text: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      if (props.shift === null) {
        const res = await api.openShift();
        props.onDone(t('shift.opened', { n: res.shift?.number ?? '?' }));
      } else {
        const { report } = await api.closeShift();
        props.onDone(t('shift.closed', { n: report.shiftNumber, sales: report.sale.count, net: formatMoney(report.net, lang) }));
      }
    } catch (err) {
      setMessage(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={props.shift === null ? t('shift.open') : t('shift.close')} onClose={props.onClose} id="shift-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      <p>
        {props.shift === null
          ? t('shift.openIntro')
          : t('shift.closeIntro', { n: props.shift.number, since: formatTime(props.shift.openedAt, lang), cashier: props.shift.cashier })}
      </p>
      <div class="form-actions">
        <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
        <button type="button" class="btn btn-primary" id="shift-confirm" data-autofocus disabled={busy} onClick={() => void confirm()}>{t('action.confirm')}</button>
      </div>
    </Dialog>
  );
}

/** Cancels the whole basket (lines and refused scans) after a confirmation; the core audits it. */
export function CancelDialog(props: { basket: BasketView; onClose(): void; onDone(basket: BasketView): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      props.onDone((await api.cancelBasket()).basket);
    } catch (err) {
      setMessage(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('basket.cancel')} onClose={props.onClose} id="cancel-dialog">
      {message && <p class="form-error" role="alert">{message}</p>}
      <p>{t('basket.cancelIntro', { n: props.basket.lines.length, total: formatMoney(props.basket.total, lang) })}</p>
      <div class="form-actions">
        <button type="button" class="btn" onClick={props.onClose}>{t('action.close')}</button>
        <button type="button" class="btn btn-primary" id="cancel-confirm" data-autofocus disabled={busy} onClick={() => void confirm()}>{t('basket.cancel')}</button>
      </div>
    </Dialog>
  );
}
