/**
 * Staging and committing a status-feed import (tables of migration 001).
 *
 * Invariants (data could be lost or a half feed shown otherwise):
 * - Records go to the `stage_*` tables in batches; each batch commits together with the import's
 *   progress row (`cache_import`), so after a crash the staged data and the resume point agree.
 * - Nothing reaches the live tables (`codes`, `blocks`, `products`, `aggregate_contents`) or advances `cache_sync`
 *   until {@link commitFull} / {@link commitDelta}, each one transaction. A full snapshot swaps
 *   the `codes` table by renaming (O(1) for 10M rows); a delta merges into the live tables.
 * - {@link abandonImport} empties the staging tables and the progress row: the previous data stays
 *   in force and freshness does not advance.
 * - One import at a time: the progress row is also a lease (holder pid, random token, expiry),
 *   taken in one IMMEDIATE transaction by {@link acquireImport}. Every later write of the import
 *   (each batch, the commit, abandoning) checks the token inside its own transaction, so an
 *   importer whose lease was taken over can never write into the other's staging tables or
 *   commit them: its transaction fails and rolls back ({@link LeaseLostError}).
 */
import type { Db } from './db.ts';
import { bumpCacheGeneration, prepared, type VatCategory } from './cache-codes.ts';

/** A validated feed record in storage form. */
export type StagedRecord =
  | { t: 'code'; cis: string; status: number; expires: number | null; mrp: number | null }
  | { t: 'block'; kind: 1 | 2 | 3; key: string; batch: string; op: 0 | 1 }
  | { t: 'product'; gtin: string; name: string; grp: string; ai: 0 | 1; unit: string | null; minPrice: number | null; price: number | null; partial: number | null; vat: VatCategory | null; nameKk?: string | null }
  /** A group pack's contents (`contents` = the units' CIS), or its disaggregation (`contents` null). Migration 007. */
  | { t: 'aggregate'; code: string; contents: readonly string[] | null };

/** The progress row of the import under way. */
export interface ImportRow {
  kind: 'full' | 'delta';
  /** Absolute file path, or '-' for a stream (not resumable). */
  source: string;
  file_size: number | null;
  file_mtime_ms: number | null;
  file_head: string | null;
  /** Byte offset just after the last line of the last committed batch. */
  byte_offset: number;
  /** Line number of that last line (1-based; 0 = nothing yet). */
  line: number;
  /** JSON of the importer's own counters (records, from-cursor, cursor seen, ...). */
  state: string;
  started_at: string;
  updated_at: string;
  /** Process holding the import's lease, null when nobody does (stopped import, resumable). */
  holder_pid: number | null;
  /** Random token of the holder (one per importFeed call). */
  lease_token: string | null;
  /** When the lease lapses unless renewed (UTC ISO). */
  lease_until: string | null;
}

/** Who takes an import's lease, until when. */
export interface Lease { token: string; pid: number; until: string }

/** Thrown by {@link acquireImport} while another live importer holds the lease. */
export class ImportBusyError extends Error {
  override name = 'ImportBusyError';
  constructor(readonly row: ImportRow) {
    super(`another import is under way (pid ${row.holder_pid ?? '?'}, ${row.kind} from ${row.source}, at line ${row.line}, `
      + `lease until ${row.lease_until ?? '?'}); wait for it to finish, or for its lease to lapse if it was killed`);
  }
}

/** Thrown when this importer's lease was taken over (it lapsed): nothing of the write was kept. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor() {
    super('the import lost its lease to another importer (it lapsed while this one was stalled); nothing more of it was written');
  }
}

/** True when `pid` is a live process on this machine (EPERM: alive, owned by someone else). */
function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * True when someone other than `token` holds a live lease on the row: not lapsed at `nowMs`, and
 * the holder process still exists (a SIGKILLed importer frees the lease at once; the expiry bounds
 * it anyway, e.g. when the pid was reused).
 */
