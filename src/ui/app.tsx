/**
 * The app shell: first run → setup wizard → login → the screen of the user's role (an
 * administrator gets a chooser of all screens). Training mode is shown on every screen. The
 * session lives in sessionStorage; live events come over one WebSocket that reconnects.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WedgeFraming } from '../server/contract/index.ts';
import { createApi } from './shared/api.ts';
import { AppContext, type AppContextValue } from './shared/context.ts';
import { errorText } from './shared/errors.ts';
import { translate } from './shared/i18n.ts';
import { Banner, Header, TrainingRibbon } from './shared/layout.tsx';
import { clearSession, loadSession, resolveView, saveSession, viewsFor, type Session, type View } from './shared/session.ts';
import { useDocumentTitle, useGlobalKeys, useHashChange, useLanguage, useSessionEvents } from './shell/app-hooks.ts';
import { SetupWizard } from './shell/setup.tsx';
import { Login } from './shell/login.tsx';
import { Chooser } from './shell/chooser.tsx';
import { CashierScreen } from './cashier/cashier.tsx';
import { ManagerScreen } from './manager/manager.tsx';
import { TechnicianScreen } from './technician/technician.tsx';
import { UsersScreen } from './technician/users.tsx';

type Phase =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup' }
  | { kind: 'login'; notice: string | null; name?: string }
  | { kind: 'app'; session: Session };

function hashView(): string | null {
  const m = /^#\/(\w+)/.exec(location.hash);
  return m?.[1] ?? null;
}

/** The screen of the chosen view. */
function RoleScreen(p: { view: View; user: Session['user']; training: boolean; onView(v: View): void; onSaved(): void }) {
  switch (p.view) {
    case 'cashier': return <CashierScreen />;
    case 'manager': return <ManagerScreen />;
    case 'technician': return <TechnicianScreen role={p.user.role} trainingMode={p.training} onSaved={p.onSaved} />;
    case 'users': return <UsersScreen />;
    case 'chooser': return <Chooser onView={p.onView} />;
  }
}

