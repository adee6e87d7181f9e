/**
 * Every store and register: last contact, registry queue, oldest undelivered document, hours
 * left before the offline limit, refusals in the last hour by reason, unguarded sales and
 * cross-lane conflicts. The filters are the server's (`GET /api/hq/status`), kept in the
 * address bar; the CSV is the same rows (`GET /api/hq/status.csv`). Refreshed every 15 s.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { HqRegisterView, HqStatusQuery, HqStatusView } from '../../server/contract/index.ts';
import { saveBlob } from '../shared/api.ts';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';
import { useHq } from './context.ts';

const REFRESH_MS = 15_000;

/**
 * Rows drawn at most: a chain of thousands of stores has tens of thousands of registers, more
 * than a table can draw and anyone can read; the filters (and the CSV, which has them all) are
 * the way to the rest.
 */
export const MAX_ROWS = 1000;

/** The first `max` registers, store by store, as [store id, register] pairs. */
export function firstRows(status: HqStatusView, max: number): [string, HqRegisterView][] {
  const out: [string, HqRegisterView][] = [];
  for (const s of status.stores) {
    for (const r of s.registers) {
      if (out.length >= max) return out;
      out.push([s.id, r]);
    }
  }
  return out;
}

/** True when a register has something to look at (the server's `problems=1` rule, for the row's colour). */
export function hasProblem(r: HqRegisterView): boolean {
  return r.unguarded > 0 || r.conflicts > 0 || (r.queue ?? 0) > 0 || (r.hoursLeft !== null && r.hoursLeft < 24);
}

/** Refusals of the last hour as "SOLD 2, EXPIRED 1" (largest first), or null for none. */
export function refusalsText(refusals: Record<string, number>): string | null {
  const parts = Object.entries(refusals).filter(([, n]) => n > 0).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)).map(([k, n]) => `${k} ${n}`);
  return parts.length > 0 ? parts.join(', ') : null;
}

function Filters(props: { filter: HqStatusQuery; onFilter(f: HqStatusQuery): void; onCsv(): void }) {
  const { t } = useHq();
  const [store, setStore] = useState(props.filter.store ?? '');
  const [problems, setProblems] = useState(props.filter.problems === '1');
  const [silent, setSilent] = useState(props.filter.silent === undefined ? '' : String(props.filter.silent));
  useEffect(() => {
    setStore(props.filter.store ?? '');
    setProblems(props.filter.problems === '1');
    setSilent(props.filter.silent === undefined ? '' : String(props.filter.silent));
  }, [props.filter]);
  const apply = () => props.onFilter({
    ...(store.trim() ? { store: store.trim() } : {}), ...(problems ? { problems: '1' as const } : {}), ...(/^\d+$/.test(silent.trim()) ? { silent: Number(silent.trim()) } : {}),
  });
  return (
    <form class="filters" id="hq-filters" onSubmit={(e) => { e.preventDefault(); apply(); }}>
      <div class="field inline">
        <label for="hq-filter-store">{t('hq.filter.store')}</label>
        <input id="hq-filter-store" value={store} onInput={(e) => setStore(e.currentTarget.value)} />
      </div>
      <div class="field inline">
        <label for="hq-filter-silent">{t('hq.filter.silent')}</label>
        <input id="hq-filter-silent" inputMode="numeric" pattern="[0-9]*" size={4} value={silent} onInput={(e) => setSilent(e.currentTarget.value)} />
      </div>
      <label class="check hq-check">
        <input id="hq-filter-problems" type="checkbox" checked={problems} onChange={(e) => setProblems(e.currentTarget.checked)} />
        {t('hq.filter.problems')}
      </label>
      <button type="submit" class="btn btn-primary" id="hq-filter-apply">{t('hq.filter.apply')}</button>
      <button type="button" class="btn" onClick={() => props.onFilter({})}>{t('hq.filter.clear')}</button>
      <button type="button" class="btn" id="hq-csv" onClick={props.onCsv}>{t('hq.csv')}</button>
    </form>
  );
}

