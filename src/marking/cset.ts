/**
 * Character sets as lookup tables (no regular expressions on the hot path).
 * GS1 CSET 82 (GS1 General Specifications, figure 7.11-1): ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z
 */

export const GS = '\u001d';
export const GS_CODE = 0x1d;

/** The 82 characters of GS1 CSET 82, in table order. */
export const CSET82 = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

const CSET82_TABLE = new Uint8Array(128);
for (let i = 0; i < CSET82.length; i++) CSET82_TABLE[CSET82.charCodeAt(i)] = 1;

/** True if the UTF-16 code unit is a CSET 82 character. */
export function isCset82Code(code: number): boolean {
  return code < 128 && CSET82_TABLE[code] === 1;
}

export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Index of the first character of s[from, to) that is not CSET 82, or -1. */
export function firstNonCset82(s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || CSET82_TABLE[c] !== 1) return i;
  }
  return -1;
}

/** Index of the first character of s[from, to) that is not a digit, or -1. */
export function firstNonDigit(s: string, from = 0, to = s.length): number {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return i;
  }
  return -1;
}

export function isAllDigits(s: string): boolean {
  return s.length > 0 && firstNonDigit(s) === -1;
}

/** A character for a message: printable as is, control and invisible characters as U+XXXX. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code < 0x20 || code === 0x7f || (code >= 0x80 && code < 0xa0)) return hex;
  return `'${ch}' (${hex})`;
}
