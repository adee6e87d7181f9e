/**
 * Public types of the marking-code engine. Everything here is plain data: the engine is pure
 * (no I/O, no clock unless a caller leaves `referenceYear` out, no imports of other layers).
 */

/** What kind of code was read. `ean` is a plain retail barcode, not a marking code. */
export type CodeKind = 'gs1' | 'tobacco-pack' | 'tobacco-block' | 'sscc' | 'ean';

/** Languages of the messages meant for people. */
export type Lang = 'ru' | 'kk' | 'en';

/** Every language a message is written in, in a fixed order. */
export const LANGS: readonly Lang[] = ['ru', 'kk', 'en'];

/** Something the engine had to fix to read the code. A UI must show it: never silent. */
export interface Repair {
  /** SEPARATORS_RESTORED | SEPARATOR_UNESCAPED | KEYBOARD_LAYOUT | SEPARATOR_INSERTED */
  code: string;
  /** In the language asked for (options.lang, default en). */
  message: string;
  messages: Record<Lang, string>;
}

/**
 * A GS1 pairing rule the code breaks (the dictionary's req= / ex=): reported, never a refusal —
 * a code may be one of several carriers on an item, and pairing rules span all of them.
 */
export interface Warning {
  /** MISSING_REQUIRED_AI | INVALID_AI_PAIR | DIGSIG_SERIAL_MISSING */
  code: string;
  /** In the language asked for (options.lang, default en). */
  message: string;
  messages: Record<Lang, string>;
  /** The AI whose rule is broken. */
  ai: string;
}

/** A code that was read and validated. */
export interface ParsedCode {
  ok: true;
  kind: CodeKind;
  /** GTIN-14 (for `ean`: the barcode's digits padded to 14). */
  gtin: string | null;
  serial: string | null;
  /** gs1 / tobacco-block: '01'+gtin+'21'+serial; tobacco-pack: first 21 chars; sscc / ean: null. */
  cis: string | null;
  /** AI 91. */
  verificationKey: string | null;
  /** AI 92. */
  cryptoCode: string | null;
  /** AI 93; for a tobacco pack the 4-character check code at its end. */
  cryptoTail: string | null;
  /** Every AI found, values exactly as in the code. Empty for tobacco packs and EAN. */
  ais: Record<string, string>;
  /** ISO 3166 alpha-2 from the serial's first character (1 AM, 2 BY, 3 KZ, 4 KG, 5/E RU), else null. */
  country: string | null;
  /** From the AIM prefix if one was sent, else inferred from the kind. */
  symbology: string | null;
  /** The AIM symbology identifier as received, e.g. ']d2'. */
  aimPrefix: string | null;
  repairs: Repair[];
  /** GS1 pairing rules the code breaks; empty for codes that are not GS1 element strings. */
  warnings: Warning[];
  /** Canonical code: no AIM prefix, no leading GS, no CR/LF; GS after every AI that needs one and is followed by another. */
  normalized: string;
  /** Product group id from PRODUCT_GROUPS when determinable, else null. */
  productGroup: string | null;
  /** AI 17 as YYYY-MM-DD (day 00 = last day of the month). */
  expiry: string | null;
  /** Minor units (kopecks / tiyn): a tobacco pack's decoded MRP, or AI 8005 of a block. */
  maxRetailPrice: number | null;
  /** AI 10. */
  batch: string | null;
  /** AI 310n converted to grams. */
  netWeightGrams: number | null;
  /** Country whose GS1 prefix the GTIN carries (informational: 487 KZ, 460-469 RU, ...), else null. */
  gtinPrefixCountry: string | null;
  /** Tobacco pack: the 4 characters holding the MRP, as in the code. */
  mrpCode: string | null;
  /** Tobacco pack: which pack format of the tobacco group matched (e.g. 'eaeu'). */
  packFormat: string | null;
}

export interface ParseFailure {
  ok: false;
  error: {
    code: string;
    /** In the language asked for (options.lang, default en). */
    message: string;
    messages: Record<Lang, string>;
    /** Technical detail for logs (not translated). */
    detail?: string;
  };
}

export type ParseResult = ParsedCode | ParseFailure;

/** How the crypto part of a group's codes is laid out. */
export type CryptoLayout =
  | { kind: '91+92'; keyLengths: readonly number[]; codeLengths: readonly number[] }
  | { kind: '93'; tailLengths: readonly number[] };

/** The non-GS1 tobacco pack code: GTIN-14, serial, optional MRP, check code; no separators. */
export interface TobaccoPackFormat {
  id: string;
  gtinLength: number;
  serialLength: number;
  /** 0 when the format carries no price (Uzbek style 14+7+8). */
  mrpLength: number;
  checkLength: number;
  /** Characters of the MRP in base-N order (N = alphabet length). */
  mrpAlphabet: string;
  /** Off by default when the format collides with another of the same total length. */
  enabled: boolean;
  /** What of this entry is not confirmed from a primary source. */
  unconfirmed?: readonly string[];
}

/** One product group: data, not branches. */
export interface ProductGroupProfile {
  /** tobacco, shoes, medicines, beer, oil, dairy, water, light_industry, other. */
  id: string;
  names: Record<Lang, string>;
  /** Allowed lengths of AI 21 in GS1 form. */
  serialLengths: readonly number[];
  /** Accepted crypto layouts, in order of preference. */
  crypto: readonly CryptoLayout[];
  /** AIs besides 01, 21 and the crypto AIs that may occur (17, 10, 3103, 8005, ...). */
  extraAis: readonly string[];
  /** Non-GS1 pack formats (tobacco). */
  packFormats?: readonly TobaccoPackFormat[];
  /** The catch-all group: only chosen when no specific group fits. */
  fallback?: boolean;
  /** What of this entry is not confirmed from a primary source. */
  unconfirmed?: readonly string[];
}

export interface ParseOptions {
  /** Additional textual GS stand-ins (configurable list), e.g. '|', '~1'. */
  extraSeparators?: readonly string[];
  /** Language of `message` (default 'en'); `messages` always has all three. */
  lang?: Lang;
  /** Override the built-in product-group table (tests). */
  groups?: readonly ProductGroupProfile[];
  /** Year used for the GS1 century rule of YYMMDD dates (default: the current UTC year). */
  referenceYear?: number;
}
