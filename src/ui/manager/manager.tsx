/** The manager screen: sync health (route not connected yet), the audit log, the overrides log. */
import { useEffect, useState } from 'preact/hooks';
import { useApp, useT } from '../shared/context.ts';
import { formatTime } from '../shared/format.ts';
import { isNotConnected } from '../shared/api.ts';
import { NotConnected, Tabs } from '../shared/layout.tsx';
import type { SyncView } from '../shared/pending.ts';
import { AuditLog } from './audit.tsx';
import { isOverrideEntry } from './filter.ts';

type Tab = 'sync' | 'audit' | 'overrides';

export function ManagerScreen() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('sync');
  return (
    <main class="page" id="manager">
      <h1 class="visually-hidden">{t('view.manager')}</h1>
      <Tabs<Tab>
        label={t('manager.tabs')}
        idPrefix="manager"
        active={tab}
        onChange={setTab}
        tabs={[{ key: 'sync', label: t('manager.sync') }, { key: 'audit', label: t('manager.audit') }, { key: 'overrides', label: t('manager.overrides') }]}
      />
      <div role="tabpanel" id="manager-panel" aria-labelledby={`manager-tab-${tab}`} class="tabpanel">
        {tab === 'sync' && <SyncDashboard />}
        {tab === 'audit' && <AuditLog id="audit" />}
        {tab === 'overrides' && <AuditLog id="overrides" only={isOverrideEntry} />}
      </div>
    </main>
  );
}

function SyncDashboard() {
  const { api, lang } = useApp();
  const t = useT();
  const [sync, setSync] = useState<SyncView | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    api.syncStatus().then(setSync, (err: unknown) => setMissing(isNotConnected(err)));
  }, [api]);
  const value = (v: string | number | null | undefined) => (v === null || v === undefined ? '—' : String(v));
  const time = (iso: string | null | undefined) => (iso ? formatTime(iso, lang) : '—');
  return (
    <section>
      {missing && <NotConnected feature="feature.sync" />}
      <div class="tiles">
        <div class="tile"><p class="tile-label">{t('sync.queue')}</p><p class="tile-value" data-testid="sync-queue">{value(sync?.queueDepth)}</p></div>
        <div class="tile"><p class="tile-label">{t('sync.oldest')}</p><p class="tile-value">{time(sync?.oldestUndeliveredAt)}</p></div>
        <div class="tile"><p class="tile-label">{t('sync.lastDelivery')}</p><p class="tile-value">{time(sync?.lastDeliveryAt)}</p></div>
        <div class="tile"><p class="tile-label">{t('sync.cache')}</p><p class="tile-value">{time(sync?.cacheUpdatedAt)}</p></div>
      </div>
    </section>
  );
}
