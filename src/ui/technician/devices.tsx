/**
 * The technician's devices: assigned scanners and printers with their health, discovery and
 * assignment, port and framing settings, a live raw-byte monitor (hex, with GS visible), a test
 * scan through the training scanner and a test print that shows the rendered receipt.
 */
import { FailureText } from '../shared/failure-text.tsx';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type {
  AssignDeviceRequest, DeviceRawEvent, DeviceView, DevicesResponse, FoundDeviceView, TestPrintResponse, TestScanRequest, TestScanResponse,
} from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { Code } from '../shared/code.tsx';
import { formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';
import { deviceFormOf, deviceRequestOf, EMPTY_DEVICE_FORM, type DeviceForm } from './device-form.ts';
import { WedgeSettings } from './wedge-settings.tsx';

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function DevicesView(props: { trainingMode: boolean }) {
  const { api, events, lang } = useApp();
  const t = useT();
  const [data, setData] = useState<DevicesResponse | null>(null);
  const [found, setFound] = useState<FoundDeviceView[] | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  const [editing, setEditing] = useState<{ form: DeviceForm; isNew: boolean } | null>(null);
  const [message, setMessage] = useState<Message>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.devices());
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    }
  }, [api, lang]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => events?.on((e) => {
    if (e.type === 'device-health') setData((d) => (d ? { ...d, devices: d.devices.map((x) => (x.config.id === e.health.id ? { ...x, health: e.health } : x)) } : d));
  }), [events]);

  const discover = async () => {
    try {
      const res = await api.discover();
      setFound(res.found);
      setNotes([res.serialUnavailable, res.hidUnavailable].filter((x): x is string => x !== null));
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    }
  };
  const remove = async (id: string) => {
    try {
      await api.removeDevice(id);
      setMessage({ kind: 'ok', text: t('devices.removed', { id }) });
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    }
  };

  return (
    <div class="devices">
      {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="devices-message">{message.text}</p>}
      <section aria-labelledby="devices-title" class="panel">
        <div class="panel-head">
          <h2 id="devices-title">{t('devices.assigned')}</h2>
          <span class="small muted" data-testid="printer-target">{t('devices.printerTarget')}: {data ? printerText(data.printer, t) : '…'}</span>
          <button type="button" class="btn" id="device-add" onClick={() => setEditing({ form: EMPTY_DEVICE_FORM, isNew: true })}>{t('devices.add')}</button>
        </div>
        <div class="table-wrap">
          <table data-testid="devices-table">
            <thead>
              <tr>
                <th scope="col">{t('devices.id')}</th><th scope="col">{t('devices.roleLabel')}</th><th scope="col">{t('devices.port')}</th>
                <th scope="col">{t('devices.framing')}</th><th scope="col">{t('devices.state')}</th><th scope="col" class="num">{t('devices.scans')}</th><th scope="col"><span class="visually-hidden">{t('devices.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {data && data.devices.length === 0 && <tr><td colSpan={7} class="empty">{t('devices.none')}</td></tr>}
              {data?.devices.map((d) => <DeviceRow key={d.config.id} device={d} onEdit={() => setEditing({ form: deviceFormOf(d.config), isNew: false })} onRemove={() => void remove(d.config.id)} />)}
            </tbody>
          </table>
        </div>
        <div class="dash-actions">
          <button type="button" class="btn" id="devices-discover" onClick={() => void discover()}>{t('devices.discover')}</button>
        </div>
        {notes.map((n) => <p key={n} class="small muted">{n}</p>)}
        {found && (
          found.length === 0 ? <p class="small muted" data-testid="found-none">{t('devices.foundNone')}</p> : (
            <table data-testid="found-table">
              <thead><tr><th scope="col">{t('devices.port')}</th><th scope="col">{t('devices.product')}</th><th scope="col">{t('devices.hint')}</th><th scope="col" /></tr></thead>
              <tbody>
                {found.map((f) => (
                  <tr key={`${f.transport}:${f.path}`}>
                    <td><code>{f.path}</code> <span class="small muted">{f.transport}</span></td>
                    <td>{[f.manufacturer, f.product].filter(Boolean).join(' ') || '—'}{f.vendorId && <span class="small muted"> {f.vendorId}:{f.productId}</span>}</td>
                    <td class="small">{f.hint ?? ''}</td>
                    <td><button type="button" class="btn" onClick={() => setEditing({ form: { ...EMPTY_DEVICE_FORM, transport: f.transport, path: f.transport === 'serial' ? f.path : '', vendorId: f.vendorId ?? '', productId: f.productId ?? '', serialNumber: f.serialNumber ?? '' }, isNew: true })}>{t('devices.assign')}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        )}
      </section>
      <div class="dev-grid">
        <RawMonitor />
        <div>
          <TestScan enabled={props.trainingMode} />
          <TestPrint />
          <WedgeSettings />
        </div>
      </div>
      {editing && (
        <DeviceDialog form={editing.form} isNew={editing.isNew} onClose={() => setEditing(null)}
          onSaved={(id) => { setEditing(null); setMessage({ kind: 'ok', text: t('devices.saved', { id }) }); void load(); }} />
      )}
    </div>
  );
}

function DeviceRow(props: { device: DeviceView; onEdit(): void; onRemove(): void }) {
  const t = useT();
  const { config, health, emulated } = props.device;
  const state = health?.state ?? 'stopped';
  return (
    <tr data-device={config.id} data-state={state}>
      <td>{config.id}{emulated && <span class="badge">{t('devices.emulated')}</span>}</td>
      <td>{t(`devices.role.${config.role}` as MessageKey)}</td>
      <td class="details"><code>{config.path ?? `${config.vendorId ?? '?'}:${config.productId ?? '?'}`}</code> <span class="small muted">{config.transport}{config.transport === 'serial' ? ` ${config.baudRate}` : ''}</span></td>
      <td class="small">{config.role === 'scanner' ? `${config.framing.terminator} · ${config.framing.idleMs} ms` : '—'}</td>
      <td><span class={`health health-${state}`}>{t(`devices.health.${state}` as MessageKey)}</span>{health?.lastError && <div class="small details"><FailureText raw={health.lastError} /></div>}</td>
      <td class="num">{health?.scans ?? 0}</td>
      <td class="nowrap">
        <button type="button" class="btn" onClick={props.onEdit}>{t('devices.configure')}</button>{' '}
        {!emulated && <button type="button" class="btn" onClick={props.onRemove}>{t('devices.remove')}</button>}
      </td>
    </tr>
  );
}

function DeviceDialog(props: { form: DeviceForm; isNew: boolean; onClose(): void; onSaved(id: string): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [form, setForm] = useState<DeviceForm>(props.form);
  const [error, setError] = useState<string | null>(null);
  const set = <K extends keyof DeviceForm>(k: K, v: DeviceForm[K]) => setForm({ ...form, [k]: v });
  const save = async (e: Event) => {
    e.preventDefault();
    const built = deviceRequestOf(form);
    if (!built.ok) return setError(t('devices.invalid', { field: built.field }));
    try {
      const body: AssignDeviceRequest = built.request;
      if (props.isNew) await api.assignDevice(body);
      else {
        const { id: _id, ...patch } = body;
        await api.configureDevice(form.id, patch);
      }
      props.onSaved(form.id);
    } catch (err) {
      setError(errorText(err, lang));
    }
  };
  const input = (k: keyof DeviceForm, label: MessageKey, extra: { disabled?: boolean; inputMode?: 'numeric' | 'text' } = {}) => (
    <div class="field">
      <label for={`dev-${k}`}>{t(label)}</label>
      <input id={`dev-${k}`} value={form[k]} disabled={extra.disabled} inputMode={extra.inputMode} autoComplete="off" onInput={(e) => set(k, e.currentTarget.value)} />
    </div>
  );
  return (
    <Dialog title={props.isNew ? t('devices.add') : t('devices.configureId', { id: form.id })} onClose={props.onClose} id="device-dialog">
      {error && <p class="form-error" role="alert">{error}</p>}
      <form onSubmit={save}>
        <div class="row2">
          {input('id', 'devices.id', { disabled: !props.isNew })}
          <div class="field">
            <label for="dev-role">{t('devices.roleLabel')}</label>
            <select id="dev-role" value={form.role} onChange={(e) => set('role', e.currentTarget.value as DeviceForm['role'])}>
              <option value="scanner">{t('devices.role.scanner')}</option>
              <option value="printer">{t('devices.role.printer')}</option>
            </select>
          </div>
        </div>
        <div class="row2">
          <div class="field">
            <label for="dev-transport">{t('devices.transport')}</label>
            <select id="dev-transport" value={form.transport} onChange={(e) => set('transport', e.currentTarget.value as DeviceForm['transport'])}>
              <option value="serial">serial</option>
              <option value="hid">HID</option>
            </select>
          </div>
          {form.transport === 'serial' ? input('baudRate', 'devices.baud', { inputMode: 'numeric' }) : input('serialNumber', 'devices.serialNumber')}
        </div>
        {form.transport === 'serial' ? input('path', 'devices.port') : <div class="row2">{input('vendorId', 'devices.vendorId')}{input('productId', 'devices.productId')}</div>}
        {form.role === 'scanner' && (
          <div class="row2">
            <div class="field">
              <label for="dev-terminator">{t('devices.terminator')}</label>
              <select id="dev-terminator" value={form.terminator} onChange={(e) => set('terminator', e.currentTarget.value as DeviceForm['terminator'])}>
                {(['cr', 'lf', 'crlf', 'none'] as const).map((x) => <option key={x} value={x}>{x.toUpperCase()}</option>)}
              </select>
            </div>
            {input('idleMs', 'devices.idleMs', { inputMode: 'numeric' })}
          </div>
        )}
        <div class="form-actions">
          <button type="button" class="btn" onClick={props.onClose}>{t('action.cancel')}</button>
          <button type="submit" class="btn btn-primary" id="device-save">{t('action.save')}</button>
        </div>
      </form>
    </Dialog>
  );
}

/** Frames as they arrive from scanners: time, device, length, hex and text with GS marked. */
function RawMonitor() {
  const { events, lang } = useApp();
  const t = useT();
  const [frames, setFrames] = useState<DeviceRawEvent[]>([]);
  const [paused, setPaused] = useState(false);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  useEffect(() => events?.on((e) => {
    if (e.type === 'device-raw' && !pausedRef.current) setFrames((f) => [e, ...f].slice(0, 200));
  }), [events]);
  return (
    <section aria-labelledby="raw-title" class="panel raw-monitor">
      <div class="panel-head">
        <h2 id="raw-title">{t('raw.title')}</h2>
        <button type="button" class="btn" aria-pressed={paused} onClick={() => setPaused(!paused)}>{paused ? t('raw.resume') : t('raw.pause')}</button>
        <button type="button" class="btn" onClick={() => setFrames([])}>{t('raw.clear')}</button>
      </div>
      <p class="small muted">{t('raw.intro')}</p>
      <ol class="raw-frames" data-testid="raw-frames" aria-live="polite">
        {frames.length === 0 && <li class="muted small">{t('raw.waiting')}</li>}
        {frames.map((f, i) => (
          <li key={`${f.at}-${i}`} class={f.ok ? 'raw-ok' : 'raw-bad'} data-device={f.deviceId}>
            <div class="raw-meta small"><span>{formatTime(f.at, lang)}</span> <strong>{f.deviceId}</strong> <span>{t('raw.bytes', { n: f.length })}</span>{f.error && <span class="warn-text"> · {f.error}</span>}</div>
            <div class="raw-text"><RawText text={f.text} /></div>
            <div class="raw-hex"><HexBytes hex={f.hex} /></div>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The printable form with `<GS>` and other `<xx>` control marks shown as badges. */
function RawText(props: { text: string }) {
  const parts = props.text.split(/(<[0-9A-Za-z]{2,3}>)/);
  return <code data-testid="raw-text">{parts.map((p, i) => (/^<[0-9A-Za-z]{2,3}>$/.test(p) ? <abbr key={i} class={p === '<GS>' ? 'gs' : 'ctl'} title={p === '<GS>' ? 'Group Separator (0x1D)' : p}>{p.slice(1, -1)}</abbr> : p))}</code>;
}

/** Hex bytes, with 1d (GS) highlighted. */
function HexBytes(props: { hex: string }) {
  return <code class="hex" data-testid="raw-hex">{props.hex.split(' ').map((b, i) => <span key={i} class={b.toLowerCase() === '1d' ? 'hex-gs' : undefined}>{b} </span>)}</code>;
}

const TEST_KINDS = ['sellable', 'withdrawn', 'sold', 'expired', 'blocked', 'above_mrp', 'not_introduced', 'unknown'] as const;

/**
 * Sends a code through the training scanner's pty: the whole path a real scan takes. The frame
 * comes back parsed and decided in the answer, and shown here — it never goes into a basket.
 */
function TestScan(props: { enabled: boolean }) {
  const { api, lang } = useApp();
  const t = useT();
  const [kind, setKind] = useState<(typeof TEST_KINDS)[number]>('sellable');
  const [code, setCode] = useState('');
  const [answer, setAnswer] = useState<TestScanResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (e: Event) => {
    e.preventDefault();
    setAnswer(null);
    setError(null);
    setBusy(true);
    try {
      const body: TestScanRequest = code.trim() ? { code: code.trim() } : { kind };
      setAnswer(await api.testScan(body));
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  const result = answer?.result ?? null;
  return (
    <section aria-labelledby="test-scan-title" class="panel">
      <h2 id="test-scan-title">{t('testScan.title')}</h2>
      {!props.enabled ? <p class="small muted">{t('testScan.trainingOnly')}</p> : (
        <form onSubmit={send} class="filters">
          <div class="field inline">
            <label for="test-scan-kind">{t('testScan.kind')}</label>
            <select id="test-scan-kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as (typeof TEST_KINDS)[number])}>
              {TEST_KINDS.map((k) => <option key={k} value={k}>{t(`testScan.kind.${k}` as MessageKey)}</option>)}
            </select>
          </div>
          <div class="field inline grow">
            <label for="test-scan-code">{t('testScan.code')}</label>
            <input id="test-scan-code" value={code} autoComplete="off" spellcheck={false} placeholder="0104600439931256215…\x1d93…" onInput={(e) => setCode(e.currentTarget.value)} />
          </div>
          <button type="submit" class="btn btn-primary" id="test-scan-send" disabled={busy}>{t('testScan.send')}</button>
        </form>
      )}
      {error && <p class="form-error" role="alert" data-testid="test-scan-error">{error}</p>}
      {answer && <p class="small">{t('testScan.sent')}: <Code raw={answer.code} /></p>}
      {result && (
        <div data-testid="test-scan-result" role="status">
          <p class="small">{t('testScan.result')}: <Code raw={result.received} /></p>
          <p class="small" data-testid="test-scan-parsed">
            {t('testScan.parsed')}: {result.parsed.ok ? <>{result.parsed.kind}{result.parsed.gtin && <> · GTIN <code>{result.parsed.gtin}</code></>}{result.product && <> · {result.product}</>}</> : <>{t('testScan.unreadable')} — {result.parsed.error.messages[lang]}</>}
          </p>
          <p class={`pill verdict-${result.verdict.decision}`} data-testid="test-scan-verdict" data-decision={result.verdict.decision}>{t(`verdict.${result.verdict.decision}`)} — {result.verdict.messages[lang] || result.verdict.message}</p>
        </div>
      )}
    </section>
  );
}

/** Prints a test receipt and shows what the printer was sent, rendered. */
function TestPrint() {
  const { api, lang } = useApp();
  const t = useT();
  const [result, setResult] = useState<TestPrintResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const print = async () => {
    setBusy(true);
    setError(null);
    try {
      setResult(await api.testPrint({}));
    } catch (err) {
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="test-print-title" class="panel">
      <div class="panel-head">
        <h2 id="test-print-title">{t('testPrint.title')}</h2>
        <button type="button" class="btn btn-primary" id="test-print" disabled={busy} onClick={() => void print()}>{t('testPrint.print')}</button>
      </div>
      {error && <p class="form-error" role="alert">{error}</p>}
      {result && (
        <div data-testid="test-print-result" data-printed={String(result.printed)}>
          <p class="small">{result.printed ? t('testPrint.done', { bytes: result.bytes }) : t('testPrint.failed', { error: result.error ?? '' })}</p>
          {result.image && <img class="receipt-image" src={result.image} alt={result.text ?? t('receipt.alt')} data-testid="test-print-image" />}
        </div>
      )}
    </section>
  );
}

/** The printer's target in the UI's language (the virtual one's folder as a parameter, not the core's English). */
function printerText(p: { kind: 'virtual' | 'device' | 'none'; description: string | null; outDir?: string }, t: (key: MessageKey, params?: Record<string, string | number>) => string): string {
  if (p.kind === 'virtual') return p.outDir ? t('devices.printer.virtualTo', { dir: p.outDir }) : t('devices.printer.virtual');
  return p.description ?? t(`devices.printer.${p.kind}` as MessageKey);
}
