/**
 * The shift at the till. Closed: open it, with the opening float counted into the drawer. Open:
 * cash in and cash out (each a fiscal document), the X report on screen and printed, and the
 * close, which prints the Z report and shows it — sales and returns with their cash / card
 * split, the float, cash in and out, and the cash the drawer should hold.
 */
import { useState } from 'preact/hooks';
import type { ShiftReportView, ShiftView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { formatMoney, formatTime, parseMoneyInput } from '../shared/format.ts';

/** The figures of an X or Z report. */
export function ShiftReportPanel(props: { report: ShiftReportView; kind: 'x' | 'z' }) {
  const { lang } = useApp();
  const t = useT();
  const { report: r } = props;
  const m = (v: number) => formatMoney(v, lang);
  const rows: [string, string, number, boolean?][] = [
    ['sales', t('report.sales', { n: r.sale.count }), r.sale.sum, true],
    ['cashSales', `· ${t('report.cash')}`, r.cash.cashSales],
    ['cardSales', `· ${t('report.card')}`, r.cash.cardSales],
    ['returns', t('report.returns', { n: r.return.count }), r.return.sum, true],
    ['cashRefunds', `· ${t('report.cash')}`, r.cash.cashRefunds],
    ['cardRefunds', `· ${t('report.card')}`, r.cash.cardRefunds],
    ['net', t('report.net'), r.net, true],
    ['float', t('report.float'), r.cash.float],
    ['deposits', t('report.deposits'), r.cash.deposits],
    ['withdrawals', t('report.withdrawals'), r.cash.withdrawals],
    ['inDrawer', t('report.inDrawer'), r.cash.inDrawer, true],
  ];
  return (
    <section data-testid="shift-report" data-kind={props.kind}>
      <h3>{props.kind === 'z' ? t('shift.zTitle', { n: r.shiftNumber }) : t('shift.xTitle', { n: r.shiftNumber })}</h3>
      <table class="report-table">
        <tbody>
          {rows.map(([id, label, value, strong]) => (
            <tr key={id} data-figure={id} class={strong ? 'strong' : undefined}>
              <th scope="row">{label}</th>
              <td class="num">{m(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function ShiftDialog(props: { shift: ShiftView | null; onClose(): void; onDone(text: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [message, setMessage] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [float, setFloat] = useState('');
  const [report, setReport] = useState<{ report: ShiftReportView; kind: 'x' | 'z' } | null>(null);
  const [zText, setZText] = useState<string | null>(null);

  /** Runs one action with the busy flag and the error shown. */
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    setMessage(null);
    try {
      await fn();
    } catch (err) {
      setMessage(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const confirm = () => act(async () => {
    if (props.shift === null) {
      const amount = float.trim() === '' ? 0 : parseMoneyInput(float);
      if (amount === null || amount < 0) { setMessage(t('shift.floatBad')); return; }
      const res = await api.openShift(amount > 0 ? { float: amount } : {});
      props.onDone(t('shift.opened', { n: res.shift?.number ?? '?' }));
    } else {
      const res = await api.closeShift();
      // The Z report stays on screen until the cashier has read it.
      setReport({ report: res.report, kind: 'z' });
      if (res.print) setInfo(t('shift.printed', { state: t(`print.${res.print.state}`) }));
      setZText(t('shift.closed', { n: res.report.shiftNumber, sales: res.report.sale.count, net: formatMoney(res.report.net, lang) }));
    }
  });
  const closed = zText !== null;
  const done = () => (zText !== null ? props.onDone(zText) : props.onClose());
  return (
    // After the close the dialog still shows the Z report: it stays the closing dialog, even though
    // the live shift (props.shift) is already gone.
    <Dialog title={props.shift === null && !closed ? t('shift.open') : t('shift.close')} onClose={done} id="shift-dialog" wide={report !== null}>
      {message && <p class="form-error" role="alert">{message}</p>}
      {info && <p class="ok-text" role="status" data-testid="shift-info">{info}</p>}
      {!closed && (
        <p>
          {props.shift === null
            ? t('shift.openIntro')
            : t('shift.closeIntro', { n: props.shift.number, since: formatTime(props.shift.openedAt, lang), cashier: props.shift.cashier })}
        </p>
      )}
      {props.shift === null && !closed && (
        <div class="field">
          <label for="shift-float">{t('shift.float')}</label>
          <input id="shift-float" inputMode="decimal" autoComplete="off" value={float} onInput={(e) => setFloat(e.currentTarget.value)}
            onKeyDown={(e) => { if (e.key === 'Enter') { e.preventDefault(); void confirm(); } }} />
        </div>
      )}
      {props.shift !== null && !closed && <CashAndX busy={busy} act={act} onReport={(r) => setReport({ report: r, kind: 'x' })} onInfo={setInfo} onError={setMessage} />}
      {report && <ShiftReportPanel report={report.report} kind={report.kind} />}
      <div class="form-actions">
        {closed ? (
          <button type="button" class="btn btn-primary" id="shift-done" data-autofocus onClick={done}>{t('action.close')}</button>
        ) : (
          // Opening is safe: Enter opens. Closing is not: the focus starts on Cancel, and the Z
          // button says what it does — F8 then Enter never closes the shift.
          <>
            <button type="button" class="btn" id="shift-cancel" data-autofocus={props.shift !== null ? true : undefined} onClick={props.onClose}>{t('action.cancel')}</button>
            <button type="button" class="btn btn-primary" id="shift-confirm" data-autofocus={props.shift === null ? true : undefined} disabled={busy}
              onClick={() => void confirm()}>{props.shift === null ? t('action.confirm') : t('shift.closeAndZ')}</button>
          </>
        )}
      </div>
    </Dialog>
  );
}

/** Cash in / out of the open shift's drawer, and the X report (on screen, printed). */
function CashAndX(props: { busy: boolean; act(fn: () => Promise<void>): Promise<void>; onReport(r: ShiftReportView): void; onInfo(text: string): void; onError(text: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const move = (operation: 'deposit' | 'withdrawal') => props.act(async () => {
    const sum = parseMoneyInput(amount);
    if (sum === null || sum <= 0) { props.onError(t('shift.floatBad')); return; }
    const res = await api.moveCash({ operation, amount: sum, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    setAmount('');
    setReason('');
    props.onReport(res.report);
    props.onInfo(t('shift.cashDone', { what: operation === 'deposit' ? t('shift.cashIn') : t('shift.cashOut'), amount: formatMoney(sum, lang), drawer: formatMoney(res.report.cash.inDrawer, lang) }));
    if (res.print.state === 'failed') props.onError(t('shift.slipFailed', { error: res.print.error ?? '' }));
  }).then(() => undefined);
  return (
    <fieldset class="field shift-cash">
      <div class="inline-field">
        <label for="shift-cash-amount" class="sr-only">{t('shift.cashAmount')}</label>
        <input id="shift-cash-amount" inputMode="decimal" autoComplete="off" placeholder={t('shift.cashAmount')} value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
        <button type="button" class="btn" id="shift-cash-in" disabled={props.busy} onClick={() => void move('deposit')}>{t('shift.cashIn')}</button>
        <button type="button" class="btn" id="shift-cash-out" disabled={props.busy} onClick={() => void move('withdrawal')}>{t('shift.cashOut')}</button>
      </div>
      <label for="shift-cash-reason">{t('shift.cashReason')}</label>
      <input id="shift-cash-reason" autoComplete="off" maxLength={200} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
      <div class="form-actions">
        <button type="button" class="btn" id="shift-x" disabled={props.busy} onClick={() => void props.act(async () => props.onReport((await api.xReport()).report))}>{t('shift.xReport')}</button>
        <button type="button" class="btn" id="shift-x-print" disabled={props.busy} onClick={() => void props.act(async () => {
          const res = await api.printXReport();
          props.onReport(res.report);
          if (res.print) props.onInfo(t('shift.printed', { state: t(`print.${res.print.state}`) }));
        })}>{t('shift.xPrint')}</button>
      </div>
    </fieldset>
  );
}