export function leaseHeldByOther(row: ImportRow, nowMs: number, token: string | null): boolean {
  if (row.lease_token === null || row.lease_token === token) return false;
  const until = row.lease_until === null ? Number.NaN : Date.parse(row.lease_until);
  if (!(until > nowMs)) return false;
  return row.holder_pid === null || pidAlive(row.holder_pid);
}

/** The import under way, if any. */
export function importRow(db: Db): ImportRow | undefined {
  return db.prepare('SELECT * FROM cache_import WHERE id = 1').get() as ImportRow | undefined;
}

function clearStage(db: Db): void {
  db.exec(`DELETE FROM stage_codes; DELETE FROM stage_blocks; DELETE FROM stage_products; DELETE FROM stage_aggregates;
    DELETE FROM stage_aggregate_contents; DELETE FROM cache_import;`);
}

/**
 * Takes the import lease and either resumes the import under way (when `canResume(row)` says it
 * is the same input) or starts a new one, dropping whatever an earlier unfinished import staged.
 * One IMMEDIATE transaction, so two importers cannot both pass the check.
 * @returns the row resumed, or undefined for a fresh start.
 * @throws ImportBusyError while another importer holds a live lease.
 */
export function acquireImport(
  db: Db, lease: Lease, nowMs: number,
  row: Omit<ImportRow, 'byte_offset' | 'line' | 'updated_at' | 'holder_pid' | 'lease_token' | 'lease_until'>,
  canResume: (existing: ImportRow) => boolean,
): ImportRow | undefined {
  const resumed = db.transaction((): ImportRow | undefined => {
    const existing = importRow(db);
    if (existing !== undefined && leaseHeldByOther(existing, nowMs, lease.token)) throw new ImportBusyError(existing);
    if (existing !== undefined && canResume(existing)) {
      db.prepare('UPDATE cache_import SET holder_pid = ?, lease_token = ?, lease_until = ? WHERE id = 1').run(lease.pid, lease.token, lease.until);
      return existing;
    }
    clearStage(db);
    db.prepare(`INSERT INTO cache_import (id, kind, source, file_size, file_mtime_ms, file_head, byte_offset, line, state, started_at, updated_at,
        holder_pid, lease_token, lease_until)
      VALUES (1, @kind, @source, @file_size, @file_mtime_ms, @file_head, 0, 0, @state, @started_at, @started_at, @pid, @token, @until)`)
      .run({ ...row, pid: lease.pid, token: lease.token, until: lease.until });
    return undefined;
  }).immediate();
  bumpCacheGeneration(db);
  return resumed;
}

/** Gives the lease up, keeping the staged data for a resume (stopped or failed import). No-op when not ours. */
export function releaseImportLease(db: Db, token: string): void {
  db.prepare('UPDATE cache_import SET holder_pid = NULL, lease_token = NULL, lease_until = NULL WHERE id = 1 AND lease_token = ?').run(token);
}

/**
 * Drops the staged data and the progress row (bad record, cursor gap, truncated feed): the live
 * cache is untouched. With `token`, only that importer's import (or one whose lease lapsed);
 * without, only an import nobody holds a live lease on — so a caller cleaning up after its own
 * failed import never drops another process's import under way. Returns whether it dropped one.
 */
export function abandonImport(db: Db, token: string | null = null): boolean {
  const dropped = db.transaction((): boolean => {
    const row = importRow(db);
    if (row === undefined) return false;
    if (leaseHeldByOther(row, Date.now(), token)) return false;
    clearStage(db);
    return true;
  }).immediate();
  bumpCacheGeneration(db);
  return dropped;
}

/** Throws LeaseLostError unless `token` holds the import row (call inside a write transaction). */
function assertLease(db: Db, token: string): void {
  const holder = prepared(db, 'SELECT lease_token FROM cache_import WHERE id = 1').pluck().get() as string | null | undefined;
  if (holder !== token) throw new LeaseLostError();
}

const CODES_PER_INSERT = 64;
const MULTI_CODE_SQL = `INSERT OR REPLACE INTO stage_codes (cis, status, expires, mrp) VALUES ${Array(CODES_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`;

