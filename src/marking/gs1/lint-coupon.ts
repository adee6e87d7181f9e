/**
 * The coupon linters for AIs (8110) and (8112) (North American coupon codes, by the GS1 US coupon
 * data guidelines the General Specifications refer to). The data is a chain of fields, several
 * led by a variable length indicator (VLI) digit; every field's absence, bad indicator and
 * truncation has its own error.
 *
 * Each layout is written below as data (a list of fields; for 8110 also the optional fields, each
 * behind its tag digit, in increasing tag order and at most once) and read by one small reader.
 */
import { gs1Year } from '../dates.ts';
import { digitFailure, lintFail, type LintFailure, type Linter } from './lint-core.ts';
import { yymmdd } from './lint-values.ts';
import type { CouponError } from './reasons.ts';

/** The coupon data being read: s[from, to), the next field at `at`. */
interface Reader {
  readonly s: string;
  readonly from: number;
  readonly to: number;
  at: number;
  /** The expiration date read so far as YYYYMMDD, or -1. */
  expiration: number;
}

/** One field: reads it and moves on, or says what is wrong with it. */
type Field = (r: Reader) => LintFailure | null;

const fail = (r: Reader, error: CouponError, at: number, len: number): LintFailure => lintFail(error, at - r.from, len);

/** Field names whose one-digit code has a "missing" and an "invalid" error. */
type CodeField = 'FORMAT_CODE' | 'ADDITIONAL_PURCHASE_RULES_CODE' | 'SAVE_VALUE_CODE' | 'SAVE_VALUE_APPLIES_TO_ITEM' | 'DONT_MULTIPLY_FLAG'
  | `${'1ST' | '2ND' | '3RD'}_PURCHASE_REQUIREMENT_CODE`;

/** A one-digit code, one of `allowed`. */
function code(name: CodeField, allowed: string): Field {
  return (r) => {
    if (r.at >= r.to) return fail(r, `COUPON_MISSING_${name}`, r.at, 0);
    if (!allowed.includes(r.s.charAt(r.at))) return fail(r, `COUPON_INVALID_${name}`, r.at, 1);
    r.at++;
    return null;
  };
}

/** The store coupon flag: any digit. */
const storeCouponFlag: Field = (r) => {
  if (r.at >= r.to) return fail(r, 'COUPON_MISSING_STORE_COUPON_FLAG', r.at, 0);
  r.at++;
  return null;
};

/** Field names of a fixed number of digits (only their truncation is an error). */
type FixedField = 'OFFER_CODE' | `${'1ST' | '2ND' | '3RD'}_PURCHASE_FAMILY_CODE`;

/** Takes `length` digits, or reports the field `name` cut short. */
function take(r: Reader, name: FixedField | SizedField, length: number): LintFailure | null {
  if (r.to - r.at < length) return fail(r, `COUPON_TRUNCATED_${name}`, r.at, r.to - r.at);
  r.at += length;
  return null;
}

const fixed = (name: FixedField, length: number): Field => (r) => take(r, name, length);

/** Field names led by a VLI digit. */
type SizedField = 'GCP' | 'FUNDER' | 'SAVE_VALUE' | 'SERIAL_NUMBER' | 'RETAILER_GCP_OR_GLN'
  | `${'1ST' | '2ND' | '3RD'}_PURCHASE_REQUIREMENT` | `${'2ND' | '3RD'}_PURCHASE_GCP`;

/**
 * A VLI digit, then the field of `base` + VLI digits. A VLI of 9 where `nineMeansAbsent` says the
 * field is not there (a purchase's company prefix: the coupon's own applies).
 */
function vliThenField(r: Reader, name: SizedField, base: number, nineMeansAbsent: boolean): LintFailure | null {
  if (r.at >= r.to) return fail(r, `COUPON_MISSING_${name}_VLI`, r.at, 0);
  const vli = r.s.charCodeAt(r.at) - 48;
  r.at++;
  return nineMeansAbsent && vli === 9 ? null : take(r, name, base + vli);
}

/** A field led by a VLI digit that must be one of `allowed`. */
function sized(name: Exclude<SizedField, 'SERIAL_NUMBER'>, allowed: string, base: number, nineMeansAbsent = false): Field {
  return (r) => {
    if (r.at < r.to && !allowed.includes(r.s.charAt(r.at))) return fail(r, `COUPON_INVALID_${name}_LENGTH`, r.at, 1);
    return vliThenField(r, name, base, nineMeansAbsent);
  };
}

/** A serial number: any VLI, 6 to 15 digits. */
const serialNumber: Field = (r) => vliThenField(r, 'SERIAL_NUMBER', 6, false);

/** A date YYMMDD as YYYYMMDD (century by General Specifications 7.12), for ordering. */
function dateNumber(s: string, at: number): number {
  const yy = Number(s.slice(at, at + 2));
  return gs1Year(yy, new Date().getUTCFullYear()) * 10000 + Number(s.slice(at + 2, at + 6));
}

