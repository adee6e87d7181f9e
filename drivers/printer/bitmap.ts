/**
 * A 1-bit picture in printer dots, and its ESC/POS raster form (GS v 0).
 * Both the encoder (text a printer cannot encode, raster 2D codes) and the virtual printer
 * (rendering what it was sent) draw into this one type, so they agree dot for dot.
 */

/** A black-and-white bitmap; one byte per dot (1 = black) because clarity beats packing here. */
export class Bitmap {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;

  constructor(width: number, height: number, data?: Uint8Array) {
    if (!Number.isInteger(width) || width < 0 || !Number.isInteger(height) || height < 0) {
      throw new RangeError(`bitmap size must be whole dots, got ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    this.data = data ?? new Uint8Array(width * height);
    if (this.data.length !== width * height) throw new RangeError('bitmap data does not match its size');
  }

  get(x: number, y: number): boolean {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return false;
    return this.data[y * this.width + x] === 1;
  }

  set(x: number, y: number, black = true): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.data[y * this.width + x] = black ? 1 : 0;
  }

  /** Fills a rectangle (clipped to the bitmap). */
  fill(x: number, y: number, w: number, h: number, black = true): void {
    for (let yy = Math.max(0, y); yy < Math.min(this.height, y + h); yy++) {
      for (let xx = Math.max(0, x); xx < Math.min(this.width, x + w); xx++) this.data[yy * this.width + xx] = black ? 1 : 0;
    }
  }

  /** ORs another bitmap onto this one at (x, y): black dots stay black, as on paper. */
  blit(src: Bitmap, x: number, y: number): void {
    for (let sy = 0; sy < src.height; sy++) {
      const ty = y + sy;
      if (ty < 0 || ty >= this.height) continue;
      for (let sx = 0; sx < src.width; sx++) {
        if (src.data[sy * src.width + sx] === 1) this.set(x + sx, ty);
      }
    }
  }

  /** A module matrix (0/1 per module) scaled to `scale` dots per module. */
  static fromModules(modules: ArrayLike<number>, cols: number, rows: number, scale: number): Bitmap {
    const b = new Bitmap(cols * scale, rows * scale);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) if (modules[r * cols + c]) b.fill(c * scale, r * scale, scale, scale);
    }
    return b;
  }

  /** True when no dot is black. */
  isBlank(): boolean {
    return !this.data.includes(1);
  }

  /**
   * ESC/POS `GS v 0` commands printing this bitmap. Width is padded to whole bytes; tall
   * pictures are split into bands because cheap printers have small receive buffers.
   */
  toRasterCommands(bandHeight = 256): Uint8Array {
    const bytesPerRow = Math.ceil(this.width / 8);
    const parts: Uint8Array[] = [];
    for (let top = 0; top < this.height; top += bandHeight) {
      const h = Math.min(bandHeight, this.height - top);
      const out = new Uint8Array(8 + bytesPerRow * h);
      out.set([0x1d, 0x76, 0x30, 0x00, bytesPerRow & 0xff, bytesPerRow >> 8, h & 0xff, h >> 8]);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < this.width; x++) {
          if (this.data[(top + y) * this.width + x] === 1) {
            const i = 8 + y * bytesPerRow + (x >> 3);
            out[i] = (out[i] ?? 0) | (0x80 >> (x & 7));
          }
        }
      }
      parts.push(out);
    }
    return concatBytes(parts);
  }

  /** Decodes packed raster rows (MSB = leftmost dot), as carried by `GS v 0`. */
  static fromRaster(bytesPerRow: number, rows: number, packed: Uint8Array): Bitmap {
    const b = new Bitmap(bytesPerRow * 8, rows);
    for (let y = 0; y < rows; y++) {
      for (let xb = 0; xb < bytesPerRow; xb++) {
        const byte = packed[y * bytesPerRow + xb] ?? 0;
        for (let bit = 0; bit < 8; bit++) if (byte & (0x80 >> bit)) b.data[y * b.width + xb * 8 + bit] = 1;
      }
    }
    return b;
  }
}

/** Concatenates byte arrays. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
