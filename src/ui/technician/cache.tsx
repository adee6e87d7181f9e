/**
 * The status cache: figures, freshness against the offline limit, an NDJSON feed import
 * (upload progress from the browser, then the core's own progress as `cache-import` events)
 * and a resync from the marking registry. A bad record refuses the whole file (nothing applied)
 * and the message names the line.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { CacheImportEvent, CacheResponse } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { formatBytes, formatDuration, formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';

type Message = { kind: 'ok' | 'error'; text: string } | null;

export function CacheView() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [data, setData] = useState<CacheResponse | null>(null);
  const [upload, setUpload] = useState<{ sent: number; total: number } | null>(null);
  const [progress, setProgress] = useState<CacheImportEvent | null>(null);
  const [full, setFull] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.cache());
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    }
  }, [api, lang]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => events?.on((e) => {
    if (e.type === 'cache-import') {
      setProgress(e);
      if (e.phase !== 'progress') void load();
    }
  }), [events, load]);

  const runImport = async (e: Event) => {
    e.preventDefault();
    const file = fileRef.current?.files?.[0];
    if (!file) return setMessage({ kind: 'error', text: t('cache.chooseFile') });
    setBusy(true);
    setMessage(null);
    setProgress(null);
    setUpload({ sent: 0, total: file.size });
    try {
      const res = await api.importCache(file, full, (sent, total) => setUpload({ sent, total }));
      setMessage({ kind: 'ok', text: t('cache.imported', { records: res.result.records, lines: res.result.lines, kind: res.result.kind, ms: Math.round(res.result.durationMs) }) });
      if (fileRef.current) fileRef.current.value = '';
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    } finally {
      setBusy(false);
    }
  };
  const resync = async () => {
    setBusy(true);
    setMessage(null);
    try {
      const res = await api.resync();
      setMessage(res.ok ? { kind: 'ok', text: t('cache.resynced', { kind: res.kind ?? '—', records: res.records ?? 0 }) } : { kind: 'error', text: res.error ?? t('cache.resyncFailed') });
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  const s = data?.stats;
  const f = data?.freshness;
  const time = (iso: string | null | undefined) => (iso ? formatTime(iso, lang) : '—');
  const pct = (a: number, b: number | null) => (b && b > 0 ? Math.min(100, Math.round((a / b) * 100)) : null);
  const serverPct = progress ? pct(progress.bytes, progress.totalBytes) : null;
  return (
    <div class="cache-view">
      {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="cache-message">{message.text}</p>}
      <div class="tiles">
        <div class="tile"><p class="tile-label">{t('cache.codes')}</p><p class="tile-value" data-testid="cache-codes">{s ? s.codes.toLocaleString(lang) : '…'}</p></div>
        <div class="tile"><p class="tile-label">{t('cache.products')}</p><p class="tile-value">{s ? s.products.toLocaleString(lang) : '…'}</p></div>
        <div class="tile"><p class="tile-label">{t('cache.blocks')}</p><p class="tile-value">{s ? s.blocks.byCode + s.blocks.byGtin + s.blocks.byBatch : '…'}</p></div>
        <div class={`tile tile-${f?.state === 'stale' ? 'bad' : f?.state === 'ready' ? 'ok' : 'warn'}`} data-testid="cache-freshness" data-state={f?.state}>
          <p class="tile-label">{t('sync.cache')}</p>
          <p class="tile-value">{f ? t(`cache.state.${f.state}` as MessageKey) : '…'}</p>
          <p class="small">{f ? t('sync.cacheDetail', { age: f.ageMs === null ? '—' : formatDuration(f.ageMs, lang), left: f.remainingMs === null ? '—' : formatDuration(f.remainingMs, lang), limit: formatDuration(f.limitMs, lang) }) : ''}</p>
        </div>
      </div>
      <p class="small muted">{t('cache.lastSync', { at: time(s?.lastSyncAt), full: time(s?.lastFullAt), cursor: s?.cursor ?? '—', size: s ? formatBytes(s.fileBytes, lang) : '—' })}</p>
      <div class="dev-grid">
        <form class="panel" onSubmit={runImport} id="cache-import-form">
          <h2>{t('cache.import')}</h2>
          <p class="small muted">{t('cache.importIntro')}</p>
          <div class="field">
            <label for="cache-file">{t('cache.file')}</label>
            <input id="cache-file" type="file" ref={fileRef} accept=".ndjson,.jsonl,.json,application/x-ndjson" />
          </div>
          <label class="check"><input type="checkbox" id="cache-full" checked={full} onChange={() => setFull(!full)} /> {t('cache.full')}</label>
          <div class="form-actions"><button type="submit" class="btn btn-primary" id="cache-import" disabled={busy || data?.busy === true}>{t('cache.importButton')}</button></div>
          {upload && (
            <div class="progress-block">
              <label for="cache-upload-progress" class="small">{t('cache.uploading', { sent: formatBytes(upload.sent, lang), total: formatBytes(upload.total, lang) })}</label>
              <progress id="cache-upload-progress" max={upload.total || 1} value={upload.sent} />
            </div>
          )}
          {progress && (
            <div class="progress-block" data-testid="cache-progress" data-phase={progress.phase}>
              <label for="cache-server-progress" class="small">
                {t(`cache.phase.${progress.phase}` as MessageKey, { line: progress.line, records: progress.records })}{progress.error ? `: ${progress.error}` : ''}
              </label>
              <progress id="cache-server-progress" max={100} value={progress.phase === 'done' ? 100 : serverPct ?? undefined} />
            </div>
          )}
        </form>
        <section class="panel" aria-labelledby="resync-title">
          <h2 id="resync-title">{t('cache.resync')}</h2>
          <p class="small muted">{data?.feedConfigured ? t('cache.resyncIntro') : t('cache.feedNotConfigured')}</p>
          <button type="button" class="btn btn-primary" id="cache-resync" disabled={busy || !data?.feedConfigured} onClick={() => void resync()}>{t('cache.resyncButton')}</button>
          {s?.importInProgress && <p class="small warn-text">{t('cache.interrupted', { line: s.importInProgress.line, at: time(s.importInProgress.updatedAt) })}</p>}
        </section>
      </div>
    </div>
  );
}
