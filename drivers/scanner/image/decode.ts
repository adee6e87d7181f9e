/**
 * Codes from images and video frames with @zxing/library: GS1 DataMatrix, DataMatrix, QR,
 * EAN-13/8. Pixels come in as RGBA (a PNG, a canvas ImageData, a camera frame) or grey.
 * FNC1 comes out as GS (0x1D); a leading FNC1 marks GS1 DataMatrix and is reported as the
 * AIM identifier `]d2` instead of being left in the data.
 */
import {
  BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, NotFoundException, RGBLuminanceSource,
} from '@zxing/library';
import { PNG } from 'pngjs';
import { symbologyOf } from '../aim.ts';

/** Pixels of an image or video frame. `channels`: 4 = RGBA (default), 1 = grey. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
  channels?: 1 | 4;
}

/** Formats the decoder looks for. */
export type ImageFormat = 'datamatrix' | 'qr' | 'ean-13' | 'ean-8';

const FORMATS: Record<ImageFormat, BarcodeFormat> = {
  datamatrix: BarcodeFormat.DATA_MATRIX,
  qr: BarcodeFormat.QR_CODE,
  'ean-13': BarcodeFormat.EAN_13,
  'ean-8': BarcodeFormat.EAN_8,
};

/** A decoded code, shaped like a scanner frame. */
export interface ImageCode {
  /** The code with GS as 0x1D, no AIM prefix. */
  text: string;
  aim: string;
  symbology: string;
  format: ImageFormat;
}

/** Converts pixels to an 8-bit grey image with a white quiet zone around it (crops often have none). */
function toGrey(p: Pixels, pad: number): { grey: Uint8ClampedArray; width: number; height: number } {
  const channels = p.channels ?? 4;
  if (!Number.isInteger(p.width) || !Number.isInteger(p.height) || p.width < 1 || p.height < 1) throw new RangeError(`image size must be positive whole numbers, got ${p.width}x${p.height}`);
  if (channels !== 1 && channels !== 4) throw new RangeError(`channels must be 1 or 4, got ${String(channels)}`);
  if (p.data.length < p.width * p.height * channels) throw new RangeError(`pixel data has ${p.data.length} bytes, a ${p.width}x${p.height} image with ${channels} channels needs ${p.width * p.height * channels}`);
  const width = p.width + 2 * pad;
  const height = p.height + 2 * pad;
  const grey = new Uint8ClampedArray(width * height).fill(255);
  for (let y = 0; y < p.height; y++) {
    for (let x = 0; x < p.width; x++) {
      const i = (y * p.width + x) * channels;
      let v: number;
      if (channels === 1) v = p.data[i] as number;
      else {
        const a = (p.data[i + 3] as number) / 255;
        // Transparent pixels count as white paper.
        const lum = ((p.data[i] as number) * 299 + (p.data[i + 1] as number) * 587 + (p.data[i + 2] as number) * 114) / 1000;
        v = lum * a + 255 * (1 - a);
      }
      grey[(y + pad) * width + x + pad] = v;
    }
  }
  return { grey, width, height };
}

function formatOf(f: BarcodeFormat): ImageFormat | null {
  for (const [name, value] of Object.entries(FORMATS)) if (value === f) return name as ImageFormat;
  return null;
}

/** Decodes one code from pixels; null when none is found. */
export function decodePixels(pixels: Pixels, formats: readonly ImageFormat[] = ['datamatrix', 'qr', 'ean-13', 'ean-8']): ImageCode | null {
  for (const f of formats) if (!(f in FORMATS)) throw new TypeError(`unknown format '${String(f)}'; known: ${Object.keys(FORMATS).join(', ')}`);
  const pad = Math.max(8, Math.round(Math.max(pixels.width, pixels.height) * 0.05));
  const { grey, width, height } = toGrey(pixels, pad);
  const bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(grey, width, height)));
  for (const pure of [false, true]) {
    const hints = new Map<DecodeHintType, unknown>();
    hints.set(DecodeHintType.POSSIBLE_FORMATS, formats.map((f) => FORMATS[f]));
    hints.set(DecodeHintType.TRY_HARDER, true);
    if (pure) hints.set(DecodeHintType.PURE_BARCODE, true);
    const reader = new MultiFormatReader();
    reader.setHints(hints);
    try {
      const r = reader.decode(bitmap);
      const format = formatOf(r.getBarcodeFormat());
      if (format === null) continue;
      let text = r.getText();
      let aim: string;
      if (format === 'datamatrix') {
        // zxing turns every FNC1 into GS, the leading one too: that one means "GS1".
        if (text.startsWith('\x1d')) { aim = ']d2'; text = text.slice(1); } else aim = ']d1';
      } else if (format === 'qr') aim = ']Q1';
      else aim = format === 'ean-13' ? ']E0' : ']E4';
      return { text, aim, symbology: symbologyOf(aim), format };
    } catch (err) {
      if (!(err instanceof NotFoundException) && !(err instanceof Error)) throw err;
    }
  }
  return null;
}

/** Reads a PNG file's bytes into pixels; throws a clear error when it is not a PNG. */
export function readPng(bytes: Buffer): Pixels {
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x89504e47) throw new TypeError('not a PNG image (only PNG files can be read; convert JPEG photos to PNG)');
  const png = PNG.sync.read(bytes);
  return { width: png.width, height: png.height, data: png.data, channels: 4 };
}

/** Decodes one code from PNG bytes. */
export function decodePng(bytes: Buffer, formats?: readonly ImageFormat[]): ImageCode | null {
  return decodePixels(readPng(bytes), formats);
}
