/** The overrides log: every refusal a manager let through, who, why, and in which sale. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { OverrideView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText, reasonLabel } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatTime } from '../shared/format.ts';

export function OverridesLog() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [rows, setRows] = useState<OverrideView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setRows((await api.overrides(500)).overrides);
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoaded(true);
    }
  }, [api, lang]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => events?.on((e) => { if (e.type === 'audit' || e.type === 'sale') void load(); }), [events, load]);
  return (
    <section aria-labelledby="overrides-count">
      {error && <p class="form-error" role="alert">{error}</p>}
      <p class="small muted" id="overrides-count">{t('overrides.count', { count: rows.length })}</p>
      <div class="table-wrap tall">
        <table data-testid="overrides-table">
          <thead>
            <tr>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('overrides.manager')}</th>
              <th scope="col">{t('sales.cashier')}</th>
              <th scope="col">{t('overrides.code')}</th>
              <th scope="col">{t('overrides.rule')}</th>
              <th scope="col">{t('override.reason')}</th>
              <th scope="col">{t('overrides.sale')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded && rows.length === 0 && <tr><td colSpan={7} class="empty">{t('audit.empty')}</td></tr>}
            {rows.map((o) => (
              <tr key={o.id} data-override={o.id}>
                <td class="nowrap">{formatTime(o.at, lang)}</td>
                <td>{o.manager}</td>
                <td>{o.cashier}</td>
                <td class="details small"><Code raw={o.code} /></td>
                <td title={o.reasonCode} data-reason={o.reasonCode}>{reasonLabel(o.reasonCode, lang)}</td>
                <td class="details">{o.reason}</td>
                <td class="small">{o.saleId ? <code>{o.saleId.slice(0, 8)}</code> : t('overrides.notSold')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
