/** A receipt printer: a transport, a profile, and status checks around every job. */
import type { ReceiptDocument, ReceiptDocumentInput } from './document.ts';
import { encodeReceipt } from './encoder.ts';
import type { PrinterProfile } from './profiles.ts';
import { PrinterError, queryStatus, statusError, type PrinterStatus } from './status.ts';
import type { PrinterTransport } from './transport.ts';

/** Options of a ReceiptPrinter. */
export interface ReceiptPrinterOptions {
  /** Per status byte, ms (default 2000). */
  statusTimeoutMs?: number;
  /**
   * Per status byte after a job, ms (default 15000): the answer comes once the job has been
   * worked through, and a long receipt takes seconds to print.
   */
  afterJobTimeoutMs?: number;
}

/** Prints jobs and says clearly why one did not come out. */
export class ReceiptPrinter {
  readonly transport: PrinterTransport;
  readonly profile: PrinterProfile;
  private readonly statusTimeoutMs: number;
  private readonly afterJobTimeoutMs: number;

  constructor(transport: PrinterTransport, profile: PrinterProfile, opts: ReceiptPrinterOptions = {}) {
    this.transport = transport;
    this.profile = profile;
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 2000;
    this.afterJobTimeoutMs = opts.afterJobTimeoutMs ?? 15000;
    if (!Number.isInteger(this.afterJobTimeoutMs) || this.afterJobTimeoutMs <= 0) throw new RangeError(`afterJobTimeoutMs must be a positive whole number, got ${this.afterJobTimeoutMs}`);
    if (!Number.isInteger(this.statusTimeoutMs) || this.statusTimeoutMs <= 0) throw new RangeError(`statusTimeoutMs must be a positive whole number, got ${this.statusTimeoutMs}`);
  }

  /** Current status; PrinterError('no-response') if the printer does not answer. */
  status(): Promise<PrinterStatus> {
    return queryStatus(this.transport, this.statusTimeoutMs);
  }

  /**
   * Sends an encoded job. Checks status before (refuses to print into a printer that cannot)
   * and after (a printer processes bytes in order, so the answer reflects the job's end).
   */
  async printJob(job: Uint8Array): Promise<PrinterStatus | undefined> {
    if (this.profile.status) {
      const before = await this.status();
      const err = statusError(before, 'before');
      if (err) throw err;
    }
    try {
      await this.transport.write(job);
    } catch (e) {
      throw new PrinterError('transport', `cannot send to the printer: ${(e as Error).message}`, { cause: e });
    }
    if (!this.profile.status) return undefined;
    const after = await queryStatus(this.transport, this.afterJobTimeoutMs);
    const err = statusError(after, 'after');
    if (err) throw err;
    return after;
  }

  /** Encodes and prints a receipt. */
  async printReceipt(doc: ReceiptDocumentInput | ReceiptDocument): Promise<PrinterStatus | undefined> {
    return this.printJob(encodeReceipt(doc, this.profile));
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
