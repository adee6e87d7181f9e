/** `tanba cache stats`: counts, sync state, import under way and file size. */
import type { Db } from '../store/db.ts';
import { cacheCounts, databaseBytes, syncRow } from '../store/cache-codes.ts';
import { importRow } from '../store/cache-import.ts';

/** Figures of the cache. */
export interface CacheStats {
  codes: number;
  blocks: { byCode: number; byGtin: number; byBatch: number };
  products: number;
  soldCodes: number;
  lastSyncAt: string | null;
  lastFullAt: string | null;
  lastKind: string | null;
  cursor: string | null;
  /** An import staged but not committed (resumable), or null. */
  importInProgress: { kind: string; source: string; line: number; byteOffset: number; fileSize: number | null; startedAt: string; updatedAt: string } | null;
  /** Bytes of the database file (without the WAL). */
  fileBytes: number;
}

/** Collects the figures (counting 10M codes takes about half a second). */
export function cacheStats(db: Db): CacheStats {
  const c = cacheCounts(db);
  const sync = syncRow(db);
  const imp = importRow(db);
  return {
    codes: c.codes,
    blocks: { byCode: c.blocksByCode, byGtin: c.blocksByGtin, byBatch: c.blocksByBatch },
    products: c.products,
    soldCodes: c.sold,
    lastSyncAt: sync?.last_sync_at ?? null,
    lastFullAt: sync?.last_full_at ?? null,
    lastKind: sync?.last_kind ?? null,
    cursor: sync?.cursor ?? null,
    importInProgress: imp === undefined ? null : {
      kind: imp.kind, source: imp.source, line: imp.line, byteOffset: imp.byte_offset, fileSize: imp.file_size,
      startedAt: imp.started_at, updatedAt: imp.updated_at,
    },
    fileBytes: databaseBytes(db),
  };
}
