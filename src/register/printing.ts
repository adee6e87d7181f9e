/**
 * Receipt printing for the core: maps the checkout's receipt model to the printer's document,
 * records every job in the print queue before sending it, and never lets a printer problem fail
 * a sale (the spooler records failures instead of throwing).
 *
 * Training mode prints to a virtual ESC/POS printer on loopback TCP (started by the root from
 * emulators/) that renders every receipt to PNG; the PNG is copied to `<dataDir>/receipts/<documentId>.png` so the UI can show it.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  PrintSpooler, PrinterError, ReceiptPrinter, encodeReceipt, getProfile, openTransport, testReceipt,
  type Lang, type PrintQueue, type PrinterProfile, type ReceiptDocumentInput, type TransportSpec,
} from '../../drivers/printer/index.ts';
import { NO_GUARD, type CheckoutGuard, type ReceiptModel, type ShiftReport } from '../checkout/index.ts';
import { encodeCashSlip, encodeShiftReport, type ReportHeader } from './report-print.ts';
import { systemClock, type Clock } from '../clock.ts';
import {
  addPrintJob, getPrintJob, markPrintJobFailed, markPrintJobPrinted, markReceiptOwed, markReceiptPrinted, unprintedPrintJobs, unprintedReceipts, type Db,
  type CashMovement, type UnprintedReceiptRow,
} from '../store/index.ts';
import type { PrintView } from '../server/contract/index.ts';
import type { RenderingPrinter } from './training.ts';

/** A BIN for receipts of a store that has none configured (training): twelve zeros, clearly not real. */
export const PLACEHOLDER_BIN = '000000000000';

/** Maps the checkout's receipt model (committed rows) to what the printer prints. */
export function receiptDocument(receipt: ReceiptModel, options: { training: boolean }): ReceiptDocumentInput {
  const languages = receipt.languages.filter((l): l is Lang => l === 'kk' || l === 'ru' || l === 'en');
  const vatName = languages[0] === 'kk' ? 'ҚҚС' : languages[0] === 'en' ? 'VAT' : 'НДС';
  return {
    kind: receipt.kind,
    training: options.training,
    offline: receipt.fiscal.offline,
    languages: languages.length > 0 ? languages : ['kk', 'ru'],
    header: {
      store: receipt.store.name,
      ...(receipt.store.address ? { address: receipt.store.address } : {}),
      bin: receipt.store.bin ?? PLACEHOLDER_BIN,
      register: receipt.registerId,
      cashier: receipt.cashier,
      shift: receipt.shiftNumber,
      documentNumber: receipt.printedDocumentNumber,
      issuedAt: receipt.createdAt,
    },
    lines: receipt.lines.map((l) => ({
      name: l.name,
      quantity: l.quantityMilli / 1000,
      unit: l.unit ?? 'дана',
      price: l.price,
      sum: l.sum,
      ...(l.cis ? { cis: l.cis } : {}),
      ...(l.ntin ? { ntin: l.ntin } : {}),
      ...(l.nameKk ? { nameKk: l.nameKk } : {}),
      aiLabel: l.aiLabel !== null,
    })),
    total: receipt.totals.total,
    taxes: receipt.taxes.map((t) => ({ name: vatName, rate: t.percentMilli / 1000, amount: t.sum })),
    payments: receipt.payments.map((p) => ({ type: p.type === 'mobile' ? 'other' as const : p.type, amount: p.amount })),
    change: receipt.totals.change,
    fiscal: {
      ...(receipt.fiscal.ticketNumber ? { ticketNumber: receipt.fiscal.ticketNumber } : {}),
      ...(receipt.fiscal.qrUrl ? { url: receipt.fiscal.qrUrl } : {}),
      ...(receipt.fiscal.offlineTicketNumber !== null ? { offlineTicketNumber: String(receipt.fiscal.offlineTicketNumber) } : {}),
      ...(options.training ? { operator: 'Tanba training OFD' } : {}),
    },
    openDrawer: receipt.kind === 'sale' && receipt.payments.some((p) => p.type === 'cash'),
  };
}

/** The print queue in the register's database (migration 10), its times from the register's clock. */
export function storePrintQueue(db: Db, clock: Clock): PrintQueue {
  return {
    add: (title, bytes) => addPrintJob(db, { title, bytes, createdAt: clock.now().toISOString() }),
    get: (id) => getPrintJob(db, id),
    unprinted: () => unprintedPrintJobs(db),
    markPrinted: (id) => markPrintJobPrinted(db, id, clock.now().toISOString()),
    markFailed: (id, error) => markPrintJobFailed(db, id, { message: error.message, code: error instanceof PrinterError ? error.code : null }),
  };
}

