/**
 * Receipt printer driver: ESC/POS encoding of a ReceiptDocument for a printer profile,
 * transports (TCP 9100, serial, USB printer device file), status checks, and a print queue.
 */
export { Bitmap, concatBytes } from './bitmap.ts';
export { canEncode, decodeByte, encodeText } from './codepages.ts';
export type { TextCodePage } from './codepages.ts';
export { LABELS, formatMoney, formatQuantity, label, parseReceiptDocument, receiptDocumentSchema } from './document.ts';
export type { Lang, ReceiptDocument, ReceiptDocumentInput } from './document.ts';
export { ReceiptWriter, buildReceipt, encodeReceipt, isGs1MarkingCode, wrap } from './encoder.ts';
export type { Align, LineStyle } from './encoder.ts';
export { parseHexFont, receiptFont, renderText } from './font.ts';
export type { BitmapFont, GlyphStyle } from './font.ts';
export { ReceiptPrinter } from './printer.ts';
export type { ReceiptPrinterOptions } from './printer.ts';
export { PROFILES, getProfile } from './profiles.ts';
export type { PrinterProfile } from './profiles.ts';
export { PrintSpooler } from './queue.ts';
export type { JobPrinter, JobState, PrintJob, PrintOutcome, PrintQueue } from './queue.ts';
export { SAMPLE_MARKING_CODE, SAMPLE_MARKING_CODE_2, SAMPLE_TICKET_URL, offlineReceipt, returnReceipt, saleReceipt, testReceipt } from './samples.ts';
export { PrinterError, queryStatus, statusError } from './status.ts';
export type { PrinterErrorCode, PrinterStatus } from './status.ts';
export { symbolBitmap, symbolModules } from './symbols.ts';
export type { QrLevel, SymbolKind } from './symbols.ts';
export { DeviceFileTransport, SerialTransport, TcpTransport, TransportTimeout } from './transport.ts';
export type { PrinterTransport, SerialOptions, TcpOptions } from './transport.ts';
export { openTransport } from './open.ts';
export type { TransportSpec } from './open.ts';
