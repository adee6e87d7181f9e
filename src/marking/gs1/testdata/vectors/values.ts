/**
 * Vectors for the date, time, code-list and structured-value linters (lint-values.ts).
 */
import { MEDIA_TYPES } from '../../code-lists.ts';
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC } from '../../lists.generated.ts';
import { daysInMonth, ibanCheckDigits } from '../oracles.ts';
import { bad, ok, TWO_DIGITS, type Vector } from './types.ts';

const p2 = (n: number): string => String(n).padStart(2, '0');

/**
 * Month and day edges of `year` (written as `yy`, two or four digits): every day 00 and the last
 * day of each month and the day after it, and months 00 and 13. Day 00 passes only when `zeroDay`
 * (GS1's "yymmd0": the last day of the month).
 */
function dateVectors(yy: string, year: number, zeroDay: boolean): Vector[] {
  const at = yy.length;
  const out: Vector[] = [];
  for (let m = 1; m <= 12; m++) {
    const last = daysInMonth(year, m);
    out.push(ok(`${yy}${p2(m)}01`), ok(`${yy}${p2(m)}${p2(last)}`), bad(`${yy}${p2(m)}${p2(last + 1)}`, 'ILLEGAL_DAY', [at + 2, 2]));
    out.push(zeroDay ? ok(`${yy}${p2(m)}00`) : bad(`${yy}${p2(m)}00`, 'ILLEGAL_DAY', [at + 2, 2]));
  }
  out.push(bad(`${yy}0001`, 'ILLEGAL_MONTH', [at, 2]), bad(`${yy}1301`, 'ILLEGAL_MONTH', [at, 2]), bad(`${yy}9901`, 'ILLEGAL_MONTH', [at, 2]));
  out.push(bad(`${yy}0132`, 'ILLEGAL_DAY', [at + 2, 2]), bad(`${yy}0199`, 'ILLEGAL_DAY', [at + 2, 2]));
  return out;
}

/**
 * Two-digit years: 24 and 28 are leap years, 25 and 26 not, 00 is 2000 (a leap year: a century
 * divisible by 400). A two-digit year lies within 50 years of today (General Specifications 7.12),
 * so its leap years are those of 20YY.
 */
const SHORT_YEARS = ['00', '24', '25', '26', '28', '99'];
const shortDates = (zeroDay: boolean): Vector[] => [
  ...SHORT_YEARS.flatMap((yy) => dateVectors(yy, 2000 + Number(yy), zeroDay)),
  bad('25010', 'DATE_TOO_SHORT'), bad('', 'DATE_TOO_SHORT'), bad('2501011', 'DATE_TOO_LONG'),
  bad('25A101', 'NON_DIGIT_CHARACTER', [2, 1]),
];
/** Four-digit years: 2000 leap (÷400), 1900 and 2100 not (÷100), 2024 leap, 2025 not. */
const LONG_YEARS = [1900, 1999, 2000, 2024, 2025, 2100];
const longDates = (zeroDay: boolean): Vector[] => [
  ...LONG_YEARS.flatMap((y) => dateVectors(String(y), y, zeroDay)),
  bad('2025010', 'DATE_TOO_SHORT'), bad('202501011', 'DATE_TOO_LONG'), bad('2025O101', 'NON_DIGIT_CHARACTER', [4, 1]),
];

/** A two-digit time field: every value 00-99, `max` the last valid one, and wrong lengths. */
function twoDigitField(max: number, short: 'HOUR_TOO_SHORT' | 'MINUTE_TOO_SHORT' | 'SECOND_TOO_SHORT', long: 'HOUR_TOO_LONG' | 'MINUTE_TOO_LONG' | 'SECOND_TOO_LONG', illegal: 'ILLEGAL_HOUR' | 'ILLEGAL_MINUTE' | 'ILLEGAL_SECOND'): Vector[] {
  return [...TWO_DIGITS.map((v) => (Number(v) <= max ? ok(v) : bad(v, illegal, [0, 2]))),
    bad('1', short), bad('', short), bad('100', long), bad('1A', 'NON_DIGIT_CHARACTER', [1, 1])];
}

const hhmi: Vector[] = [ok('0000'), ok('2359'), ok('1200'), ok('0059'), ok('2300'),
  bad('2400', 'ILLEGAL_HOUR', [0, 2]), bad('9900', 'ILLEGAL_HOUR', [0, 2]), bad('0060', 'ILLEGAL_MINUTE', [2, 2]), bad('2360', 'ILLEGAL_MINUTE', [2, 2]),
  bad('235', 'HOUR_WITH_MINUTE_TOO_SHORT'), bad('23590', 'HOUR_WITH_MINUTE_TOO_LONG'), bad('12:0', 'NON_DIGIT_CHARACTER', [2, 1])];

