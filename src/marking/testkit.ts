/**
 * Builders for valid codes from parts, for tests, fixtures and benchmarks: check digits are
 * computed, never typed in by hand.
 */
import { gs1CheckDigit } from './check-digit.ts';
import { GS } from './cset.ts';
import { TOBACCO_MRP_ALPHABET } from './groups.ts';
import { encodeMrp } from './tobacco.ts';

/** GTIN-14 from its first 13 digits. */
export function gtin14(first13: string): string {
  if (!/^\d{13}$/.test(first13)) throw new Error(`gtin14 needs 13 digits, got '${first13}'`);
  return first13 + gs1CheckDigit(first13);
}

/** Any digit string + its check digit (EAN-8/13, UPC-A, SSCC). */
export function withCheck(digits: string): string {
  return digits + gs1CheckDigit(digits);
}

export interface Gs1Parts {
  gtin: string;
  serial: string;
  /** AIs after the serial, in order: [ai, value]. */
  rest?: readonly (readonly [string, string])[];
}

/** AIs whose length GS1 predefines (no GS after them). */
function predefined(ai: string): boolean {
  return ['00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '31', '32', '33', '34', '35', '36', '41'].includes(ai.slice(0, 2));
}

/** The canonical raw form: GS after every AI without a predefined length that is followed by another. */
export function rawGs1(p: Gs1Parts): string {
  const els: [string, string][] = [['01', p.gtin], ['21', p.serial], ...(p.rest ?? []).map(([a, v]) => [a, v] as [string, string])];
  let out = '';
  els.forEach(([ai, v], i) => {
    out += ai + v;
    if (!predefined(ai) && i < els.length - 1) out += GS;
  });
  return out;
}

/** The bracketed human form. */
export function bracketed(p: Gs1Parts): string {
  return `(01)${p.gtin}(21)${p.serial}${(p.rest ?? []).map(([a, v]) => `(${a})${v}`).join('')}`;
}

/** A 29-character tobacco pack code with its MRP encoded. */
export function tobaccoPack(gtin: string, serial7: string, mrpMinor: number, check4: string): string {
  return gtin + serial7 + encodeMrp(mrpMinor, TOBACCO_MRP_ALPHABET, 4) + check4;
}

/** A small, fast, seedable PRNG (mulberry32), so generated codes and faults reproduce. Not for secrets. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` characters drawn from `alphabet` with the random source `r`. */
export function pickChars(r: () => number, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
  return s;
}