export function App() {
  const [lang, setLang] = useLanguage();
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [training, setTraining] = useState(false);
  const [store, setStore] = useState<{ name: string | null; registerId: string | null }>({ name: null, registerId: null });
  const [view, setViewState] = useState<View>('chooser');
  const sessionRef = useRef<Session | null>(loadSession(sessionStorage));
  const langRef = useRef(lang);
  langRef.current = lang;

  const endSession = useCallback((notice: string | null) => {
    const name = sessionRef.current?.user.name;
    sessionRef.current = null;
    clearSession(sessionStorage);
    setPhase({ kind: 'login', notice, name });
  }, []);

  const api = useMemo(() => createApi({
    token: () => sessionRef.current?.token ?? null,
    onUnauthenticated: () => endSession(translate(langRef.current, 'error.UNAUTHENTICATED')),
  }), [endSession]);

  const refreshState = useCallback(async () => {
    const [health, setup] = await Promise.all([api.health(), api.setupState()]);
    setTraining(health.trainingMode);
    setStore({ name: setup.storeName, registerId: setup.registerId });
    return setup;
  }, [api]);

  const boot = useCallback(async () => {
    setPhase({ kind: 'loading' });
    try {
      const setup = await refreshState();
      if (!setup.configured) return setPhase({ kind: 'setup' });
      const session = sessionRef.current;
      if (!session) return setPhase({ kind: 'login', notice: null });
      const me = await api.me();
      const fresh = { ...session, user: me.user };
      sessionRef.current = fresh;
      setPhase({ kind: 'app', session: fresh });
      setViewState(resolveView(fresh.user.role, hashView()));
    } catch (err) {
      if (sessionRef.current === null) return; // a 401 already sent us to the login screen
      setPhase({ kind: 'unreachable', message: errorText(err, langRef.current) });
    }
  }, [api, refreshState]);

  useEffect(() => { void boot(); }, [boot]);

  useDocumentTitle(lang, training);

  // One event stream per session.
  const token = phase.kind === 'app' ? phase.session.token : null;
  const onEnded = useCallback(() => endSession(translate(langRef.current, 'error.UNAUTHENTICATED')), [endSession]);
  const onStale = useCallback(() => { void refreshState().catch(() => undefined); }, [refreshState]);
  const { events, connected } = useSessionEvents(token, api, { onEnded, onStale, onTraining: setTraining });
  const wedge = useSessionWedge(api, token);

  const setView = useCallback((v: View) => {
    setViewState(v);
    if (location.hash !== `#/${v}`) history.replaceState(null, '', `#/${v}`);
  }, []);

  useHashChange(useCallback(() => { if (phase.kind === 'app') setViewState(resolveView(phase.session.user.role, hashView())); }, [phase]));

  const logout = useCallback(async () => {
    // Our own logout: the socket's "session ended" close is expected, not news.
    events?.close();
    try {
      await api.logout();
    } catch {
      // The session is dropped locally whatever the server says; it expires there anyway.
    }
    endSession(null);
  }, [api, endSession, events]);

  const onLogin = useCallback((session: Session) => {
    sessionRef.current = session;
    saveSession(sessionStorage, session);
    const v = resolveView(session.user.role, null);
    setPhase({ kind: 'app', session });
    setView(v);
  }, [setView]);

  const currentLang = useCallback(() => langRef.current, []);
  useGlobalKeys(phase.kind === 'app', currentLang, setLang, logout);

  const ctx: AppContextValue = useMemo(() => ({ lang, setLang, api, events, ...(wedge ? { wedge } : {}) }), [lang, setLang, api, events, wedge]);
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);

  let body;
  let header = <Header storeName={store.name} registerId={store.registerId} />;
  switch (phase.kind) {
    case 'loading':
      body = <main class="centered"><p role="status">{t('loading')}</p></main>;
      break;
    case 'unreachable':
      body = (
        <main class="centered">
          <Banner kind="error">{t('error.unreachable', { message: phase.message })}</Banner>
          <button type="button" class="btn btn-primary" onClick={() => void boot()}>{t('error.retry')}</button>
        </main>
      );
      break;
    case 'setup':
      body = <SetupWizard onDone={(name) => { void refreshState().catch(() => undefined); setPhase({ kind: 'login', notice: t('setup.done'), name }); }} />;
      break;
    case 'login':
      body = <Login notice={phase.notice} initialName={phase.name} onLogin={onLogin} />;
      break;
    case 'app': {
      const { user } = phase.session;
      const views = viewsFor(user.role);
      header = (
        <Header storeName={store.name} registerId={store.registerId} user={user} views={views} view={view} onView={setView}
          onLogout={() => void logout()} connected={connected} />
      );
      const offline = !connected ? <Banner kind="error" testId="core-offline">{t('offline.core')}</Banner> : null;
      const screen = <RoleScreen view={view} user={user} training={training} onView={setView} onSaved={onStale} />;
      body = <>{offline}{screen}</>;
      break;
    }
  }

  return (
    <AppContext.Provider value={ctx}>
      <div class={`app${training ? ' training' : ''}`}>
        {/* Sticky: the training ribbon and who is logged in stay visible however far a page scrolls. */}
        <div class="top-bar">
          <TrainingRibbon on={training} />
          {header}
        </div>
        {body}
      </div>
    </AppContext.Provider>
  );
}

/** The technician's keyboard-wedge framing, read once per session (none when it cannot be read). */
function useSessionWedge(api: ReturnType<typeof createApi>, token: string | null): WedgeFraming | null {
  const [wedge, setWedge] = useState<WedgeFraming | null>(null);
  useEffect(() => {
    if (token === null) return undefined;
    let live = true;
    api.wedge().then((w) => { if (live) setWedge(w); }, () => { if (live) setWedge(null); });
    return () => { live = false; };
  }, [api, token]);
  return wedge;
}
