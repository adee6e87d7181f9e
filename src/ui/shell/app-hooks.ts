/**
 * The app shell's effects (src/ui/app.tsx): the one live event stream of a session, the keys that
 * work on every screen after login, the document's language and title, and the URL hash.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Api } from '../shared/api.ts';
import { EventStream, eventsUrl } from '../shared/events.ts';
import { initialLang, LANGUAGES, translate, type Lang } from '../shared/i18n.ts';

const LANG_KEY = 'tanba.lang';

/** The UI language: the one chosen last on this machine (localStorage), else the browser's. */
export function useLanguage(): [Lang, (l: Lang) => void] {
  const [lang, setLangState] = useState<Lang>(() => initialLang(localStorage.getItem(LANG_KEY), navigator.languages));
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    localStorage.setItem(LANG_KEY, l);
  }, []);
  return [lang, setLang];
}

/** What the event stream tells the shell. */
export interface StreamHandlers {
  /** The core closed the socket because the session ended (logout elsewhere, expiry, user disabled). */
  onEnded(): void;
  /** The core may have changed (a reconnect, a configuration change): read its state again. */
  onStale(): void;
  /** The core's training mode (its hello). */
  onTraining(on: boolean): void;
}

/** One event stream per session (`token` null: none). Returns the stream and whether it is open. */
export function useSessionEvents(token: string | null, api: Api, handlers: StreamHandlers): { events: EventStream | null; connected: boolean } {
  const [events, setEvents] = useState<EventStream | null>(null);
  const [connected, setConnected] = useState(true);
  const { onEnded, onStale, onTraining } = handlers;
  useEffect(() => {
    if (!token) return undefined;
    const stream = new EventStream(async () => eventsUrl(location, (await api.ticket('events')).ticket));
    setEvents(stream);
    const offEnded = stream.onEnded(onEnded);
    const offStatus = stream.onStatus((s) => {
      setConnected(s === 'open');
      // After a reconnect the core may have changed (e.g. restarted with a registry configured).
      if (s === 'open') onStale();
    });
    const offEvents = stream.on((e) => {
      if (e.type === 'hello') onTraining(e.trainingMode);
      if (e.type === 'audit' && e.action === 'config.update') onStale();
    });
    return () => {
      offStatus();
      offEvents();
      offEnded();
      stream.close();
      setEvents(null);
    };
  }, [token, api, onEnded, onStale, onTraining]);
  return { events, connected };
}

/** Keys that work on every screen after login (`active`): F6 next language, F9 log out. */
export function useGlobalKeys(active: boolean, lang: () => Lang, setLang: (l: Lang) => void, logout: () => Promise<void>): void {
  useEffect(() => {
    if (!active) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'F6') {
        e.preventDefault();
        const i = LANGUAGES.indexOf(lang());
        setLang(LANGUAGES[(i + 1) % LANGUAGES.length] as Lang);
      } else if (e.key === 'F9') {
        e.preventDefault();
        void logout();
      }
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [active, lang, logout, setLang]);
}

/** The document's language, and its title (with the training ribbon's words in training mode). */
export function useDocumentTitle(lang: Lang, training: boolean): void {
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${translate(lang, 'app.name')}${training ? ` — ${translate(lang, 'training.ribbon')}` : ''}`;
  }, [lang, training]);
}

/** Calls `onHash` when the URL's hash changes (a view chosen by address or history). */
export function useHashChange(onHash: () => void): void {
  useEffect(() => {
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, [onHash]);
}
