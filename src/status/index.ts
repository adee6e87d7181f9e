/**
 * The register's status as the dashboard shows it, and the pushes that keep the UIs current:
 * every `intervalMs`, and soon (within 100 ms, coalesced) after anything that changes it.
 */
import type { CacheFreshnessView, DeviceHealthView, OnlineCheckView, ReachabilityView, SyncDashboard, TrainingView } from '../server/contract/index.ts';
import type { Register } from '../register/index.ts';
import { syncStatus, type FeedStatus, type SyncStatus } from '../sync/index.ts';

/** What the status needs from the rest of the core. */
export interface StatusDeps {
  register: Pick<Register, 'db' | 'clock' | 'config' | 'ofdTarget' | 'checker' | 'devices' | 'trainingMode'> & Partial<Pick<Register, 'markingChain'>>;
  /** The emulators' state in training mode, else null. */
  training(): TrainingView | null;
  /** The last feed sync's outcome (null before the first). */
  lastFeed(): FeedStatus | null;
  /** The last scan's online check (null before the first). */
  lastCheck?(): OnlineCheckView | null;
  /** The last reachability probe of the OFD (null before the first). */
  ofdProbe?(): ReachabilityView | null;
  /** Sends a status event to the UIs. */
  push(dashboard: SyncDashboard): void;
  /** Default 3 s. */
  intervalMs?: number;
  warn?: (message: string, err: unknown) => void;
}

/** The status service. */
export interface StatusBoard {
  current(): SyncStatus;
  freshness(): CacheFreshnessView;
  deviceHealth(): DeviceHealthView[];
  dashboard(): SyncDashboard;
  /** Pushes within 100 ms (several calls make one push). */
  pushSoon(): void;
  start(): void;
  stop(): void;
}

/** Creates the status service (pushes start with start()). */
export function createStatusBoard(deps: StatusDeps): StatusBoard {
  const { register } = deps;
  let timer: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;
  let stopped = false;
  let unsubscribe: (() => void) | null = null;

  function current(): SyncStatus {
    return syncStatus(register.db, register.clock, { deviceId: register.ofdTarget.deviceId, offlineLimitHours: register.config().cache.offlineLimitHours }, { feed: deps.lastFeed() });
  }
  const freshness = (): CacheFreshnessView => register.checker.freshness(null);
  const deviceHealth = (): DeviceHealthView[] => register.devices.health().map((h) => ({ ...h }));
  const dashboard = (): SyncDashboard => ({
    trainingMode: register.trainingMode, status: current(), cache: freshness(), devices: deviceHealth(), training: deps.training(),
    marking: register.markingChain?.health() ?? [], lastCheck: deps.lastCheck?.() ?? null, ofdProbe: deps.ofdProbe?.() ?? null,
  });

  function push(): void {
    if (stopped) return;
    try {
      deps.push(dashboard());
    } catch (err) {
      deps.warn?.('sync status failed', err);
    }
  }

  function pushSoon(): void {
    if (soon !== null || stopped) return;
    soon = setTimeout(() => { soon = null; push(); }, 100);
    soon.unref();
  }

  return {
    current, freshness, deviceHealth, dashboard, pushSoon,
    start() {
      stopped = false;
      // A marking system that turns failing or healthy shows on the dashboards at once.
      unsubscribe ??= register.markingChain?.onHealthChange(pushSoon) ?? null;
      timer = setInterval(push, deps.intervalMs ?? 3_000);
      timer.unref();
    },
    stop() {
      stopped = true;
      unsubscribe?.();
      unsubscribe = null;
      if (timer !== null) clearInterval(timer);
      if (soon !== null) clearTimeout(soon);
      timer = null;
      soon = null;
    },
  };
}
