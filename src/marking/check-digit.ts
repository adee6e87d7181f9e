/** GS1 mod-10 check digits (GTIN-8/12/13/14, SSCC-18, GLN-13). */

/**
 * Check digit for the digits given (the payload WITHOUT its check digit): weights 3,1,3,...
 * from the right. Throws only on a non-digit, which callers rule out first.
 */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new RangeError(`gs1CheckDigit: '${digits[i]}' is not a digit`);
    sum += d * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** Check digit of s[from, to) without allocating; -1 when a character is not a digit. */
export function checkDigitOf(s: string, from: number, to: number): number {
  let sum = 0;
  let weight = 3;
  for (let i = to - 1; i >= from; i--) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    sum += d * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `digits` (all digits, any length >= 2) ends with its correct GS1 check digit. */
export function hasValidCheckDigit(digits: string): boolean {
  const n = digits.length;
  if (n < 2) return false;
  const last = digits.charCodeAt(n - 1) - 48;
  if (last < 0 || last > 9) return false;
  return checkDigitOf(digits, 0, n - 1) === last;
}

/** A GTIN-14 (or GTIN-8/12/13) with a correct check digit. */
export function isValidGtin(gtin: string): boolean {
  const n = gtin.length;
  if (n !== 8 && n !== 12 && n !== 13 && n !== 14) return false;
  return hasValidCheckDigit(gtin);
}

/** An SSCC-18 with a correct check digit. */
export function isValidSscc(sscc: string): boolean {
  return sscc.length === 18 && hasValidCheckDigit(sscc);
}
