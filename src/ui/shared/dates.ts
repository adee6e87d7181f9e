/**
 * Dates typed and shown in the UI language's own order, whatever the browser's locale:
 * dd.mm.yyyy in Russian and Kazakh, dd/mm/yyyy in English. Chromium's `<input type=date>`
 * follows the browser locale (mm/dd/yyyy under en-US, even in a Russian UI), so the manager's
 * date filters are text fields that go through these two functions; the API keeps ISO dates.
 */
import type { Lang } from './i18n.ts';

/** The separator of each language's day.month.year. */
const SEPARATOR: Readonly<Record<Lang, string>> = { ru: '.', kk: '.', en: '/' };

/** An ISO date (yyyy-mm-dd) as the language writes it; '' stays ''. Anything else is returned unchanged. */
export function formatDateInput(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  const sep = SEPARATOR[lang];
  return `${m[3]}${sep}${m[2]}${sep}${m[1]}`;
}

/**
 * What a person typed as an ISO date: day, month, four-digit year in that order, separated by
 * '.', '/' or '-' (any of them in any language: a typed "05/12/2026" in a Russian UI is still
 * the 5th of December), or an ISO date itself. '' for an empty field, null for anything that is
 * not a real calendar date (31.02.2026, 12/31/2026 — there is no month 31).
 */
export function parseDateInput(text: string): string | '' | null {
  const s = text.trim();
  if (s === '') return '';
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  const dmy = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(s);
  const [year, month, day] = iso ? [iso[1], iso[2], iso[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (year === undefined || month === undefined || day === undefined) return null;
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${year}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
