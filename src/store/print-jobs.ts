/**
 * The print queue (migration 10): every receipt is recorded, as the exact bytes sent, before it is
 * printed, so one that did not come out (paper out, printer off) can be reprinted identically.
 * Times come from the caller's clock.
 */
import type { Db } from './db.ts';
import { prepared } from './cache-codes.ts';

/** State of a print job. */
export type PrintJobState = 'pending' | 'printed' | 'failed';

/** A stored print job. */
export interface PrintJobRow {
  id: number;
  /** What it is, e.g. "sale 345", for people. */
  title: string;
  bytes: Uint8Array;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  lastErrorCode: string | null;
  createdAt: string;
  printedAt: string | null;
}

interface Row { id: number; title: string; bytes: Buffer; state: PrintJobState; attempts: number; last_error: string | null; last_error_code: string | null; created_at: string; printed_at: string | null }

function fromRow(r: Row): PrintJobRow {
  return {
    id: r.id, title: r.title, bytes: new Uint8Array(r.bytes), state: r.state, attempts: r.attempts, lastError: r.last_error,
    lastErrorCode: r.last_error_code, createdAt: r.created_at, printedAt: r.printed_at,
  };
}

/** Records a job as pending; returns its id. An empty job is refused (RangeError). */
export function addPrintJob(db: Db, job: { title: string; bytes: Uint8Array; createdAt: string }): number {
  if (job.bytes.length === 0) throw new RangeError('a print job cannot be empty');
  const r = prepared(db, "INSERT INTO print_jobs (title, bytes, state, created_at) VALUES (?, ?, 'pending', ?)").run(job.title, Buffer.from(job.bytes), job.createdAt);
  return Number(r.lastInsertRowid);
}

/** A job by id. */
export function getPrintJob(db: Db, id: number): PrintJobRow | undefined {
  const r = prepared(db, 'SELECT * FROM print_jobs WHERE id = ?').get(id) as Row | undefined;
  return r && fromRow(r);
}

/** Jobs not yet printed (pending or failed), oldest first. */
export function unprintedPrintJobs(db: Db): PrintJobRow[] {
  return (prepared(db, "SELECT * FROM print_jobs WHERE state != 'printed' ORDER BY id").all() as Row[]).map(fromRow);
}

/** The job came out. */
export function markPrintJobPrinted(db: Db, id: number, at: string): void {
  prepared(db, "UPDATE print_jobs SET state = 'printed', attempts = attempts + 1, printed_at = ? WHERE id = ?").run(at, id);
}

/** The job failed; `code` is the printer's error code when known. */
export function markPrintJobFailed(db: Db, id: number, error: { message: string; code: string | null }): void {
  prepared(db, "UPDATE print_jobs SET state = 'failed', attempts = attempts + 1, last_error = ?, last_error_code = ? WHERE id = ?").run(error.message, error.code, id);
}

/**
 * The retention rule: printed jobs printed before `printedBefore` (UTC ISO-8601) are deleted,
 * bytes and row; pending and failed jobs are kept whatever their age, until they are reprinted.
 * Returns how many went.
 */
export function prunePrintedJobs(db: Db, printedBefore: string): number {
  return prepared(db, "DELETE FROM print_jobs WHERE state = 'printed' AND printed_at < ?").run(printedBefore).changes;
}
