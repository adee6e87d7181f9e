/**
 * Code pages the receipt driver uses, as byte tables shared with the virtual printer.
 * The tables come from @point-of-sale/codepage-encoder; what a printer calls each one
 * (the n of `ESC t n`) is the printer profile's business, see profiles.ts.
 */
import CodepageEncoder from '@point-of-sale/codepage-encoder';

/** Code pages Tanba prints Cyrillic with: CP866 (Russian), KZ-1048 (Kazakh, a.k.a. RK1048). */
export type TextCodePage = 'cp437' | 'cp866' | 'rk1048';

const tables = new Map<TextCodePage, { toByte: Map<number, number>; toChar: number[] }>();

function table(cp: TextCodePage): { toByte: Map<number, number>; toChar: number[] } {
  let t = tables.get(cp);
  if (!t) {
    const points = CodepageEncoder.getCodepoints(cp, true);
    const toChar: number[] = [];
    const toByte = new Map<number, number>();
    for (let b = 0; b < 256; b++) {
      // Control bytes are commands on a printer, never characters.
      const p = b < 0x20 || b === 0x7f ? undefined : points[b];
      toChar.push(typeof p === 'number' && p > 0 ? p : 0xfffd);
      if (typeof p === 'number' && p > 0 && b >= 0x20 && b !== 0x7f && !toByte.has(p)) toByte.set(p, b);
    }
    t = { toByte, toChar };
    tables.set(cp, t);
  }
  return t;
}

/** True when every character of `text` has a byte in the code page. */
export function canEncode(text: string, cp: TextCodePage): boolean {
  const { toByte } = table(cp);
  for (const ch of text) if (!toByte.has(ch.codePointAt(0) ?? -1)) return false;
  return true;
}

/** Encodes text; throws on a character the code page lacks (never substitutes "?"). */
export function encodeText(text: string, cp: TextCodePage): Uint8Array {
  const { toByte } = table(cp);
  const out: number[] = [];
  for (const ch of text) {
    const b = toByte.get(ch.codePointAt(0) ?? -1);
    if (b === undefined) throw new RangeError(`'${ch}' (U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase()}) is not in ${cp}`);
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** The character a byte stands for in the code page (U+FFFD for control bytes and holes). */
export function decodeByte(byte: number, cp: TextCodePage): string {
  return String.fromCodePoint(table(cp).toChar[byte & 0xff] ?? 0xfffd);
}
