/**
 * The audit log: who did what, when, and whether it was allowed. Filters by action (on the
 * server), outcome and free text (here). New entries arrive live: an `audit` event reloads it.
 */
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import type { AuditEntry } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';
import { filterAudit, type AuditFilter } from './filter.ts';

/** Details as `key: value` pairs, one per line-ish; nested values as JSON. */
function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details).map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' · ');
}

export function AuditLog(props: { only?: (entry: AuditEntry) => boolean; id: string }) {
  const { api, events, lang } = useApp();
  const t = useT();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<AuditFilter>({ action: '', outcome: '', text: '' });
  const [loaded, setLoaded] = useState(false);

  const load = useCallback(async () => {
    try {
      const res = await api.audit({ limit: 1000 });
      setEntries(props.only ? res.entries.filter(props.only) : res.entries);
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoaded(true);
    }
  }, [api, lang, props.only]);

  useEffect(() => { void load(); }, [load]);
  useEffect(() => events?.on((e) => { if (e.type === 'audit') void load(); }), [events, load]);

  const actions = useMemo(() => [...new Set(entries.map((e) => e.action))].sort(), [entries]);
  const shown = useMemo(() => filterAudit(entries, filter), [entries, filter]);

  return (
    <section aria-labelledby={`${props.id}-title`}>
      <form class="filters" onSubmit={(e) => { e.preventDefault(); void load(); }}>
        <div class="field inline">
          <label for={`${props.id}-action`}>{t('audit.filterAction')}</label>
          <select id={`${props.id}-action`} value={filter.action} onChange={(e) => setFilter({ ...filter, action: e.currentTarget.value })}>
            <option value="">{t('audit.allActions')}</option>
            {actions.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </div>
        <div class="field inline">
          <label for={`${props.id}-outcome`}>{t('audit.filterOutcome')}</label>
          <select id={`${props.id}-outcome`} value={filter.outcome} onChange={(e) => setFilter({ ...filter, outcome: e.currentTarget.value })}>
            <option value="">{t('audit.allOutcomes')}</option>
            {(['ok', 'denied', 'failed'] as const).map((o) => <option key={o} value={o}>{t(`outcome.${o}`)}</option>)}
          </select>
        </div>
        <div class="field inline grow">
          <label for={`${props.id}-text`}>{t('audit.search')}</label>
          <input id={`${props.id}-text`} type="search" value={filter.text} onInput={(e) => setFilter({ ...filter, text: e.currentTarget.value })} />
        </div>
        <button type="submit" class="btn">{t('action.refresh')}</button>
      </form>
      {error && <p class="form-error" role="alert">{error}</p>}
      <p class="small muted" id={`${props.id}-title`} aria-live="polite">{t('audit.count', { shown: shown.length, total: entries.length })}</p>
      <div class="table-wrap tall">
        <table data-testid={`${props.id}-table`}>
          <thead>
            <tr>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('audit.user')}</th>
              <th scope="col">{t('audit.role')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.outcome')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {loaded && shown.length === 0 && <tr><td colSpan={6} class="empty">{t('audit.empty')}</td></tr>}
            {shown.map((e) => (
              <tr key={e.seq} data-action={e.action} data-outcome={e.outcome}>
                <td class="nowrap">{formatTime(e.at, lang)}</td>
                <td>{e.userName ?? '—'}</td>
                <td>{e.role ? t(`role.${e.role}` as MessageKey) : '—'}</td>
                <td><code>{e.action}</code></td>
                <td><span class={`outcome outcome-${e.outcome}`}>{['ok', 'denied', 'failed'].includes(e.outcome) ? t(`outcome.${e.outcome}` as MessageKey) : e.outcome}</span></td>
                <td class="details">{detailsText(e.details)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
