/**
 * The real state of each link the register depends on, for the header: the OFD (fiscal data
 * operator), the marking system (code statuses), the status cache's freshness, the printer
 * and the scanner. Pure: derived from the core's sync status, cache freshness and device
 * health, so that "connected" means the link works, not that the page reaches the core.
 */
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, OnlineCheckView, ReachabilityView, SyncStatusView } from '../../server/contract/index.ts';

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
  /** The last scan's online check: the newest word on the marking link, both ways. */
  lastCheck?: OnlineCheckView | null;
  /** The core's last reachability probe of the OFD (a TCP connect while nothing else talks to it). */
  ofdProbe?: ReachabilityView | null;
  /** Each marking system's health (the online check's providers), when known. */
  marking?: readonly MarkingHealthView[] | null;
}

const later = (a: string | null, b: string | null): boolean => a !== null && (b === null || Date.parse(a) > Date.parse(b));

function ofd(status: SyncStatusView | null, probe: ReachabilityView | null): LinkState {
  if (!status) return { name: 'ofd', level: 'unknown', key: 'link.state.unknown' };
  const queued = status.queue.depth;
  if (status.mode === 'blocked') return { name: 'ofd', level: 'down', key: 'link.state.blocked', params: { n: queued } };
  if (status.mode === 'offline') return { name: 'ofd', level: 'down', key: 'link.state.offlineQueued', params: { n: queued } };
  const { lastError, lastErrorAt, lastSuccessAt } = status.channels.ofd;
  // An error newer than the last success is the current state, whatever the mode says.
  if (lastError !== null && later(lastErrorAt, lastSuccessAt)) return { name: 'ofd', level: 'warn', key: 'link.state.failing', params: { n: queued } };
  // Nothing sent lately: the probe is the newest word (the OFD stopped answering while idle).
  if (probe && !probe.reachable && later(probe.at, lastSuccessAt)) {
    return queued > 0 ? { name: 'ofd', level: 'down', key: 'link.state.unreachableQueued', params: { n: queued } } : { name: 'ofd', level: 'down', key: 'link.state.unreachable' };
  }
  // Sending: an attempt is in flight now; queued: the documents wait their turn.
  if (queued > 0 && status.queue.head?.state === 'sending') return { name: 'ofd', level: 'warn', key: 'link.state.sending', params: { n: queued } };
  if (queued > 0) return { name: 'ofd', level: 'warn', key: 'link.state.queued', params: { n: queued } };
  return { name: 'ofd', level: 'ok', key: 'link.state.online' };
}

/**
 * The marking link: the newest of the feed's pulls and the scans' online checks decides up or
 * down; the online check's systems (re-probed by the core) say degraded when some do not answer,
 * and down when none does and that is newer than the last scan's answer.
 */
function marking(status: SyncStatusView | null, cache: CacheFreshnessView | null, check: OnlineCheckView | null, providers: readonly MarkingHealthView[]): LinkState {
  if (!status || !cache) return { name: 'marking', level: 'unknown', key: 'link.state.unknown' };
  const { lastError, lastErrorAt, lastSuccessAt } = status.channels.feed;
  const feedFailing = lastError !== null && later(lastErrorAt, lastSuccessAt);
  const feedAt = feedFailing ? lastErrorAt : lastSuccessAt;
  const failing = providers.filter((p) => p.state !== 'ok' && p.state !== 'unknown');
  const partly: LinkState = { name: 'marking', level: 'warn', key: 'link.state.partly', params: { n: failing.length, total: providers.length } };
  const noneAnswers = failing.length > 0 && failing.length === providers.length;
  if (check && (feedAt === null || Date.parse(check.at) >= Date.parse(feedAt))) {
    if (!check.answered) return { name: 'marking', level: 'down', key: 'link.state.unreachableCache' };
    if (noneAnswers && failing.every((p) => later(p.lastFailureAt, check.at))) return { name: 'marking', level: 'down', key: 'link.state.unreachable' };
    return failing.length > 0 ? partly : { name: 'marking', level: 'ok', key: 'link.state.online' };
  }
  if (cache.state === 'not_configured' && lastSuccessAt === null && !feedFailing && providers.length === 0) return { name: 'marking', level: 'off', key: 'link.state.notConfigured' };
  if (feedFailing || noneAnswers) return { name: 'marking', level: 'down', key: 'link.state.unreachable' };
  if (failing.length > 0) return partly;
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
  return [ofd(f.status, f.ofdProbe ?? null), marking(f.status, f.cache, f.lastCheck ?? null, f.marking ?? []), cacheLink(f.cache), printer, device('scanner', f.devices)];
}

/** True while the OFD link is down (offline, blocked, or the probe cannot reach it): an undelivered sale is queued, not being sent. */
export function ofdLinkDown(status: SyncStatusView | null, probe: ReachabilityView | null = null): boolean {
  return ofd(status, probe).level === 'down';
}

const RANK: Record<LinkLevel, number> = { down: 4, warn: 3, unknown: 2, ok: 1, off: 0 };

/** The header's one-line summary: the core unreachable, else the worst link and who is at that level. */
export interface LinkSummary { level: LinkLevel; key: `link.summary.${string}`; names: LinkName[] }

/**
 * Summarises the links for the header: "connected" only when every link that is set up works —
 * the page reaching the core is not enough (issue 16: it said "Connected" with the OFD down).
 */
export function linkSummary(links: readonly LinkState[], coreConnected: boolean): LinkSummary {
  if (!coreConnected) return { level: 'down', key: 'link.summary.noCore', names: [] };
  const worst = links.reduce<LinkLevel>((w, l) => (RANK[l.level] > RANK[w] ? l.level : w), 'off');
  const names = links.filter((l) => l.level === worst).map((l) => l.name);
  if (worst === 'down') return { level: 'down', key: 'link.summary.down', names };
  if (worst === 'warn') return { level: 'warn', key: 'link.summary.warn', names };
  if (worst === 'unknown') return { level: 'unknown', key: 'link.summary.checking', names };
  return { level: 'ok', key: 'link.summary.ok', names: [] };
}

/** A device's new health replaces the old one of the same id. */
export function mergeDevice(devices: readonly DeviceHealthView[] | null, health: DeviceHealthView): DeviceHealthView[] {
  return [...(devices ?? []).filter((d) => d.id !== health.id), health];
}
