/** Head office's app context: the language and the API client (the register UI's context holds the register's API). */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { translate, type Lang, type MessageKey } from '../shared/i18n.ts';
import type { HqApi } from './api.ts';

export interface HqContextValue { lang: Lang; api: HqApi }

export const HqContext = createContext<HqContextValue | null>(null);

/** The context; throws outside the provider (a programming error). */
export function useHq(): HqContextValue & { t(key: MessageKey, params?: Record<string, string | number>): string } {
  const value = useContext(HqContext);
  if (!value) throw new Error('useHq outside <HqContext.Provider>');
  return { ...value, t: (key, params) => translate(value.lang, key, params) };
}
