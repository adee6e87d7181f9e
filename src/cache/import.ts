/**
 * Bulk import of a status feed (full snapshot or delta) from a file or a stream.
 *
 * - Constant memory: the input is read in 1 MiB chunks and split on LF; at most `batchSize`
 *   parsed records are held before they are staged.
 * - Batched and resumable: each batch is staged in one transaction together with the byte offset
 *   and line number after it and the file's identity (size, mtime, hash of its first 64 KiB). A
 *   killed import of the same file restarts after its last committed batch. A stream ('-') has no
 *   identity and always starts over.
 * - Atomic: nothing is visible until the final transaction (src/store/cache-import.ts): a full
 *   snapshot replaces the live tables at once; a delta merges at once. A bad record aborts the
 *   import with its line number, drops everything staged, and leaves the live cache and its
 *   freshness as they were.
 * - Complete or nothing: every feed, full snapshot or delta, must end with its closing
 *   {"type":"cursor","cursor":"..."} record; a feed without it was cut off (a dropped transfer, a
 *   half-copied file — at a line boundary every line still parses) and is refused as TRUNCATED.
 *   A full snapshot replaces the whole cache, so a cut-off one would silently drop every code
 *   after the cut: it must prove it is complete before the swap.
 * - Cursors: a delta may start with {"type":"delta","from":"<cursor>"}; when the cache's stored
 *   cursor differs, the delta is rejected with CURSOR_GAP (the sync worker then does a full resync).
 * - One import at a time: the import holds a lease on the progress row (pid, token, expiry,
 *   renewed with every batch). A second importer gets BUSY while the holder lives; a killed
 *   holder's lease is free at once (its pid is gone) or after the expiry, and the same file then
 *   resumes. An importer that lost its lease fails with LEASE_LOST, its last batch rolled back.
 *
 * The batch transactions never span an `await`: records are collected between chunks and written
 * synchronously, so a connection shared with the checkout never runs a sale inside an import
 * transaction.
 */
import { createHash, randomUUID } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Db } from '../store/db.ts';
import {
  abandonImport, acquireImport, commitDelta, commitFull, CursorMovedError, feedCursor, ImportBusyError, LeaseLostError,
  releaseImportLease, stageBatch, type ImportRow, type StagedRecord,
} from '../store/cache-import.ts';
import { purgeSold } from '../store/cache-sold.ts';
import { parseFeedLine, RecordError } from './feed.ts';
import { systemClock, type Clock } from '../clock.ts';

/** Why an import failed. */
export type FeedErrorCode = 'BAD_RECORD' | 'CURSOR_GAP' | 'TRUNCATED' | 'EMPTY' | 'ABORTED' | 'BUSY' | 'LEASE_LOST';

/** An import failure; `line` is the 1-based line of the bad record when there is one. */
export class FeedError extends Error {
  override name = 'FeedError';
  constructor(readonly code: FeedErrorCode, message: string, readonly line: number | null = null) {
    super(line !== null ? `line ${line}: ${message}` : message);
  }
}

/** Progress reported after each chunk. */
export interface ImportProgress { bytes: number; totalBytes: number | null; line: number; records: number }

/** Options of {@link importFeed}. */
export interface ImportOptions {
  /** A full snapshot (replaces the cache) rather than a delta (merged on top of the stored cursor). */
  full?: boolean;
  /** Records per staged transaction (default {@link DEFAULT_BATCH_SIZE}). */
  batchSize?: number;
  onProgress?: (p: ImportProgress) => void;
  /** Stops after the current chunk; what was staged stays resumable. */
  signal?: AbortSignal;
  clock?: Clock;
  /**
   * How long the import's lease lasts without a batch renewing it, ms (default 60 000). After
   * that (or at once when the holder process is gone) another importer may take over.
   */
  leaseMs?: number;
}

/** What an import did. */
export interface ImportResult {
  kind: 'full' | 'delta';
  lines: number;
  records: number;
  codes: number;
  blocks: number;
  unblocks: number;
  products: number;
  /** Group packs whose contents the feed set (`aggregate` records, migration 007). */
  aggregates: number;
  /** Group packs the feed dropped (`disaggregate` records). */
  disaggregates: number;
  /** Cursor the cache is at now. */
  cursor: string | null;
  /** Cursor the delta declared it continues (null when it did not say). */
  from: string | null;
  /** Line after which a resumed import continued, null for a fresh start. */
  resumedFromLine: number | null;
  bytes: number;
  durationMs: number;
  /**
   * Sale records dropped after the commit because their return period ended (see purgeSold);
   * null when that housekeeping failed (the import itself is committed either way).
   */
  soldPurged: number | null;
}

/** Counters persisted with each batch so a resumed import continues them. */
interface State {
  records: number; codes: number; blocks: number; unblocks: number; products: number;
  aggregates: number; disaggregates: number;
  from: string | null; cursor: string | null; started: boolean;
}

const HEAD_BYTES = 65536;

