/**
 * Money arithmetic in integer minor units (tiyn). Rounding: half away from zero to the nearest
 * tiyn, done once per line — a line's sum is price x quantity rounded, its VAT is the included
 * share of that sum rounded, and receipt totals are sums of the rounded line figures (so the
 * printed lines always add up to the printed total).
 */

import type { VatRate } from './types.ts';

/** Kazakhstan VAT: 12 % until the end of 2025, 16 % from 2026-01-01 (Tax Code of 2025). */
export const KZ_VAT_RATES: readonly VatRate[] = [
  { from: '2009-01-01', percentMilli: 12_000 },
  { from: '2026-01-01', percentMilli: 16_000 },
];

/** VAT categories of products: the rate is a property of the product's category and of the date. */
export type VatCategory = 'standard' | 'medicines' | 'periodicals' | 'zero' | 'none';

/**
 * Kazakhstan's VAT by category and date (Tax Code of 2025, in force 2026-01-01), thousandths of a
 * percent: standard 12 % then 16 %; medicines and medical goods 5 % in 2026, 10 % from 2027;
 * domestic periodicals 10 %; zero-rated 0 %. `none` (a store or product outside VAT) has no rows: no tax.
 */
export const KZ_VAT_TABLE: Readonly<Record<VatCategory, readonly VatRate[]>> = {
  standard: KZ_VAT_RATES,
  medicines: [{ from: '2009-01-01', percentMilli: 12_000 }, { from: '2026-01-01', percentMilli: 5_000 }, { from: '2027-01-01', percentMilli: 10_000 }],
  periodicals: [{ from: '2009-01-01', percentMilli: 12_000 }, { from: '2026-01-01', percentMilli: 10_000 }],
  zero: [{ from: '2009-01-01', percentMilli: 0 }],
  none: [],
};

/** The calendar date in Kazakhstan (UTC+5) of a UTC time: a rate changes at local midnight. */
export function kzDate(isoUtc: string): string {
  return new Date(Date.parse(isoUtc) + 5 * 3_600_000).toISOString().slice(0, 10);
}

/** The VAT rate of a product category at a time (UTC ISO), thousandths of a percent; 0 for a store that pays no VAT. */
export function vatRateFor(category: VatCategory | null | undefined, atUtc: string, options: { vatPayer?: boolean; standardRates?: readonly VatRate[] } = {}): number {
  if (options.vatPayer === false) return 0;
  const cat = category ?? 'standard';
  const rates = cat === 'standard' && options.standardRates ? options.standardRates : KZ_VAT_TABLE[cat];
  return vatRateOn(rates, kzDate(atUtc));
}

/** The VAT rate in force on a date (thousandths of a percent). */
export function vatRateOn(rates: readonly VatRate[], date: string): number {
  let rate = 0;
  for (const r of [...rates].sort((a, b) => a.from.localeCompare(b.from))) if (r.from <= date) rate = r.percentMilli;
  return rate;
}

/** Rounds a non-negative rational a/b to the nearest integer, halves up. Integers only: no float error. */
export function divRound(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b <= 0 || a < 0) throw new Error(`divRound(${a}, ${b}): non-negative safe integers expected`);
  return Math.floor((2 * a + b) / (2 * b));
}

/**
 * Sum of a line: unit price x quantity in thousandths, rounded to the tiyn. The product is taken
 * in BigInt, so a large price times a large quantity cannot lose precision; the caller checks the
 * result against the limits (MAX_TOTAL).
 */
export function lineSum(price: number, quantityMilli: number): number {
  if (!Number.isSafeInteger(price) || !Number.isSafeInteger(quantityMilli) || price < 0 || quantityMilli < 0) {
    throw new RangeError(`line sum of price ${price} x quantity ${quantityMilli / 1000}: whole non-negative amounts expected`);
  }
  const product = BigInt(price) * BigInt(quantityMilli);
  return Number((2n * product + 1000n) / 2000n);
}

/**
 * VAT included in a gross amount: gross x rate / (100 % + rate), with the rate in thousandths
 * of a percent as the fiscal protocol has it (16000 = 16 %).
 */
export function includedTax(gross: number, percentMilli: number): number {
  if (percentMilli === 0) return 0;
  return divRound(gross * percentMilli, 100_000 + percentMilli);
}

/** "1234" -> "12.34" (minor units to a decimal string). */
export function formatMoney(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(minor);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Quantity in thousandths as a decimal number (2500 -> 2.5). */
export function quantityOf(milli: number): number {
  return milli / 1000;
}
