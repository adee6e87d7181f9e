/** The manager screen: sync health and charts, sales and returns, overrides, the audit log, privacy. */
import { useState } from 'preact/hooks';
import { useT } from '../shared/context.ts';
import { Tabs } from '../shared/layout.tsx';
import { ApprovalRequests } from './approvals.tsx';
import { AuditLog } from './audit.tsx';
import { OverridesLog } from './overrides.tsx';
import { PrivacyView } from './privacy.tsx';
import { SalesView } from './sales.tsx';
import { SyncDashboardView } from './sync.tsx';

type Tab = 'sync' | 'sales' | 'overrides' | 'audit' | 'privacy';

export function ManagerScreen() {
  const t = useT();
  const [tab, setTab] = useState<Tab>('sync');
  return (
    <main class="page" id="manager">
      <h1 class="visually-hidden">{t('view.manager')}</h1>
      <ApprovalRequests />
      <Tabs<Tab>
        label={t('manager.tabs')}
        idPrefix="manager"
        active={tab}
        onChange={setTab}
        tabs={[
          { key: 'sync', label: t('manager.sync') },
          { key: 'sales', label: t('manager.sales') },
          { key: 'overrides', label: t('manager.overrides') },
          { key: 'audit', label: t('manager.audit') },
          { key: 'privacy', label: t('manager.privacy') },
        ]}
      />
      <div role="tabpanel" id="manager-panel" aria-labelledby={`manager-tab-${tab}`} class="tabpanel">
        {tab === 'sync' && <SyncDashboardView />}
        {tab === 'sales' && <SalesView />}
        {tab === 'overrides' && <OverridesLog />}
        {tab === 'audit' && <AuditLog id="audit" />}
        {tab === 'privacy' && <PrivacyView />}
      </div>
    </main>
  );
}
