/** Virtual ESC/POS printer: interprets what it receives and renders receipts to PNG and text. */
export { EscPosInterpreter, EPSON_CODE_PAGES, statusByte } from './interpreter.ts';
export type { InterpreterOptions, PrintedReceipt, PrintedSymbol, PrinterCondition } from './interpreter.ts';
export { VirtualPrinter, toPng } from './virtual-printer.ts';
export type { SavedReceipt, VirtualPrinterOptions } from './virtual-printer.ts';
export { decodeReceiptPng } from './decode.ts';
export type { DecodedSymbol } from './decode.ts';
