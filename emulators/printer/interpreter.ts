/**
 * The virtual printer's brain: an ESC/POS interpreter that turns received bytes into paper —
 * a bitmap plus a text transcript per receipt (initialise .. cut) — and answers real-time
 * status queries the way an Epson-compatible printer does.
 */
import { Bitmap } from '../../drivers/printer/bitmap.ts';
import { visibleGs } from '../../src/marking/index.ts';
import { decodeByte, type TextCodePage } from '../../drivers/printer/codepages.ts';
import { receiptFont } from '../../drivers/printer/font.ts';
import { symbolBitmap, type QrLevel, type SymbolKind } from '../../drivers/printer/symbols.ts';

/** Conditions the printer can be put in. */
export interface PrinterCondition {
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Offline for another reason (e.g. the operator pressed the feed button, or set offline). */
  offline: boolean;
  drawerOpen: boolean;
}

/** A 2D symbol the printer printed, with its data as the printer stored it. */
export interface PrintedSymbol {
  kind: SymbolKind;
  data: string;
}

/** One receipt as it came out of the printer. */
export interface PrintedReceipt {
  /** The paper, one byte per dot. */
  image: Bitmap;
  /** What a person would read: text lines, and a [QR]/[DataMatrix]/[image] line per picture. */
  text: string;
  symbols: PrintedSymbol[];
  /** False when the paper ran out (or the printer went offline) before the cut. */
  complete: boolean;
  drawerKicks: number;
}

/** Options of the interpreter. */
export interface InterpreterOptions {
  /** Printable dots per line: 384 (58 mm) or 576 (80 mm). */
  dots: number;
  /** `ESC t n` table. Default: Epson numbering, 0 = CP437, 17 = CP866, 53 = KZ-1048. */
  codePages?: Record<number, TextCodePage>;
  /** Called when a receipt is finished (cut) or cut short (paper out). */
  onReceipt: (r: PrintedReceipt) => void;
  /** Called with a note about bytes it did not understand. */
  onWarning?: (message: string) => void;
  /** The first roll runs out after this many print bytes (status queries not counted). */
  paperOutAfter?: number;
}

export const EPSON_CODE_PAGES: Readonly<Record<number, TextCodePage>> = { 0: 'cp437', 17: 'cp866', 53: 'rk1048' };

interface Cell { ch: string; bold: boolean; underline: boolean; sx: number; sy: number }
interface Band { bitmap: Bitmap }

const ESC = 0x1b, GS = 0x1d, DLE = 0x10, FS = 0x1c, LF = 0x0a, CR = 0x0d, HT = 0x09;
const NEED_MORE = -1;

/** Status byte per Epson `DLE EOT n`: bits 1 and 4 are always set, 0 and 7 clear. */
export function statusByte(n: number, c: PrinterCondition): number {
  let b = 0x12;
  if (n === 1) {
    if (c.drawerOpen) b |= 0x04;
    if (c.offline || c.paperOut || c.coverOpen) b |= 0x08;
  } else if (n === 2) {
    if (c.coverOpen) b |= 0x04;
    if (c.paperOut) b |= 0x20;
  } else if (n === 4) {
    if (c.paperNearEnd) b |= 0x0c;
    if (c.paperOut) b |= 0x60;
  }
  return b;
}

/** Streams bytes in, receipts out. One instance is one print mechanism. */
export class EscPosInterpreter {
  readonly condition: PrinterCondition = { paperOut: false, paperNearEnd: false, coverOpen: false, offline: false, drawerOpen: false };
  private readonly opts: InterpreterOptions;
  private readonly codePages: Record<number, TextCodePage>;
  private pending: Buffer = Buffer.alloc(0);
  private printedBytes = 0;
  private paperOutAfter: number | undefined;
  // Print state.
  private codePage: TextCodePage = 'cp437';
  private align = 0;
  private bold = false;
  private underline = false;
  private sx = 1;
  private sy = 1;
  private lineSpacing = 30;
  private line: Cell[] = [];
  private bands: Band[] = [];
  private textLines: string[] = [];
  private symbols: PrintedSymbol[] = [];
  private drawerKicks = 0;
  private qr = { data: Buffer.alloc(0), size: 3, level: 'M' as QrLevel };
  private dm = { data: Buffer.alloc(0), size: 3 };
  /** Set when paper ran out mid-job: the rest of the job is parsed but not printed. */
  private dropping = false;

  constructor(opts: InterpreterOptions) {
    this.opts = opts;
    this.codePages = opts.codePages ?? EPSON_CODE_PAGES;
    this.paperOutAfter = opts.paperOutAfter;
  }

  /** A fresh roll: paper is back, and --paper-out-after (the first roll's length) no longer applies. */
  loadPaper(): void {
    this.condition.paperOut = false;
    this.printedBytes = 0;
    this.paperOutAfter = undefined;
  }