/** One register's row. */
function Row(props: { store: string; r: HqRegisterView; onRegister(store: string, register: string): void }) {
  const { t, lang } = useHq();
  const { r } = props;
  const time = (iso: string | null, none: string) => (iso === null ? none : <time dateTime={iso}>{formatTime(iso, lang)}</time>);
  return (
    <tr data-store={props.store} data-register={r.id} class={hasProblem(r) ? 'hq-problem' : undefined}>
      <td>{props.store}</td>
      <td><a href={`/register/${encodeURIComponent(props.store)}/${encodeURIComponent(r.id)}`} onClick={(e) => { e.preventDefault(); props.onRegister(props.store, r.id); }}>{r.id}</a></td>
      <td class="nowrap" data-col="lastSeen">{time(r.lastSeen, t('hq.never'))}</td>
      <td class="num" data-col="queue">{r.queue ?? '—'}</td>
      <td class="nowrap" data-col="oldest">{time(r.oldestUndelivered, '—')}</td>
      <td class={`num${r.hoursLeft !== null && r.hoursLeft < 24 ? ' hq-warn' : ''}`} data-col="hoursLeft">{r.hoursLeft ?? '—'}</td>
      <td data-col="refusals">{refusalsText(r.refusalsLastHour) ?? t('hq.none')}</td>
      <td class={`num${r.unguarded > 0 ? ' hq-warn' : ''}`} data-col="unguarded">{r.unguarded}</td>
      <td class={`num${r.conflicts > 0 ? ' hq-bad' : ''}`} data-col="conflicts">{r.conflicts}</td>
      <td class="num" data-col="documents">{r.documents}</td>
    </tr>
  );
}

export function Overview(props: { filter: HqStatusQuery; onFilter(f: HqStatusQuery): void; onRegister(store: string, register: string): void }) {
  const { api, t, lang } = useHq();
  const [status, setStatus] = useState<HqStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await api.status(props.filter));
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    }
  }, [api, props.filter, lang]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const csv = async () => {
    try {
      saveBlob(await api.statusCsv(props.filter), 'tanba-hq-status.csv');
    } catch (err) {
      setError(errorText(err, lang));
    }
  };

  const registers = status?.stores.reduce((n, s) => n + s.registers.length, 0) ?? 0;
  const rows = status ? firstRows(status, MAX_ROWS) : [];
  return (
    <section aria-labelledby="hq-overview-title">
      <h1 id="hq-overview-title">{t('hq.title')}</h1>
      <Filters filter={props.filter} onFilter={props.onFilter} onCsv={() => void csv()} />
      {error && <p class="form-error" role="alert">{error}</p>}
      {status && <p class="small muted" aria-live="polite" data-testid="hq-summary">{t('hq.summary', { stores: status.stores.length, registers, at: formatTime(status.at, lang) })}</p>}
      {rows.length < registers && <p class="not-connected" data-testid="hq-truncated">{t('hq.truncated', { shown: rows.length, total: registers })}</p>}
      <div class="table-wrap">
        <table data-testid="hq-table">
          <thead>
            <tr>
              <th scope="col">{t('hq.col.store')}</th>
              <th scope="col">{t('hq.col.register')}</th>
              <th scope="col">{t('hq.col.lastSeen')}</th>
              <th scope="col" class="num">{t('hq.col.queue')}</th>
              <th scope="col">{t('hq.col.oldest')}</th>
              <th scope="col" class="num">{t('hq.col.hoursLeft')}</th>
              <th scope="col">{t('hq.col.refusals')}</th>
              <th scope="col" class="num">{t('hq.col.unguarded')}</th>
              <th scope="col" class="num">{t('hq.col.conflicts')}</th>
              <th scope="col" class="num">{t('hq.col.documents')}</th>
            </tr>
          </thead>
          <tbody>
            {status && registers === 0 && <tr><td colSpan={10} class="empty">{t('hq.empty')}</td></tr>}
            {rows.map(([store, r]) => <Row key={`${store}/${r.id}`} store={store} r={r} onRegister={props.onRegister} />)}
          </tbody>
        </table>
      </div>
    </section>
  );
}
