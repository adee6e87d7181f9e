/**
 * The marking-code engine: parse, validate and normalise marking codes as scanners deliver them.
 * Pure: no I/O and no imports from other layers. See docs/domain/marking-codes.md.
 */
export type {
  CodeKind, Lang, Repair, Warning, ParsedCode, ParseFailure, ParseResult, ParseOptions,
  ProductGroupProfile, CryptoLayout, TobaccoPackFormat,
} from './types.ts';
export { LANGS } from './types.ts';
export { parseCode } from './parse.ts';
export { toJson } from './json.ts';
export { PRODUCT_GROUPS, TOBACCO_MRP_ALPHABET, groupById } from './groups.ts';
export { gs1CheckDigit, isValidGtin, isValidSscc } from './check-digit.ts';
export { visibleBytes, visibleGs, visibleLines } from './visible.ts';
export { CSET82, GS } from './cset.ts';
export { BUILTIN_SEPARATORS } from './escapes.ts';
export { AIM_SYMBOLOGIES, aimSymbology } from './aim.ts';
export { ERROR_CODES, WARNING_CODES, type ErrorCode, type WarningCode } from './messages.ts';
export { parseElementString, type Gs1Element, type Gs1ElementString, type Gs1Result } from './element-string.ts';
export { DICTIONARY_RELEASE } from './gs1/dictionary.generated.ts';
export { decodeMrp, encodeMrp } from './tobacco.ts';
export { typeWithLayout, type LayoutId } from './layout.ts';
