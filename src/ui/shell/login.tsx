/** Login: a name and a PIN, with a keypad big enough for a touch screen. */
import { useState } from 'preact/hooks';
import { useApp, useT } from '../shared/context.ts';
import { errorText } from '../shared/errors.ts';
import { PinPad } from '../shared/keypad.tsx';
import type { Session } from '../shared/session.ts';

export function Login(props: { notice?: string | null; initialName?: string; onLogin(session: Session): void }) {
  const { api, lang } = useApp();
  const t = useT();
  const [name, setName] = useState(props.initialName ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e?: Event) => {
    e?.preventDefault();
    if (busy) return;
    if (!name.trim()) {
      setError(t('login.nameRequired'));
      document.getElementById('login-name')?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await api.login({ name: name.trim(), pin });
      props.onLogin(session);
    } catch (err) {
      setPin('');
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="centered" id="login">
      <form class="card login" onSubmit={submit} noValidate>
        <h1>{t('login.title')}</h1>
        {props.notice && <p class="form-ok" role="status">{props.notice}</p>}
        {error && <p class="form-error" role="alert" data-testid="form-error">{error}</p>}
        <div class="field">
          <label for="login-name">{t('login.name')}</label>
          <input id="login-name" value={name} autoComplete="username" autoFocus={!props.initialName} maxLength={64} onInput={(e) => setName(e.currentTarget.value)} />
        </div>
        <PinPad id="login-pin" label={t('login.pin')} value={pin} onChange={setPin} onEnter={() => void submit()} />
        <button type="submit" class="btn btn-primary btn-block" id="login-submit" disabled={busy}>{t('login.submit')}</button>
      </form>
    </main>
  );
}
