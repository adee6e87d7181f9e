/**
 * Payment as its own step: F2 (cash) or F3 (card) opens it, nothing is paid until the cashier
 * confirms, so no sale is completed by one stray key. Cash shows the amount tendered and the
 * change; card is its own step: Enter does not complete it, the cashier chooses the terminal's
 * result (approved completes the sale, declined leaves it open with the card amount cleared);
 * both fields filled is a split payment (card first, the rest in cash). The core checks the sums again.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PaymentInput, PayRequest } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { formatMoney, parseMoneyInput } from '../shared/format.ts';
import { EReceiptFields, eReceiptContact, NO_E_RECEIPT } from './e-receipt.tsx';

/** The payments to send and the change to give, or why the amounts cannot be taken. */
export function planPayment(total: number, cashText: string, cardText: string, authCode = ''): { payments: PaymentInput[]; change: number } | { problem: 'amount' | 'short' | 'cardOver' } {
  const cash = cashText.trim() === '' ? 0 : parseMoneyInput(cashText);
  const card = cardText.trim() === '' ? 0 : parseMoneyInput(cardText);
  if (cash === null || card === null) return { problem: 'amount' };
  if (card > total) return { problem: 'cardOver' };
  if (cash + card < total) return { problem: 'short' };
  const payments: PaymentInput[] = [];
  // The terminal's approval code from the slip, when typed, goes with the card payment (and to the OFD).
  if (card > 0) payments.push({ type: 'card', amount: card, ...(authCode.trim() !== '' ? { card: { authCode: authCode.trim() } } : {}) });
  if (cash > 0) payments.push({ type: 'cash', amount: cash });
  return { payments, change: cash + card - total };
}

const plain = (minor: number): string => (minor / 100).toFixed(2);

/** The largest tenge banknote (20 000 ₸): more change than that means a mistyped amount tendered. */
export const LARGEST_NOTE = 2_000_000;

/** How much the typed amounts fall short of the total (0 when they cover it or cannot be read). */
export function missingAmount(total: number, cashText: string, cardText: string): number {
  const cash = cashText.trim() === '' ? 0 : parseMoneyInput(cashText);
  const card = cardText.trim() === '' ? 0 : parseMoneyInput(cardText);
  return cash === null || card === null ? 0 : Math.max(0, total - cash - card);
}

export function PaymentDialog(props: { method: PaymentInput['type']; total: number; busy: boolean; onClose(): void; onPay(payments: PaymentInput[], contact?: PayRequest['contact']): void }) {
  const { lang } = useApp();
  const t = useT();
  const [cash, setCash] = useState(props.method === 'cash' ? plain(props.total) : '');
  const [card, setCard] = useState(props.method === 'card' ? plain(props.total) : '');
  // The dialog follows the live total (a scanner, a price or quantity change while it is open):
  // a field the cashier has not typed into takes the new total, and the change is said aloud.
  const typed = useRef({ cash: false, card: false });
  const opened = useRef(props.total);
  useEffect(() => {
    if (props.method === 'cash' && !typed.current.cash) setCash(plain(props.total));
    if (props.method === 'card' && !typed.current.card) setCard(plain(props.total));
  }, [props.total, props.method]);
  const [authCode, setAuthCode] = useState('');
  const plan = planPayment(props.total, cash, card, authCode);
  const [eReceipt, setEReceipt] = useState(NO_E_RECEIPT);
  const contact = eReceiptContact(eReceipt);
  // Change above the largest banknote (100 000 tendered for 722) asks to confirm: press again.
  const [checkedChange, setCheckedChange] = useState<number | null>(null);
  const largeChange = 'change' in plan && plan.change > LARGEST_NOTE;
  const [declined, setDeclined] = useState(false);
  const byCard = 'payments' in plan && plan.payments.some((p) => p.type === 'card');
  const canPay = 'payments' in plan && !props.busy && !('problem' in contact);
  const pay = () => {
    if (!('payments' in plan) || !canPay || 'problem' in contact) return;
    if (largeChange && checkedChange !== plan.change) return void setCheckedChange(plan.change);
    props.onPay(plan.payments, contact.contact);
  };
  // Card is its own step: Enter never completes it; only the terminal's result, chosen on purpose, does.
  const submit = (e: Event) => {
    e.preventDefault();
    if (!byCard) pay();
  };
  const decline = () => {
    typed.current.card = true;
    setCard('');
    setAuthCode('');
    setDeclined(true);
  };
  return (
    <Dialog title={t('pay.title', { total: formatMoney(props.total, lang) })} onClose={props.onClose} id="payment-dialog">
      {props.total !== opened.current && (
        <p class="warn-text" role="status" data-testid="pay-total-changed">{t('pay.totalChanged', { from: formatMoney(opened.current, lang), total: formatMoney(props.total, lang) })}</p>
      )}
      <form onSubmit={submit}>
        <div class="field">
          <label for="pay-cash-given">{t('pay.cashGiven')}</label>
          <input id="pay-cash-given" inputMode="decimal" autoComplete="off" value={cash} data-autofocus={props.method === 'cash' ? '' : undefined}
            onFocus={(e) => e.currentTarget.select()} onInput={(e) => { typed.current.cash = true; setCash(e.currentTarget.value); }} />
        </div>
        <div class="field">
          <label for="pay-card-amount">{t('pay.cardAmount')}</label>
          <input id="pay-card-amount" inputMode="decimal" autoComplete="off" value={card} data-autofocus={props.method === 'card' ? '' : undefined}
            onFocus={(e) => e.currentTarget.select()} onInput={(e) => { typed.current.card = true; setDeclined(false); setCard(e.currentTarget.value); }} />
          {byCard && <p class="small muted" data-testid="pay-card-hint">{t('pay.cardNeedsResult')}</p>}
        </div>
        {card.trim() !== '' && (
          <div class="field">
            <label for="pay-card-auth">{t('pay.cardAuth')}</label>
            <input id="pay-card-auth" autoComplete="off" maxLength={64} value={authCode} onInput={(e) => setAuthCode(e.currentTarget.value)} />
          </div>
        )}
        {'change' in plan
          ? <p class="pay-change" data-testid="pay-change">{t('pay.change', { change: formatMoney(plan.change, lang) })}</p>
          : <p class="form-error" role="alert" data-testid="pay-problem">{plan.problem === 'short'
            ? t('pay.problem.shortBy', { missing: formatMoney(missingAmount(props.total, cash, card), lang) })
            : t(`pay.problem.${plan.problem}`)}</p>}
        {largeChange && checkedChange === plan.change && (
          <p class="form-error" role="alert" data-testid="pay-large-change">{t('pay.largeChange', { change: formatMoney(plan.change, lang), note: formatMoney(LARGEST_NOTE, lang) })}</p>
        )}
        {declined && <p class="form-error" role="alert" data-testid="pay-declined">{t('pay.declinedNote')}</p>}
        <EReceiptFields value={eReceipt} onChange={setEReceipt} />
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          {byCard ? (
            <>
              <button type="button" class="btn" id="pay-card-declined" disabled={props.busy} onClick={decline}>{t('pay.cardDeclined')}</button>
              <button type="button" class="btn btn-primary" id="pay-confirm" disabled={!canPay} onClick={pay}>{t('pay.cardApproved')}</button>
            </>
          ) : (
            <button type="submit" class="btn btn-primary" id="pay-confirm" disabled={!canPay}>{t('pay.confirm')}</button>
          )}
        </div>
      </form>
    </Dialog>
  );
}