  /** Feeds received bytes; returns bytes to send back (status answers). */
  feed(chunk: Uint8Array): Buffer {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk);
    const replies: number[] = [];
    let pos = 0;
    while (pos < this.pending.length) {
      const used = this.step(this.pending, pos, replies);
      if (used === NEED_MORE) break;
      pos += used;
    }
    this.pending = this.pending.subarray(pos);
    return Buffer.from(replies);
  }

  /** Ends the current receipt as cut short (connection closed without a cut). */
  abandon(): void {
    if (this.hasContent()) this.emit(false);
  }

  private canPrint(): boolean {
    return !this.condition.paperOut && !this.condition.offline && !this.condition.coverOpen && !this.dropping;
  }

  /** Parses one command at pos; returns its length or NEED_MORE. */
  private step(b: Buffer, pos: number, replies: number[]): number {
    const at = (i: number): number | undefined => b[pos + i];
    const c = at(0)!;
    // Real-time commands are answered in every condition, paper or not.
    if (c === DLE) {
      const c1 = at(1), n = at(2);
      if (c1 === undefined || n === undefined) return NEED_MORE;
      if (c1 === 0x04) {
        replies.push(statusByte(n, this.condition));
        return 3;
      }
      if (c1 === 0x14) return at(4) === undefined ? NEED_MORE : 5; // DLE DC4 fn m t: real-time pulse
      this.warn(`unknown DLE 0x${c1.toString(16)}`);
      return 2;
    }
    const len = this.commandLength(b, pos);
    if (len === NEED_MORE) return NEED_MORE;
    this.printedBytes += len;
    if (this.paperOutAfter !== undefined && !this.condition.paperOut && this.printedBytes > this.paperOutAfter) {
      this.condition.paperOut = true;
    }
    if (!this.canPrint()) {
      // Whatever was on its way out stops here; the receipt is incomplete.
      if (!this.dropping && (this.hasContent() || this.line.length > 0)) {
        this.flushLine(false);
        this.emit(false);
      }
      this.dropping = true;
      // A new job (ESC @) after the condition clears prints again.
      if (c === ESC && at(1) === 0x40 && !this.condition.paperOut && !this.condition.offline && !this.condition.coverOpen) {
        this.dropping = false;
      } else {
        return len;
      }
    }
    this.execute(b.subarray(pos, pos + len));
    return len;
  }

  /** Length of the command at pos (or 1 for a printable byte). */
  private commandLength(b: Buffer, pos: number): number {
    const avail = b.length - pos;
    const at = (i: number): number | undefined => b[pos + i];
    const need = (n: number): number => (avail >= n ? n : NEED_MORE);
    const c = at(0)!;
    if (c === ESC) {
      const c1 = at(1);
      if (c1 === undefined) return NEED_MORE;
      switch (c1) {
        case 0x40: case 0x32: case 0x3c: return 2; // ESC @, ESC 2, ESC <
        case 0x70: return need(5); // ESC p m t1 t2
        case 0x24: case 0x5c: return need(4); // ESC $ / ESC \ nL nH
        case 0x2a: { // ESC * m nL nH d...
          if (avail < 5) return NEED_MORE;
          const m = at(2)!, n = at(3)! + 256 * at(4)!;
          return need(5 + n * (m <= 1 ? 1 : 3));
        }
        case 0x44: { // ESC D tab stops, NUL-terminated
          const end = b.indexOf(0, pos + 2);
          return end < 0 ? NEED_MORE : end - pos + 1;
        }
        default: return need(3); // ESC c n: most ESC commands take one byte
      }
    }
    if (c === GS) {
      const c1 = at(1);
      if (c1 === undefined) return NEED_MORE;
      switch (c1) {
        case 0x28: { // GS ( x pL pH ...
          if (avail < 5) return NEED_MORE;
          return need(5 + at(3)! + 256 * at(4)!);
        }
        case 0x56: { // GS V m [n]
          const m = at(2);
          if (m === undefined) return NEED_MORE;
          return m === 0x41 || m === 0x42 || m === 65 || m === 66 ? need(4) : need(3);
        }
        case 0x76: { // GS v 0 m xL xH yL yH d...
          if (avail < 8) return NEED_MORE;
          return need(8 + (at(4)! + 256 * at(5)!) * (at(6)! + 256 * at(7)!));
        }
        case 0x6b: { // GS k m ...
          const m = at(2);
          if (m === undefined) return NEED_MORE;
          if (m <= 6) {
            const end = b.indexOf(0, pos + 3);
            return end < 0 ? NEED_MORE : end - pos + 1;
          }
          return avail < 4 ? NEED_MORE : need(4 + at(3)!);
        }
        case 0x4c: case 0x57: case 0x24: return need(4); // GS L, GS W, GS $
        default: return need(3); // GS ! n, GS B n, GS h n, GS w n, GS H n, GS f n, GS a n, GS r n ...
      }
    }
    if (c === FS) {
      const c1 = at(1);
      if (c1 === undefined) return NEED_MORE;
      return c1 === 0x2e || c1 === 0x26 ? 2 : need(3); // FS . / FS & take none
    }
    return 1;
  }

  private execute(cmd: Buffer): void {
    const c = cmd[0]!;
    if (c === ESC) this.esc(cmd);
    else if (c === GS) this.gs(cmd);
    else if (c === FS) return;
    else if (c === LF) this.flushLine(true);
    else if (c === CR || c === HT || c === 0x0c || c < 0x20) return;
    else this.putChar(decodeByte(c, this.codePage));
  }

  private esc(cmd: Buffer): void {
    const c1 = cmd[1]!, n = cmd[2] ?? 0;
    switch (c1) {
      case 0x40: // ESC @ initialise
        this.codePage = this.codePages[0] ?? 'cp437';
        this.align = 0; this.bold = false; this.underline = false; this.sx = 1; this.sy = 1; this.lineSpacing = 30;
        return;
      case 0x74: { // ESC t n
        const cp = this.codePages[n];
        if (cp) this.codePage = cp;
        else this.warn(`code page ${n} is not in this printer's table`);
        return;
      }
      case 0x61: this.align = n % 48 <= 2 ? n % 48 : 0; return; // ESC a
      case 0x45: case 0x47: this.bold = (n & 1) === 1; return; // ESC E / ESC G
      case 0x2d: this.underline = (n & 3) !== 0; return; // ESC -
      case 0x21: // ESC ! n: bit3 emphasised, bit4 double height, bit5 double width, bit7 underline
        this.bold = (n & 0x08) !== 0; this.sy = n & 0x10 ? 2 : 1; this.sx = n & 0x20 ? 2 : 1; this.underline = (n & 0x80) !== 0;
        return;
      case 0x32: this.lineSpacing = 30; return;
      case 0x33: this.lineSpacing = n; return;
      case 0x64: { // ESC d n: print and feed n lines
        const hadText = this.line.length > 0;
        if (hadText) this.flushLine(true);
        for (let i = hadText ? 1 : 0; i < n; i++) this.feedDots(this.lineSpacing);
        return;
      }
      case 0x4a: this.flushLine(false); this.feedDots(n); return; // ESC J n: feed n dots
      case 0x70: this.drawerKicks++; this.textLines.push('[drawer kick]'); return; // ESC p
      case 0x2a: this.warn('ESC * column images are not rendered'); return;
      default: return; // ESC M, ESC R, ESC {, ESC SP, ESC $ ... do not change the picture we draw
    }
  }

  private gs(cmd: Buffer): void {
    const c1 = cmd[1]!;
    switch (c1) {
      case 0x21: { const n = cmd[2]!; this.sx = (n >> 4) + 1; this.sy = (n & 0x0f) + 1; return; } // GS !
      case 0x56: this.flushLine(false); this.emit(true); return; // GS V: cut ends the receipt
      case 0x76: { // GS v 0 raster
        const xBytes = cmd[4]! + 256 * cmd[5]!, rows = cmd[6]! + 256 * cmd[7]!;
        this.flushLine(false);
        const bmp = Bitmap.fromRaster(xBytes, rows, cmd.subarray(8));
        this.placeImage(bmp);
        this.noteImage(bmp);
        return;
      }
      case 0x28: if (cmd[2] === 0x6b) this.symbol(cmd.subarray(5)); return; // GS ( k
      case 0x6b: this.flushLine(false); this.textLines.push('[barcode]'); return;
      default: return;
    }
  }

  /** GS ( k: cn fn parameters. */
  private symbol(p: Buffer): void {
    const cn = p[0], fn = p[1];
    if (cn === 0x31) { // QR
      if (fn === 0x43) this.qr.size = Math.max(1, Math.min(16, p[2] ?? 3));
      else if (fn === 0x45) this.qr.level = (['L', 'M', 'Q', 'H'] as const)[(p[2] ?? 49) - 48] ?? 'M';
      else if (fn === 0x50) this.qr.data = Buffer.from(p.subarray(3));
      else if (fn === 0x51) this.printSymbol('qr', this.qr.data, this.qr.size, this.qr.level);
    } else if (cn === 0x36) { // DataMatrix (Epson cn=54)
      if (fn === 0x43) this.dm.size = Math.max(1, Math.min(16, p[2] ?? 3));
      else if (fn === 0x50) this.dm.data = Buffer.from(p.subarray(3));
      else if (fn === 0x51) this.printSymbol('datamatrix', this.dm.data, this.dm.size, 'M');
    }
  }

  /** What a printer's firmware does: the stored bytes become a symbol. */
  private printSymbol(kind: SymbolKind, data: Buffer, moduleDots: number, level: QrLevel): void {
    this.flushLine(false);
    // Stored data is bytes; QR data is UTF-8 by convention, DataMatrix bytes as Latin-1 one-to-one.
    const text = kind === 'qr' ? data.toString('utf8') : data.toString('latin1');
    try {
      const bmp = symbolBitmap(kind, text, moduleDots, level);
      const quiet = new Bitmap(bmp.width, bmp.height + 4 * moduleDots);
      quiet.blit(bmp, 0, 2 * moduleDots);
      this.placeImage(quiet);
      this.symbols.push({ kind, data: text });
      this.textLines.push(`[${kind === 'qr' ? 'QR' : 'DataMatrix'}] ${visibleGs(text)}`);
    } catch (err) {
      this.warn(`cannot print ${kind}: ${(err as Error).message}`);
    }
  }

  private putChar(ch: string): void {
    const font = receiptFont();
    const width = (cells: Cell[]): number => cells.reduce((w, x) => w + font.cellWidth * x.sx, 0);
    if (width(this.line) + font.cellWidth * this.sx > this.opts.dots) this.flushLine(true);
    this.line.push({ ch, bold: this.bold, underline: this.underline, sx: this.sx, sy: this.sy });
  }

  /** Prints the line buffer; with `feed`, an empty buffer still advances one line. */
  private flushLine(feed: boolean): void {
    if (this.line.length === 0) {
      if (feed) { this.feedDots(this.lineSpacing); this.textLines.push(''); }
      return;
    }
    const font = receiptFont();
    const w = this.line.reduce((s, x) => s + font.cellWidth * x.sx, 0);
    const maxSy = Math.max(...this.line.map((x) => x.sy));
    const h = Math.max(this.lineSpacing, font.cellHeight * maxSy);
    const band = new Bitmap(this.opts.dots, h);
    let x = this.align === 1 ? Math.floor((this.opts.dots - w) / 2) : this.align === 2 ? this.opts.dots - w : 0;
    for (const cell of this.line) {
      // Cells sit on a common baseline, as taller characters grow upwards on paper.
      const y = font.cellHeight * (maxSy - cell.sy);
      font.draw(band, x, y, cell.ch.codePointAt(0) ?? 0x20, { bold: cell.bold, underline: cell.underline, scaleX: cell.sx, scaleY: cell.sy });
      x += font.cellWidth * cell.sx;
    }
    this.bands.push({ bitmap: band });
    const text = this.line.map((c) => c.ch).join('').trimEnd();
    this.textLines.push(this.align === 1 ? ' '.repeat(Math.max(0, Math.floor((this.opts.dots / 12 - [...text].length) / 2))) + text : text);
    this.line = [];
  }

  private feedDots(n: number): void {
    if (n > 0) this.bands.push({ bitmap: new Bitmap(this.opts.dots, n) });
  }

  private placeImage(src: Bitmap): void {
    const band = new Bitmap(this.opts.dots, src.height);
    const x = src.width >= this.opts.dots ? 0 : this.align === 1 ? Math.floor((this.opts.dots - src.width) / 2) : this.align === 2 ? this.opts.dots - src.width : 0;
    band.blit(src, x, 0);
    this.bands.push({ bitmap: band });
  }

  private noteImage(bmp: Bitmap): void {
    if (!bmp.isBlank()) this.textLines.push(`[image ${bmp.width}x${bmp.height}]`);
  }

  /** Anything on the paper worth a receipt (blank feed after a cut is not). */
  private hasContent(): boolean {
    return this.line.length > 0 || this.drawerKicks > 0 || this.bands.some((b) => !b.bitmap.isBlank());
  }

  private emit(complete: boolean): void {
    if (!this.hasContent()) {
      this.bands = []; this.textLines = []; this.symbols = []; this.line = [];
      return;
    }
    const height = this.bands.reduce((h, b) => h + b.bitmap.height, 0);
    const image = new Bitmap(this.opts.dots, height);
    let y = 0;
    for (const b of this.bands) { image.blit(b.bitmap, 0, y); y += b.bitmap.height; }
    const r: PrintedReceipt = { image, text: this.textLines.join('\n') + '\n', symbols: this.symbols, complete, drawerKicks: this.drawerKicks };
    this.bands = []; this.textLines = []; this.symbols = []; this.drawerKicks = 0; this.line = [];
    this.opts.onReceipt(r);
  }

  private warn(message: string): void {
    this.opts.onWarning?.(message);
  }
}
