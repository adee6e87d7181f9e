/**
 * The offline banner: shown while the registry cannot be reached, with the age of the status
 * cache and the time left before the offline limit (after which marked goods may not be sold).
 */
import { Banner } from '../shared/layout.tsx';
import { useApp, useT } from '../shared/context.ts';
import { formatDuration } from '../shared/format.ts';
import type { SyncView } from '../shared/pending.ts';

/** Age of the cache and time left, in ms; null when the cache was never filled. */
export function offlineFigures(sync: SyncView, now: number): { ageMs: number; leftMs: number } | null {
  if (!sync.cacheUpdatedAt) return null;
  const updated = Date.parse(sync.cacheUpdatedAt);
  if (!Number.isFinite(updated)) return null;
  const ageMs = Math.max(0, now - updated);
  return { ageMs, leftMs: Math.max(0, sync.offlineLimitHours * 3600_000 - ageMs) };
}

export function OfflineBanner(props: { sync: SyncView | null; now: number }) {
  const t = useT();
  const { lang } = useApp();
  if (!props.sync || props.sync.online) return null;
  const f = offlineFigures(props.sync, props.now);
  const age = f ? formatDuration(f.ageMs, lang) : '—';
  const left = f ? formatDuration(f.leftMs, lang) : '—';
  return <Banner kind="warn" testId="offline-banner">{t('offline.registry', { age, left })}</Banner>;
}
