/**
 * The tobacco pack code (not GS1): GTIN-14, serial, maximum retail price, check code, with no
 * AIs and no separators. The formats come from the tobacco group's `packFormats` table entry.
 */
import { checkDigitOf } from './check-digit.ts';
import { describeChar, isCset82Code } from './cset.ts';
import { fail, type Fail } from './gs1.ts';
import type { ProductGroupProfile, TobaccoPackFormat } from './types.ts';

export interface Pack {
  format: TobaccoPackFormat;
  groupId: string;
  gtin: string;
  serial: string;
  mrpCode: string | null;
  /** Minor units (kopecks / tiyn). */
  mrp: number | null;
  check: string;
}

/** Enabled pack formats of the table whose total length is `length`. */
type PackIndex = Map<number, { format: TobaccoPackFormat; groupId: string }[]>;
const PACK_INDEX = new WeakMap<readonly ProductGroupProfile[], PackIndex>();
const NONE: { format: TobaccoPackFormat; groupId: string }[] = [];

export function packFormatsOfLength(groups: readonly ProductGroupProfile[], length: number): readonly { format: TobaccoPackFormat; groupId: string }[] {
  let index = PACK_INDEX.get(groups);
  if (index === undefined) {
    index = new Map();
    for (const g of groups) {
      for (const f of g.packFormats ?? []) {
        if (!f.enabled) continue;
        const total = f.gtinLength + f.serialLength + f.mrpLength + f.checkLength;
        const list = index.get(total) ?? [];
        list.push({ format: f, groupId: g.id });
        index.set(total, list);
      }
    }
    PACK_INDEX.set(groups, index);
  }
  return index.get(length) ?? NONE;
}

/** Decodes a base-N price with the format's alphabet; -1 on a character outside it. */
export function decodeMrp(code: string, alphabet: string): number {
  const base = alphabet.length;
  let v = 0;
  for (let i = 0; i < code.length; i++) {
    const d = alphabet.indexOf(code[i] as string);
    if (d < 0) return -1;
    v = v * base + d;
  }
  return v;
}

/** Encodes a price (minor units) in `width` characters of the alphabet (tests, fixtures). */
export function encodeMrp(value: number, alphabet: string, width = 4): string {
  const base = alphabet.length;
  let out = '';
  let v = value;
  for (let i = 0; i < width; i++) {
    out = alphabet[v % base] + out;
    v = Math.floor(v / base);
  }
  return out;
}

/** True when the text has the shape of a pack of this format: digits where the GTIN is. */
export function looksLikePack(s: string, format: TobaccoPackFormat): boolean {
  for (let i = 0; i < format.gtinLength; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Reads a pack of the given format (the caller matched the length). */
export function readPack(s: string, format: TobaccoPackFormat, groupId: string): Pack | Fail {
  const g = format.gtinLength;
  for (let i = 0; i < g; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) {
      return fail('INVALID_CHARACTER', { where: 'GTIN', char: describeChar(s[i] as string), pos: i + 1, allowedRu: 'допустимы только цифры', allowedKk: 'тек цифрлар рұқсат етіледі', allowedEn: 'digits only' });
    }
  }
  const gtin = s.slice(0, g);
  const expected = checkDigitOf(gtin, 0, g - 1);
  const got = gtin.charCodeAt(g - 1) - 48;
  if (expected !== got) return fail('GTIN_CHECK_DIGIT', { value: gtin, got, expected });
  for (let i = g; i < s.length; i++) {
    if (!isCset82Code(s.charCodeAt(i))) {
      const where = i < g + format.serialLength ? 'serial' : i < g + format.serialLength + format.mrpLength ? 'MRP' : 'check';
      return fail('INVALID_CHARACTER', { where, char: describeChar(s[i] as string), pos: i + 1, allowedRu: 'допустимы только символы GS1 CSET 82', allowedKk: 'тек GS1 CSET 82 таңбалары рұқсат етіледі', allowedEn: 'GS1 CSET 82 characters only' });
    }
  }
  const serialEnd = g + format.serialLength;
  const mrpEnd = serialEnd + format.mrpLength;
  let mrpCode: string | null = null;
  let mrp: number | null = null;
  if (format.mrpLength > 0) {
    mrpCode = s.slice(serialEnd, mrpEnd);
    mrp = decodeMrp(mrpCode, format.mrpAlphabet);
    if (mrp < 0) {
      const bad = [...mrpCode].find((ch) => !format.mrpAlphabet.includes(ch)) ?? '';
      const pos = serialEnd + mrpCode.indexOf(bad) + 1;
      return fail('INVALID_CHARACTER', { where: 'MRP', char: describeChar(bad), pos, allowedRu: 'символ вне алфавита МРЦ', allowedKk: 'ЕЖБ әліпбиінен тыс таңба', allowedEn: 'not in the MRP alphabet' });
    }
  }
  return { format, groupId, gtin, serial: s.slice(g, serialEnd), mrpCode, mrp, check: s.slice(mrpEnd) };
}
