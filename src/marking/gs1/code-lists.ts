/**
 * Character sets and short code lists the GS1 linters check against, written from the GS1 General
 * Specifications (the standard, not any implementation). The long ISO lists (country and
 * currency codes) are generated: lists.generated.ts.
 */
import { CSET82 } from '../cset.ts';

export { CSET82 };

/** GS1 CSET 39 (General Specifications figure 7.11-2): upper-case letters, digits, '#', '-', '/'. */
export const CSET39 = '#-/0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** GS1 CSET 64 (figure 7.11-3), the base64url alphabet; '=' only as padding at the end. */
export const CSET64 = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';

/** GS1 CSET 32 (figure 7.11-4): the characters of a GMN / MUDI check-character pair. */
export const CSET32 = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** AI (7040): the importer index is one character of the base64url alphabet (CSET 64 without '='). */
export const IMPORTER_INDEX = CSET64;

/**
 * AI (7241) AIDC media type, GS1's code list: 01-10 are assigned by GS1, 80-99 are for a
 * company's internal use; 00 and 11-79 are not assigned.
 */
export const MEDIA_TYPES: readonly string[] = [
  ...Array.from({ length: 10 }, (_, i) => String(i + 1).padStart(2, '0')),
  ...Array.from({ length: 20 }, (_, i) => String(80 + i)),
];

/** ISO/IEC 5218 sex codes: 0 not known, 1 male, 2 female, 9 not applicable. */
export const ISO5218 = '0129';

/**
 * AI (7041) package type: a code of UN/ECE Recommendation 21 or one of GS1's additions to it, each
 * one to three upper-case letters or digits. Tanba does not hold the list itself (there is no
 * public machine-readable source it can install), so only this shape is checked; the conformance
 * report lists it as a rule Tanba does not hold.
 */
export const PACKAGE_TYPE_SHAPE = /^[A-Z0-9]{1,3}$/;
