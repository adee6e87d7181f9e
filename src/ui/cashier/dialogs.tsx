/**
 * The cashier's dialogs: manager override of a refusal, basket cancel (the return:
 * return-dialog.tsx, the shift: shift-dialog.tsx). Each holds the focus while open (the scan field does not take it back) and closes
 * with Escape. Fields that take a marking code run the keyboard-wedge decoder, so a scanner
 * works in them too (GS kept).
 */
import { useState } from 'preact/hooks';
import type { BasketView, RefusalView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatMoney } from '../shared/format.ts';
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
