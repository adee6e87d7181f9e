/**
 * E-receipt contact at the till: the customer's phone or e-mail, stored only with their consent
 * (a tick the cashier sets when the customer agrees). Without consent nothing is sent; the
 * manager's privacy screen lists and purges what was stored.
 */
import { normalisePhone, type PayRequest, type PhoneProblem } from '../../server/contract/index.ts';
import { useT } from '../shared/context.ts';

/** What the cashier typed. */
export interface EReceiptInput {
  phone: string;
  email: string;
  consent: boolean;
}

export const NO_E_RECEIPT: EReceiptInput = { phone: '', email: '', consent: false };

/** The contact for the payment, nothing (no contact typed), or what is wrong with it. */
export function eReceiptContact(v: EReceiptInput): { contact?: NonNullable<PayRequest['contact']> } | { problem: PhoneProblem | 'email' | 'consent' } {
  // One form for every number (87011234567 → +77011234567); the core normalises it again.
  const typed = v.phone.trim();
  const n = typed === '' ? { phone: '' } : normalisePhone(typed);
  if ('problem' in n) return { problem: n.problem };
  const phone = n.phone;
  const email = v.email.trim();
  if (phone === '' && email === '') return {};
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return { problem: 'email' };
  if (!v.consent) return { problem: 'consent' };
  return { contact: { ...(phone ? { phone } : {}), ...(email ? { email } : {}), consent: true } };
}

/** The fields, for the payment dialog. */
export function EReceiptFields(props: { value: EReceiptInput; onChange(v: EReceiptInput): void }) {
  const t = useT();
  const v = props.value;
  const check = eReceiptContact(v);
  return (
    <fieldset class="field e-receipt" data-testid="e-receipt">
      <legend>{t('ereceipt.title')}</legend>
      <div class="inline-field">
        <label for="ereceipt-phone" class="sr-only">{t('ereceipt.phone')}</label>
        <input id="ereceipt-phone" type="tel" autoComplete="off" placeholder={t('ereceipt.phone')} value={v.phone} onInput={(e) => props.onChange({ ...v, phone: e.currentTarget.value })} />
        <label for="ereceipt-email" class="sr-only">{t('ereceipt.email')}</label>
        <input id="ereceipt-email" type="email" autoComplete="off" placeholder={t('ereceipt.email')} value={v.email} onInput={(e) => props.onChange({ ...v, email: e.currentTarget.value })} />
      </div>
      <label class="check">
        <input type="checkbox" id="ereceipt-consent" checked={v.consent} onChange={(e) => props.onChange({ ...v, consent: e.currentTarget.checked })} />
        <span>{t('ereceipt.consent')}</span>
      </label>
      {'contact' in check && check.contact?.phone !== undefined && check.contact.phone !== v.phone.trim() && (
        <p class="small muted" data-testid="ereceipt-phone-normalised">{t('ereceipt.phoneAs', { phone: check.contact.phone })}</p>
      )}
      {'problem' in check && <p class="form-error" role="alert" data-testid="ereceipt-problem">{t(`ereceipt.problem.${check.problem}`)}</p>}
    </fieldset>
  );
}