/** Where an import stands after a batch, written with it; renews the lease. */
export interface BatchProgress { byteOffset: number; line: number; state: string; now: string; token: string; leaseUntil: string }

/** Stages one batch and advances the progress row (renewing the lease), in one transaction. @throws LeaseLostError */
export function stageBatch(db: Db, records: readonly StagedRecord[], progress: BatchProgress): void {
  const code = prepared(db, 'INSERT OR REPLACE INTO stage_codes (cis, status, expires, mrp) VALUES (?, ?, ?, ?)');
  // Codes go in multi-row INSERTs (far fewer calls for millions of rows); rows keep their order,
  // so for a CIS listed twice the later record still wins.
  const codes64 = prepared(db, MULTI_CODE_SQL);
  const block = prepared(db, 'INSERT OR REPLACE INTO stage_blocks (kind, key, batch, op) VALUES (?, ?, ?, ?)');
  const product = prepared(db, `INSERT OR REPLACE INTO stage_products (gtin, name, grp, ai, unit, min_price, price, partial, vat_category, name_kk)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const aggregate = prepared(db, 'INSERT OR REPLACE INTO stage_aggregates (code, op) VALUES (?, ?)');
  const dropContents = prepared(db, 'DELETE FROM stage_aggregate_contents WHERE code = ?');
  const content = prepared(db, 'INSERT OR IGNORE INTO stage_aggregate_contents (code, cis) VALUES (?, ?)');
  const advance = prepared(db, 'UPDATE cache_import SET byte_offset = ?, line = ?, state = ?, updated_at = ?, lease_until = ? WHERE id = 1 AND lease_token = ?');
  // Staged batches may skip the fsync (synchronous=NORMAL, WAL: never corrupt, at worst the last
  // batches are lost on a power cut — and their progress row with them, so the import simply
  // resumes earlier). Restored before returning: nothing else runs on this connection meanwhile.
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    stageTx(db, records, progress, { code, codes64, block, product, aggregate, dropContents, content, advance });
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}

function stageTx(
  db: Db, records: readonly StagedRecord[], progress: BatchProgress,
  s: Record<'code' | 'codes64' | 'block' | 'product' | 'aggregate' | 'dropContents' | 'content' | 'advance', ReturnType<typeof prepared>>,
): void {
  const { code, codes64, block, product, aggregate, dropContents, content, advance } = s;
  db.transaction(() => {
    const params: (string | number | null)[] = [];
    for (const r of records) {
      if (r.t === 'code') {
        params.push(r.cis, r.status, r.expires, r.mrp);
        if (params.length === CODES_PER_INSERT * 4) { codes64.run(params); params.length = 0; }
      } else if (r.t === 'block') block.run(r.kind, r.key, r.batch, r.op);
      else if (r.t === 'aggregate') {
        // Last record of an import wins: an aggregate record replaces what an earlier one in the
        // same import staged for that code; a disaggregate record leaves no contents staged.
        aggregate.run(r.code, r.contents === null ? 0 : 1);
        dropContents.run(r.code);
        if (r.contents !== null) for (const c of r.contents) content.run(r.code, c);
      } else product.run(r.gtin, r.name, r.grp, r.ai, r.unit, r.minPrice, r.price, r.partial, r.vat, r.nameKk ?? null);
    }
    for (let i = 0; i < params.length; i += 4) code.run(params[i], params[i + 1], params[i + 2], params[i + 3]);
    const changed = advance.run(progress.byteOffset, progress.line, progress.state, progress.now, progress.leaseUntil, progress.token).changes;
    // Another importer took the lease over meanwhile: roll back, do not mix our data with its.
    if (changed !== 1) throw new LeaseLostError();
  }).immediate();
}

/** Stored cursor of the feed channel (null before the first import). */
function storedCursor(db: Db): { cursor: string | null; lastFullAt: string | null } {
  const row = db.prepare("SELECT cursor, last_full_at FROM cache_sync WHERE channel = 'feed'").get() as { cursor: string | null; last_full_at: string | null } | undefined;
  return { cursor: row?.cursor ?? null, lastFullAt: row?.last_full_at ?? null };
}

/** Thrown by {@link commitDelta} when the stored cursor moved since the delta was checked. */
export class CursorMovedError extends Error {
  override name = 'CursorMovedError';
}

/** The feed's stored cursor and whether a full snapshot was ever imported. */
export function feedCursor(db: Db): { cursor: string | null; hasSnapshot: boolean } {
  const s = storedCursor(db);
  return { cursor: s.cursor, hasSnapshot: s.lastFullAt !== null };
}

/** Makes a staged full snapshot the live cache, in one transaction. */
export function commitFull(db: Db, opts: { now: string; cursor: string | null; token: string }): void {
  db.transaction(() => {
    assertLease(db, opts.token);
    // Swap by renaming: the live table becomes the (then emptied) staging table.
    db.exec(`
      ALTER TABLE codes RENAME TO codes_swap;
      ALTER TABLE stage_codes RENAME TO codes;
      ALTER TABLE codes_swap RENAME TO stage_codes;
      DELETE FROM stage_codes;
      DELETE FROM blocks;
      INSERT INTO blocks (kind, key, batch) SELECT kind, key, batch FROM stage_blocks WHERE op = 1;
      DELETE FROM stage_blocks;
      DELETE FROM products;
      INSERT INTO products SELECT * FROM stage_products;
      DELETE FROM stage_products;
      DELETE FROM aggregate_contents;
      INSERT INTO aggregate_contents (code, cis) SELECT code, cis FROM stage_aggregate_contents;
      DELETE FROM stage_aggregates; DELETE FROM stage_aggregate_contents;
      DELETE FROM cache_import;
    `);
    db.prepare(`INSERT INTO cache_sync (channel, last_sync_at, cursor, last_full_at, last_kind) VALUES ('feed', @now, @cursor, @now, 'full')
      ON CONFLICT (channel) DO UPDATE SET last_sync_at = @now, cursor = @cursor, last_full_at = @now, last_kind = 'full'`).run({ now: opts.now, cursor: opts.cursor });
  }).immediate();
  bumpCacheGeneration(db);
}

/**
 * Merges a staged delta into the live cache, in one transaction. `from` (when the delta declared
 * it) is re-checked against the stored cursor inside the transaction, so two deltas can never
 * both apply on top of the same cursor.
 */
export function commitDelta(db: Db, opts: { now: string; cursor: string; from: string | null; token: string }): void {
  db.transaction(() => {
    assertLease(db, opts.token);
    const stored = storedCursor(db);
    if (stored.lastFullAt === null) throw new CursorMovedError('no full snapshot has been imported');
    if (opts.from !== null && opts.from !== stored.cursor) {
      throw new CursorMovedError(`the delta starts at cursor '${opts.from}' but the cache is at '${stored.cursor ?? '(none)'}'`);
    }
    db.exec(`
      INSERT OR REPLACE INTO codes (cis, status, expires, mrp) SELECT cis, status, expires, mrp FROM stage_codes;
      DELETE FROM blocks WHERE (kind, key, batch) IN (SELECT kind, key, batch FROM stage_blocks WHERE op = 0);
      INSERT OR IGNORE INTO blocks (kind, key, batch) SELECT kind, key, batch FROM stage_blocks WHERE op = 1;
      INSERT OR REPLACE INTO products SELECT * FROM stage_products;
      DELETE FROM aggregate_contents WHERE code IN (SELECT code FROM stage_aggregates);
      INSERT INTO aggregate_contents (code, cis) SELECT code, cis FROM stage_aggregate_contents;
      DELETE FROM stage_codes; DELETE FROM stage_blocks; DELETE FROM stage_products;
      DELETE FROM stage_aggregates; DELETE FROM stage_aggregate_contents;
      DELETE FROM cache_import;
    `);
    db.prepare(`UPDATE cache_sync SET last_sync_at = @now, cursor = @cursor, last_kind = 'delta' WHERE channel = 'feed'`).run({ now: opts.now, cursor: opts.cursor });
  }).immediate();
  bumpCacheGeneration(db);
}
