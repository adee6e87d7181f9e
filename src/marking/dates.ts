/** GS1 dates YYMMDD: century by the GS1 sliding window, day 00 = last day of the month. */
import type { Texts } from './messages.ts';

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * GS1 General Specifications 7.12: the century of a two-digit year YY is chosen so the date
 * lies from 49 years in the past to 50 years in the future of the reference year.
 */
export function gs1Year(yy: number, referenceYear: number): number {
  const refYY = referenceYear % 100;
  const century = referenceYear - refYY;
  const diff = yy - refYY;
  if (diff >= 51) return century - 100 + yy;
  if (diff <= -50) return century + 100 + yy;
  return century + yy;
}

export type DateResult = { ok: true; iso: string } | { ok: false; reason: Texts };

/** Reads 6 digits YYMMDD (caller checked they are digits). */
export function parseGs1Date(value: string, referenceYear: number): DateResult {
  const yy = (value.charCodeAt(0) - 48) * 10 + (value.charCodeAt(1) - 48);
  const mm = (value.charCodeAt(2) - 48) * 10 + (value.charCodeAt(3) - 48);
  let dd = (value.charCodeAt(4) - 48) * 10 + (value.charCodeAt(5) - 48);
  if (mm < 1 || mm > 12) {
    return { ok: false, reason: { ru: `месяц ${pad(mm)}`, kk: `ай ${pad(mm)}`, en: `month ${pad(mm)}` } };
  }
  const year = gs1Year(yy, referenceYear);
  const last = daysInMonth(year, mm);
  if (dd > last) {
    return {
      ok: false,
      reason: { ru: `день ${pad(dd)}, в месяце ${last} дн.`, kk: `күн ${pad(dd)}, айда ${last} күн`, en: `day ${pad(dd)}, the month has ${last} days` },
    };
  }
  if (dd === 0) dd = last;
  return { ok: true, iso: `${year}-${pad(mm)}-${pad(dd)}` };
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
