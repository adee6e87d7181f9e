/**
 * The manager's sync dashboard: whether the register is in step with the fiscal data operator
 * and the status feed, at a glance. Figures come from GET /api/sync/status and are kept live by
 * the `sync` event (every few seconds and on every change); `delivery` events refresh the
 * charts. Failures are listed with the operator's reason and a retry button.
 */
import { isCurrentError } from './channel.ts';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, StatsResponse, SyncDashboard, SyncStatusView, TrainingView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText, reasonLabel } from '../shared/errors.ts';
import { FailureText } from '../shared/failure-text.tsx';
import { formatDuration, formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';
import { CategoryBars, StackedBars } from './charts.tsx';
import { MarkingHealthPanel } from './marking-health.tsx';
import { hourSlots } from './hours.ts';

interface DashboardState {
  status: SyncStatusView;
  cache: CacheFreshnessView;
  devices: DeviceHealthView[];
  training: TrainingView | null;
  trainingMode: boolean;
  marking: MarkingHealthView[];
}

function fromDashboard(d: SyncDashboard): DashboardState {
  return { status: d.status, cache: d.cache, devices: d.devices, training: d.training, trainingMode: d.trainingMode, marking: d.marking ?? [] };
}

/** Tile colour: ok / warn / bad, so the state reads at a glance (the text says it too). */
type Level = 'ok' | 'warn' | 'bad';

function cacheLevel(c: CacheFreshnessView): Level {
  if (c.state === 'stale') return 'bad';
  if (c.state !== 'ready' || (c.remainingMs !== null && c.remainingMs < c.limitMs / 4)) return 'warn';
  return 'ok';
}

export function SyncDashboardView() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [state, setState] = useState<DashboardState | null>(null);
  const [stats, setStats] = useState<StatsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setState(fromDashboard(await api.syncStatus()));
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    }
  }, [api, lang]);
  const loadStats = useCallback(async () => {
    try {
      setStats(await api.stats());
    } catch {
      // The charts are secondary; the tiles say what matters. They retry on the next delivery.
    }
  }, [api]);

  useEffect(() => { void load(); void loadStats(); }, [load, loadStats]);
  useEffect(() => events?.on((e) => {
    if (e.type === 'sync' && 'cache' in e) setState((s) => (s ? { ...s, status: e.status, cache: e.cache, training: e.training, marking: e.marking ?? s.marking } : s));
    else if (e.type === 'device-health') setState((s) => (s ? { ...s, devices: [...s.devices.filter((d) => d.id !== e.health.id), e.health].sort((a, b) => a.id.localeCompare(b.id)) } : s));
    else if (e.type === 'delivery' || e.type === 'sale' || e.type === 'verdict') void loadStats();
  }), [events, loadStats]);

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    try {
      setMessage({ kind: 'ok', text: await what() });
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    } finally {
      setBusy(false);
    }
  };
  const syncNow = () => act(async () => {
    const res = await api.syncNow();
    return t('sync.nowDone', { delivered: res.pass.delivered, remaining: res.pass.remaining });
  });
  const retry = (id: number) => act(async () => {
    const res = await api.retry(id);
    return t('sync.retried', { seq: res.row.seq });
  });

  if (!state) return error ? <p class="form-error" role="alert">{error}</p> : <p role="status">{t('loading')}</p>;
  const { status, cache } = state;
  const q = status.queue;
  const time = (iso: string | null) => (iso ? formatTime(iso, lang) : '—');
  const failures = [
    ...q.blocked.map((b) => ({ id: b.id, seq: b.seq, what: `${b.kind} ${b.documentId}`, error: b.error, at: b.at, blocked: true })),
    ...(q.head && q.head.lastError && q.head.state !== 'blocked'
      ? [{ id: q.head.id, seq: q.head.seq, what: t('sync.headRow', { attempts: q.head.attempts }), error: q.head.lastError, at: q.head.nextAttemptAt, blocked: false }]
      : []),
  ];

  // A channel's last error is shown only while it is the channel's latest word: once a success
  // came after it, the cause is gone and the message would only contradict "No failures".
  const ofdFailing = isCurrentError(status.channels.ofd);
  const feedFailing = isCurrentError(status.channels.feed);
  const markingProblems = state.marking.filter((h) => h.state !== 'ok' && h.state !== 'unknown');

  return (
    <section class="dashboard" aria-label={t('manager.sync')}>
      {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="sync-message">{message.text}</p>}
      {!status.salesAllowed && <p class="form-error" role="alert" data-testid="sales-stopped">{t(status.mode === 'blocked' ? 'error.REGISTER_BLOCKED' : 'error.OFFLINE_LIMIT')}</p>}
      <SyncTiles status={status} cache={cache} />

      <div class="dash-actions">
        <button type="button" class="btn btn-primary" id="sync-now" disabled={busy} onClick={() => void syncNow()}>{t('sync.now')}</button>
        <button type="button" class="btn" disabled={busy} onClick={() => void load()}>{t('action.refresh')}</button>
        {state.trainingMode && state.training && <TrainingBadge training={state.training} />}
      </div>

      <div class="dash-grid">
        <section aria-labelledby="failures-title" class="panel">
          <h2 id="failures-title">{t('sync.failures')}</h2>
          {ofdFailing && <p class="small" data-testid="ofd-error"><strong>{t('sync.ofdError')}:</strong> <FailureText raw={status.channels.ofd.lastError} /> <span class="muted">({time(status.channels.ofd.lastErrorAt)})</span></p>}
          {feedFailing && <p class="small" data-testid="feed-error"><strong>{t('sync.feedError')}:</strong> <FailureText raw={status.channels.feed.lastError} /> <span class="muted">({time(status.channels.feed.lastErrorAt)})</span></p>}
          {markingProblems.map((h) => (
            <p key={`${h.provider}-${h.target}`} class="small" data-testid="marking-health" data-state={h.state}><strong>{t('sync.markingSystem')} {h.provider}:</strong> <FailureText raw={h.detail} />{h.lastFailureAt && <span class="muted"> ({time(h.lastFailureAt)})</span>}</p>
          ))}
          {failures.length === 0 ? (!ofdFailing && !feedFailing && markingProblems.length === 0 && <p class="small muted" data-testid="no-failures">{t('sync.noFailures')}</p>) : (
            <table data-testid="failures">
              <thead><tr><th scope="col">#</th><th scope="col">{t('sync.failureWhat')}</th><th scope="col">{t('sync.failureReason')}</th><th scope="col"><span class="visually-hidden">{t('sync.retry')}</span></th></tr></thead>
              <tbody>
                {failures.map((f) => (
                  <tr key={f.id} data-outbox={f.id}>
                    <td>{f.seq}</td>
                    <td class="details">{f.what}{f.blocked && <span class="badge badge-bad">{t('sync.blocked')}</span>}</td>
                    <td class="details"><FailureText raw={f.error} /></td>
                    <td><button type="button" class="btn" disabled={busy} onClick={() => void retry(f.id)}>{t('sync.retry')}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <DevicesPanel devices={state.devices} />
        <MarkingHealthPanel marking={state.marking} />
      </div>

      <SyncCharts stats={stats} />
    </section>
  );
}

/** The tiles: mode, queue, oldest undelivered, last delivery, cache. */
function SyncTiles(props: { status: SyncStatusView; cache: CacheFreshnessView }) {
  const { lang } = useApp();
  const t = useT();
  const { status, cache } = props;
  const q = status.queue;
  const modeLevel: Level = status.mode === 'online' ? 'ok' : status.mode === 'offline' ? 'warn' : 'bad';
  const queueLevel: Level = q.blockedCount > 0 ? 'bad' : q.depth > 0 ? 'warn' : 'ok';
  const age = (ms: number | null) => (ms === null ? '—' : formatDuration(ms, lang));
  const time = (iso: string | null) => (iso ? formatTime(iso, lang) : '—');
  return (
    <div class="tiles">
      <div class={`tile tile-${modeLevel}`} data-testid="sync-mode" data-mode={status.mode}>
        <p class="tile-label">{t('sync.mode')}</p>
        <p class="tile-value">{t(`sync.mode.${status.mode}` as MessageKey)}</p>
        <p class="small">{status.mode === 'online' ? t('sync.lastContact', { at: time(status.channels.ofd.lastContactAt) }) : t('sync.timeLeft', { left: age(status.timeLeftMs), limit: status.offlineLimitHours })}</p>
      </div>
      <div class={`tile tile-${queueLevel}`}>
        <p class="tile-label">{t('sync.queue')}</p>
        <p class="tile-value" data-testid="sync-queue">{q.depth}</p>
        <p class="small">{t('sync.queueDetail', { blocked: q.blockedCount, delivered: q.delivered })}</p>
      </div>
      <div class={`tile tile-${q.oldestAgeMs === null ? 'ok' : 'warn'}`}>
        <p class="tile-label">{t('sync.oldest')}</p>
        <p class="tile-value" data-testid="sync-oldest">{age(q.oldestAgeMs)}</p>
        <p class="small">{time(q.oldestUndeliveredAt)}</p>
      </div>
      <div class="tile">
        <p class="tile-label">{t('sync.lastDelivery')}</p>
        <p class="tile-value tile-time" data-testid="sync-last-delivery">{time(status.channels.ofd.lastSuccessAt)}</p>
      </div>
      <div class={`tile tile-${cacheLevel(cache)}`} data-testid="sync-cache" data-state={cache.state}>
        <p class="tile-label">{t('sync.cache')}</p>
        <p class="tile-value">{t(`cache.state.${cache.state}` as MessageKey)}</p>
        <p class="small">{t('sync.cacheDetail', { age: age(cache.ageMs), left: age(cache.remainingMs), limit: age(cache.limitMs) })}</p>
        <CacheMeter cache={cache} />
      </div>
    </div>
  );
}

/** The devices' health. */
function DevicesPanel(props: { devices: DeviceHealthView[] }) {
  const t = useT();
  return (
    <section aria-labelledby="devices-health-title" class="panel">
      <h2 id="devices-health-title">{t('sync.devices')}</h2>
      {props.devices.length === 0 ? <p class="small muted">{t('devices.none')}</p> : (
        <table data-testid="device-health">
          <thead><tr><th scope="col">{t('devices.id')}</th><th scope="col">{t('devices.state')}</th><th scope="col" class="num">{t('devices.scans')}</th><th scope="col">{t('devices.lastError')}</th></tr></thead>
          <tbody>
            {props.devices.map((d) => (
              <tr key={d.id} data-device={d.id} data-state={d.state}>
                <td>{d.id} <span class="small muted">({t(`devices.role.${d.role}` as MessageKey)})</span></td>
                <td><span class={`health health-${d.state}`}>{t(`devices.health.${d.state}` as MessageKey)}</span></td>
                <td class="num">{d.scans}</td>
                <td class="details small"><FailureText raw={d.lastError} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Checks, refusals and deliveries per hour. */
function SyncCharts(props: { stats: StatsResponse | null }) {
  const t = useT();
  const { lang } = useApp();
  const { stats } = props;
  return (
    <div class="charts">
      <StackedBars title={t('chart.checks')} testId="chart-checks" empty={t('chart.empty')} rows={stats ? hourSlots(stats.from, stats.to, stats.checksPerHour, ['allow', 'warn', 'refuse'] as const, 24) : []}
        series={[{ key: 'allow', label: t('verdict.allow'), colour: '#146c2e' }, { key: 'warn', label: t('verdict.warn'), colour: '#c79100' }, { key: 'refuse', label: t('verdict.refuse'), colour: '#b3261e' }]} />
      <CategoryBars title={t('chart.refusals')} testId="chart-refusals" empty={t('chart.empty')} items={(stats?.refusalsByReason ?? []).map((r) => ({ label: reasonLabel(r.reason, lang), count: r.count }))} />
      <StackedBars title={t('chart.deliveries')} testId="chart-deliveries" empty={t('chart.empty')} rows={stats ? hourSlots(stats.from, stats.to, stats.deliveriesPerHour, ['delivered', 'failed'] as const, 24) : []}
        series={[{ key: 'delivered', label: t('chart.delivered'), colour: '#0b57d0' }, { key: 'failed', label: t('chart.failed'), colour: '#b3261e' }]} />
    </div>
  );
}

/** The cache's age against its limit, as a bar (and as text beside it). */
function CacheMeter(props: { cache: CacheFreshnessView }) {
  const { cache } = props;
  if (cache.ageMs === null || cache.limitMs <= 0) return null;
  const used = Math.min(1, cache.ageMs / cache.limitMs);
  return (
    <div class="meter" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(used * 100)} aria-label="cache age / limit">
      <span style={{ width: `${used * 100}%` }} class={used >= 1 ? 'meter-bad' : used > 0.75 ? 'meter-warn' : 'meter-ok'} />
    </div>
  );
}

function TrainingBadge(props: { training: TrainingView }) {
  const t = useT();
  const tr = props.training;
  const item = (label: string, running: boolean, id: string) => (
    <span class={`badge ${running ? 'badge-ok' : 'badge-bad'}`} data-testid={`training-${id}`} data-running={String(running)}>{label}: {running ? t('training.running') : t('training.stopped')}</span>
  );
  return (
    <span class="training-state">
      {item(t('training.ofd'), tr.ofd.running, 'ofd')}
      {item(t('training.registry'), tr.registry.running, 'registry')}
    </span>
  );
}
