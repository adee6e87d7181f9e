/**
 * Sales and returns with filters (dates, kind, code, delivery state) and CSV export. The
 * filters go to the server (GET /api/sales); the CSV is the same query as a file, fetched
 * with the session token in a header (never in a URL that could end up in a log).
 */
import { FailureText } from '../shared/failure-text.tsx';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { SaleDetailResponse, SaleSummary, SalesQuery } from '../../server/contract/index.ts';
import { saveBlob } from '../shared/api.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { DateField } from '../shared/date-field.tsx';
import { formatMoney, formatQuantity, formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';

/** The filter form's values (strings, as typed). */
export interface SalesFilter {
  from: string;
  to: string;
  kind: '' | 'sale' | 'return';
  q: string;
  delivery: '' | 'pending' | 'sending' | 'queued' | 'delivered' | 'blocked';
}

/** The API query for a filter: empty fields are left out. */
export function salesQueryOf(f: SalesFilter, limit = 200): SalesQuery {
  return {
    ...(f.from ? { from: f.from } : {}),
    ...(f.to ? { to: f.to } : {}),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.q.trim() ? { q: f.q.trim() } : {}),
    ...(f.delivery ? { delivery: f.delivery } : {}),
    limit,
  };
}

const EMPTY: SalesFilter = { from: '', to: '', kind: '', q: '', delivery: '' };

