/** The basket table and the totals. Money arrives in integer minor units and is only formatted here. */
import { useApp, useT } from '../shared/context.ts';
import { formatMoney } from '../shared/format.ts';
import { Code } from '../shared/code.tsx';
import type { BasketView } from '../shared/pending.ts';

export function BasketTable(props: { basket: BasketView }) {
  const t = useT();
  const { lang } = useApp();
  return (
    <section class="basket" aria-labelledby="basket-title">
      <h2 id="basket-title">{t('basket.title')}</h2>
      <div class="table-wrap">
        <table data-testid="basket">
          <thead>
            <tr>
              <th scope="col">{t('basket.item')}</th>
              <th scope="col" class="num">{t('basket.qty')}</th>
              <th scope="col" class="num">{t('basket.price')}</th>
              <th scope="col" class="num">{t('basket.sum')}</th>
            </tr>
          </thead>
          <tbody>
            {props.basket.lines.length === 0 ? (
              <tr><td colSpan={4} class="empty">{t('basket.empty')}</td></tr>
            ) : props.basket.lines.map((line) => (
              <tr key={line.id}>
                <td>
                  <div>{line.name}</div>
                  <div class="small muted"><Code raw={line.code} /></div>
                </td>
                <td class="num">{line.quantity}</td>
                <td class="num">{formatMoney(line.priceMinor, lang)}</td>
                <td class="num">{formatMoney(line.sumMinor, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function Totals(props: { basket: BasketView }) {
  const t = useT();
  const { lang } = useApp();
  const items = props.basket.lines.reduce((n, l) => n + l.quantity, 0);
  return (
    <section class="totals" aria-labelledby="totals-title">
      <h2 id="totals-title" class="visually-hidden">{t('totals.title')}</h2>
      <dl>
        <div><dt>{t('totals.items')}</dt><dd data-testid="total-items">{items}</dd></div>
        <div class="grand"><dt>{t('totals.total')}</dt><dd data-testid="total">{formatMoney(props.basket.totalMinor, lang)}</dd></div>
      </dl>
    </section>
  );
}