/** The expiration date, or the start date, which must not come after the expiration date. */
function date(name: 'EXPIRATION_DATE' | 'START_DATE'): Field {
  return (r) => {
    if (r.to - r.at < 6) return fail(r, `COUPON_TOO_SHORT_FOR_${name}`, r.at, r.to - r.at);
    if (yymmdd(r.s, r.at, r.at + 6) !== null) return fail(r, `COUPON_INVALID_${name}`, r.at, 6);
    const value = dateNumber(r.s, r.at);
    if (name === 'EXPIRATION_DATE') r.expiration = value;
    else if (r.expiration >= 0 && r.expiration < value) return fail(r, 'COUPON_EXPIRATION_BEFORE_START', r.at, 6);
    r.at += 6;
    return null;
  };
}

/** The purchase requirement codes the guidelines define (what the requirement counts): 0-4 and 9. */
const REQUIREMENT_CODES = '012349';
/** GS1 Company Prefix VLI: 0-6 for 6 to 12 digits. */
const GCP_VLI = '0123456';

/** A qualifying purchase: requirement (VLI 1-5), its code and the family code of three digits. */
const purchase = (ord: '1ST' | '2ND' | '3RD'): Field[] => [
  sized(`${ord}_PURCHASE_REQUIREMENT`, '12345', 0),
  code(`${ord}_PURCHASE_REQUIREMENT_CODE`, REQUIREMENT_CODES),
  fixed(`${ord}_PURCHASE_FAMILY_CODE`, 3),
];

/** AI (8110): the fields every coupon has. */
const COUPON_MANDATORY: readonly Field[] = [
  sized('GCP', GCP_VLI, 6),
  fixed('OFFER_CODE', 6),
  sized('SAVE_VALUE', '12345', 0),
  ...purchase('1ST'),
];

/** AI (8110): the optional fields by tag digit. */
const COUPON_OPTIONAL: readonly (readonly [tag: string, fields: readonly Field[]])[] = [
  // A second purchase: how the purchases combine (0-3), the purchase, its company prefix.
  ['1', [code('ADDITIONAL_PURCHASE_RULES_CODE', '0123'), ...purchase('2ND'), sized('2ND_PURCHASE_GCP', `${GCP_VLI}9`, 6, true)]],
  ['2', [...purchase('3RD'), sized('3RD_PURCHASE_GCP', `${GCP_VLI}9`, 6, true)]],
  ['3', [date('EXPIRATION_DATE')]],
  ['4', [date('START_DATE')]],
  // The serial number; the retailer's company prefix or GLN of 7 to 13 digits.
  ['5', [serialNumber]],
  ['6', [sized('RETAILER_GCP_OR_GLN', '1234567', 6)]],
  // Miscellaneous: save value code, which purchase the value applies to, store coupon, don't multiply.
  ['9', [code('SAVE_VALUE_CODE', '01256'), code('SAVE_VALUE_APPLIES_TO_ITEM', '012'), storeCouponFlag, code('DONT_MULTIPLY_FLAG', '01')]],
];

/** Reads `fields` in order; the first failure, or null. */
function readFields(r: Reader, fields: readonly Field[]): LintFailure | null {
  for (const field of fields) {
    const f = field(r);
    if (f !== null) return f;
  }
  return null;
}

/** A reader over s[from, to) when it is all digits, else the failure naming the first other character. */
function readerOf(s: string, from: number, to: number): Reader | LintFailure {
  return digitFailure(s, from, to) ?? { s, from, to, at: from, expiration: -1 };
}

const excess = (r: Reader): LintFailure => fail(r, 'COUPON_EXCESS_DATA', r.at, r.to - r.at);

/** AI (8110): coupon code identification for use in North America. */
export const couponcode: Linter = (s, from, to) => {
  const r = readerOf(s, from, to);
  if ('error' in r) return r;
  const f = readFields(r, COUPON_MANDATORY);
  if (f !== null) return f;
  let next = 0;
  while (r.at < r.to) {
    const tag = r.s.charAt(r.at);
    const k = COUPON_OPTIONAL.findIndex(([t], i) => i >= next && t === tag);
    const group = COUPON_OPTIONAL[k];
    // An unknown tag, or one out of order or repeated: the data does not belong to the coupon.
    if (group === undefined) return excess(r);
    r.at++;
    next = k + 1;
    const g = readFields(r, group[1]);
    if (g !== null) return g;
  }
  return null;
};

/** AI (8112): format code 0 or 1, funder (VLI 0-6, 6 to 12 digits), offer code, serial number (VLI 0-9, 6 to 15 digits). */
const POSITIVE_OFFER: readonly Field[] = [
  code('FORMAT_CODE', '01'),
  sized('FUNDER', GCP_VLI, 6),
  fixed('OFFER_CODE', 6),
  serialNumber,
];

/** AI (8112): paperless coupon code identification for use in North America. */
export const couponposoffer: Linter = (s, from, to) => {
  const r = readerOf(s, from, to);
  if ('error' in r) return r;
  return readFields(r, POSITIVE_OFFER) ?? (r.at < r.to ? excess(r) : null);
};
