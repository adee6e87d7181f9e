/**
 * Override requests waiting on this screen: a cashier asked for an approval from the approvers'
 * own sessions (POST /api/checkout/override/requests); the manager sees the refused code, the
 * reason and who asked, and approves or declines here. Loaded at start and on every
 * `override-request` / `override-resolved` event.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { OverrideAskView } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { Banner } from '../shared/layout.tsx';
import { verdictText } from '../cashier/verdict.tsx';

export function ApprovalRequests() {
  const { api, events, lang } = useApp();
  const t = useT();
  const [asks, setAsks] = useState<OverrideAskView[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    try {
      setAsks((await api.overrideAsks()).requests);
    } catch {
      // Not an approver, or the core away: nothing to show.
    }
  }, [api]);
  useEffect(() => { void load(); }, [load]);
  useEffect(() => {
    if (!events) return undefined;
    return events.on((e) => { if (e.type === 'override-request' || e.type === 'override-resolved' || e.type === 'hello') void load(); });
  }, [events, load]);
  if (asks.length === 0) return null;
  const answer = async (id: string, approve: boolean): Promise<void> => {
    try {
      if (approve) await api.approveOverrideAsk(id);
      else await api.declineOverrideAsk(id);
      setMessage(null);
    } catch (err) {
      setMessage(errorText(err, lang));
    } finally {
      await load();
    }
  };
  return (
    <Banner kind="warn" testId="approval-requests">
      {t('approvals.title', { n: asks.length })}
      <ul class="approval-list">
        {asks.map((a) => (
          <li key={a.id} data-request={a.id}>
            {t('approvals.item', { cashier: a.requestedBy, code: a.cis ?? '—', verdict: verdictText(a.messages ?? {}, a.message, lang), reason: a.reason })}{' '}
            <button type="button" class="btn btn-primary" onClick={() => void answer(a.id, true)}>{t('approvals.approve')}</button>{' '}
            <button type="button" class="btn" onClick={() => void answer(a.id, false)}>{t('approvals.decline')}</button>
          </li>
        ))}
      </ul>
      {message && <p role="alert">{message}</p>}
    </Banner>
  );
}
