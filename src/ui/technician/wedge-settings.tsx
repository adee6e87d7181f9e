/**
 * The technician's keyboard-wedge scanner settings: the prefix / suffix the scanner is programmed
 * to send around each code (config `marking.wedgePrefix` / `wedgeSuffix`). The till frames a
 * burst by them and strips them; it reads them when it loads (a till already open reloads).
 */
import { useEffect, useState } from 'preact/hooks';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';

export function WedgeSettings() {
  const { api, lang } = useApp();
  const t = useT();
  const [prefix, setPrefix] = useState('');
  const [suffix, setSuffix] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    api.config().then((r) => {
      setPrefix(r.config.marking?.wedgePrefix ?? '');
      setSuffix(r.config.marking?.wedgeSuffix ?? '');
    }, (err: unknown) => setMessage({ ok: false, text: errorText(err, lang) }));
  }, [api, lang]);
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      await api.updateConfig({ marking: { wedgePrefix: prefix, wedgeSuffix: suffix } });
      setMessage({ ok: true, text: t('wedge.saved') });
    } catch (err) {
      setMessage({ ok: false, text: errorText(err, lang) });
    }
  };
  return (
    <section class="panel" aria-labelledby="wedge-title" data-testid="wedge-settings">
      <h2 id="wedge-title">{t('wedge.title')}</h2>
      <p class="small muted">{t('wedge.intro')}</p>
      {message && <p class={message.ok ? 'form-ok' : 'form-error'} role={message.ok ? 'status' : 'alert'} data-testid="wedge-message">{message.text}</p>}
      <form onSubmit={save}>
        <label class="field"><span>{t('wedge.prefix')}</span>
          <input id="wedge-prefix" maxLength={8} autoComplete="off" value={prefix} onInput={(e) => setPrefix(e.currentTarget.value)} />
        </label>
        <label class="field"><span>{t('wedge.suffix')}</span>
          <input id="wedge-suffix" maxLength={8} autoComplete="off" value={suffix} onInput={(e) => setSuffix(e.currentTarget.value)} />
        </label>
        <div class="form-actions"><button type="submit" class="btn btn-primary" id="wedge-save">{t('wedge.save')}</button></div>
      </form>
    </section>
  );
}
