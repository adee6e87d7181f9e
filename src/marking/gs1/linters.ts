/**
 * Every linter the GS1 Syntax Dictionary names, by name, plus the character-set linters GS1
 * applies to each component type (N csetnumeric, X cset82, Y cset39, Z cset64). A dictionary
 * release that names a new linter fails the typecheck here until it is implemented.
 */
import type { LinterName } from './dictionary.generated.ts';
import {
  cset39, cset64, cset82, csetnumeric, csum, csumalpha, gcppos1, gcppos2, hasnondigit, hyphen, importeridx,
  iso5218, latitude, longitude, nonzero, nozeroprefix, pcenc, winding, yesno, zero, type Linter,
} from './lint-core.ts';
import { couponcode, couponposoffer } from './lint-coupon.ts';
import {
  hh, hhmi, iban, iso3166, iso3166999, iso3166alpha2, iso4217, mediatype, mi, packagetype, pieceoftotal,
  posinseqslash, ss, yymmd0, yymmdd, yyyymmd0, yyyymmdd,
} from './lint-values.ts';

export type { Linter, LintFailure } from './lint-core.ts';

/** The dictionary's linters. */
export const LINTERS: Readonly<Record<LinterName, Linter>> = {
  couponcode, couponposoffer, csum, csumalpha, gcppos1, gcppos2, hasnondigit, hh, hhmi, hyphen, iban,
  importeridx, iso3166, iso3166999, iso3166alpha2, iso4217, iso5218, latitude, longitude, mediatype, mi,
  nonzero, nozeroprefix, packagetype, pcenc, pieceoftotal, posinseqslash, ss, winding, yesno, yymmd0,
  yymmdd, yyyymmdd, zero,
};

/** The character-set linter of each component type. */
export const CSET_LINTERS: Readonly<Record<'N' | 'X' | 'Y' | 'Z', Linter>> = { N: csetnumeric, X: cset82, Y: cset39, Z: cset64 };

/** Every linter by name: the dictionary's, the character-set ones and yyyymmd0 (for tests). */
export const ALL_LINTERS: Readonly<Record<string, Linter>> = { ...LINTERS, csetnumeric, cset82, cset39, cset64, yyyymmd0 };
