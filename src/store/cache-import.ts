/**
 * Staging and committing a status-feed import (tables of migration 001).
 *
 * Invariants (data could be lost or a half feed shown otherwise):
 * - Records go to the `stage_*` tables in batches; each batch commits together with the import's
 *   progress row (`cache_import`), so after a crash the staged data and the resume point agree.
 * - Nothing reaches the live tables (`codes`, `blocks`, `products`) or advances `cache_sync`
 *   until {@link commitFull} / {@link commitDelta}, each one transaction. A full snapshot swaps
 *   the `codes` table by renaming (O(1) for 10M rows); a delta merges into the live tables.
 * - {@link abandonImport} empties the staging tables and the progress row: the previous data stays
 *   in force and freshness does not advance.
 */
import type { Db } from './db.ts';
import { bumpCacheGeneration, prepared } from './cache-codes.ts';

/** A validated feed record in storage form. */
export type StagedRecord =
  | { t: 'code'; cis: string; status: number; expires: number | null; mrp: number | null }
  | { t: 'block'; kind: 1 | 2 | 3; key: string; batch: string; op: 0 | 1 }
  | { t: 'product'; gtin: string; name: string; grp: string; ai: 0 | 1; unit: string | null; minPrice: number | null; price: number | null; partial: number | null };

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
}

/** The import under way, if any. */
export function importRow(db: Db): ImportRow | undefined {
  return db.prepare('SELECT * FROM cache_import WHERE id = 1').get() as ImportRow | undefined;
}

function clearStage(db: Db): void {
  db.exec('DELETE FROM stage_codes; DELETE FROM stage_blocks; DELETE FROM stage_products; DELETE FROM cache_import;');
}

/** Starts a new import: drops whatever an earlier unfinished one staged. One transaction. */
export function beginImport(db: Db, row: Omit<ImportRow, 'byte_offset' | 'line' | 'updated_at'>): void {
  db.transaction(() => {
    clearStage(db);
    db.prepare(`INSERT INTO cache_import (id, kind, source, file_size, file_mtime_ms, file_head, byte_offset, line, state, started_at, updated_at)
      VALUES (1, @kind, @source, @file_size, @file_mtime_ms, @file_head, 0, 0, @state, @started_at, @started_at)`).run(row);
  }).immediate();
  bumpCacheGeneration(db);
}

/** Drops the staged data and the progress row (bad record, cursor gap): the live cache is untouched. */
export function abandonImport(db: Db): void {
  db.transaction(() => clearStage(db)).immediate();
  bumpCacheGeneration(db);
}

const CODES_PER_INSERT = 64;
const MULTI_CODE_SQL = `INSERT OR REPLACE INTO stage_codes (cis, status, expires, mrp) VALUES ${Array(CODES_PER_INSERT).fill('(?, ?, ?, ?)').join(', ')}`;

/** Stages one batch and advances the progress row, in one transaction. */
export function stageBatch(db: Db, records: readonly StagedRecord[], progress: { byteOffset: number; line: number; state: string; now: string }): void {
  const code = prepared(db, 'INSERT OR REPLACE INTO stage_codes (cis, status, expires, mrp) VALUES (?, ?, ?, ?)');
  // Codes go in multi-row INSERTs (far fewer calls for millions of rows); rows keep their order,
  // so for a CIS listed twice the later record still wins.
  const codes64 = prepared(db, MULTI_CODE_SQL);
  const block = prepared(db, 'INSERT OR REPLACE INTO stage_blocks (kind, key, batch, op) VALUES (?, ?, ?, ?)');
  const product = prepared(db, `INSERT OR REPLACE INTO stage_products (gtin, name, grp, ai, unit, min_price, price, partial)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const advance = prepared(db, 'UPDATE cache_import SET byte_offset = ?, line = ?, state = ?, updated_at = ? WHERE id = 1');
  // Staged batches may skip the fsync (synchronous=NORMAL, WAL: never corrupt, at worst the last
  // batches are lost on a power cut — and their progress row with them, so the import simply
  // resumes earlier). Restored before returning: nothing else runs on this connection meanwhile.
  const previous = db.pragma('synchronous', { simple: true }) as number;
  db.pragma('synchronous = NORMAL');
  try {
    stageTx(db, records, progress, { code, codes64, block, product, advance });
  } finally {
    db.pragma(`synchronous = ${previous}`);
  }
}

function stageTx(
  db: Db, records: readonly StagedRecord[], progress: { byteOffset: number; line: number; state: string; now: string },
  s: Record<'code' | 'codes64' | 'block' | 'product' | 'advance', ReturnType<typeof prepared>>,
): void {
  const { code, codes64, block, product, advance } = s;
  db.transaction(() => {
    const params: (string | number | null)[] = [];
    for (const r of records) {
      if (r.t === 'code') {
        params.push(r.cis, r.status, r.expires, r.mrp);
        if (params.length === CODES_PER_INSERT * 4) { codes64.run(params); params.length = 0; }
      } else if (r.t === 'block') block.run(r.kind, r.key, r.batch, r.op);
      else product.run(r.gtin, r.name, r.grp, r.ai, r.unit, r.minPrice, r.price, r.partial);
    }
    for (let i = 0; i < params.length; i += 4) code.run(params[i], params[i + 1], params[i + 2], params[i + 3]);
    const changed = advance.run(progress.byteOffset, progress.line, progress.state, progress.now).changes;
    // Another process started a new import on this file meanwhile: do not mix its data with ours.
    if (changed !== 1) throw new Error('the import progress row disappeared (another import started?)');
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
export function commitFull(db: Db, opts: { now: string; cursor: string | null }): void {
  db.transaction(() => {
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
      DELETE FROM cache_import;
    `);
    db.prepare(`INSERT INTO cache_sync (channel, last_sync_at, cursor, last_full_at, last_kind) VALUES ('feed', @now, @cursor, @now, 'full')
      ON CONFLICT (channel) DO UPDATE SET last_sync_at = @now, cursor = @cursor, last_full_at = @now, last_kind = 'full'`).run(opts);
  }).immediate();
  bumpCacheGeneration(db);
}

/**
 * Merges a staged delta into the live cache, in one transaction. `from` (when the delta declared
 * it) is re-checked against the stored cursor inside the transaction, so two deltas can never
 * both apply on top of the same cursor.
 */
export function commitDelta(db: Db, opts: { now: string; cursor: string; from: string | null }): void {
  db.transaction(() => {
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
      DELETE FROM stage_codes; DELETE FROM stage_blocks; DELETE FROM stage_products;
      DELETE FROM cache_import;
    `);
    db.prepare(`UPDATE cache_sync SET last_sync_at = @now, cursor = @cursor, last_kind = 'delta' WHERE channel = 'feed'`).run(opts);
  }).immediate();
  bumpCacheGeneration(db);
}
