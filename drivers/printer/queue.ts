/**
 * The print queue: every receipt is recorded before it is printed, so a receipt that did not
 * come out (paper out, printer off) is kept and can be reprinted. Completing a sale never
 * waits on, or fails because of, the printer: `submit` never throws for printer trouble.
 *
 * Where jobs are kept is passed in as a {@link PrintQueue}: the register's database (table
 * `print_jobs`, migration 10, src/store/print-jobs.ts) in production; the driver stores nothing
 * itself. A job is kept as the exact bytes sent, so a reprint is identical.
 */

/** State of a print job. */
export type JobState = 'pending' | 'printed' | 'failed';

/** A job in the queue. */
export interface PrintJob {
  id: number;
  /** What it is, e.g. "sale 345", for people. */
  title: string;
  bytes: Uint8Array;
  state: JobState;
  attempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  createdAt: string;
  printedAt: string | null;
}

/** Where the jobs are kept (passed in: the driver has no database of its own). */
export interface PrintQueue {
  /** Records a job as pending; returns its id. */
  add(title: string, bytes: Uint8Array): number;
  get(id: number): PrintJob | undefined;
  /** Jobs not yet printed (pending or failed), oldest first. */
  unprinted(): PrintJob[];
  markPrinted(id: number): void;
  /** Records the failure (a PrinterError's code is kept with its message). */
  markFailed(id: number, error: Error): void;
}

/** Anything that prints a job (ReceiptPrinter does). */
export interface JobPrinter {
  printJob(job: Uint8Array): Promise<unknown>;
}

/** The outcome of one attempt. */
export interface PrintOutcome {
  id: number;
  printed: boolean;
  error?: Error;
}

/** Queues and prints; failures are recorded, never thrown. */
export class PrintSpooler {
  constructor(private readonly queue: PrintQueue, private readonly printer: JobPrinter) {}

  /** Records the job, then tries to print it. */
  async submit(title: string, bytes: Uint8Array): Promise<PrintOutcome> {
    const id = this.queue.add(title, bytes);
    return this.attempt(id, bytes);
  }

  /** Prints a recorded job again (after paper is loaded), whatever its state. */
  async reprint(id: number): Promise<PrintOutcome> {
    const job = this.queue.get(id);
    if (!job) throw new RangeError(`no print job ${id}`);
    return this.attempt(id, job.bytes);
  }

  /** Reprints every job that has not come out, oldest first; stops at the first failure. */
  async retryUnprinted(): Promise<PrintOutcome[]> {
    const out: PrintOutcome[] = [];
    for (const job of this.queue.unprinted()) {
      const r = await this.attempt(job.id, job.bytes);
      out.push(r);
      if (!r.printed) break;
    }
    return out;
  }

  private async attempt(id: number, bytes: Uint8Array): Promise<PrintOutcome> {
    try {
      await this.printer.printJob(bytes);
      this.queue.markPrinted(id);
      return { id, printed: true };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      this.queue.markFailed(id, err);
      return { id, printed: false, error: err };
    }
  }
}
