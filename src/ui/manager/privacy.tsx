/**
 * Privacy: e-receipt contacts kept with the customer's consent, masked (never shown in full),
 * with withdrawal of one consent and a purge of every expired contact. Both are audited by the
 * core and remove the contact for good (secure delete, WAL truncated).
 */
import { purposeText } from '../shared/failure.ts';
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { ConsentView, PurgeResponse } from '../../server/contract/index.ts';
import { useApp, useT } from '../shared/context.ts';
import { Dialog } from '../shared/dialog.tsx';
import { errorText } from '../shared/errors.ts';
import { formatTime } from '../shared/format.ts';

type Pending = null | { kind: 'withdraw'; consent: ConsentView } | { kind: 'purge' };

export function PrivacyView() {
  const { api, lang } = useApp();
  const t = useT();
  const [rows, setRows] = useState<ConsentView[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const load = useCallback(async () => {
    try {
      setRows((await api.consents()).consents);
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    } finally {
      setLoaded(true);
    }
  }, [api, lang]);
  useEffect(() => { void load(); }, [load]);

  const done = (res: PurgeResponse) => setMessage({ kind: 'ok', text: t('privacy.purged', { count: res.purged }) + (res.walTruncated ? '' : ` ${t('privacy.walKept')}`) });
  const confirm = async () => {
    const p = pending;
    setPending(null);
    if (!p) return;
    try {
      done(p.kind === 'purge' ? await api.purge() : await api.withdrawConsent(p.consent.id));
      await load();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err, lang) });
    }
  };
  return (
    <section aria-labelledby="privacy-title">
      <h2 id="privacy-title">{t('privacy.title')}</h2>
      <p class="small muted">{t('privacy.intro')}</p>
      {message && <p class={message.kind === 'ok' ? 'form-ok' : 'form-error'} role={message.kind === 'ok' ? 'status' : 'alert'} data-testid="privacy-message">{message.text}</p>}
      <div class="dash-actions"><button type="button" class="btn" id="privacy-purge" onClick={() => setPending({ kind: 'purge' })}>{t('privacy.purge')}</button></div>
      <div class="table-wrap tall">
        <table data-testid="consents-table">
          <thead>
            <tr>
              <th scope="col">{t('privacy.contact')}</th>
              <th scope="col">{t('privacy.purpose')}</th>
              <th scope="col">{t('privacy.consentAt')}</th>
              <th scope="col">{t('privacy.expiresAt')}</th>
              <th scope="col">{t('privacy.state')}</th>
              <th scope="col"><span class="visually-hidden">{t('privacy.withdraw')}</span></th>
            </tr>
          </thead>
          <tbody>
            {loaded && rows.length === 0 && <tr><td colSpan={6} class="empty">{t('privacy.none')}</td></tr>}
            {rows.map((c) => (
              <tr key={c.id} data-consent={c.id}>
                <td>{[c.phone, c.email].filter(Boolean).join(' · ')}</td>
                <td>{purposeText(c.purpose, t)}</td>
                <td class="nowrap">{formatTime(c.consentAt, lang)}</td>
                <td class="nowrap">{c.expiresAt ? formatTime(c.expiresAt, lang) : '—'}</td>
                <td>{c.withdrawnAt ? t('privacy.withdrawnAt', { at: formatTime(c.withdrawnAt, lang) }) : t('privacy.active')}</td>
                <td>{!c.withdrawnAt && <button type="button" class="btn" onClick={() => setPending({ kind: 'withdraw', consent: c })}>{t('privacy.withdraw')}</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {pending && (
        <Dialog title={pending.kind === 'purge' ? t('privacy.purge') : t('privacy.withdraw')} onClose={() => setPending(null)} id="privacy-dialog">
          <p>{pending.kind === 'purge' ? t('privacy.purgeConfirm') : t('privacy.withdrawConfirm', { contact: [pending.consent.phone, pending.consent.email].filter(Boolean).join(' · ') })}</p>
          <div class="form-actions">
            <button type="button" class="btn" onClick={() => setPending(null)}>{t('action.cancel')}</button>
            <button type="button" class="btn btn-primary" data-autofocus id="privacy-confirm" onClick={() => void confirm()}>{t('action.confirm')}</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
