/**
 * 2D symbols as module matrices, generated with bwip-js. The encoder uses them for the raster
 * fallback; the virtual printer uses them the way a printer's firmware does, to turn stored
 * `GS ( k` data into dots.
 */
import { createRequire } from 'node:module';
import type BwipJs from 'bwip-js';
import { Bitmap } from './bitmap.ts';

/** Which symbol: QR, plain ECC200 DataMatrix (bytes as given) or GS1 DataMatrix (FNC1 first, GS as FNC1). */
export type SymbolKind = 'qr' | 'datamatrix' | 'gs1-datamatrix';

/** QR error correction levels as ESC/POS numbers them (48..51 = L, M, Q, H). */
export type QrLevel = 'L' | 'M' | 'Q' | 'H';

interface RawSymbol { pixs: number[]; pixx: number; pixy: number }

let bwipModule: typeof BwipJs | undefined;
/** bwip-js loads with the first symbol drawn: it is large, and the core starts without printing one. */
function bwipjs(): typeof BwipJs {
  return (bwipModule ??= createRequire(import.meta.url)('bwip-js') as typeof BwipJs);
}

/** Escapes data for bwip-js parsefnc: '^' is written ^094, GS (0x1D) becomes FNC1 for GS1. */
function fncText(data: string, gs1: boolean): string {
  let t = data.replace(/\^/g, '^094');
  // eslint-disable-next-line no-control-regex -- GS is the separator we turn into FNC1
  if (gs1) t = '^FNC1' + t.replace(/\x1d/g, '^FNC1');
  return t;
}

/** The symbol's module matrix. Throws a clear error when the data cannot be encoded. */
export function symbolModules(kind: SymbolKind, data: string, qrLevel: QrLevel = 'M'): { modules: number[]; cols: number; rows: number } {
  if (data.length === 0) throw new RangeError(`${kind} data is empty`);
  let raw: unknown;
  try {
    if (kind === 'qr') raw = bwipjs().raw('qrcode', data, `eclevel=${qrLevel}`);
    else raw = bwipjs().raw('datamatrix', fncText(data, kind === 'gs1-datamatrix'), { parsefnc: true });
  } catch (err) {
    throw new RangeError(`cannot encode ${kind}: ${(err as Error).message}`, { cause: err });
  }
  const first = (raw as RawSymbol[])[0];
  if (!first || !Array.isArray(first.pixs)) throw new Error(`bwip-js returned no matrix for ${kind}`);
  return { modules: first.pixs, cols: first.pixx, rows: first.pixy };
}

/** The symbol as a bitmap, `moduleDots` printer dots per module, without quiet zone. */
export function symbolBitmap(kind: SymbolKind, data: string, moduleDots: number, qrLevel: QrLevel = 'M'): Bitmap {
  const m = symbolModules(kind, data, qrLevel);
  return Bitmap.fromModules(m.modules, m.cols, m.rows, moduleDots);
}
