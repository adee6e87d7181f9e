/**
 * ReceiptDocument -> ESC/POS bytes for a printer profile. Text, alignment, bold, sizes, QR,
 * cut and drawer kick go through @point-of-sale/receipt-printer-encoder; this file adds what
 * it lacks: DataMatrix (native `GS ( k` cn=0x36 or raster), and text the printer's code
 * pages cannot hold (Kazakh letters without KZ-1048) printed as a raster picture — never "?".
 */
import ReceiptPrinterEncoder from '@point-of-sale/receipt-printer-encoder';
import { Bitmap } from './bitmap.ts';
import { canEncode, encodeText, type TextCodePage } from './codepages.ts';
import { formatMoney, formatQuantity, label, parseReceiptDocument, type ReceiptDocument, type ReceiptDocumentInput } from './document.ts';
import { renderText } from './font.ts';
import type { PrinterProfile } from './profiles.ts';
import { symbolBitmap, type SymbolKind } from './symbols.ts';

/** Text alignment on the paper. */
export type Align = 'left' | 'center' | 'right';

const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };

/** Style of one printed line. */
export interface LineStyle {
  align?: Align;
  bold?: boolean;
  /** Character magnification, 1..8 each way (GS !). */
  width?: number;
  height?: number;
}

/**
 * A receipt under construction for one profile. Each `text` line goes out in the first code
 * page of the profile that holds all its characters (CP866, then KZ-1048), else as an image.
 */
export class ReceiptWriter {
  readonly profile: PrinterProfile;
  private readonly enc: ReceiptPrinterEncoder;
  /** How lines went out, for tests and diagnostics. */
  readonly stats = { textLines: 0, imageLines: 0, nativeSymbols: 0, rasterSymbols: 0 };

  constructor(profile: PrinterProfile) {
    this.profile = profile;
    const mapping: Record<string, number> = { ...profile.codePages };
    this.enc = new ReceiptPrinterEncoder({
      language: 'esc-pos',
      columns: profile.columns,
      imageMode: 'raster',
      codepageMapping: mapping,
      newline: '\n',
      feedBeforeCut: 4,
    });
    this.enc.initialize();
  }

  /** Characters per line at a character width. */
  columns(width = 1): number {
    return Math.floor(this.profile.columns / width);
  }

  /** One logical line; wrapped at the paper width. */
  text(value: string, style: LineStyle = {}): this {
    const w = style.width ?? 1;
    for (const piece of wrap(value, this.columns(w))) this.physicalLine(piece, style);
    return this;
  }

  /** Left text and right text on one line when they fit, else left wrapped and right below. */
  pair(left: string, right: string, style: LineStyle = {}): this {
    const cols = this.columns(style.width ?? 1);
    if ([...left].length + [...right].length + 1 <= cols) {
      return this.text(left + ' '.repeat(cols - [...left].length - [...right].length) + right, { ...style, align: 'left' });
    }
    this.text(left, { ...style, align: 'left' });
    return this.text(right, { ...style, align: 'right' });
  }

  /** A horizontal rule across the paper. */
  rule(char = '─'): this {
    return this.text(char.repeat(this.columns()));
  }

  /** Blank lines. */
  feed(lines = 1): this {
    this.enc.newline(lines);
    return this;
  }

  /** A QR code, centred: native when the profile has it, else raster. */
  qr(data: string): this {
    const moduleDots = this.profile.paperWidth === 58 ? 5 : 6;
    if (this.profile.nativeQr) {
      this.enc.raw([0x1b, 0x61, 1]).qrcode(data, { model: 2, size: moduleDots, errorlevel: 'm' }).raw([0x1b, 0x61, 0]);
      this.stats.nativeSymbols++;
      return this;
    }
    return this.symbolRaster('qr', data, moduleDots);
  }

