/**
 * Payment as its own step: F2 (cash) or F3 (card) opens it, nothing is paid until the cashier
 * confirms, so no sale is completed by one stray key. Cash shows the amount tendered and the
 * change; card is confirmed once the terminal has approved; both fields filled is a split
 * payment (card first, the rest in cash). The core checks the sums again.
 */
import { useState } from 'preact/hooks';
import type { PaymentInput, PayRequest } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { formatMoney, parseMoneyInput } from '../shared/format.ts';
import { EReceiptFields, eReceiptContact, NO_E_RECEIPT } from './e-receipt.tsx';

/** The payments to send and the change to give, or why the amounts cannot be taken. */
export function planPayment(total: number, cashText: string, cardText: string): { payments: PaymentInput[]; change: number } | { problem: 'amount' | 'short' | 'cardOver' } {
  const cash = cashText.trim() === '' ? 0 : parseMoneyInput(cashText);
  const card = cardText.trim() === '' ? 0 : parseMoneyInput(cardText);
  if (cash === null || card === null) return { problem: 'amount' };
  if (card > total) return { problem: 'cardOver' };
  if (cash + card < total) return { problem: 'short' };
  const payments: PaymentInput[] = [];
  if (card > 0) payments.push({ type: 'card', amount: card });
  if (cash > 0) payments.push({ type: 'cash', amount: cash });
  return { payments, change: cash + card - total };
}

const plain = (minor: number): string => (minor / 100).toFixed(2);

export function PaymentDialog(props: { method: PaymentInput['type']; total: number; busy: boolean; onClose(): void; onPay(payments: PaymentInput[], contact?: PayRequest['contact']): void }) {
  const { lang } = useApp();
  const t = useT();
  const [cash, setCash] = useState(props.method === 'cash' ? plain(props.total) : '');
  const [card, setCard] = useState(props.method === 'card' ? plain(props.total) : '');
  const plan = planPayment(props.total, cash, card);
  const [eReceipt, setEReceipt] = useState(NO_E_RECEIPT);
  const contact = eReceiptContact(eReceipt);
  const submit = (e: Event) => {
    e.preventDefault();
    if ('payments' in plan && !props.busy && !('problem' in contact)) props.onPay(plan.payments, contact.contact);
  };
  return (
    <Dialog title={t('pay.title', { total: formatMoney(props.total, lang) })} onClose={props.onClose} id="payment-dialog">
      <form onSubmit={submit}>
        <div class="field">
          <label for="pay-cash-given">{t('pay.cashGiven')}</label>
          <input id="pay-cash-given" inputMode="decimal" autoComplete="off" value={cash} data-autofocus={props.method === 'cash' ? '' : undefined}
            onFocus={(e) => e.currentTarget.select()} onInput={(e) => setCash(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="pay-card-amount">{t('pay.cardAmount')}</label>
          <input id="pay-card-amount" inputMode="decimal" autoComplete="off" value={card} data-autofocus={props.method === 'card' ? '' : undefined}
            onFocus={(e) => e.currentTarget.select()} onInput={(e) => setCard(e.currentTarget.value)} />
          {plan && 'payments' in plan && plan.payments.some((p) => p.type === 'card') && <p class="small muted">{t('pay.cardHint')}</p>}
        </div>
        {'change' in plan
          ? <p class="pay-change" data-testid="pay-change">{t('pay.change', { change: formatMoney(plan.change, lang) })}</p>
          : <p class="form-error" role="alert" data-testid="pay-problem">{t(`pay.problem.${plan.problem}`)}</p>}
        <EReceiptFields value={eReceipt} onChange={setEReceipt} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="submit" class="btn btn-primary" id="pay-confirm" disabled={props.busy || !('payments' in plan) || 'problem' in contact}>{t('pay.confirm')}</button>
        </div>
      </form>
    </Dialog>
  );
}