/** Where receipts go. */
export type PrinterTarget =
  | { kind: 'virtual'; outDir: string; open(): Promise<RenderingPrinter> }
  | { kind: 'device'; id: string; spec: TransportSpec }
  | { kind: 'none' };

/** Result of one print, as the API shows it. */
export interface PrintResult extends PrintView {
  /** Rendered text of the receipt (virtual printer only). */
  text: string | null;
  /** Rendered PNG (virtual printer only). */
  png: Buffer | null;
}

/** The printing service. */
export interface ReceiptPrinting {
  readonly target: PrinterTarget;
  /** Prints a committed document's receipt. Never throws for printer trouble. */
  printReceipt(receipt: ReceiptModel, training: boolean): Promise<PrintResult>;
  /** Prints the test receipt. Never throws for printer trouble. */
  printTest(languages: Lang[]): Promise<PrintResult>;
  /** Prints an X or Z report under `documentId` (its PNG kept like a receipt's). Never throws for printer trouble. */
  printShiftReport(documentId: string, report: ShiftReport, kind: 'x' | 'z', header: ReportHeader): Promise<PrintResult>;
  /** Prints a cash-in / cash-out slip under the movement's document id. Never throws for printer trouble. */
  printCashSlip(movement: CashMovement, after: { shiftNumber: number; inDrawer: number }, header: ReportHeader): Promise<PrintResult>;
  /** The stored PNG of a document's receipt, or null. */
  receiptPng(documentId: string): Buffer | null;
  /** The last print of a document (this run), or null. */
  lastPrint(documentId: string): PrintView | null;
  /**
   * Whether a document committed now is owed a printed receipt: the service is started (the core
   * runs, not a CLI command) and a printer is assigned.
   */
  owesReceipts(): boolean;
  /** Committed documents whose receipt never printed (a crash, a printer fault), oldest first. */
  unprinted(): UnprintedReceiptRow[];
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The checkout guard plus what the printer owes: inside each sale's or return's transaction, a
 * row saying its receipt is owed (migration 15), so a crash between COMMIT and the printer is
 * found at the next start (`unprinted()`); a printed receipt clears it.
 */
export function owingReceipts(db: Db, printing: () => Pick<ReceiptPrinting, 'owesReceipts'>, base: CheckoutGuard = NO_GUARD): CheckoutGuard {
  return {
    reserve: (cis, code) => base.reserve(cis, code),
    release: (cis) => base.release(cis),
    recordDocument(doc) {
      base.recordDocument(doc);
      if (doc.kind !== 'shift_close' && printing().owesReceipts()) markReceiptOwed(db, doc.sale.id, doc.sale.createdAt);
    },
    committed: (doc) => base.committed(doc),
  };
}

/** A file-name-safe form of a document id (UUIDs pass unchanged). */
function safeName(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '_');
}

/**
 * Creates the printing service. Jobs are serialised (one at a time, in order) so the virtual
 * printer's rendered receipt can be matched to the job that made it.
 */
