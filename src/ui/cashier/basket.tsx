/**
 * The basket table, the refused scans and the totals. Money arrives in integer minor units and
 * is only formatted here. Lines are selectable (arrow keys from the scan field, or a tap) and
 * removable (Delete, or the line's button); a refusal never becomes a line unless overridden.
 */
import type { BasketView, RefusalView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { formatMoney, formatQuantity, productName } from '../shared/format.ts';
import { Code } from '../shared/code.tsx';
import type { WedgeRepair } from '../shared/wedge.ts';
import { RepairNote } from './scan-notice.tsx';
import { verdictText } from './verdict.tsx';

export function BasketTable(props: { basket: BasketView; repairs?: ReadonlyMap<string, ReadonlyArray<WedgeRepair['kind']>>; selected: string | null; onSelect(id: string): void; onRemove(id: string): void }) {
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
              <th scope="col"><span class="visually-hidden">{t('basket.remove')}</span></th>
            </tr>
          </thead>
          <tbody>
            {props.basket.lines.length === 0 ? (
              <tr><td colSpan={5} class="empty">{t('basket.empty')}</td></tr>
            ) : props.basket.lines.map((line) => (
              <tr key={line.id} class={line.id === props.selected ? 'selected' : undefined} aria-selected={line.id === props.selected}
                data-line={line.id} data-decision={line.verdict.decision} onClick={() => props.onSelect(line.id)}>
                <td>
                  <div class="line-name">
                    <span class={`dot dot-${line.verdict.decision}`} aria-hidden="true" />
                    {productName(line, lang)}
                    {line.override && <span class="badge" title={line.override.reason}>{t('basket.overridden', { manager: line.override.manager })}</span>}
                  </div>
                  <div class="small muted"><Code raw={line.code} /></div>
                  <RepairNote kinds={props.repairs?.get(line.code)} />
                  {line.verdict.decision === 'warn' && <div class="small warn-text">{verdictText(line.verdict.messages, line.verdict.message, lang)}</div>}
                </td>
                <td class="num">{formatQuantity(line.quantityMilli, line.units, lang)}</td>
                <td class="num">{line.price === null ? <span class="warn-text">{t('basket.noPrice')}</span> : formatMoney(line.price, lang)}</td>
                <td class="num">{line.sum === null ? '—' : formatMoney(line.sum, lang)}</td>
                <td class="num">
                  <button type="button" class="btn btn-icon" aria-label={t('basket.removeLine', { name: productName(line, lang) })} title={t('basket.remove')}
                    onClick={(e) => { e.stopPropagation(); props.onRemove(line.id); }}>×</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** How many refusals stay on screen: the newest; older ones are counted, so the basket stays in view. */
const REFUSALS_SHOWN = 3;

/** One entry per code: the same code refused twice is listed once (newest place, with a count). */
export interface RefusalGroup { latest: RefusalView; ids: string[]; name: string | null }

/** Groups refusals by code, newest last; the name is the first any of its refusals knows. */
export function refusalGroups(refusals: readonly RefusalView[]): RefusalGroup[] {
  const byCode = new Map<string, RefusalGroup>();
  for (const r of refusals) {
    const g = byCode.get(r.code);
    if (g) byCode.delete(r.code); // re-inserted below: a code scanned again moves to the end
    byCode.set(r.code, { latest: r, ids: [...(g?.ids ?? []), r.id], name: r.name ?? g?.name ?? null });
  }
  return [...byCode.values()];
}

/**
 * Refused scans waiting for a manager's override (or removal): one compact entry per code — the
 * product's name, the reason and the code each on one line — the newest three, a count of the rest.
 */
export function RefusalList(props: { refusals: readonly RefusalView[]; onOverride(): void; onRemove(id: string): void }) {
  const t = useT();
  const { lang } = useApp();
  if (props.refusals.length === 0) return null;
  const groups = refusalGroups(props.refusals);
  const shown = groups.slice(-REFUSALS_SHOWN);
  const hidden = groups.length - shown.length;
  return (
    <section class="refusals" aria-labelledby="refusals-title" data-testid="refusals">
      <h2 id="refusals-title">{t('refusals.title')}{hidden > 0 && <span class="muted" data-testid="refusals-more"> · {t('refusals.more', { n: hidden })}</span>}</h2>
      <ul>
        {shown.map(({ latest: r, ids, name }) => (
          <li key={r.id} data-refusal={r.id} data-code={r.code}>
            <div class="refusal-text">
              <div class="refusal-head">
                {ids.length > 1 && <span class="badge refusal-count" data-testid="refusal-count">×{ids.length}</span>}
                {name && <strong data-testid="refusal-name">{name}</strong>}
                {name ? ' — ' : ''}<span>{verdictText(r.verdict.messages, r.verdict.message, lang)}</span>
              </div>
              <div class="small refusal-code"><Code raw={r.code} /></div>
            </div>
            {r.verdict.overridable && <button type="button" class="btn btn-compact" onClick={props.onOverride}>{t('action.override')}</button>}
            <button type="button" class="btn btn-icon btn-compact" aria-label={t('refusals.remove')} title={t('refusals.remove')} onClick={() => ids.forEach((id) => props.onRemove(id))}>×</button>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Totals(props: { basket: BasketView }) {
  const t = useT();
  const { lang } = useApp();
  return (
    <section class="totals" aria-labelledby="totals-title">
      <h2 id="totals-title" class="visually-hidden">{t('totals.title')}</h2>
      <dl>
        <div><dt>{t('totals.items')}</dt><dd data-testid="total-items">{props.basket.lines.length}</dd></div>
        <div class="grand"><dt>{t('totals.total')}</dt><dd data-testid="total">{formatMoney(props.basket.total, lang)}</dd></div>
      </dl>
    </section>
  );
}