/** Three-digit codes: every member of the list, every other three-digit number, and wrong shapes. */
function numericList(members: readonly string[], error: 'NOT_ISO3166' | 'NOT_ISO4217' | 'NOT_ISO3166_OR_999', also: readonly string[] = []): Vector[] {
  const valid = new Set([...members, ...also]);
  const all = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
  return [...all.map((c) => (valid.has(c) ? ok(c) : bad(c, error))), bad('39', error), bad('3980', error), bad('39A', error), bad('', error)];
}

/** Countries and currencies of the EAEU and others every list must have (ISO 3166-1, ISO 4217). */
const KNOWN_COUNTRIES = { '398': 'KZ', '643': 'RU', '112': 'BY', '051': 'AM', '417': 'KG', '860': 'UZ', '156': 'CN', '276': 'DE', '840': 'US' };
const KNOWN_CURRENCIES = ['398', '643', '933', '051', '417', '860', '156', '978', '840'];

const iso3166 = [...numericList(ISO3166_NUMERIC, 'NOT_ISO3166'), ...Object.keys(KNOWN_COUNTRIES).map(ok), bad('000', 'NOT_ISO3166'), bad('999', 'NOT_ISO3166')];
const iso3166999 = [...numericList(ISO3166_NUMERIC, 'NOT_ISO3166_OR_999', ['999']), ok('999'), bad('000', 'NOT_ISO3166_OR_999')];
const iso4217 = [...numericList(ISO4217_NUMERIC, 'NOT_ISO4217'), ...KNOWN_CURRENCIES.map(ok), bad('000', 'NOT_ISO4217')];
const iso3166alpha2: Vector[] = [
  ...Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)))
    .map((c) => (ISO3166_ALPHA2.includes(c) ? ok(c) : bad(c, 'NOT_ISO3166_ALPHA2'))),
  ...Object.values(KNOWN_COUNTRIES).map(ok),
  // User-assigned codes (AA, QM-QZ, XA-XZ, ZZ) are never countries; lower case, digits and wrong lengths are not codes.
  bad('AA', 'NOT_ISO3166_ALPHA2'), bad('XX', 'NOT_ISO3166_ALPHA2'), bad('ZZ', 'NOT_ISO3166_ALPHA2'), bad('kz', 'NOT_ISO3166_ALPHA2'),
  bad('K1', 'NOT_ISO3166_ALPHA2'), bad('K', 'NOT_ISO3166_ALPHA2'), bad('KAZ', 'NOT_ISO3166_ALPHA2'),
];

const mediatype: Vector[] = [...TWO_DIGITS.map((c) => (MEDIA_TYPES.includes(c) ? ok(c) : bad(c, 'INVALID_MEDIA_TYPE'))),
  ok('01'), ok('10'), ok('80'), ok('99'), bad('00', 'INVALID_MEDIA_TYPE'), bad('11', 'INVALID_MEDIA_TYPE'), bad('79', 'INVALID_MEDIA_TYPE'),
  bad('1', 'INVALID_MEDIA_TYPE'), bad('001', 'INVALID_MEDIA_TYPE')];
const packagetype: Vector[] = [ok('BX'), ok('CT'), ok('PX'), ok('AE'), ok('1A'), ok('X11'), ok('8'),
  bad('', 'INVALID_PACKAGE_TYPE'), bad('BOXX', 'INVALID_PACKAGE_TYPE'), bad('bx', 'INVALID_PACKAGE_TYPE'), bad('B-', 'INVALID_PACKAGE_TYPE')];

/** An IBAN from its country and BBAN, check digits computed (ISO 13616). */
const ibanOf = (country: string, bban: string): string => `${country}${ibanCheckDigits(country, bban)}${bban}`;
/** Kazakhstan's layout (20), Norway's (15, the shortest) and Belgium's (16); BBANs made up. */
const IBANS = [ibanOf('KZ', '125KZT5004100100'), ibanOf('KZ', '9260001234567890'), ibanOf('NO', '86011117947'), ibanOf('BE', '539007547034')];
/** The same IBAN with two neighbouring different characters of its BBAN swapped (mod 97 catches it). */
function transposed(v: string): string {
  let i = 4;
  while (v[i] === v[i + 1]) i++;
  return `${v.slice(0, i)}${v[i + 1]}${v[i]}${v.slice(i + 2)}`;
}
/**
 * A Kazakh IBAN whose computed check digits are `check`. Check digits 97 and 98 leave the same
 * remainder mod 97 as 00 and 01, and 02 as 99, but ISO 13616 computes only 02-98: those never
 * pass.
 */
function ibanWithCheck(check: string): string {
  for (let i = 0; ; i++) {
    const bban = `125KZT${String(i).padStart(10, '0')}`;
    if (ibanCheckDigits('KZ', bban) === check) return `KZ${check}${bban}`;
  }
}
const CHECK_RANGE_EDGES: readonly [computed: string, never: string][] = [['97', '00'], ['98', '01'], ['02', '99']];

