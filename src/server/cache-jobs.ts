/**
 * Cache jobs started from the UI — an uploaded feed or a resync — one at a time, with progress
 * events. A second job while one runs is refused (409 BUSY) rather than queued.
 */
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import type { Clock } from '../clock.ts';
import { importFeed, type ImportProgress, type ImportResult } from '../cache/index.ts';
import type { Db } from '../store/index.ts';
import type { CachePuller, FeedStatus } from '../sync/index.ts';
import type { ServerEvent } from './contract/index.ts';
import { ServiceError } from './service-error.ts';

/** What the cache jobs need. */
export interface CacheJobDeps {
  db: Db;
  clock: Clock;
  puller: Pick<CachePuller, 'pullOnce'> | null;
  emit(event: ServerEvent): void;
  /** The cache changed (the dashboard shows it). */
  changed(): void;
  log?: { info(o: object, m: string): void };
}

/** The guarded cache jobs. */
export interface CacheJobs {
  /** One cache pull now (null when no feed is configured). */
  resync(): Promise<FeedStatus | null>;
  /** Streams an uploaded feed into the cache. */
  importCache(body: Readable, full: boolean): Promise<ImportResult>;
  /** The job running, or null. */
  busy(): string | null;
}

/** Creates the guard. */
export function createCacheJobs(deps: CacheJobDeps): CacheJobs {
  let job: string | null = null;

  function progress(origin: 'upload' | 'resync', phase: 'progress' | 'done' | 'failed', p: Partial<ImportProgress>, error: string | null): void {
    deps.emit({
      type: 'cache-import', origin, phase, bytes: p.bytes ?? 0, totalBytes: p.totalBytes ?? null, line: p.line ?? 0, records: p.records ?? 0,
      error, at: deps.clock.now().toISOString(),
    });
  }

  function take(name: 'resync' | 'upload'): void {
    if (job !== null) throw new ServiceError('BUSY', 409, `the cache is busy (${job}); try again when it has finished`);
    job = name;
  }

  return {
    busy: () => job,
    async resync() {
      if (deps.puller === null) return null;
      take('resync');
      try {
        progress('resync', 'progress', {}, null);
        const s = await deps.puller.pullOnce();
        progress('resync', s.ok ? 'done' : 'failed', s.ok ? { records: s.records } : {}, s.ok ? null : s.error);
        return s;
      } finally {
        job = null;
      }
    },
    async importCache(body, full) {
      take('upload');
      let lastEmit = 0;
      try {
        const result = await importFeed(deps.db, body, {
          full, clock: deps.clock,
          onProgress: (p) => {
            const t = performance.now();
            if (t - lastEmit < 250) return;
            lastEmit = t;
            progress('upload', 'progress', p, null);
          },
        });
        progress('upload', 'done', { bytes: result.bytes, line: result.lines, records: result.records }, null);
        deps.log?.info({ kind: result.kind, records: result.records }, 'cache import committed');
        deps.changed();
        return result;
      } catch (err) {
        progress('upload', 'failed', {}, (err as Error).message);
        throw err;
      } finally {
        job = null;
      }
    },
  };
}
