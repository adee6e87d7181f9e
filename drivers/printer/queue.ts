/**
 * The print queue: every receipt is recorded before it is printed, so a receipt that did not
 * come out (paper out, printer off) is kept and can be reprinted. Completing a sale never
 * waits on, or fails because of, the printer: `submit` never throws for printer trouble.
 *
 * SQLite-backed (better-sqlite3): the caller passes in its Database; the table is created
 * here if missing. The job is stored as the exact bytes sent, so a reprint is identical.
 */
import type { Database } from 'better-sqlite3';
import { PrinterError } from './status.ts';

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

/** What a queue stores. */
export interface PrintQueue {
  add(title: string, bytes: Uint8Array): number;
  get(id: number): PrintJob | undefined;
  /** Jobs not yet printed (pending or failed), oldest first. */
  unprinted(): PrintJob[];
  markPrinted(id: number): void;
  markFailed(id: number, error: Error): void;
}

/** Anything that prints a job (ReceiptPrinter does). */
export interface JobPrinter {
  printJob(job: Uint8Array): Promise<unknown>;
}

interface Row { id: number; title: string; bytes: Buffer; state: JobState; attempts: number; last_error: string | null; last_error_code: string | null; created_at: string; printed_at: string | null }

/** PrintQueue in a table `print_jobs` of the given database. */
export class SqlitePrintQueue implements PrintQueue {
  constructor(private readonly db: Database) {
    db.exec(`CREATE TABLE IF NOT EXISTS print_jobs (
      id INTEGER PRIMARY KEY,
      title TEXT NOT NULL,
      bytes BLOB NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending','printed','failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      last_error TEXT,
      last_error_code TEXT,
      created_at TEXT NOT NULL,
      printed_at TEXT
    )`);
  }

  add(title: string, bytes: Uint8Array): number {
    if (bytes.length === 0) throw new RangeError('a print job cannot be empty');
    const r = this.db.prepare('INSERT INTO print_jobs (title, bytes, state, created_at) VALUES (?, ?, ?, ?)')
      .run(title, Buffer.from(bytes), 'pending', new Date().toISOString());
    return Number(r.lastInsertRowid);
  }

  get(id: number): PrintJob | undefined {
    const r = this.db.prepare('SELECT * FROM print_jobs WHERE id = ?').get(id) as Row | undefined;
    return r && toJob(r);
  }

  unprinted(): PrintJob[] {
    return (this.db.prepare("SELECT * FROM print_jobs WHERE state != 'printed' ORDER BY id").all() as Row[]).map(toJob);
  }

  markPrinted(id: number): void {
    this.db.prepare("UPDATE print_jobs SET state = 'printed', attempts = attempts + 1, printed_at = ? WHERE id = ?").run(new Date().toISOString(), id);
  }

  markFailed(id: number, error: Error): void {
    const code = error instanceof PrinterError ? error.code : null;
    this.db.prepare("UPDATE print_jobs SET state = 'failed', attempts = attempts + 1, last_error = ?, last_error_code = ? WHERE id = ?").run(error.message, code, id);
  }
}

function toJob(r: Row): PrintJob {
  return { id: r.id, title: r.title, bytes: new Uint8Array(r.bytes), state: r.state, attempts: r.attempts, lastError: r.last_error, lastErrorCode: r.last_error_code, createdAt: r.created_at, printedAt: r.printed_at };
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
