/**
 * Maintenance: the registry connection test (OFD and marking registry), training emulator
 * control, recent logs with a level filter, and the diagnostics bundle download (configuration
 * without secrets, versions, devices, recent logs — made by the core, which masks secrets).
 */
import { FailureText } from '../shared/failure-text.tsx';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ConnectionTestResult, LogLine, OfdRegInfoView, RegistryTestResponse, TrainingView } from '../../server/contract/index.ts';
import { saveBlob } from '../shared/api.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';

/** "Test connection" for the registry settings: one line per channel, with the latency. */
export function RegistryTest() {
  const { api, lang } = useApp();
  const t = useT();
  const [result, setResult] = useState<RegistryTestResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.registryTest());
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const row = (label: string, r: ConnectionTestResult, id: string) => (
    <li data-testid={`registry-test-${id}`} data-ok={String(r.ok)} class={r.skipped ? 'muted' : r.ok ? 'ok-text' : 'bad-text'}>
      <strong>{label}:</strong> {r.skipped ? t('registry.skipped') : r.ok ? t('registry.ok', { ms: r.latencyMs ?? '?' }) : t('registry.failed')}
      {r.target && <> · <code>{r.target}</code></>}
      {!r.ok && !r.skipped ? <FailureText raw={r.detail} /> : <span class="failure-raw small muted" lang="en">{r.detail}</span>}
    </li>
  );
  return (
    <section class="panel" aria-labelledby="registry-test-title">
      <div class="panel-head">
        <h2 id="registry-test-title">{t('registry.test')}</h2>
        <button type="button" class="btn btn-primary" id="registry-test" disabled={busy} onClick={() => void run()}>{t('registry.testButton')}</button>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {result && (
        <ul class="test-results">
          {row(t('config.ofd'), result.ofd, 'ofd')}
          {row(t('config.marking'), result.marking, 'marking')}
        </ul>
      )}
      {result?.ofdRegInfo && <RegInfoLines info={result.ofdRegInfo} />}
    </section>
  );
}

/** What the OFD says about this register (2.0.3 reg_info): the point of sale with its Kazakh address and position, the organisation. */
function RegInfoLines({ info }: { info: OfdRegInfoView }) {
  const { lang } = useApp();
  const t = useT();
  const pos = info.pointOfSale;
  const org = info.organisation;
  const join = (...parts: Array<string | null | undefined>) => parts.filter((p) => p).join(' · ');
  const at = pos?.latitude != null && pos.longitude != null ? `${pos.latitude.toFixed(6)}, ${pos.longitude.toFixed(6)}` : null;
  return (
    <ul class="plain-list small" data-testid="ofd-reg-info">
      {pos && <li data-testid="ofd-pos"><strong>{t('registry.pointOfSale')}:</strong> {join(pos.title, pos.address, pos.addressKz, at)}</li>}
      {org && <li data-testid="ofd-org"><strong>{t('registry.organisation')}:</strong> {join(org.title, org.addressKz ?? org.address, org.inn)}</li>}
      <li class="muted">{t('registry.regInfoAt', { time: formatTime(info.receivedAt, lang) })}</li>
    </ul>
  );
}

/** Training mode: stop and start the in-process OFD and registry emulators (to rehearse an outage). */
export function TrainingControl() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [training, setTraining] = useState<TrainingView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.trainingState().then((r) => setTraining(r.training), () => undefined);
  }, [api]);
  useEffect(() => events?.on((e) => { if (e.type === 'sync' && 'training' in e && e.training) setTraining(e.training); }), [events]);
  if (!training) return null;
  const set = async (which: 'ofd' | 'registry', running: boolean) => {
    try {
      setTraining((await api.training({ [which]: running ? 'running' : 'stopped' })).training);
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    }
  };
  const item = (which: 'ofd' | 'registry', label: string, running: boolean, where: string) => (
    <li data-testid={`training-${which}`} data-running={String(running)}>
      <span class={`badge ${running ? 'badge-ok' : 'badge-bad'}`}>{running ? t('training.running') : t('training.stopped')}</span> <strong>{label}</strong> <code class="small">{where}</code>{' '}
      <button type="button" class="btn" id={`training-${which}-toggle`} onClick={() => void set(which, !running)}>{running ? t('training.stop') : t('training.start')}</button>
    </li>
  );
  return (
    <section class="panel" aria-labelledby="training-title">
      <h2 id="training-title">{t('training.title')}</h2>
      <p class="small muted">{t('training.intro')}</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      <ul class="plain-list">
        {item('ofd', t('training.ofd'), training.ofd.running, `${training.ofd.host}:${training.ofd.port}`)}
        {item('registry', t('training.registry'), training.registry.running, training.registry.url)}
      </ul>
      <p class="small muted">{t('training.devices', { scanner: training.scanner.path ?? '—', printer: training.printer.outDir })}</p>
    </section>
  );
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Recent log lines (secrets already removed by the core), newest last, with the diagnostics download. */
export function LogsView() {
  const { api, lang } = useApp();
  const t = useT();
  const [level, setLevel] = useState<(typeof LEVELS)[number]>('info');
  const [lines, setLines] = useState<LogLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const load = useCallback(async () => {
    try {
      setLines((await api.logs({ level, limit: 500 })).lines);
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setLoaded(true);
    }
  }, [api, lang, level]);
  useEffect(() => { void load(); }, [load]);
  const download = async () => {
    try {
      const bundle = await api.diagnostics();
      saveBlob(new Blob([`${JSON.stringify(bundle, null, 2)}\n`], { type: 'application/json' }), `tanba-diagnostics-${bundle.generatedAt.replace(/[:.]/g, '-')}.json`);
    } catch (err) {
      setError(errorText(err, lang));
    }
  };
  return (
    <section aria-labelledby="logs-title">
      <div class="filters">
        <h2 id="logs-title" class="grow">{t('logs.title')}</h2>
        <div class="field inline">
          <label for="logs-level">{t('logs.level')}</label>
          <select id="logs-level" value={level} onChange={(e) => setLevel(e.currentTarget.value as (typeof LEVELS)[number])}>
            {LEVELS.map((l) => <option key={l} value={l}>{l}</option>)}
          </select>
        </div>
        <button type="button" class="btn" onClick={() => void load()}>{t('action.refresh')}</button>
        <button type="button" class="btn btn-primary" id="diagnostics-download" onClick={() => void download()}>{t('logs.diagnostics')}</button>
      </div>
      <p class="small muted">{t('logs.diagnosticsIntro')}</p>
      {error && <p class="form-error" role="alert">{error}</p>}
      <div class="table-wrap tall">
        <table data-testid="logs-table" class="logs">
          <thead><tr><th scope="col">{t('audit.time')}</th><th scope="col">{t('logs.level')}</th><th scope="col">{t('logs.message')}</th></tr></thead>
          <tbody>
            {loaded && lines.length === 0 && <tr><td colSpan={3} class="empty">{t('audit.empty')}</td></tr>}
            {lines.map((l, i) => (
              <tr key={i} data-level={l.level}>
                <td class="nowrap small">{formatTime(l.time, lang)}</td>
                <td><span class={`level level-${l.level}`}>{l.level}</span></td>
                <td class="details small">{l.msg}{Object.keys(l.data).length > 0 && <span class="muted"> {JSON.stringify(l.data)}</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
