/**
 * The real state of each link the register depends on, for the header: the OFD (fiscal data
 * operator), the marking system (code statuses), the status cache's freshness, the printer
 * and the scanner. Pure: derived from the core's sync status, cache freshness and device
 * health, so that "connected" means the link works, not that the page reaches the core.
 */
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, SyncStatusView } from '../../server/contract/index.ts';

/** ok: working; warn: degraded or catching up; down: not working; off: not set up; unknown: no word yet. */
export type LinkLevel = 'ok' | 'warn' | 'down' | 'off' | 'unknown';
export type LinkName = 'ofd' | 'marking' | 'cache' | 'printer' | 'scanner';

/** One link: its level and the message key (with parameters) that says why. */
export interface LinkState { name: LinkName; level: LinkLevel; key: `link.state.${string}`; params?: Record<string, string | number> }

/** What the header knows; any part may still be missing. */
export interface LinkFacts {
  status: SyncStatusView | null;
  cache: CacheFreshnessView | null;
  devices: readonly DeviceHealthView[] | null;
  /** Training mode: receipts go to the virtual printer whatever printer is assigned. */
  trainingMode?: boolean;
  /** Each marking system's health (the online check's providers), when known. */
  marking?: readonly MarkingHealthView[] | null;
}

const later = (a: string | null, b: string | null): boolean => a !== null && (b === null || Date.parse(a) > Date.parse(b));

function ofd(status: SyncStatusView | null): LinkState {
  if (!status) return { name: 'ofd', level: 'unknown', key: 'link.state.unknown' };
  const queued = status.queue.depth;
  if (status.mode === 'blocked') return { name: 'ofd', level: 'down', key: 'link.state.blocked', params: { n: queued } };
  if (status.mode === 'offline') return { name: 'ofd', level: 'down', key: 'link.state.offlineQueued', params: { n: queued } };
  const { lastError, lastErrorAt, lastSuccessAt } = status.channels.ofd;
  // An error newer than the last success is the current state, whatever the mode says.
  if (lastError !== null && later(lastErrorAt, lastSuccessAt)) return { name: 'ofd', level: 'warn', key: 'link.state.failing', params: { n: queued } };
  if (queued > 0) return { name: 'ofd', level: 'warn', key: 'link.state.sending', params: { n: queued } };
  return { name: 'ofd', level: 'ok', key: 'link.state.online' };
}

function marking(status: SyncStatusView | null, cache: CacheFreshnessView | null, providers: readonly MarkingHealthView[]): LinkState {
  if (!status || !cache) return { name: 'marking', level: 'unknown', key: 'link.state.unknown' };
  if (cache.state === 'not_configured' && status.channels.feed.lastSuccessAt === null && providers.length === 0) return { name: 'marking', level: 'off', key: 'link.state.notConfigured' };
  const { lastError, lastErrorAt, lastSuccessAt } = status.channels.feed;
  // The online check's systems: all of them not answering is as down as the feed; some is degraded.
  const failing = providers.filter((p) => p.state !== 'ok' && p.state !== 'unknown').length;
  if ((lastError !== null && later(lastErrorAt, lastSuccessAt)) || (failing > 0 && failing === providers.length)) return { name: 'marking', level: 'down', key: 'link.state.unreachable' };
  if (failing > 0) return { name: 'marking', level: 'warn', key: 'link.state.partly', params: { n: failing, total: providers.length } };
  return { name: 'marking', level: 'ok', key: 'link.state.online' };
}

function cacheLink(cache: CacheFreshnessView | null): LinkState {
  if (!cache) return { name: 'cache', level: 'unknown', key: 'link.state.unknown' };
  if (cache.state === 'not_configured') return { name: 'cache', level: 'off', key: 'link.state.notConfigured' };
  if (cache.state === 'initializing') return { name: 'cache', level: 'warn', key: 'link.state.loading' };
  if (cache.state === 'stale') return { name: 'cache', level: 'down', key: 'link.state.stale' };
  const hours = cache.ageMs === null ? 0 : Math.floor(cache.ageMs / 3_600_000);
  // Fresh, but past three quarters of the offline limit: say so before sales stop.
  if (cache.remainingMs !== null && cache.remainingMs < cache.limitMs / 4) return { name: 'cache', level: 'warn', key: 'link.state.ageing', params: { hours } };
  return { name: 'cache', level: 'ok', key: 'link.state.fresh', params: { hours } };
}

function device(name: 'printer' | 'scanner', devices: readonly DeviceHealthView[] | null): LinkState {
  if (!devices) return { name, level: 'unknown', key: 'link.state.unknown' };
  const mine = devices.filter((d) => d.role === name);
  if (mine.length === 0) return { name, level: 'off', key: 'link.state.none' };
  if (mine.some((d) => d.state === 'connected' || d.state === 'idle')) return { name, level: 'ok', key: 'link.state.connected' };
  if (mine.some((d) => d.state === 'reconnecting')) return { name, level: 'warn', key: 'link.state.reconnecting' };
  return { name, level: 'down', key: 'link.state.disconnected' };
}

/** Every link's state, in the header's order. */
export function linkStates(f: LinkFacts): LinkState[] {
  const printer = f.trainingMode === true ? { name: 'printer' as const, level: 'ok' as const, key: 'link.state.virtual' as const } : device('printer', f.devices);
  return [ofd(f.status), marking(f.status, f.cache, f.marking ?? []), cacheLink(f.cache), printer, device('scanner', f.devices)];
}

/** A device's new health replaces the old one of the same id. */
export function mergeDevice(devices: readonly DeviceHealthView[] | null, health: DeviceHealthView): DeviceHealthView[] {
  return [...(devices ?? []).filter((d) => d.id !== health.id), health];
}
