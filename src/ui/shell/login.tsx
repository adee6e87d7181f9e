/**
 * Login: a name and a PIN, with a keypad big enough for a touch screen. The till's people
 * (cashiers, managers) are tiles: a tap fills the name; names are matched case-insensitively.
 */
import { useEffect, useState } from 'preact/hooks';
import type { LoginUsersResponse } from '../../server/contract/index.ts';
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
  const [tiles, setTiles] = useState<LoginUsersResponse['users']>([]);
  useEffect(() => {
    // No tiles (an older core, or switched off) leaves the name field as it was.
    api.loginUsers().then((r) => setTiles(r?.users ?? []), () => setTiles([]));
  }, [api]);
  const pick = (who: string) => {
    setName(who);
    setError(null);
    document.getElementById('login-pin')?.focus();
  };

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
        {tiles.length > 0 && (
          <div class="user-tiles" role="group" aria-label={t('login.pick')} data-testid="user-tiles">
            {tiles.map((u) => (
              <button key={u.name} type="button" class={`btn user-tile${name === u.name ? ' selected' : ''}`} data-name={u.name} aria-pressed={name === u.name} onClick={() => pick(u.name)}>
                <strong>{u.name}</strong>
                <span class="small muted">{t(`role.${u.role}`)}</span>
              </button>
            ))}
          </div>
        )}
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
