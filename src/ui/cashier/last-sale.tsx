/** The last completed sale or return: its id (for a return), total, fiscal delivery and print state. */
import type { PrintView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { formatMoney } from '../shared/format.ts';

export interface LastSaleState {
  saleId: string;
  kind: 'sale' | 'return';
  total: number;
  print: PrintView;
  training: boolean;
  /** Delivered to the fiscal data operator (a `delivery` event may flip it later). */
  delivered: boolean;
  ticketNumber: string | null;
  offline: boolean;
  /** Paid in all (cash tendered plus card) and the change given back in cash. */
  taken: number;
  change: number;
}

/**
 * The sale just completed, large where the verdict stands (always on screen at 1024×768): the
 * change to give back, until the next scan. The last-sale card further down keeps the details.
 */
export function ChangePanel(props: { sale: LastSaleState }) {
  const t = useT();
  const { lang } = useApp();
  const s = props.sale;
  return (
    <section class="verdict verdict-change" data-testid="change-panel" data-change={s.change} aria-live="assertive" aria-atomic="true">
      <div class="verdict-text">
        <p class="verdict-title" data-testid="change-amount">{s.change > 0 ? t('change.give', { change: formatMoney(s.change, lang) }) : t('change.none', { total: formatMoney(s.total, lang) })}</p>
        {s.change > 0 && <p class="verdict-reason">{t('change.detail', { total: formatMoney(s.total, lang), tendered: formatMoney(s.taken, lang) })}</p>}
      </div>
    </section>
  );
}

/** `ofdDown`: the register cannot reach the OFD now, so an undelivered sale is queued, not being sent. */
export function LastSale(props: { sale: LastSaleState; ofdDown?: boolean; onShow(): void }) {
  const t = useT();
  const { lang } = useApp();
  const s = props.sale;
  return (
    <section class="last-sale" aria-labelledby="last-sale-title" data-testid="last-sale" data-sale={s.saleId}>
      <h2 id="last-sale-title"><span>{s.kind === 'sale' ? t('lastSale.sale') : t('lastSale.return')}</span> <strong>{formatMoney(s.total, lang)}</strong></h2>
      <p class="small"><code data-testid="last-sale-id">{s.saleId}</code></p>
      <p class="small">
        <span data-testid="last-sale-fiscal" class={s.delivered ? 'ok-text' : 'warn-text'}>
          {s.delivered ? t('lastSale.delivered', { ticket: s.ticketNumber ?? '—' }) : s.offline ? t('lastSale.offline') : props.ofdDown ? t('lastSale.queued') : t('lastSale.pending')}
        </span>
        {' · '}{t(`print.${s.print.state}`)}{s.print.error ? `: ${s.print.error}` : ''}
      </p>
      {s.print.state === 'printed' && (
        <button type="button" class="btn btn-block" id="show-receipt" onClick={props.onShow}>{t('receipt.show')} <kbd>F10</kbd></button>
      )}
    </section>
  );
}
