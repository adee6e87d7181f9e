/**
 * GS1 linters for dates, times, code-list members and structured values (IBAN, piece of total,
 * position in a sequence). Written from the GS1 General Specifications and the standards they cite
 * (ISO 3166, ISO 4217, ISO 13616); the code lists are in code-lists.ts and lists.generated.ts.
 */
import { daysInMonth, gs1Year } from '../dates.ts';
import { MEDIA_TYPES, PACKAGE_TYPE_SHAPE } from './code-lists.ts';
import { digitFailure, digitsValue, lintFail, type Linter } from './lint-core.ts';
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC } from './lists.generated.ts';
import type { LintError } from './reasons.ts';

/** Days of month `mm` (1-12) of `year`. */
export function daysIn(year: number, mm: number): number {
  return daysInMonth(year, mm);
}

/**
 * The year a two-digit YY means, as far as its leap year matters. Only "00" can name a century
 * year, and 1900, 2000 and 2100 differ (only 2000 is a leap year), so only then is the century
 * decided, by the rule of General Specifications 7.12 from today's year. Any other YY is a leap
 * year in every century or in none.
 */
function leapYearOf(yy: number): number {
  return yy === 0 ? gs1Year(0, new Date().getUTCFullYear()) : 2000 + yy;
}

/** A date linter: a year of `yearDigits` digits, then MMDD; day 00 (the month's last day) when `zeroDay`. */
function dateLinter(yearDigits: 2 | 4, zeroDay: boolean): Linter {
  const length = yearDigits + 4;
  return (s, from, to) => {
    const n = to - from;
    if (n < length) return lintFail('DATE_TOO_SHORT', 0, n);
    if (n > length) return lintFail('DATE_TOO_LONG', 0, n);
    const bad = digitFailure(s, from, to);
    if (bad !== null) return bad;
    const mm = digitsValue(s, from + yearDigits, from + yearDigits + 2);
    if (mm < 1 || mm > 12) return lintFail('ILLEGAL_MONTH', yearDigits, 2);
    const dd = digitsValue(s, from + yearDigits + 2, to);
    if (dd === 0) return zeroDay ? null : lintFail('ILLEGAL_DAY', yearDigits + 2, 2);
    // Days 1-28 exist in every month; only beyond them does the year matter.
    if (dd <= 28) return null;
    const yy = digitsValue(s, from, from + yearDigits);
    const year = yearDigits === 4 ? yy : leapYearOf(yy);
    return dd > daysInMonth(year, mm) ? lintFail('ILLEGAL_DAY', yearDigits + 2, 2) : null;
  };
}

/** YYYYMMDD, day 00 allowed. */
export const yyyymmd0: Linter = dateLinter(4, true);

/** YYYYMMDD. */
export const yyyymmdd: Linter = dateLinter(4, false);

/** YYMMDD, day 00 allowed (last day of the month). */
export const yymmd0: Linter = dateLinter(2, true);

/** YYMMDD. */
export const yymmdd: Linter = dateLinter(2, false);

/** A two-digit time field from 00 to `max`. */
function timeField(max: number, tooShort: LintError, tooLong: LintError, illegal: LintError): Linter {
  return (s, from, to) => {
    const n = to - from;
    if (n < 2) return lintFail(tooShort, 0, n);
    if (n > 2) return lintFail(tooLong, 0, n);
    return digitFailure(s, from, to) ?? (digitsValue(s, from, to) > max ? lintFail(illegal, 0, 2) : null);
  };
}

export const hh: Linter = timeField(23, 'HOUR_TOO_SHORT', 'HOUR_TOO_LONG', 'ILLEGAL_HOUR');
export const mi: Linter = timeField(59, 'MINUTE_TOO_SHORT', 'MINUTE_TOO_LONG', 'ILLEGAL_MINUTE');
export const ss: Linter = timeField(59, 'SECOND_TOO_SHORT', 'SECOND_TOO_LONG', 'ILLEGAL_SECOND');

export const hhmi: Linter = (s, from, to) => {
  const n = to - from;
  if (n < 4) return lintFail('HOUR_WITH_MINUTE_TOO_SHORT', 0, n);
  if (n > 4) return lintFail('HOUR_WITH_MINUTE_TOO_LONG', 0, n);
  const bad = digitFailure(s, from, to);
  if (bad !== null) return bad;
  if (digitsValue(s, from, from + 2) > 23) return lintFail('ILLEGAL_HOUR', 0, 2);
  return digitsValue(s, from + 2, to) > 59 ? lintFail('ILLEGAL_MINUTE', 2, 2) : null;
};

/** A linter: the data is one of `codes`, all three-digit numbers (looked up by value). */
function threeDigitCode(codes: readonly string[], error: LintError): Linter {
  const member = new Uint8Array(1000);
  for (const c of codes) member[Number(c)] = 1;
  return (s, from, to) => (to - from === 3 && member[digitsValue(s, from, to)] === 1 ? null : lintFail(error, 0, to - from));
}