  /**
   * A DataMatrix of `data` exactly (GS bytes included). Marking codes are GS1 DataMatrix
   * (leading FNC1, GS as FNC1): ESC/POS has no documented FNC1 flag for cn=0x36, so a GS1
   * symbol is always raster; plain ECC200 goes native where the profile has it.
   */
  dataMatrix(data: string, gs1: boolean): this {
    const moduleDots = this.profile.paperWidth === 58 ? 4 : 5;
    if (!gs1 && this.profile.nativeDataMatrix) {
      const bytes = Buffer.from(data, 'latin1');
      if (bytes.toString('latin1') !== data) throw new RangeError('native DataMatrix data must be single-byte characters');
      const store = [0x36, 0x50, 0x30, ...bytes];
      this.enc.raw([
        0x1b, 0x61, 1,
        // Function 066 takes three parameters (m, d1, d2): pL = 5 (cn fn m d1 d2), not 6 — a sixth byte
        // would be read by the printer as the start of the next command.
        0x1d, 0x28, 0x6b, 0x05, 0x00, 0x36, 0x42, 0x30, 0x00, 0x00, // type: ECC200 square, auto columns and rows
        0x1d, 0x28, 0x6b, 0x03, 0x00, 0x36, 0x43, moduleDots, // module size
        0x1d, 0x28, 0x6b, store.length & 0xff, store.length >> 8, ...store, // store
        0x1d, 0x28, 0x6b, 0x03, 0x00, 0x36, 0x51, 0x30, // print
        0x0a, 0x1b, 0x61, 0,
      ]);
      this.stats.nativeSymbols++;
      return this;
    }
    return this.symbolRaster(gs1 ? 'gs1-datamatrix' : 'datamatrix', data, moduleDots);
  }

  /** Opens the cash drawer (ESC p, pin 2). */
  drawer(): this {
    this.enc.pulse(0, 100, 500);
    return this;
  }

  /** Feeds and cuts; returns the whole job. */
  cut(): Uint8Array {
    this.enc.cut('partial');
    return this.enc.encode();
  }

  private symbolRaster(kind: SymbolKind, data: string, moduleDots: number): this {
    const sym = symbolBitmap(kind, data, moduleDots);
    if (sym.width > this.profile.dots) throw new RangeError(`${kind} is ${sym.width} dots wide, wider than the paper (${this.profile.dots})`);
    this.image(sym, 'center', 2 * moduleDots);
    this.stats.rasterSymbols++;
    return this;
  }

  /** A raster picture at full paper width (so alignment is in the dots), with a quiet zone above and below. */
  private image(src: Bitmap, align: Align, quiet = 0): void {
    const b = new Bitmap(this.profile.dots, src.height + 2 * quiet);
    const x = align === 'left' ? 0 : align === 'right' ? this.profile.dots - src.width : Math.floor((this.profile.dots - src.width) / 2);
    b.blit(src, x, quiet);
    this.enc.raw(b.toRasterCommands());
  }

  private physicalLine(value: string, style: LineStyle): void {
    const w = style.width ?? 1;
    const h = style.height ?? 1;
    const cp = this.codePageFor(value);
    if (cp) {
      // Text bytes go out raw: the library's line composer re-flows text (collapses runs of
      // spaces, pads for alignment), which would break the two-column lines. ESC t / ESC a
      // are sent here for the same reason; bold and size go through the library.
      this.enc.bold(style.bold ?? false).size(w, h);
      this.enc.raw([0x1b, 0x74, this.profile.codePages[cp]!, 0x1b, 0x61, ALIGN[style.align ?? 'left'], ...encodeText(value, cp), 0x0a, 0x1b, 0x61, 0]);
      this.enc.size(1, 1).bold(false);
      this.stats.textLines++;
    } else {
      // No code page of this printer has every letter: print the line as dots, in the same
      // 12x24 font a printer would use, so it still reads right.
      this.image(renderText(value, { bold: style.bold ?? false, scaleX: w, scaleY: h }), style.align ?? 'left');
      this.stats.imageLines++;
    }
  }

  private codePageFor(value: string): TextCodePage | undefined {
    const order: TextCodePage[] = ['cp866', 'rk1048'];
    return order.find((cp) => this.profile.codePages[cp] !== undefined && canEncode(value, cp));
  }
}

/** Word-wraps to `cols` characters; words longer than a line are split. */
export function wrap(text: string, cols: number): string[] {
  // A line that fits is kept as it is: its spaces are layout (indent, columns).
  if ([...text].length <= cols) return [text];
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    let w = word;
    while ([...w].length > cols) {
      if (line) { out.push(line); line = ''; }
      out.push([...w].slice(0, cols).join(''));
      w = [...w].slice(cols).join('');
    }
    if (line === '') line = w;
    else if ([...line].length + 1 + [...w].length <= cols) line += ' ' + w;
    else { out.push(line); line = w; }
  }
  if (line !== '' || out.length === 0) out.push(line);
  return out;
}

/** Whether a marking code has GS1 structure (AI 01 + GTIN-14 first), so it prints as GS1 DataMatrix. */
export function isGs1MarkingCode(code: string): boolean {
  return /^01\d{14}/.test(code);
}

/** Local time line "YYYY-MM-DD HH:MM:SS" at an offset from UTC. */
function stamp(iso: string, offsetMinutes: number): string {
  const d = new Date(Date.parse(iso) + offsetMinutes * 60_000);
  return d.toISOString().slice(0, 19).replace('T', ' ');
}

