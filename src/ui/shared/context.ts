/** App-wide context: the language, the API client, the live event stream. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translate, type Lang, type MessageKey } from './i18n.ts';
import type { Api } from './api.ts';
import type { EventStream } from './events.ts';
import type { WedgeFraming } from '../../server/contract/index.ts';

export interface AppContextValue {
  lang: Lang;
  setLang(lang: Lang): void;
  api: Api;
  /** Null before login. */
  events: EventStream | null;
  /** The keyboard-wedge framing the technician set (prefix / suffix); absent: none. */
  wedge?: WedgeFraming;
}

export const AppContext = createContext<AppContextValue | null>(null);

/** The app context; throws if used outside the provider (a programming error). */
export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside <AppContext.Provider>');
  return value;
}

/** The translate function for the current language. */
export function useT(): (key: MessageKey, params?: Record<string, string | number>) => string {
  const { lang } = useApp();
  return (key, params) => translate(lang, key, params);
}
