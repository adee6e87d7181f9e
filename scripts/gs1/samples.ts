/**
 * Values for the components whose linter decides the whole value (dates, times, code lists, …):
 * valid ones, and invalid ones each with the linter error it must give. Written from the rules
 * (src/marking/gs1/testdata/oracles.ts and the lists Tanba generates or writes down), never by asking the
 * linters. The coupons (8110, 8112) come from Tanba's own coupon vectors.
 */
import { ISO3166_ALPHA2, ISO3166_NUMERIC, ISO4217_NUMERIC } from '../../src/marking/gs1/lists.generated.ts';
import { LINTER_VECTORS } from '../../src/marking/gs1/testdata/vectors/index.ts';

/** Valid values, and invalid ones with the linter error each must give. */
export type Samples = Record<string, { valid: string[]; invalid: [string, string][] }>;

/** Three-digit codes: the first, a middle and the last member; the first and last non-members. */
function numericList(members: readonly string[], error: string, extra: readonly string[] = []): Samples[string] {
  const set = new Set([...members, ...extra]);
  const all = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
  const non = all.filter((c) => !set.has(c));
  const sorted = [...set].sort();
  return {
    valid: [sorted[0] as string, sorted[Math.floor(sorted.length / 2)] as string, sorted.at(-1) as string, ...extra],
    invalid: [[non[0] as string, error], [non.at(-1) as string, error]],
  };
}

/** The coupon linter's own vectors: a few valid, every sixth invalid. */
function coupon(name: 'couponcode' | 'couponposoffer'): Samples[string] {
  const vs = (LINTER_VECTORS[name] ?? []).filter((v) => v.data.length > 0 && v.data.length <= 70 && /^\d+$/.test(v.data));
  return {
    valid: vs.filter((v) => v.error === null).slice(0, 3).map((v) => v.data),
    invalid: vs.filter((v) => v.error !== null).filter((_, i) => i % 6 === 0).map((v) => [v.data, v.error as string]),
  };
}

export const SAMPLES: Samples = {
  // 2024 is a leap year, 2025 is not; day 00 is the last day of the month where "yymmd0" allows it.
  yymmd0: { valid: ['240229', '251231', '250100'], invalid: [['251301', 'ILLEGAL_MONTH'], ['250229', 'ILLEGAL_DAY'], ['250431', 'ILLEGAL_DAY'], ['250001', 'ILLEGAL_MONTH']] },
  yymmdd: { valid: ['240229', '251231'], invalid: [['250100', 'ILLEGAL_DAY'], ['251301', 'ILLEGAL_MONTH'], ['250229', 'ILLEGAL_DAY'], ['250132', 'ILLEGAL_DAY']] },
  yyyymmdd: { valid: ['20240229', '19991231', '20000229'], invalid: [['20250229', 'ILLEGAL_DAY'], ['21000229', 'ILLEGAL_DAY'], ['20251301', 'ILLEGAL_MONTH'], ['20250100', 'ILLEGAL_DAY']] },
  hhmi: { valid: ['0000', '2359'], invalid: [['2400', 'ILLEGAL_HOUR'], ['1260', 'ILLEGAL_MINUTE']] },
  hh: { valid: ['00', '23'], invalid: [['24', 'ILLEGAL_HOUR']] },
  mi: { valid: ['00', '59'], invalid: [['60', 'ILLEGAL_MINUTE']] },
  ss: { valid: ['00', '59'], invalid: [['60', 'ILLEGAL_SECOND']] },
  iso3166: { ...numericList(ISO3166_NUMERIC, 'NOT_ISO3166'), invalid: [...numericList(ISO3166_NUMERIC, 'NOT_ISO3166').invalid, ['999', 'NOT_ISO3166']] },
  iso3166999: numericList(ISO3166_NUMERIC, 'NOT_ISO3166_OR_999', ['999']),
  iso3166alpha2: { valid: ['KZ', ISO3166_ALPHA2[0] as string, ISO3166_ALPHA2.at(-1) as string], invalid: [['AA', 'NOT_ISO3166_ALPHA2'], ['kz', 'NOT_ISO3166_ALPHA2']] },
  iso4217: numericList(ISO4217_NUMERIC, 'NOT_ISO4217'),
  iso5218: { valid: ['0', '9'], invalid: [['3', 'INVALID_BIOLOGICAL_SEX_CODE']] },
  yesno: { valid: ['0', '1'], invalid: [['2', 'NOT_ZERO_OR_ONE']] },
  winding: { valid: ['0', '9'], invalid: [['2', 'INVALID_WINDING_DIRECTION']] },
  zero: { valid: ['0'], invalid: [['1', 'NOT_ZERO']] },
  hyphen: { valid: ['-'], invalid: [['A', 'NOT_HYPHEN']] },
  importeridx: { valid: ['A', '_', '-', 'z'], invalid: [['!', 'INVALID_IMPORT_IDX_CHARACTER'], ['.', 'INVALID_IMPORT_IDX_CHARACTER']] },
  packagetype: { valid: ['BX', 'X11', '8'], invalid: [['bx', 'INVALID_PACKAGE_TYPE'], ['B-', 'INVALID_PACKAGE_TYPE'], ['BOXX', 'INVALID_PACKAGE_TYPE']] },
  mediatype: { valid: ['01', '10', '80', '99'], invalid: [['00', 'INVALID_MEDIA_TYPE'], ['11', 'INVALID_MEDIA_TYPE'], ['79', 'INVALID_MEDIA_TYPE']] },
  latitude: { valid: ['0000000000', '1800000000'], invalid: [['1800000001', 'INVALID_LATITUDE']] },
  longitude: { valid: ['0000000000', '3600000000'], invalid: [['3600000001', 'INVALID_LONGITUDE']] },
  iban: {
    valid: ['GB82WEST12345698765432', 'NO9386011117947'],
    invalid: [['GB83WEST12345698765432', 'INCORRECT_IBAN_CHECKSUM'], ['XX82WEST12345698765432', 'ILLEGAL_IBAN_COUNTRY_CODE'], ['GB82west12345698765432', 'INVALID_IBAN_CHARACTER']],
  },
  pieceoftotal: { valid: ['0101', '0102', '9999'], invalid: [['0201', 'PIECE_NUMBER_EXCEEDS_TOTAL'], ['0002', 'ZERO_PIECE_NUMBER'], ['0100', 'ZERO_TOTAL_PIECES']] },
  posinseqslash: { valid: ['1/2', '2/2'], invalid: [['2/1', 'POSITION_EXCEEDS_END'], ['0/2', 'ILLEGAL_ZERO_PREFIX'], ['1-2', 'POSITION_IN_SEQUENCE_MALFORMED']] },
  pcenc: { valid: ['A%20B', 'ABC'], invalid: [['A%2G', 'INVALID_PERCENT_SEQUENCE'], ['AB%', 'INVALID_PERCENT_SEQUENCE']] },
  couponcode: coupon('couponcode'),
  couponposoffer: coupon('couponposoffer'),
};
