/**
 * GS1 linters for character sets, check characters, company prefixes and one-character codes.
 * A linter looks at s[from, to) and returns null when the data keeps its rule, else the error and
 * where it is (relative to `from`). Each is written from the rule as the GS1 General
 * Specifications state it; the character sets and short code lists are in code-lists.ts.
 */
import { CSET32, CSET39, CSET64, CSET82, IMPORTER_INDEX, ISO5218 } from './code-lists.ts';
import type { LintError } from './reasons.ts';

/** What a linter found wrong: the error, and where (relative to the linted data). */
export interface LintFailure {
  error: LintError;
  pos: number;
  len: number;
}

/** A linter over s[from, to). */
export type Linter = (s: string, from: number, to: number) => LintFailure | null;

/** A failure of `len` characters at `pos` (relative to the linted data). */
export function lintFail(error: LintError, pos: number, len: number): LintFailure {
  return { error, pos, len };
}

/** Membership table over character codes 0-127 for a character set string. */
export function charTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

/** Index (relative to `from`) of the first character of s[from, to) the table lacks, or -1. */
function firstOutside(table: Uint8Array, s: string, from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || table[c] !== 1) return i - from;
  }
  return -1;
}

/** NON_DIGIT_CHARACTER at the first character of s[from, to) that is not a digit, or null. */
export function digitFailure(s: string, from: number, to: number): LintFailure | null {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return lintFail('NON_DIGIT_CHARACTER', i - from, 1);
  }
  return null;
}

/** The number the digits s[from, to) write (up to 15 of them), or -1 when one is not a digit. */
export function digitsValue(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** A linter that accepts only characters of `chars`, pointing at the first other one. */
function charsetLinter(chars: string, error: LintError): Linter {
  const table = charTable(chars);
  return (s, from, to) => {
    const at = firstOutside(table, s, from, to);
    return at < 0 ? null : lintFail(error, at, 1);
  };
}

export const csetnumeric: Linter = (s, from, to) => digitFailure(s, from, to);
export const cset82: Linter = charsetLinter(CSET82, 'INVALID_CSET82_CHARACTER');
export const cset39: Linter = charsetLinter(CSET39, 'INVALID_CSET39_CHARACTER');

const CSET64_TABLE = charTable(CSET64);
const PAD = 0x3d; // '='

/** CSET 64 (base64url, figure 7.11-3), '=' only as padding at the end: one or two of it, the padded data a multiple of 4 long. */
export const cset64: Linter = (s, from, to) => {
  // '=' only pads the end; before it, every character is base64url.
  let end = to;
  while (end > from && s.charCodeAt(end - 1) === PAD) end--;
  const at = firstOutside(CSET64_TABLE, s, from, end);
  if (at >= 0) return lintFail('INVALID_CSET64_CHARACTER', at, 1);
  const pads = to - end;
  // Base64 writes 3 bytes as 4 characters; padding completes the last group of 4 (RFC 4648).
  if (pads > 0 && (pads > 2 || end === from || (to - from) % 4 !== 0)) return lintFail('INVALID_CSET64_PADDING', end - from, pads);
  return null;
};

/** GS1 mod-10 check digit in the last position. */
export const csum: Linter = (s, from, to) => {
  if (to <= from) return lintFail('TOO_SHORT_FOR_CHECK_DIGIT', 0, 0);
  // Weighted from the right: the check digit 1, then 3, 1, 3, … The total of a correct number
  // (check digit included) is a multiple of 10. A digit an even distance from the end weighs 1.
  let sum = 0;
  for (let i = from; i < to; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return lintFail('NON_DIGIT_CHARACTER', i - from, 1);
    sum += (to - 1 - i) % 2 === 0 ? d : 3 * d;
  }
  return sum % 10 === 0 ? null : lintFail('INCORRECT_CHECK_DIGIT', to - from - 1, 1);
};

/** The first `n` primes: 2, 3, 5, 7, … */
function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let k = 2; primes.length < n; k++) if (primes.every((p) => k % p !== 0)) primes.push(k);
  return primes;
}

/** The weights of a check-character pair: one prime per character before it, 2 nearest the pair (up to 23 characters, 2 … 83). */
const PAIR_WEIGHTS: readonly number[] = firstPrimes(23);

/** Each CSET 82 character's value (its index in the set), -1 for any other code below 128. */
const CSET82_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < CSET82.length; i++) CSET82_VALUE[CSET82.charCodeAt(i)] = i;

/**
 * GS1 alphanumeric check-character pair in the last two positions (GMN, MUDI; General
 * Specifications 7.9.5): each character's CSET 82 value times a prime weight, the primes from 2 at
 * the character before the pair leftwards, summed mod 1021 and written as two CSET 32 characters.
 */
export const csumalpha: Linter = (s, from, to) => {
  const n = to - from;
  if (n < 2) return lintFail('TOO_SHORT_FOR_CHECK_PAIR', 0, n);
  const body = n - 2;
  if (body > PAIR_WEIGHTS.length) return lintFail('TOO_LONG_FOR_CHECK_PAIR_IMPLEMENTATION', 0, n);
  let sum = 0;
  for (let k = 0; k < body; k++) {
    const c = s.charCodeAt(from + k);
    const value = c < 128 ? (CSET82_VALUE[c] ?? -1) : -1;
    if (value < 0) return lintFail('INVALID_CSET82_CHARACTER', k, 1);
    sum += value * (PAIR_WEIGHTS[body - 1 - k] ?? 0);
  }
  sum %= 1021;
  // The sum in base 32, most significant first, each digit as a CSET 32 character.
  const ok = s.charCodeAt(to - 2) === CSET32.charCodeAt(sum >> 5) && s.charCodeAt(to - 1) === CSET32.charCodeAt(sum & 31);
  return ok ? null : lintFail('INCORRECT_CHECK_PAIR', body, 2);
};

