/**
 * The offline banner: shown while the fiscal data operator cannot be reached (or delivery is
 * blocked, or the status cache went stale), with the age of the status cache, the queue of
 * undelivered sales and the time left before the offline limit, after which sales stop.
 */
import type { SyncEvent } from '../../server/contract/index.ts';
import { Banner } from '../shared/layout.tsx';
import { useApp, useT } from '../shared/context.ts';
import { formatDuration } from '../shared/format.ts';

/** What the banner says, from a sync event at `now` (ms); null when all is well. */
export function offlineFigures(sync: SyncEvent, now: number): { mode: 'offline' | 'blocked' | 'stale'; cacheAgeMs: number | null; leftMs: number | null; queue: number } | null {
  const { status, cache } = sync;
  const stale = cache.state === 'stale';
  if (status.mode === 'online' && !stale) return null;
  // Figures were computed at status.at; the page's clock moves them on until the next event.
  const drift = Math.max(0, now - Date.parse(status.at)) || 0;
  const cacheAgeMs = cache.ageMs === null ? null : cache.ageMs + drift;
  const leftMs = status.timeLeftMs === null ? null : Math.max(0, status.timeLeftMs - drift);
  return { mode: status.mode === 'online' ? 'stale' : status.mode, cacheAgeMs, leftMs, queue: status.queue.depth };
}

export function OfflineBanner(props: { sync: SyncEvent | null; now: number }) {
  const t = useT();
  const { lang } = useApp();
  if (!props.sync) return null;
  const f = offlineFigures(props.sync, props.now);
  if (!f) return null;
  const age = f.cacheAgeMs === null ? '—' : formatDuration(f.cacheAgeMs, lang);
  const left = f.leftMs === null ? '—' : formatDuration(f.leftMs, lang);
  const text = f.mode === 'blocked'
    ? t('offline.blocked', { reason: props.sync.status.blockedReason ?? '', queue: f.queue })
    : f.mode === 'stale' ? t('offline.stale', { age }) : t('offline.registry', { age, left, queue: f.queue });
  return <Banner kind={f.mode === 'blocked' ? 'error' : 'warn'} testId="offline-banner">{text}</Banner>;
}
