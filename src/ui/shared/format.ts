/** Formatting for people: money, times, durations, and marking codes with GS made visible. */
import { LOCALES, translate, type Lang } from './i18n.ts';

/**
 * The locale for numbers and money: Chromium ships no Kazakh number data (kk-KZ formats money
 * as "₸ 1,234,567.50"), so Kazakh uses Kazakhstan's Russian conventions — the same
 * "1 234 567,50 ₸" a Russian screen shows, as on every printed receipt.
 */
export const NUMBER_LOCALES: Readonly<Record<Lang, string>> = { ru: 'ru-KZ', kk: 'ru-KZ', en: 'en-GB' };

/** Integer minor units (tiyn) to a localised amount in tenge. */
export function formatMoney(minor: number, lang: Lang): string {
  if (!Number.isInteger(minor)) throw new RangeError(`money must be integer minor units, got ${minor}`);
  return new Intl.NumberFormat(NUMBER_LOCALES[lang], { style: 'currency', currency: 'KZT', currencyDisplay: 'narrowSymbol', minimumFractionDigits: 2 }).format(minor / 100);
}

/** A UTC ISO time shown in the register's local time. */
export function formatTime(iso: string, lang: Lang): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'short', timeStyle: 'medium' }).format(d);
}

/** A duration as "3 h 05 min"-style text, in whole minutes. */
export function formatDuration(ms: number, lang: Lang): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const unitH = translate(lang, 'unit.h');
  const unitMin = translate(lang, 'unit.min');
  return h > 0 ? `${h} ${unitH} ${String(m).padStart(2, '0')} ${unitMin}` : `${m} ${unitMin}`;
}

/** The visible stand-in for GS (0x1D) in codes shown to people. */
export const GS_SYMBOL = '␝';

/** A code as scanned, with GS and other control characters made visible. */
export function showCode(raw: string): string {
  let out = '';
  for (const ch of raw) {
    const c = ch.charCodeAt(0);
    if (c === 0x1d) out += GS_SYMBOL;
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out;
}

/** A quantity kept in thousandths (1250 → "1.25"), or units of a package sold in parts. */
export function formatQuantity(quantityMilli: number, units: number | null, lang: Lang): string {
  if (units !== null) return `${units} ${translate(lang, 'unit.pcs')}`;
  return new Intl.NumberFormat(NUMBER_LOCALES[lang], { maximumFractionDigits: 3 }).format(quantityMilli / 1000);
}

/** Bytes for people: 1536 → "1.5 KB". */
export function formatBytes(bytes: number, lang: Lang): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(NUMBER_LOCALES[lang], { maximumFractionDigits: i === 0 ? 0 : 1 }).format(value)} ${units[i] as string}`;
}

/**
 * An amount a person typed ("1 234,50", "1234.5", "800") to integer minor units, or null when
 * it is not an amount. No floating point: the digits are split at the separator.
 */
export function parseMoneyInput(text: string): number | null {
  const m = /^(\d{1,12})(?:[.,](\d{1,2}))?$/.exec(text.replace(/[\s\u00a0\u202f]/g, ''));
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/**
 * A product's name in the till's language: the Kazakh name (National Catalogue, price list,
 * feed) in a Kazakh till when there is one, else the name we have (Russian, as a rule).
 */
export function productName(item: { name: string; nameKk?: string | null | undefined }, lang: Lang): string {
  return lang === 'kk' && item.nameKk ? item.nameKk : item.name;
}