/** The fewest digits a GS1 Company Prefix has. */
const GCP_MIN = 4;

/** A linter: a GS1 Company Prefix (at least its first GCP_MIN digits) starts `offset` characters into the data. */
function gcpAt(offset: number): Linter {
  return (s, from, to) => {
    if (to - from < offset + GCP_MIN) return lintFail('TOO_SHORT_FOR_GCP', 0, to - from);
    const bad = digitFailure(s, from + offset, from + offset + GCP_MIN);
    return bad === null ? null : lintFail('INVALID_GCP_PREFIX', offset + bad.pos, 1);
  };
}

/** A GS1 Company Prefix starts the data. */
export const gcppos1: Linter = gcpAt(0);

/** A GS1 Company Prefix starts at the second character (after an indicator or extension digit). */
export const gcppos2: Linter = gcpAt(1);

export const hasnondigit: Linter = (s, from, to) =>
  digitFailure(s, from, to) !== null ? null : lintFail('REQUIRES_NON_DIGIT_CHARACTER', 0, to - from);

export const nonzero: Linter = (s, from, to) => {
  const bad = digitFailure(s, from, to);
  if (bad !== null) return bad;
  for (let i = from; i < to; i++) if (s.charCodeAt(i) !== 48) return null;
  return lintFail('ILLEGAL_ZERO_VALUE', 0, to - from);
};

export const nozeroprefix: Linter = (s, from, to) => {
  const bad = digitFailure(s, from, to);
  if (bad !== null) return bad;
  // A leading zero in front of other digits; the number zero itself is written "0".
  return to - from > 1 && s.charCodeAt(from) === 48 ? lintFail('ILLEGAL_ZERO_PREFIX', 0, 1) : null;
};

/** A linter: the data is exactly one character of `allowed`. */
function oneOf(allowed: string, error: LintError): Linter {
  return (s, from, to) => (to - from === 1 && allowed.includes(s.charAt(from)) ? null : lintFail(error, 0, to - from));
}

export const zero: Linter = oneOf('0', 'NOT_ZERO');
export const yesno: Linter = oneOf('01', 'NOT_ZERO_OR_ONE');
/** AI (8001) winding direction: 0 face out, 1 face in, 9 undetermined. */
export const winding: Linter = oneOf('019', 'INVALID_WINDING_DIRECTION');

/** ISO/IEC 5218 biological sex: 0 not known, 1 male, 2 female, 9 not applicable. */
export const iso5218: Linter = oneOf(ISO5218, 'INVALID_BIOLOGICAL_SEX_CODE');

export const hyphen: Linter = oneOf('-', 'NOT_HYPHEN');

const IMPORTER_TABLE = charTable(IMPORTER_INDEX);

export const importeridx: Linter = (s, from, to) => {
  if (to - from !== 1) return lintFail('IMPORTER_IDX_MUST_BE_ONE_CHARACTER', 0, to - from);
  return firstOutside(IMPORTER_TABLE, s, from, to) < 0 ? null : lintFail('INVALID_IMPORT_IDX_CHARACTER', 0, 1);
};

const HEX_TABLE = charTable('0123456789ABCDEFabcdef');
const isHexAt = (s: string, i: number): boolean => HEX_TABLE[s.charCodeAt(i)] === 1;

/** Percent-encoding: every '%' is followed by two hex digits. */
export const pcenc: Linter = (s, from, to) => {
  for (let i = s.indexOf('%', from); i >= 0 && i < to; i = s.indexOf('%', i + 3)) {
    if (i + 2 >= to || !isHexAt(s, i + 1) || !isHexAt(s, i + 2)) return lintFail('INVALID_PERCENT_SEQUENCE', i - from, Math.min(3, to - i));
  }
  return null;
};

/**
 * A linter for a coordinate of AI (4309): ten digits, the degrees offset to be non-negative and
 * times 10^7, at most `max` (written with ten digits, so text order is number order).
 */
function coordinate(max: string, lengthError: LintError, rangeError: LintError): Linter {
  return (s, from, to) => {
    if (to - from !== 10) return lintFail(lengthError, 0, to - from);
    const bad = digitFailure(s, from, to);
    if (bad !== null) return bad;
    return s.slice(from, to) > max ? lintFail(rangeError, 0, 10) : null;
  };
}

/** Latitude: (degrees + 90) × 10^7, 0 to 1 800 000 000. */
export const latitude: Linter = coordinate('1800000000', 'LATITUDE_INVALID_LENGTH', 'INVALID_LATITUDE');

/** Longitude: (degrees + 180) × 10^7, 0 to 3 600 000 000. */
export const longitude: Linter = coordinate('3600000000', 'LONGITUDE_INVALID_LENGTH', 'INVALID_LONGITUDE');