export function createReceiptPrinting(options: { db: Db; clock?: Clock; dataDir: string; target: PrinterTarget; profile?: PrinterProfile; statusTimeoutMs?: number }): ReceiptPrinting {
  const profile = options.profile ?? getProfile('generic-80');
  const queue = storePrintQueue(options.db, options.clock ?? systemClock);
  const receiptsDir = join(options.dataDir, 'receipts');
  const last = new Map<string, PrintView>();
  let virtual: RenderingPrinter | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  let started = false;

  async function transportSpec(): Promise<TransportSpec | null> {
    if (options.target.kind === 'virtual') return virtual ? { kind: 'tcp', host: '127.0.0.1', port: virtual.port } : null;
    if (options.target.kind === 'device') return options.target.spec;
    return null;
  }

  function run(title: string, documentId: string | null, bytes: Uint8Array): Promise<PrintResult> {
    const job = chain.then(async (): Promise<PrintResult> => {
      const spec = await transportSpec();
      if (spec === null) return { jobId: null, state: 'none', error: 'no receipt printer is assigned', pngUrl: null, text: null, png: null };
      const before = virtual?.receipts.length ?? 0;
      let printer: ReceiptPrinter | undefined;
      const spooler = new PrintSpooler(queue, {
        async printJob(b: Uint8Array) {
          printer = new ReceiptPrinter(await openTransport(spec), profile, options.statusTimeoutMs ? { statusTimeoutMs: options.statusTimeoutMs } : {});
          return printer.printJob(b);
        },
      });
      try {
        const outcome = await spooler.submit(title, bytes);
        let saved: RenderingPrinter['receipts'][number] | undefined;
        if (virtual && outcome.printed) saved = virtual.receipts.slice(before).at(-1);
        let pngUrl: string | null = null;
        if (saved && documentId !== null) {
          mkdirSync(receiptsDir, { recursive: true, mode: 0o700 });
          copyFileSync(saved.pngPath, join(receiptsDir, `${safeName(documentId)}.png`));
          pngUrl = `/api/receipts/${encodeURIComponent(documentId)}/png`;
        }
        return {
          jobId: outcome.id, state: outcome.printed ? 'printed' : 'failed', error: outcome.error?.message ?? null, pngUrl,
          text: saved?.text ?? null, png: saved ? readFileSync(saved.pngPath) : null,
        };
      } finally {
        await printer?.close().catch(() => undefined);
      }
    });
    chain = job.catch(() => undefined);
    return job.then((r) => {
      if (documentId !== null) last.set(documentId, { jobId: r.jobId, state: r.state, error: r.error, pngUrl: r.pngUrl });
      if (documentId !== null && r.state === 'printed') markReceiptPrinted(options.db, documentId);
      return r;
    }, (err: unknown): PrintResult => {
      // Encoding or queue trouble: still never fails the sale; the receipt can be reprinted.
      const r: PrintResult = { jobId: null, state: 'failed', error: (err as Error).message, pngUrl: null, text: null, png: null };
      if (documentId !== null) last.set(documentId, { jobId: null, state: 'failed', error: r.error, pngUrl: null });
      return r;
    });
  }

  return {
    target: options.target,
    async printReceipt(receipt, training) {
      let bytes: Uint8Array;
      try {
        bytes = encodeReceipt(receiptDocument(receipt, { training }), profile);
      } catch (err) {
        const r: PrintResult = { jobId: null, state: 'failed', error: `cannot lay out the receipt: ${(err as Error).message}`, pngUrl: null, text: null, png: null };
        last.set(receipt.documentId, { jobId: null, state: 'failed', error: r.error, pngUrl: null });
        return r;
      }
      return run(`${receipt.kind} ${receipt.printedDocumentNumber} (${receipt.documentId})`, receipt.documentId, bytes);
    },
    printShiftReport(documentId, report, kind, header) {
      return run(`${kind} report, shift ${report.shiftNumber}`, documentId, encodeShiftReport(report, kind, header, profile));
    },
    printCashSlip(movement, after, header) {
      let bytes: Uint8Array;
      try {
        bytes = encodeCashSlip(movement, after, header, profile);
      } catch (err) {
        return Promise.resolve({ jobId: null, state: 'failed', error: `cannot lay out the cash slip: ${(err as Error).message}`, pngUrl: null, text: null, png: null });
      }
      return run(`cash ${movement.operation === 'deposit' ? 'in' : 'out'} ${movement.printedDocumentNumber}, shift ${after.shiftNumber}`, movement.documentId, bytes);
    },
    printTest(languages) {
      return run('test receipt', null, encodeReceipt(testReceipt(languages), profile));
    },
    receiptPng(documentId) {
      const file = join(receiptsDir, `${safeName(documentId)}.png`);
      return existsSync(file) ? readFileSync(file) : null;
    },
    lastPrint(documentId) {
      const v = last.get(documentId);
      if (v) return v;
      return existsSync(join(receiptsDir, `${safeName(documentId)}.png`))
        ? { jobId: null, state: 'printed', error: null, pngUrl: `/api/receipts/${encodeURIComponent(documentId)}/png` }
        : null;
    },
    owesReceipts: () => started && options.target.kind !== 'none',
    unprinted: () => unprintedReceipts(options.db),
    async start() {
      started = true;
      if (options.target.kind !== 'virtual' || virtual) return;
      virtual = await options.target.open();
    },
    async stop() {
      started = false;
      await chain;
      await virtual?.close();
      virtual = null;
    },
  };
}
