/**
 * Reads 2D symbols back off a rendered receipt, as a phone or a scanner would: used by the
 * tests (the round trip proves the bytes survived) and by `tanba emulate printer` to show
 * what each printed code says.
 */
import { createRequire } from 'node:module';
import type * as Zxing from '@zxing/library';
import type { BinaryBitmap, DecodeHintType } from '@zxing/library';
import type * as Pngjs from 'pngjs';

let zxingModule: typeof Zxing | undefined;
let pngjsModule: typeof Pngjs | undefined;
/**
 * @zxing/library and pngjs load on the first decode: zxing is large (about as long to load as
 * the rest of the core), and the core loads the printer emulator in training mode without ever
 * decoding.
 */
function zxing(): typeof Zxing {
  return (zxingModule ??= createRequire(import.meta.url)('@zxing/library') as typeof Zxing);
}
function pngjs(): typeof Pngjs {
  return (pngjsModule ??= createRequire(import.meta.url)('pngjs') as typeof Pngjs);
}

/** A symbol found on the paper. */
export interface DecodedSymbol {
  format: 'qr' | 'datamatrix';
  text: string;
  /** Top row of the symbol in the image. */
  y: number;
}

/** Finds QR codes and DataMatrix symbols in a receipt PNG. */
export function decodeReceiptPng(png: Buffer): DecodedSymbol[] {
  const img = pngjs().PNG.sync.read(png);
  const w = img.width, h = img.height;
  const black = (x: number, y: number): boolean => (img.data[(y * w + x) * 4] ?? 255) < 128;
  const rowInk = (y: number): boolean => { for (let x = 0; x < w; x++) if (black(x, y)) return true; return false; };
  const found: DecodedSymbol[] = [];
  // Symbols sit in bands of inked rows separated by blank paper; try each band on its own.
  let y = 0;
  while (y < h) {
    while (y < h && !rowInk(y)) y++;
    const top = y;
    while (y < h && rowInk(y)) y++;
    const bottom = y;
    if (bottom - top >= 20) {
      const r = decodeRegion(black, w, top, bottom);
      if (r) found.push({ ...r, y: top });
    }
  }
  return found;
}

function decodeRegion(black: (x: number, y: number) => boolean, w: number, top: number, bottom: number): Omit<DecodedSymbol, 'y'> | undefined {
  let left = w, right = 0;
  for (let y = top; y < bottom; y++) for (let x = 0; x < w; x++) if (black(x, y)) { left = Math.min(left, x); right = Math.max(right, x); }
  const bw = right - left + 1, bh = bottom - top;
  // Text lines are wide and short; symbols are roughly square.
  if (bw < 20 || bw > bh * 2.5 || bh > bw * 2.5) return undefined;
  // Doubled, because zxing's pure-barcode sampler misreads odd module sizes (3, 5, 7 dots).
  const pad = 20, k = 2;
  const W = bw * k + 2 * pad, H = bh * k + 2 * pad;
  const lum = new Uint8ClampedArray(W * H).fill(255);
  for (let y = 0; y < bh * k; y++) for (let x = 0; x < bw * k; x++) if (black(left + Math.floor(x / k), top + Math.floor(y / k))) lum[(y + pad) * W + x + pad] = 0;
  const { BinaryBitmap, DataMatrixReader, DecodeHintType, HybridBinarizer, QRCodeReader, RGBLuminanceSource } = zxing();
  const hints = new Map<DecodeHintType, unknown>([[DecodeHintType.PURE_BARCODE, true]]);
  const readers: [DecodedSymbol['format'], { decode(b: BinaryBitmap, h: Map<DecodeHintType, unknown>): { getText(): string } }][] = [
    ['qr', new QRCodeReader()],
    ['datamatrix', new DataMatrixReader()],
  ];
  for (const [format, reader] of readers) {
    try {
      const bb = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(lum, W, H)));
      return { format, text: reader.decode(bb, hints).getText() };
    } catch {
      // Not this kind of symbol; try the next reader.
    }
  }
  return undefined;
}
