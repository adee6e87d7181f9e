/**
 * API contract of the code-status cache: figures, freshness against the offline limit, import
 * upload (NDJSON streamed in the request body) and resync, with progress over the WebSocket.
 */
import * as z from 'zod';

/** Freshness of the cache (src/cache FreshnessInfo). */
export interface CacheFreshnessView {
  state: 'not_configured' | 'initializing' | 'ready' | 'stale';
  lastSyncAt: string | null;
  ageMs: number | null;
  /** The offline limit that applies. */
  limitMs: number;
  /** Time left before stale; 0 when stale; null before the first sync. */
  remainingMs: number | null;
}

/** Figures of the cache (src/cache CacheStats). */
export interface CacheStatsView {
  codes: number;
  blocks: { byCode: number; byGtin: number; byBatch: number };
  products: number;
  soldCodes: number;
  lastSyncAt: string | null;
  lastFullAt: string | null;
  lastKind: string | null;
  cursor: string | null;
  importInProgress: { kind: string; source: string; line: number; byteOffset: number; fileSize: number | null; startedAt: string; updatedAt: string } | null;
  fileBytes: number;
}

/** GET /api/cache */
export interface CacheResponse {
  stats: CacheStatsView;
  freshness: CacheFreshnessView;
  /** A feed puller runs (a marking registry is configured, or training mode). */
  feedConfigured: boolean;
  /** An import or resync is running now (only one at a time). */
  busy: boolean;
}

/**
 * Query of POST /api/cache/import. The body is the NDJSON feed itself (content-type
 * application/x-ndjson or application/octet-stream), streamed into the import: constant memory,
 * any size. A bad record answers 400 `BAD_RECORD` with `line N: <what>`; nothing is applied.
 */
export const cacheImportQuery = z.object({
  /** A full snapshot replaces the cache; otherwise a delta merges on top of the stored cursor. */
  full: z.enum(['1', '0', 'true', 'false']).optional().transform((v) => v === '1' || v === 'true'),
});
export type CacheImportQuery = z.input<typeof cacheImportQuery>;

/** POST /api/cache/import (200) */
export interface CacheImportResponse {
  result: {
    kind: 'full' | 'delta';
    lines: number;
    records: number;
    codes: number;
    blocks: number;
    unblocks: number;
    products: number;
    cursor: string | null;
    bytes: number;
    durationMs: number;
  };
  stats: CacheStatsView;
}

/** POST /api/cache/resync — one pull from the marking registry now. */
export interface CacheResyncResponse {
  ok: boolean;
  kind: 'full' | 'delta' | null;
  records: number | null;
  error: string | null;
  stats: CacheStatsView;
}

// ---- events ----

/** Progress of a cache import or resync (throttled to a few per second). */
export interface CacheImportEvent {
  type: 'cache-import';
  /** 'upload' = POST /api/cache/import, 'resync' = a pull from the registry. */
  origin: 'upload' | 'resync';
  phase: 'progress' | 'done' | 'failed';
  bytes: number;
  totalBytes: number | null;
  line: number;
  records: number;
  error: string | null;
  at: string;
}