/** A linter: the data is one of `codes`. */
function codeOf(codes: readonly string[], error: LintError): Linter {
  const set = new Set(codes);
  return (s, from, to) => (set.has(s.slice(from, to)) ? null : lintFail(error, 0, to - from));
}

export const iso3166: Linter = threeDigitCode(ISO3166_NUMERIC, 'NOT_ISO3166');
export const iso4217: Linter = threeDigitCode(ISO4217_NUMERIC, 'NOT_ISO4217');
export const mediatype: Linter = codeOf(MEDIA_TYPES, 'INVALID_MEDIA_TYPE');
/** A country, or 999 (several countries or not known; AIs 7030-7039). */
export const iso3166999: Linter = threeDigitCode([...ISO3166_NUMERIC, '999'], 'NOT_ISO3166_OR_999');
export const iso3166alpha2: Linter = codeOf(ISO3166_ALPHA2, 'NOT_ISO3166_ALPHA2');

/** Only the shape of a package type code is checked (code-lists.ts says why). */
export const packagetype: Linter = (s, from, to) =>
  PACKAGE_TYPE_SHAPE.test(s.slice(from, to)) ? null : lintFail('INVALID_PACKAGE_TYPE', 0, to - from);

const ALPHA2 = new Set(ISO3166_ALPHA2);
/** The shortest IBAN of any country (Norway's) and the longest ISO 13616 allows. */
const IBAN_MIN = 15;
const IBAN_MAX = 34;

/** IBAN (ISO 13616): country code, then mod-97 of the rearranged digits equals 1. */
export const iban: Linter = (s, from, to) => {
  const n = to - from;
  if (n < IBAN_MIN) return lintFail('IBAN_TOO_SHORT', 0, n);
  if (n > IBAN_MAX) return lintFail('IBAN_TOO_LONG', 0, n);
  if (!ALPHA2.has(s.slice(from, from + 2))) return lintFail('ILLEGAL_IBAN_COUNTRY_CODE', 0, 2);
  // Two check digits, then the BBAN of digits and upper-case letters.
  for (let i = 2; i < n; i++) {
    const c = s.charCodeAt(from + i);
    const digit = c >= 48 && c <= 57;
    if (!digit && (i < 4 || c < 65 || c > 90)) return lintFail('INVALID_IBAN_CHARACTER', i, 1);
  }
  // ISO 7064 MOD 97-10 over BBAN + country + check digits, each letter as the number 10 (A) to 35 (Z).
  let rest = 0;
  for (let k = 4; k < n + 4; k++) {
    const c = s.charCodeAt(from + (k % n));
    rest = c <= 57 ? (rest * 10 + c - 48) % 97 : (rest * 100 + c - 55) % 97;
  }
  // Check digits run from 02 to 98: 00, 01 and 99 are never computed (ISO 13616).
  const check = digitsValue(s, from + 2, from + 4);
  return rest === 1 && check >= 2 && check <= 98 ? null : lintFail('INCORRECT_IBAN_CHECKSUM', 2, 2);
};

/** True when s[from, to) is all zeros. */
function isZeros(s: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 48) return false;
  return true;
}

/** Piece number and total, each half of the digits: neither zero, piece not above total. */
export const pieceoftotal: Linter = (s, from, to) => {
  const n = to - from;
  if (n === 0 || n % 2 !== 0) return lintFail('INVALID_LENGTH_FOR_PIECE_OF_TOTAL', 0, n);
  const bad = digitFailure(s, from, to);
  if (bad !== null) return bad;
  const half = n / 2;
  if (isZeros(s, from, from + half)) return lintFail('ZERO_PIECE_NUMBER', 0, half);
  if (isZeros(s, from + half, to)) return lintFail('ZERO_TOTAL_PIECES', half, half);
  // Both halves have the same number of digits: text order is number order.
  return s.slice(from, from + half) > s.slice(from + half, to) ? lintFail('PIECE_NUMBER_EXCEEDS_TOTAL', 0, n) : null;
};

const POSITION_SLASH_END = /^(\d+)\/(\d+)$/;

/** "position/end" in a sequence: digits, no zero prefixes, position not beyond the end. */
export const posinseqslash: Linter = (s, from, to) => {
  const m = POSITION_SLASH_END.exec(s.slice(from, to));
  if (m === null) return lintFail('POSITION_IN_SEQUENCE_MALFORMED', 0, to - from);
  const position = m[1] as string;
  const end = m[2] as string;
  // Positions count from 1 and are written without leading zeros: neither number starts with 0.
  if (position.startsWith('0')) return lintFail('ILLEGAL_ZERO_PREFIX', 0, 1);
  if (end.startsWith('0')) return lintFail('ILLEGAL_ZERO_PREFIX', position.length + 1, 1);
  const beyond = position.length > end.length || (position.length === end.length && position > end);
  return beyond ? lintFail('POSITION_EXCEEDS_END', 0, to - from) : null;
};
