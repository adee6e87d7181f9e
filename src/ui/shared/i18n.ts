/**
 * Every string the UI shows, in Russian, Kazakh and English, one file per language under
 * i18n/. English is the reference table; the other two are typed against its keys, so a
 * missing translation is a compile error, not a blank on the cashier's screen. `{name}` placeholders are filled by {@link translate}.
 */
import { en, type MessageKey, type Table } from './i18n/en.ts';
import { kk } from './i18n/kk.ts';
import { ru } from './i18n/ru.ts';

export const LANGUAGES = ['ru', 'kk', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];

export type { MessageKey };

/** The string tables, by language. */
export const MESSAGES: Readonly<Record<Lang, Table>> = { en, ru, kk };

/** BCP 47 tags for Intl formatting and the `lang` attribute. */
export const LOCALES: Readonly<Record<Lang, string>> = { ru: 'ru-RU', kk: 'kk-KZ', en: 'en-GB' };

/** Looks a key up and fills `{name}` placeholders; an unknown placeholder stays visible. */
export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number> = {}): string {
  const template = MESSAGES[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** True if `value` names one of the UI languages. */
export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language to start in: the saved choice, else the browser's, else Russian. */
export function initialLang(saved: string | null, browser: readonly string[]): Lang {
  if (isLang(saved)) return saved;
  for (const tag of browser) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLang(base)) return base;
  }
  return 'ru';
}