/**
 * Records per staged transaction by default. Small on purpose: a batch is held in memory until it
 * is written, and batches that live long enough to be promoted to V8's old generation drove the
 * 10M-code import's peak RSS up (20 000: +40 MB over 5 000) for no measurable gain in rate (a
 * batch transaction costs tens of microseconds, synchronous=NORMAL).
 */
export const DEFAULT_BATCH_SIZE = 5_000;
/** SQLite page cache during an import, KiB (the connection's own setting is restored after). */
const IMPORT_CACHE_KIB = 4_000;

function fileIdentity(path: string): { size: number; mtimeMs: number; head: string } {
  const st = statSync(path);
  if (!st.isFile()) throw new FeedError('BAD_RECORD', `${path} is not a regular file`);
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, st.size));
    readSync(fd, buf, 0, buf.length, 0);
    return { size: st.size, mtimeMs: Math.trunc(st.mtimeMs), head: createHash('sha256').update(buf).digest('hex') };
  } finally {
    closeSync(fd);
  }
}

/**
 * Imports a feed from a file path or a stream. Resolves when the import is committed; rejects
 * with a {@link FeedError} (nothing applied) or an I/O error (resumable for files).
 */
export async function importFeed(db: Db, input: Readable | string, options: ImportOptions = {}): Promise<ImportResult> {
  const started = performance.now();
  const kind = options.full ? 'full' : 'delta';
  const clock = options.clock ?? systemClock;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive whole number, got ${batchSize}`);

  if (kind === 'delta' && !feedCursor(db).hasSnapshot) {
    throw new FeedError('CURSOR_GAP', 'no full snapshot has been imported yet: import one with --full before deltas');
  }

  const leaseMs = options.leaseMs ?? 60_000;
  if (!(leaseMs > 0)) throw new Error(`leaseMs must be positive, got ${leaseMs}`);
  const source = typeof input === 'string' ? resolve(input) : '-';
  const identity = typeof input === 'string' ? fileIdentity(source) : null;
  // The lease is about live processes, so it runs on the wall clock, not the injected one.
  const token = randomUUID();
  const leaseUntil = (): string => new Date(Date.now() + leaseMs).toISOString();
  const sameInput = (row: ImportRow): boolean => identity !== null && row.source === source && row.kind === kind
    && row.file_size === identity.size && row.file_mtime_ms === identity.mtimeMs && row.file_head === identity.head
    && row.byte_offset <= identity.size;
  let state: State = { records: 0, codes: 0, blocks: 0, unblocks: 0, products: 0, aggregates: 0, disaggregates: 0, from: null, cursor: null, started: false };
  let offset = 0;
  let line = 0;
  let resumedFromLine: number | null = null;
  let existing: ImportRow | undefined;
  try {
    existing = acquireImport(db, { token, pid: process.pid, until: leaseUntil() }, Date.now(), {
      kind, source, file_size: identity?.size ?? null, file_mtime_ms: identity?.mtimeMs ?? null, file_head: identity?.head ?? null,
      state: JSON.stringify(state), started_at: clock.now().toISOString(),
    }, sameInput);
  } catch (err) {
    if (err instanceof ImportBusyError) throw new FeedError('BUSY', err.message);
    throw err;
  }
  if (existing !== undefined) {
    // Defaults first: a progress row written before aggregates existed lacks their counters.
    state = { aggregates: 0, disaggregates: 0, ...(JSON.parse(existing.state) as Partial<State>) } as State;
    offset = existing.byte_offset;
    line = existing.line;
    resumedFromLine = line;
  }
  // Memory cap while importing (10M rows must not grow the process): a small page cache is enough
  // for staging rows in key order, and no mmap (mapped pages would count against the process).
  const previousCache = db.pragma('cache_size', { simple: true }) as number;
  const previousMmap = db.pragma('mmap_size', { simple: true }) as number | undefined;
  db.pragma(`cache_size = ${-IMPORT_CACHE_KIB}`);
  db.pragma('mmap_size = 0');
  try {
    return await run();
  } catch (err) {
    if (err instanceof LeaseLostError) throw new FeedError('LEASE_LOST', err.message);
    throw err;
  } finally {
    // Stopped, failed or lost: give the lease up (no-op when committed, abandoned or taken over).
    releaseImportLease(db, token);
    db.pragma(`cache_size = ${previousCache}`);
    if (previousMmap !== undefined) db.pragma(`mmap_size = ${previousMmap}`);
  }

  async function run(): Promise<ImportResult> {
    const stream: Readable = typeof input === 'string' ? createReadStream(source, { start: offset, highWaterMark: 1 << 20 }) : input;
    const totalBytes = identity?.size ?? null;
    let batch: StagedRecord[] = [];
    let pos = offset; // byte offset just after the last complete line handled

    const fail = (err: FeedError): never => {
      abandonImport(db, token);
      throw err;
    };
    const flush = (): void => {
      stageBatch(db, batch, { byteOffset: pos, line, state: JSON.stringify(state), now: clock.now().toISOString(), token, leaseUntil: leaseUntil() });
      batch = [];
    };
    const handle = (text: string): void => {
      if (text.trim() === '') return;
      if (state.cursor !== null) fail(new FeedError('BAD_RECORD', 'record after the closing {"type":"cursor"} record', line));
      let parsed;
      try {
        parsed = parseFeedLine(text);
      } catch (err) {
        if (err instanceof RecordError) fail(new FeedError('BAD_RECORD', err.message, line));
        throw err;
      }
      const first = !state.started;
      state.started = true;
      switch (parsed.kind) {
        case 'data': {
          const r = parsed.record;
          state.records++;
          if (r.t === 'code') state.codes++;
          else if (r.t === 'product') state.products++;
          else if (r.t === 'aggregate') {
            if (r.contents === null) state.disaggregates++;
            else state.aggregates++;
          }
          else if (r.op === 1) state.blocks++;
          else state.unblocks++;
          batch.push(r);
          return;
        }
        case 'cursor':
          state.cursor = parsed.cursor;
          return;
        case 'snapshot':
          if (!first) fail(new FeedError('BAD_RECORD', '{"type":"snapshot"} must be the first record', line));
          if (kind === 'delta') fail(new FeedError('BAD_RECORD', 'this is a full snapshot; import it with --full', line));
          return;
        case 'delta': {
          if (!first) fail(new FeedError('BAD_RECORD', '{"type":"delta"} must be the first record', line));
          if (kind === 'full') fail(new FeedError('BAD_RECORD', 'this is a delta; import it without --full', line));
          const stored = feedCursor(db).cursor;
          if (parsed.from !== stored) {
            fail(new FeedError('CURSOR_GAP', `the delta starts at cursor '${parsed.from}' but the cache is at '${stored ?? '(none)'}'; a full resync is needed`, line));
          }
          state.from = parsed.from;
          return;
        }
      }
    };

    let rest: Buffer | null = null;
    try {
      for await (const chunk of stream) {
        const incoming = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        const buf: Buffer = rest === null ? incoming : Buffer.concat([rest, incoming]);
        const base = pos; // buf[0] is at byte offset `pos`
        let start = 0;
        let nl = buf.indexOf(10, start);
        while (nl !== -1) {
          const end = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
          line++;
          pos = base + nl + 1;
          handle(buf.toString('utf8', start, end));
          if (batch.length >= batchSize) flush();
          start = nl + 1;
          nl = buf.indexOf(10, start);
        }
        rest = start < buf.length ? buf.subarray(start) : null;
        options.onProgress?.({ bytes: pos + (rest?.length ?? 0), totalBytes, line, records: state.records });
        if (options.signal?.aborted) {
          flush();
          throw new FeedError('ABORTED', `import stopped at line ${line}; run it again to resume`);
        }
      }
    } finally {
      if (typeof input === 'string') stream.destroy();
    }
    if (rest !== null && rest.length > 0) {
      // Last line without a trailing LF.
      line++;
      pos += rest.length;
      const end = rest[rest.length - 1] === 13 ? rest.length - 1 : rest.length;
      handle(rest.toString('utf8', 0, end));
    }
    flush();

    if (kind === 'full' && state.records === 0) {
      fail(new FeedError('EMPTY', 'the snapshot holds no records; refusing to replace the cache with nothing'));
    }
    if (state.cursor === null) {
      // Cut off (at a line boundary every line still parses): refuse rather than apply a part.
      fail(new FeedError('TRUNCATED', `the ${kind === 'full' ? 'snapshot' : 'delta'} ended after ${line} lines without its closing {"type":"cursor"} record `
        + '(truncated?); nothing applied, the cache and its freshness are unchanged'));
    }
    const now = clock.now().toISOString();
    if (kind === 'full') {
      commitFull(db, { now, cursor: state.cursor, token });
    } else {
      try {
        commitDelta(db, { now, cursor: state.cursor as string, from: state.from, token });
      } catch (err) {
        if (err instanceof CursorMovedError) fail(new FeedError('CURSOR_GAP', `${err.message}; a full resync is needed`));
        throw err;
      }
    }
    // Housekeeping on every committed sync (the puller runs one a minute): sale records whose
    // return period ended go. A record lives until its own returns_until (sale time + the return
    // period in force when it was sold), so a return stays possible for the whole period. Its own
    // transaction, after the commit: a failure here must never undo or fail the sync.
    let soldPurged: number | null;
    try {
      soldPurged = purgeSold(db, now);
    } catch {
      soldPurged = null;
    }
    return {
      kind, lines: line, records: state.records, codes: state.codes, blocks: state.blocks, unblocks: state.unblocks,
      products: state.products, aggregates: state.aggregates, disaggregates: state.disaggregates, cursor: state.cursor, from: state.from, resumedFromLine,
      bytes: pos, durationMs: performance.now() - started, soldPurged,
    };
  }
}
