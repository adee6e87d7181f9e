/**
 * The 12x24 bitmap font both sides draw text with: ESC/POS "font A" is 12x24 dots, so a
 * glyph here is one printer character cell. The glyphs are a subset of Terminus Font
 * (SIL OFL 1.1, see fonts/OFL.txt) covering ASCII, Cyrillic with the Kazakh letters
 * Ә Ғ Қ Ң Ө Ұ Ү Һ І, and the CP866 box-drawing characters.
 */
import { readFileSync } from 'node:fs';
import { Bitmap } from './bitmap.ts';

/** A fixed-cell bitmap font. */
export interface BitmapFont {
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** True when the font has a glyph for this code point. */
  has(codePoint: number): boolean;
  /** Draws one character cell at (x, y); unknown characters draw a hollow box, never "?". */
  draw(target: Bitmap, x: number, y: number, codePoint: number, style?: GlyphStyle): void;
}

/** How a glyph is drawn: emphasis and the GS ! magnification. */
export interface GlyphStyle {
  bold?: boolean;
  underline?: boolean;
  /** Horizontal magnification 1..8. */
  scaleX?: number;
  /** Vertical magnification 1..8. */
  scaleY?: number;
}

const FONT_URL = new URL('./fonts/receipt-12x24.hex', import.meta.url);
let cached: BitmapFont | undefined;

/** The receipt font, loaded once. */
export function receiptFont(): BitmapFont {
  cached ??= parseHexFont(readFileSync(FONT_URL, 'utf8'), 12, 24);
  return cached;
}

/** Parses "XXXX:hexbits" lines (rows padded to whole bytes, as in PSF/unifont .hex). */
export function parseHexFont(text: string, cellWidth: number, cellHeight: number): BitmapFont {
  const rowBytes = Math.ceil(cellWidth / 8);
  const glyphs = new Map<number, Uint8Array>();
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const m = /^([0-9A-F]{4,6}):([0-9A-F]+)$/.exec(line.trim());
    if (!m || m[2]!.length !== rowBytes * cellHeight * 2) throw new Error(`font line ${i + 1} is malformed`);
    glyphs.set(parseInt(m[1]!, 16), Buffer.from(m[2]!, 'hex'));
  }
  const dot = (g: Uint8Array, gx: number, gy: number): boolean =>
    ((g[gy * rowBytes + (gx >> 3)] ?? 0) & (0x80 >> (gx & 7))) !== 0;
  return {
    cellWidth,
    cellHeight,
    has: (cp) => glyphs.has(cp),
    draw(target, x, y, cp, style = {}) {
      const sx = style.scaleX ?? 1;
      const sy = style.scaleY ?? 1;
      const g = glyphs.get(cp);
      for (let gy = 0; gy < cellHeight; gy++) {
        for (let gx = 0; gx < cellWidth; gx++) {
          let on: boolean;
          if (g) on = dot(g, gx, gy) || (style.bold === true && gx > 0 && dot(g, gx - 1, gy));
          // A missing glyph shows as a box so a gap in the font is visible, not silent.
          else on = cp !== 0x20 && gy >= 4 && gy <= 19 && gx >= 2 && gx <= 9 && (gy === 4 || gy === 19 || gx === 2 || gx === 9);
          if (on) target.fill(x + gx * sx, y + gy * sy, sx, sy);
        }
      }
      if (style.underline) target.fill(x, y + (cellHeight - 2) * sy, cellWidth * sx, sy);
    },
  };
}

/** Draws a string into a new bitmap of exactly its width (cells x scale) and one cell high. */
export function renderText(text: string, style: GlyphStyle = {}, font: BitmapFont = receiptFont()): Bitmap {
  const chars = [...text];
  const sx = style.scaleX ?? 1;
  const sy = style.scaleY ?? 1;
  const b = new Bitmap(chars.length * font.cellWidth * sx, font.cellHeight * sy);
  chars.forEach((ch, i) => font.draw(b, i * font.cellWidth * sx, 0, ch.codePointAt(0) ?? 0x20, style));
  return b;
}
