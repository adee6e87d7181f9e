/**
 * One register at head office: its last heartbeat (the overview's figures, as tiles) and the
 * documents of it that reached the hub, in the register's order.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { HqDocumentView, HqRegisterView } from '../../server/contract/index.ts';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';
import type { MessageKey } from '../shared/i18n.ts';
import { useHq } from './context.ts';
import { refusalsText } from './overview.tsx';

const KINDS = new Set(['sale', 'return', 'shift_close', 'conflict']);

function Tile(props: { label: string; value: string | number; id: string }) {
  return <div class="tile" data-tile={props.id}><p class="tile-label">{props.label}</p><p class="tile-value">{props.value}</p></div>;
}

export function RegisterView(props: { store: string; register: string; onBack(): void }) {
  const { api, t, lang } = useHq();
  const [reg, setReg] = useState<HqRegisterView | null | undefined>(undefined);
  const [docs, setDocs] = useState<HqDocumentView[] | null>(null);
  // The hub sends the newest page; older pages are put in front on request.
  const [page, setPage] = useState<{ total: number; older: number | null }>({ total: 0, older: null });
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      // The store filter is a prefix: pick the exact store.
      const [status, documents] = await Promise.all([api.status({ store: props.store }), api.register(props.store, props.register)]);
      setReg(status.stores.find((s) => s.id === props.store)?.registers.find((r) => r.id === props.register) ?? null);
      setDocs(documents.documents);
      setPage({ total: documents.total, older: documents.older });
      setError(null);
    } catch (err) {
      setError(errorText(err, lang));
    }
  }, [api, lang, props.store, props.register]);

  useEffect(() => { void load(); }, [load]);

  const loadOlder = async () => {
    if (page.older === null) return;
    try {
      const more = await api.register(props.store, props.register, page.older);
      setDocs((shown) => [...more.documents, ...(shown ?? [])]);
      setPage({ total: more.total, older: more.older });
    } catch (err) {
      setError(errorText(err, lang));
    }
  };

  const time = (iso: string | null, none: string) => (iso === null ? none : formatTime(iso, lang));
  return (
    <section aria-labelledby="hq-register-title" id="hq-register">
      <p><a href="/" onClick={(e) => { e.preventDefault(); props.onBack(); }} id="hq-back">← {t('hq.back')}</a></p>
      <h1 id="hq-register-title">{t('hq.register.title', { store: props.store, register: props.register })}</h1>
      {error && <p class="form-error" role="alert">{error}</p>}
      {reg === null && <p class="not-connected">{t('hq.register.unknown')}</p>}
      {reg && (
        <div class="tiles">
          <Tile id="lastSeen" label={t('hq.col.lastSeen')} value={time(reg.lastSeen, t('hq.never'))} />
          <Tile id="queue" label={t('hq.col.queue')} value={reg.queue ?? '—'} />
          <Tile id="oldest" label={t('hq.col.oldest')} value={time(reg.oldestUndelivered, '—')} />
          <Tile id="hoursLeft" label={t('hq.col.hoursLeft')} value={reg.hoursLeft ?? '—'} />
          <Tile id="refusals" label={t('hq.col.refusals')} value={refusalsText(reg.refusalsLastHour) ?? t('hq.none')} />
          <Tile id="unguarded" label={t('hq.col.unguarded')} value={reg.unguarded} />
          <Tile id="conflicts" label={t('hq.col.conflicts')} value={reg.conflicts} />
          <Tile id="documents" label={t('hq.col.documents')} value={reg.documents} />
        </div>
      )}
      <h2 class="hq-docs-title">{t('hq.register.documents')}</h2>
      {docs && page.older !== null && (
        <p class="hq-older">
          {t('hq.register.shown', { shown: docs.length, total: page.total })}{' '}
          <button type="button" id="hq-older" onClick={() => void loadOlder()}>{t('hq.register.older')}</button>
        </p>
      )}
      <div class="table-wrap">
        <table data-testid="hq-documents">
          <thead><tr><th scope="col" class="num">{t('hq.doc.seq')}</th><th scope="col">{t('hq.doc.kind')}</th><th scope="col">{t('hq.doc.id')}</th><th scope="col">{t('hq.doc.at')}</th></tr></thead>
          <tbody>
            {docs?.length === 0 && <tr><td colSpan={4} class="empty">{t('hq.register.noDocuments')}</td></tr>}
            {docs?.map((d) => (
              <tr key={`${d.seq}-${d.id}`} data-kind={d.kind}>
                <td class="num">{d.seq}</td>
                <td>{KINDS.has(d.kind) ? t(`hq.kind.${d.kind}` as MessageKey) : d.kind}</td>
                <td><code>{d.id}</code></td>
                <td class="nowrap">{formatTime(d.at, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