function offsetText(min: number): string {
  const sign = min < 0 ? '-' : '+';
  const a = Math.abs(min);
  return `UTC${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** Encodes a whole receipt for a profile: header, lines with marks, totals, fiscal part, cut. */
export function encodeReceipt(input: ReceiptDocumentInput | ReceiptDocument, profile: PrinterProfile): Uint8Array {
  return buildReceipt(input, profile).cut();
}

/** Lays out the receipt and returns the writer before the cut (callers may append). */
export function buildReceipt(input: ReceiptDocumentInput | ReceiptDocument, profile: PrinterProfile): ReceiptWriter {
  const doc = parseReceiptDocument(input);
  const L = doc.languages;
  const h = doc.header;
  const w = new ReceiptWriter(profile);
  const money = (m: number): string => `${formatMoney(m)} ${doc.currency}`;

  if (doc.training) {
    w.text(label('training', L), { align: 'center', bold: true });
    w.text(label('notFiscal', L), { align: 'center', bold: true });
    w.rule('═');
  }
  w.text(h.store, { align: 'center', bold: true, width: 2, height: 2 });
  if (h.address) w.text(h.address, { align: 'center' });
  w.pair(`${label('bin', L)}:`, h.bin);
  w.pair(`${label('register', L)}:`, h.register);
  if (h.registerSerial) w.pair(`${label('serial', L)}:`, h.registerSerial);
  w.pair(`${label('shift', L)}:`, String(h.shift));
  w.pair(`${label('document', L)}:`, String(h.documentNumber));
  w.pair(`${label('cashier', L)}:`, h.cashier);
  w.pair(`${label('timeUtc', L)}:`, stamp(h.issuedAt, 0));
  w.pair(`${label('timeLocal', L)} ${offsetText(h.utcOffsetMinutes)}:`, stamp(h.issuedAt, h.utcOffsetMinutes));
  if (doc.offline) w.text(`*** ${label('offline', L)} ***`, { align: 'center', bold: true });
  w.rule();
  w.text(label(doc.kind === 'sale' ? 'sale' : 'return', L), { align: 'center', bold: true });
  w.rule();

  doc.lines.forEach((line, i) => {
    w.text(`${i + 1}. ${line.name}`, { bold: true });
    w.pair(`  ${formatQuantity(line.quantity)} ${line.unit} x ${formatMoney(line.price)}`, formatMoney(line.sum));
    if (line.aiLabel) w.text(`  * ${label('aiLabel', L)}`);
    if (line.nameKk !== undefined && line.nameKk !== line.name && L.includes('kk')) w.text(`   ${line.nameKk}`);
    if (line.ntin !== undefined) w.text(`  ${label('ntin', L)}: ${line.ntin}`);
    const identity = line.cis ?? (line.markingCode !== undefined ? line.markingCode.split('\x1d')[0] ?? '' : undefined);
    if (identity !== undefined) {
      // The product's identity only (CIS): never the crypto tail, and no DataMatrix of the scanned code.
      // eslint-disable-next-line no-control-regex -- control bytes would be commands to the printer
      w.text(`  ${label('markingCode', L)}: ${identity.replace(/[\x00-\x1f\x7f]/g, ' ')}`);
    }
  });
  w.rule();
  w.pair(label('total', L), money(doc.total), { bold: true, height: 2 });
  for (const t of doc.taxes) w.pair(`${label('tax', L)} ${t.rate}%`, money(t.amount));
  for (const p of doc.payments) w.pair(label(p.type, L), money(p.amount));
  if (doc.change !== 0) w.pair(label('change', L), money(doc.change));
  w.rule();
  if (doc.fiscal.ticketNumber) w.pair(`${label('fiscalSign', L)}:`, doc.fiscal.ticketNumber);
  if (doc.fiscal.offlineTicketNumber) {
    w.text(`*** ${label('offline', L)} ***`, { align: 'center', bold: true });
    w.pair(label('offlineTicket', L), doc.fiscal.offlineTicketNumber);
  }
  if (doc.fiscal.operator) w.pair(`${label('operator', L)}:`, doc.fiscal.operator);
  if (doc.fiscal.url) {
    w.text(`${label('checkUrl', L)}:`, { align: 'center' });
    w.qr(doc.fiscal.url);
  }
  for (const f of doc.footer) w.text(f, { align: 'center' });
  w.text(label('thanks', L), { align: 'center' });
  if (doc.training) w.text(label('notFiscal', L), { align: 'center', bold: true });
  if (doc.openDrawer) w.drawer();
  return w;
}
