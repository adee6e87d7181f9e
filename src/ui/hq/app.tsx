/**
 * Head office's view: login with the viewer token (when `tanba hq serve` has one), then every
 * store and register (filters, CSV) or one register's drill-down. The token lives in
 * sessionStorage; the view follows the address bar (route.ts).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiFailure } from '../shared/transport.ts';
import { errorText } from '../shared/errors.ts';
import { LANGUAGES, translate, type Lang, type MessageKey } from '../shared/i18n.ts';
import { Icon } from '../shared/icons.tsx';
import { useLanguage } from '../shell/app-hooks.ts';
import { createHqApi } from './api.ts';
import { HqContext } from './context.ts';
import { Overview } from './overview.tsx';
import { RegisterView } from './register.tsx';
import { parseRoute, routePath, type HqRoute } from './route.ts';

const TOKEN_KEY = 'tanba.hq.token';

type Phase =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'login'; refused: boolean }
  | { kind: 'app'; tokenRequired: boolean };

function LanguageSwitch(props: { lang: Lang; setLang(l: Lang): void }) {
  return (
    <div class="lang-switch" role="group" aria-label={translate(props.lang, 'lang.label')}>
      {LANGUAGES.map((l) => (
        <button type="button" key={l} lang={l} class={l === props.lang ? 'lang active' : 'lang'} aria-pressed={l === props.lang}
          title={translate(l, `lang.${l}` as MessageKey)} onClick={() => props.setLang(l)}>
          {l.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

function Login(props: { lang: Lang; refused: boolean; onToken(token: string): void }) {
  const [token, setToken] = useState('');
  const t = (k: MessageKey) => translate(props.lang, k);
  return (
    <main class="hq-login" id="hq-login">
      <form class="panel" onSubmit={(e) => { e.preventDefault(); if (token.trim()) props.onToken(token.trim()); }}>
        <h1>{t('hq.title')}</h1>
        <p>{t('hq.login.intro')}</p>
        <div class="field">
          <label for="hq-token">{t('hq.login.token')}</label>
          <input id="hq-token" type="password" autocomplete="off" value={token} onInput={(e) => setToken(e.currentTarget.value)} />
        </div>
        {props.refused && <p class="form-error" role="alert" data-testid="hq-refused">{t('hq.login.refused')}</p>}
        <button type="submit" class="btn btn-primary" id="hq-login-submit">{t('login.submit')}</button>
      </form>
    </main>
  );
}

export function HqApp() {
  const [lang, setLang] = useLanguage();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [route, setRoute] = useState<HqRoute>(() => parseRoute(location.pathname, location.search));
  const tokenRef = useRef<string | null>(sessionStorage.getItem(TOKEN_KEY));
  const langRef = useRef(lang);
  langRef.current = lang;

  const api = useMemo(() => createHqApi({
    token: () => tokenRef.current,
    onUnauthenticated: () => { tokenRef.current = null; sessionStorage.removeItem(TOKEN_KEY); setPhase({ kind: 'login', refused: true }); },
  }), []);

  const boot = useCallback(async () => {
    const sentToken = tokenRef.current !== null;
    try {
      const s = await api.session();
      setPhase({ kind: 'app', tokenRequired: s.tokenRequired });
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 401) return setPhase({ kind: 'login', refused: sentToken });
      setPhase({ kind: 'unreachable', message: err instanceof Error ? err.message : errorText(err, langRef.current) });
    }
  }, [api]);

  useEffect(() => { void boot(); }, [boot]);
  useEffect(() => { document.documentElement.lang = lang; document.title = `${translate(lang, 'app.name')} — ${translate(lang, 'hq.title')}`; }, [lang]);
  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname, location.search));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((next: HqRoute) => {
    const path = routePath(next);
    if (`${location.pathname}${location.search}` !== path) history.pushState(null, '', path);
    setRoute(next);
  }, []);

  const useToken = (token: string) => {
    tokenRef.current = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    setPhase({ kind: 'loading' });
    void boot();
  };
  const logout = () => {
    tokenRef.current = null;
    sessionStorage.removeItem(TOKEN_KEY);
    setPhase({ kind: 'login', refused: false });
  };

  return (
    <HqContext.Provider value={{ lang, api }}>
      <div class="app hq" lang={lang}>
        <header class="app-header top-bar">
          <div class="header-top">
            <div class="brand">
              <Icon name="scan" size={26} class="logo" />
              <span class="app-name">{translate(lang, 'app.name')}</span>
              <span class="store">{translate(lang, 'hq.title')}</span>
            </div>
            <div class="header-right">
              <LanguageSwitch lang={lang} setLang={setLang} />
              {phase.kind === 'app' && phase.tokenRequired && <button type="button" class="btn btn-quiet" id="hq-logout" onClick={logout}>{translate(lang, 'hq.logout')}</button>}
            </div>
          </div>
        </header>
        {phase.kind === 'loading' && <p class="hq-main" aria-busy="true">{translate(lang, 'loading')}</p>}
        {phase.kind === 'unreachable' && (
          <main class="hq-main"><p class="form-error" role="alert">{translate(lang, 'hq.unreachable', { message: phase.message })}</p>
            <button type="button" class="btn" onClick={() => void boot()}>{translate(lang, 'error.retry')}</button></main>
        )}
        {phase.kind === 'login' && <Login lang={lang} refused={phase.refused} onToken={useToken} />}
        {phase.kind === 'app' && (
          <main class="hq-main">
            {route.kind === 'overview'
              ? <Overview filter={route.filter} onFilter={(filter) => go({ kind: 'overview', filter })} onRegister={(store, register) => go({ kind: 'register', store, register })} />
              : <RegisterView store={route.store} register={route.register} onBack={() => go({ kind: 'overview', filter: {} })} />}
          </main>
        )}
      </div>
    </HqContext.Provider>
  );
}