const iban: Vector[] = [
  ...CHECK_RANGE_EDGES.flatMap(([computed, never]) => {
    const v = ibanWithCheck(computed);
    return [ok(v), bad(`KZ${never}${v.slice(4)}`, 'INCORRECT_IBAN_CHECKSUM', [2, 2])];
  }),
  // Published examples of ISO 13616 and the banks' documentation.
  ok('GB82WEST12345698765432'), ok('DE89370400440532013000'), ok('NO9386011117947'), ok('BE68539007547034'),
  ...IBANS.flatMap((v) => [
    ok(v),
    bad(`${v.slice(0, 2)}${String((Number(v.slice(2, 4)) + 1) % 100).padStart(2, '0')}${v.slice(4)}`, 'INCORRECT_IBAN_CHECKSUM', [2, 2]),
    bad(transposed(v), 'INCORRECT_IBAN_CHECKSUM', [2, 2]),
  ]),
  bad('GB83WEST12345698765432', 'INCORRECT_IBAN_CHECKSUM', [2, 2]),
  bad('XX82WEST12345698765432', 'ILLEGAL_IBAN_COUNTRY_CODE', [0, 2]), bad('gb82WEST12345698765432', 'ILLEGAL_IBAN_COUNTRY_CODE', [0, 2]),
  bad('GB82west12345698765432', 'INVALID_IBAN_CHARACTER', [4, 1]), bad('GB82WEST-12345698765432', 'INVALID_IBAN_CHARACTER', [8, 1]),
  bad('GB8', 'IBAN_TOO_SHORT'), bad('GB82WEST12', 'IBAN_TOO_SHORT'),
  // 34 characters at most (ISO 13616).
  ok(ibanOf('MT', 'MALT0110000123456789012345678A')), bad(ibanOf('MT', 'MALT0110000123456789012345678AB'), 'IBAN_TOO_LONG'),
];

/** Piece number and total, two digits each: every combination, and the shapes that are not one. */
const pieceoftotal: Vector[] = [
  ...TWO_DIGITS.flatMap((p) => TWO_DIGITS.filter((_, i) => i % 7 === 0 || i === 99 || i === 1).map((t) => {
    if (p === '00') return bad(p + t, 'ZERO_PIECE_NUMBER', [0, 2]);
    if (t === '00') return bad(p + t, 'ZERO_TOTAL_PIECES', [2, 2]);
    return Number(p) > Number(t) ? bad(p + t, 'PIECE_NUMBER_EXCEEDS_TOTAL') : ok(p + t);
  })),
  ok('11'), ok('0102'), ok('0202'), ok('9999'), ok('001002'), bad('0201', 'PIECE_NUMBER_EXCEEDS_TOTAL'), bad('010', 'INVALID_LENGTH_FOR_PIECE_OF_TOTAL'),
  bad('', 'INVALID_LENGTH_FOR_PIECE_OF_TOTAL'), bad('01A2', 'NON_DIGIT_CHARACTER', [2, 1]),
];

const posinseqslash: Vector[] = [ok('1/1'), ok('1/2'), ok('2/2'), ok('1/9'), ok('9/10'), ok('10/12'), ok('12/12'),
  bad('2/1', 'POSITION_EXCEEDS_END'), bad('10/9', 'POSITION_EXCEEDS_END'), bad('13/12', 'POSITION_EXCEEDS_END'),
  bad('0/2', 'ILLEGAL_ZERO_PREFIX'), bad('01/2', 'ILLEGAL_ZERO_PREFIX'), bad('1/0', 'ILLEGAL_ZERO_PREFIX'), bad('1/02', 'ILLEGAL_ZERO_PREFIX'),
  bad('12/', 'POSITION_IN_SEQUENCE_MALFORMED'), bad('/12', 'POSITION_IN_SEQUENCE_MALFORMED'), bad('1-2', 'POSITION_IN_SEQUENCE_MALFORMED'),
  bad('a/b', 'POSITION_IN_SEQUENCE_MALFORMED'), bad('1//2', 'POSITION_IN_SEQUENCE_MALFORMED'), bad('12', 'POSITION_IN_SEQUENCE_MALFORMED')];

export const VALUE_VECTORS: Readonly<Record<string, readonly Vector[]>> = {
  yymmd0: shortDates(true), yymmdd: shortDates(false), yyyymmd0: longDates(true), yyyymmdd: longDates(false),
  hh: twoDigitField(23, 'HOUR_TOO_SHORT', 'HOUR_TOO_LONG', 'ILLEGAL_HOUR'),
  mi: twoDigitField(59, 'MINUTE_TOO_SHORT', 'MINUTE_TOO_LONG', 'ILLEGAL_MINUTE'),
  ss: twoDigitField(59, 'SECOND_TOO_SHORT', 'SECOND_TOO_LONG', 'ILLEGAL_SECOND'),
  hhmi, iso3166, iso3166999, iso4217, iso3166alpha2, mediatype, packagetype, iban, pieceoftotal, posinseqslash,
};