export function SalesView() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [filter, setFilter] = useState<SalesFilter>(EMPTY);
  const [applied, setApplied] = useState<SalesFilter>(EMPTY);
  const [sales, setSales] = useState<SaleSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [detail, setDetail] = useState<SaleDetailResponse | null>(null);

  const load = useCallback(async () => {
    try {
      const res = await api.sales(salesQueryOf(applied));
      setSales(res.sales);
      setTotal(res.total);
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoaded(true);
    }
  }, [api, applied, lang]);
  useEffect(() => { void load(); }, [load]);
  // New sales and delivery results show without a reload.
  useEffect(() => events?.on((e) => { if (e.type === 'sale' || e.type === 'delivery') void load(); }), [events, load]);

  const exportCsv = async (perLine = false) => {
    try {
      // Russian and Kazakh spreadsheets expect ';' between fields and a decimal comma.
      const query = { ...salesQueryOf(applied, 10_000), sep: lang === 'en' ? 'comma' as const : 'semicolon' as const };
      const blob = await (perLine ? api.salesLinesCsv(query) : api.salesCsv(query));
      saveBlob(blob, `tanba-sales${perLine ? '-lines' : ''}-${new Date().toISOString().slice(0, 10)}.csv`);
    } catch (err) {
      setError(errorText(err, lang));
    }
  };
  const open = async (id: string) => {
    try {
      setDetail(await api.sale(id));
    } catch (err) {
      setError(errorText(err, lang));
    }
  };

  const set = <K extends keyof SalesFilter>(k: K, v: SalesFilter[K]) => setFilter({ ...filter, [k]: v });
  return (
    <section aria-labelledby="sales-count">
      <form class="filters" onSubmit={(e) => { e.preventDefault(); setApplied(filter); }} id="sales-filters">
        <div class="field inline">
          <label for="sales-from">{t('sales.from')}</label>
          <DateField id="sales-from" value={filter.from} onChange={(v) => set('from', v)} />
        </div>
        <div class="field inline">
          <label for="sales-to">{t('sales.to')}</label>
          <DateField id="sales-to" value={filter.to} onChange={(v) => set('to', v)} />
        </div>
        <div class="field inline">
          <label for="sales-kind">{t('sales.kind')}</label>
          <select id="sales-kind" value={filter.kind} onChange={(e) => set('kind', e.currentTarget.value as SalesFilter['kind'])}>
            <option value="">{t('sales.allKinds')}</option>
            <option value="sale">{t('sales.kind.sale')}</option>
            <option value="return">{t('sales.kind.return')}</option>
          </select>
        </div>
        <div class="field inline">
          <label for="sales-delivery">{t('sales.delivery')}</label>
          <select id="sales-delivery" value={filter.delivery} onChange={(e) => set('delivery', e.currentTarget.value as SalesFilter['delivery'])}>
            <option value="">{t('sales.allDeliveries')}</option>
            {(['pending', 'sending', 'queued', 'delivered', 'blocked'] as const).map((d) => <option key={d} value={d}>{t(`delivery.${d}`)}</option>)}
          </select>
        </div>
        <div class="field inline grow">
          <label for="sales-q">{t('sales.q')}</label>
          <input id="sales-q" type="search" value={filter.q} onInput={(e) => set('q', e.currentTarget.value)} />
        </div>
        <button type="submit" class="btn btn-primary" id="sales-apply">{t('sales.apply')}</button>
        <button type="button" class="btn" id="sales-csv" onClick={() => void exportCsv()}>{t('sales.csv')}</button>
        <button type="button" class="btn" id="sales-lines-csv" onClick={() => void exportCsv(true)}>{t('sales.linesCsv')}</button>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      <p class="small muted" id="sales-count" aria-live="polite">{t('sales.count', { shown: sales.length, total })}</p>
      <div class="table-wrap tall">
        <table data-testid="sales-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('sales.kind')}</th>
              <th scope="col">{t('sales.number')}</th>
              <th scope="col">{t('sales.cashier')}</th>
              <th scope="col" class="num">{t('sales.lines')}</th>
              <th scope="col" class="num">{t('basket.sum')}</th>
              <th scope="col">{t('sales.payments')}</th>
              <th scope="col">{t('sales.delivery')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded && sales.length === 0 && <tr><td colSpan={8} class="empty">{t('sales.empty')}</td></tr>}
            {sales.map((s) => (
              <tr key={s.id} data-sale={s.id} data-kind={s.kind} data-delivery={s.delivery.state}>
                <td class="nowrap">{formatTime(s.createdAt, lang)}</td>
                <td>{t(`sales.kind.${s.kind}`)}</td>
                <td><button type="button" class="link" onClick={() => void open(s.id)} title={s.id}>{s.shiftNumber}-{s.printedDocumentNumber}</button></td>
                <td>{s.cashier}</td>
                <td class="num">{s.lineCount}</td>
                <td class="num nowrap">{formatMoney(s.kind === 'return' ? -s.total : s.total, lang)}</td>
                <td class="small" data-testid="sale-payments">
                  {/* Cash as kept (tendered minus change), as the X/Z reports count the drawer. */}
                  {s.kept.map((p) => `${t(`pay.${p.type}`)} ${formatMoney(p.amount, lang)}`).join(', ')}
                  {s.change > 0 && <span class="muted" data-testid="sale-tendered"> ({t('sales.tenderedChange', { tendered: formatMoney(s.payments.filter((p) => p.type === 'cash').reduce((a, p) => a + p.amount, 0), lang), change: formatMoney(s.change, lang) })})</span>}
                </td>
                <td>
                  <span class={`delivery delivery-${s.delivery.state}`} title={s.delivery.lastError ?? s.delivery.ticketNumber ?? ''}>{t(`delivery.${s.delivery.state}` as MessageKey)}</span>
                  {s.delivery.offline && <span class="small muted" data-testid="sale-offline"> · {t('delivery.offline')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {detail && <SaleDetail detail={detail} onClose={() => setDetail(null)} />}
    </section>
  );
}

function SaleDetail(props: { detail: SaleDetailResponse; onClose(): void }) {
  const { lang } = useApp();
  const t = useT();
  const { sale, lines, returns } = props.detail;
  return (
    <Dialog title={`${t(`sales.kind.${sale.kind}`)} ${sale.shiftNumber}-${sale.printedDocumentNumber}`} onClose={props.onClose} id="sale-dialog">
      <p class="small"><code>{sale.id}</code> · {formatTime(sale.createdAt, lang)} · {sale.cashier}</p>
      <p class="small">{t('sales.delivery')}: {t(`delivery.${sale.delivery.state}` as MessageKey)}{sale.delivery.ticketNumber ? ` · ${t('sales.ticket')} ${sale.delivery.ticketNumber}` : ''}{sale.delivery.offline && <span data-testid="sale-detail-offline"> · {t('delivery.offline')}</span>}</p>
      {sale.delivery.lastError && sale.delivery.state !== 'delivered' && <p class="small" data-testid="sale-delivery-error"><FailureText raw={sale.delivery.lastError} /></p>}
      <div class="table-wrap dialog-table">
        <table>
          <thead><tr><th scope="col">{t('basket.item')}</th><th scope="col" class="num">{t('basket.qty')}</th><th scope="col" class="num">{t('basket.sum')}</th></tr></thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.id}>
                <td>{l.name}{l.returned && <span class="badge">{t('sales.returned')}</span>}{l.code && <div class="small muted"><Code raw={l.code} /></div>}</td>
                <td class="num">{formatQuantity(l.quantityMilli, null, lang)}</td>
                <td class="num">{formatMoney(l.sum, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {returns.length > 0 && <p class="small">{t('sales.returns', { count: returns.length })}</p>}
      <div class="form-actions"><button type="button" class="btn btn-primary" onClick={props.onClose} data-autofocus>{t('action.close')}</button></div>
    </Dialog>
  );
}
