/**
 * Deliberately plain implementations of GS1's arithmetic rules, written apart from the linters
 * from the rules as the GS1 General Specifications state them: the expected values of the linter
 * tests and of the generated conformance cases (scripts/gs1/cases.ts). Test material: production
 * code never imports a testdata/ folder (tools/eslint/layers.js refuses it).
 */
import { CSET32, CSET82 } from '../code-lists.ts';

/** GS1 mod-10 check digit of `digits` (7.9.1): weights 3, 1, 3, … from the rightmost digit. */
export function mod10(digits: string): string {
  let sum = 0;
  [...digits].reverse().forEach((d, i) => { sum += Number(d) * (i % 2 === 0 ? 3 : 1); });
  return String((10 - (sum % 10)) % 10);
}

/** The first `n` primes. */
function primes(n: number): number[] {
  const out: number[] = [];
  for (let k = 2; out.length < n; k++) if (out.every((p) => k % p !== 0)) out.push(k);
  return out;
}

/**
 * GS1 check-character pair (7.9.5) for the characters before it: each character's position in
 * CSET 82 (from 0) times a prime, 2 for the rightmost, 3 for the next, …; the sum mod 1021 is
 * written in base 32 as two CSET 32 characters.
 */
export function checkPair(data: string): string {
  const weights = primes(data.length).reverse();
  let sum = 0;
  [...data].forEach((c, i) => { sum += CSET82.indexOf(c) * (weights[i] as number); });
  sum %= 1021;
  return `${CSET32[Math.floor(sum / 32)]}${CSET32[sum % 32]}`;
}

/** ISO 13616 (ISO 7064 mod 97-10): the two check digits of an IBAN with this country and BBAN. */
export function ibanCheckDigits(country: string, bban: string): string {
  const digits = [...`${bban}${country}00`].map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55))).join('');
  return String(98n - (BigInt(digits) % 97n)).padStart(2, '0');
}

/** Days in a month of a Gregorian year (from the calendar itself, not a table). */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
