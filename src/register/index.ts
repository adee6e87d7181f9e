/**
 * The register, wired once. `createRegister` builds every service of one register from its
 * configuration, database and clock, in dependency order: checker, checkout, OFD client, sender,
 * marking client and puller, printing, devices. The server (`startCore`), every CLI command
 * (`openRegister`) and the Electron core all build it here, so they cannot disagree about how a
 * register behaves: the same code and configuration get the same decision everywhere.
 *
 * Building starts nothing: `start()` begins the loops (printing, devices, puller, sender, the
 * hourly housekeeping: contact purge, printed-receipt retention); `stop()` ends them in reverse order and lets the delivery in flight
 * finish. The caller owns and closes the database.
 */
import { systemClock, type Clock } from '../clock.ts';
import type { CodeChecker } from '../cache/index.ts';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files.ts';
import { createCheckout, type Checkout, type CheckoutConfig } from '../checkout/index.ts';
import { configPath, configSchema, markingProviders, type Config, type MarkingProviderConfig } from '../config.ts';
import { createStoreLink, type StoreLink } from '../hub/index.ts';
import { DeviceManager, type DeviceConfig } from '../devices/index.ts';
import type { ParseOptions } from '../marking/index.ts';
import {
  createMarkingChain, createMarkingClient, DEFAULT_PROBE_SCHEDULE, createProvider, type MarkingChain, type MarkingRegistryClient, type OfdClient, type RegInfoInput,
} from '../registry/index.ts';
import { feedCursor, refusalsByReason, type Db } from '../store/index.ts';
import {
  createCachePuller, createCatalogLookup, createOutboxSender, openOfdClient, syncStatus, type CachePuller, type CatalogLookup, type FeedStatus, type OfdTarget,
  type OutboxSender, type SenderEvent,
} from '../sync/index.ts';
import { createDecisions } from './decisions.ts';
import { applyStatusTo, feedStatusOf, statusSourceOf, storePuller } from './store-feed.ts';
import { startHousekeeping } from './housekeeping.ts';
import { createReceiptPrinting, owingReceipts, type PrinterTarget, type ReceiptPrinting } from './printing.ts';
import { serialClient } from './serial-client.ts';
import { TRAINING_DEVICE, TRAINING_SCANNER_ID, type TrainingSetup } from './training.ts';
import { checkRegisterTuning, type RegisterTuning } from './tuning.ts';

export { TRAINING_DEVICE, TRAINING_SCANNER_ID, type RenderingPrinter, type TrainingControl, type TrainingSetup, type TrainingStatus, type TrainingScanner, type TrainingSampleKind } from './training.ts';
export { checkRegisterTuning, checkTimings, type RegisterTuning, type TimingRule } from './tuning.ts';
export { createDecisions, databasePath, type Decisions } from './decisions.ts';
export { createReceiptPrinting, receiptDocument, storePrintQueue, PLACEHOLDER_BIN, type PrinterTarget, type PrintResult, type ReceiptPrinting } from './printing.ts';

/** Where the configuration comes from: a fixed one (CLI) or live settings (the setup wizard changes it). */
export type ConfigSource = Config | { get(): Config };

/** What {@link createRegister} needs. */
export interface RegisterOptions {
  config: ConfigSource;
  db: Db;
  dataDir: string;
  clock?: Clock;
  /** Training mode's emulators (started by the root from emulators/); their addresses stand in for the missing registry configuration. */
  training?: TrainingSetup | null;
  /** Where the OFD is, overriding configuration and training (`tanba sync now` starts only a training OFD). */
  ofdTarget?: OfdTarget;
  tuning?: RegisterTuning;
  /** Told about every delivery attempt and feed sync (the server turns them into events and logs). */
  onSenderEvent?: (event: SenderEvent) => void;
  onFeedStatus?: (status: FeedStatus) => void;
  /** Told when something in the background failed and was skipped (logged by the server). */
  warn?: (message: string, err?: unknown) => void;
}

/** One register's services. */
export interface Register {
  config(): Config;
  readonly db: Db;
  readonly clock: Clock;
  readonly dataDir: string;
  /** No OFD configured: sales go to the training emulators (or nowhere, in the CLI). */
  readonly trainingMode: boolean;
  readonly training: TrainingSetup | null;
  /** How scanned text is read everywhere (parse, check, checkout). */
  readonly parseOptions: ParseOptions;
  readonly checker: CodeChecker;
  readonly checkout: Checkout;
  readonly ofdTarget: OfdTarget;
  /** Built on first use: a CLI command that never talks to the OFD leaves its state untouched. */
  readonly ofdClient: OfdClient;
  readonly sender: OutboxSender;
  /** National Catalogue lookups (through the OFD, with the local table). */
  readonly catalog: CatalogLookup;
  /** The Tanba feed client (status feed for the puller, and its check), when a tanba-feed entry is configured. */
  readonly marking: MarkingRegistryClient | null;
  /** The configured marking systems, asked in order within the online check's budget; null when none is configured. */
  readonly markingChain: MarkingChain | null;
  readonly puller: CachePuller | null;
  readonly printing: ReceiptPrinting;
  readonly devices: DeviceManager;
  /** The lane's link to its store (`store.nats`), or null: a register alone, nothing changes. */
  readonly hub: StoreLink | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function configGetter(source: ConfigSource): () => Config {
  return 'get' in source && typeof source.get === 'function' ? () => source.get() : () => source as Config;
}

/** The checkout's settings, read live from the configuration (the setup wizard names the store after start). */
export function checkoutConfigOf(config: () => Config): CheckoutConfig {
  return {
    get storeName() { return config().store.name; },
    get storeAddress() { return config().store.address; },
    get storeBin() { return config().store.bin; },
    get registerId() { return config().register.id; },
    get languages() { return config().languages; },
    get contactRetentionDays() { return config().privacy.contactRetentionDays; },
    get catalogNotFound() { return config().catalog.notFound; },
    get vatPayer() { return config().store.vatPayer; },
  };
}

/** What the register tells the OFD about itself when lifting a server block (COMMAND_SYSTEM, 5.4). */
export function regInfoOf(config: Config, deviceId: number): RegInfoInput {
  const kgd = config.registry.ofd?.kgdKkmId;
  return {
    kkm: { kkm_id: String(deviceId), point_of_payment_number: config.register.id, ...(kgd ? { fns_kkm_id: kgd } : {}) },
    org: { title: config.store.name, ...(config.store.address ? { address: config.store.address } : {}), ...(config.store.bin ? { inn: config.store.bin } : {}) },
  };
}

/** Where the OFD is: the configured one, the training emulator, or (CLI in training mode) nowhere reachable. */
export function ofdTargetOf(config: Config, training: TrainingSetup | null): OfdTarget {
  return config.registry.ofd ?? training?.ofd ?? { host: '127.0.0.1', port: 1, deviceId: TRAINING_DEVICE.id, token: TRAINING_DEVICE.token };
}

function printerTargetOf(training: TrainingSetup | null, devices: DeviceManager, warn: (m: string, e?: unknown) => void): PrinterTarget {
  if (training) return { kind: 'virtual', outDir: training.printer.outDir, open: training.printer.open };
  let printer: DeviceConfig | undefined;
  try {
    printer = devices.list().find((d) => d.role === 'printer' && d.path !== undefined);
  } catch (err) {
    warn('devices.json is not readable', err);
  }
  return printer?.path ? { kind: 'device', id: printer.id, spec: { kind: 'serial', path: printer.path, baudRate: printer.baudRate } } : { kind: 'none' };
}

/** What the lane's link to its store needs besides the configuration. */
interface StoreLinkDeps {
  dataDir: string; db: Db; clock: Clock; warn: (m: string, e?: unknown) => void; syncState: () => Record<string, unknown>;
  /** The registry's feed: the lane leading the store's download fetches it (null: no feed configured). */
  marking: MarkingRegistryClient | null;
  feedIntervalMs: number | undefined;
  streamMaxAgeMs: number | undefined;
  onFeedStatus: ((status: FeedStatus) => void) | undefined;
}

/** The lane's link to its store when `store.nats` is configured (it needs `store.id`). */
function storeLinkOf(config: Config, deps: StoreLinkDeps): StoreLink | null {
  const nats = config.store.nats;
  if (nats === undefined) return null;
  if (config.store.id === undefined) throw new TypeError('store.nats is configured but store.id is not: every lane of a store needs the same store.id');
  const { db, clock } = deps;
  return createStoreLink({
    db, clock, store: config.store.id, register: config.register.id, nats, warn: deps.warn, syncState: deps.syncState,
    // Feeds published once at the store are applied here like `tanba cache import`.
    applyStatus: applyStatusTo(db, clock),
    ...(deps.marking !== null ? { statusSource: statusSourceOf(deps.marking) } : {}),
    ...(deps.feedIntervalMs !== undefined ? { feedIntervalMs: deps.feedIntervalMs } : {}),
    ...(deps.streamMaxAgeMs !== undefined ? { streamMaxAgeMs: deps.streamMaxAgeMs } : {}),
    ...(deps.onFeedStatus ? { onDownload: (r) => deps.onFeedStatus?.(feedStatusOf(r, db, clock)) } : {}),
    writeConfig: (s) => mergeConfigFile(deps.dataDir, s),
  });
}

/**
 * Merges head-office settings into the data directory's config.json (validated whole before it
 * is written, written atomically); they apply at the next start.
 */
export function mergeConfigFile(dataDir: string, settings: Record<string, unknown>): void {
  const file = configPath(dataDir);
  const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> : {};
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(settings)) {
    const old = merged[key];
    merged[key] = value !== null && typeof value === 'object' && !Array.isArray(value) && old !== null && typeof old === 'object' && !Array.isArray(old)
      ? { ...(old as Record<string, unknown>), ...(value as Record<string, unknown>) } : value;
  }
  configSchema.parse(merged);
  writeFileAtomic(file, `${JSON.stringify(merged, null, 2)}\n`);
}

/** What a heartbeat tells head office about the register's delivery to the registry (OFD). */
export function heartbeatSyncState(db: Db, clock: Clock, config: { deviceId: number; offlineLimitHours: number }): Record<string, unknown> {
  const s = syncStatus(db, clock, config);
  const to = clock.now();
  const from = new Date(to.getTime() - 3_600_000);
  return {
    queue: s.queue.depth, oldestUndelivered: s.queue.oldestUndeliveredAt, mode: s.mode, salesAllowed: s.salesAllowed,
    hoursLeft: s.timeLeftMs === null ? null : Math.max(0, Math.round((s.timeLeftMs / 3_600_000) * 10) / 10),
    offlineLimitHours: s.offlineLimitHours,
    refusalsLastHour: Object.fromEntries(refusalsByReason(db, from.toISOString(), to.toISOString()).map((r) => [r.reason, r.count])),
  };
}

/** The marking systems of a register: training's emulators, else the configuration's list (the old single object is a tanba-feed). */
export function markingEntriesOf(config: Config, training: TrainingSetup | null): MarkingProviderConfig[] {
  if (training) return training.markingProviders ?? [{ kind: 'tanba-feed', url: training.marking.url, token: training.marking.token }];
  return markingProviders(config);
}

/** Builds the register's services (nothing runs until start()). A bad timing is a TypeError naming it. */
export function createRegister(options: RegisterOptions): Register {
  checkRegisterTuning(options.tuning);
  const { db, dataDir } = options;
  const config = configGetter(options.config);
  const clock = options.clock ?? systemClock;
  const tuning = options.tuning ?? {};
  const training = options.training ?? null;
  const warn = options.warn ?? ((): void => undefined);
  const initial = config();
  const trainingMode = initial.registry.ofd === undefined;
  const onlineCheckMs = tuning.onlineCheckMs ?? 1_500;

  const entries = markingEntriesOf(initial, training);
  // The first tanba-feed entry's status feed fills the cache (the puller); the chain shares its client.
  const feed = entries.find((e): e is Extract<MarkingProviderConfig, { kind: 'tanba-feed' }> => e.kind === 'tanba-feed');
  const marking = feed === undefined ? null : createMarkingClient({
    url: feed.url, ...(feed.token ? { token: feed.token } : {}), ...(feed.caFile ? { caFile: feed.caFile } : {}), checkTimeoutMs: onlineCheckMs,
  });
  const markingChain = entries.length === 0 ? null : createMarkingChain(
    entries.map((e, i) => createProvider(e, i, { clock, checkTimeoutMs: onlineCheckMs, feedClient: marking })),
    { budgetMs: onlineCheckMs, clock, probe: { ...DEFAULT_PROBE_SCHEDULE, ...tuning.markingProbe } },
  );
  const { parseOptions, checker } = createDecisions(initial, db, clock, marking !== null);
  const ofdTarget = options.ofdTarget ?? ofdTargetOf(initial, training);
  const hub = storeLinkOf(initial, {
    dataDir, db, clock, warn, marking, feedIntervalMs: tuning.pullIntervalMs, streamMaxAgeMs: tuning.storeStreamMaxAgeMs, onFeedStatus: options.onFeedStatus,
    syncState: () => heartbeatSyncState(db, clock, { deviceId: ofdTarget.deviceId, offlineLimitHours: initial.cache.offlineLimitHours }),
  });
  // The checkout refuses to sell past the offline limit or while the OFD blocks the register.
  const checkout = createCheckout({
    db, checker, clock, config: checkoutConfigOf(config), parseOptions,
    fiscal: { deviceId: ofdTarget.deviceId, offlineLimitHours: initial.cache.offlineLimitHours },
    // Each sale's transaction also records that its receipt is owed (when the core prints): a crash before the printer is found.
    guard: owingReceipts(db, () => printing, hub?.guard),
  });
  const reconnectIntervalMs = tuning.ofdReconnectIntervalMs ?? (trainingMode ? 5_000 : 60_000);
  let ofdClient: OfdClient | null = null;
  let sender: OutboxSender | null = null;
  const getOfdClient = (): OfdClient => {
    ofdClient ??= serialClient(openOfdClient(db, ofdTarget, {
      clock, transactionTimeoutMs: tuning.ofdTransactionTimeoutMs ?? (trainingMode ? 5_000 : 10_000), reconnectIntervalMs,
      ...(initial.registry.ofd?.geo ? { geo: initial.registry.ofd.geo } : {}),
    }));
    return ofdClient;
  };
  const getSender = (): OutboxSender => {
    sender ??= createOutboxSender({
      db, client: getOfdClient(), clock, reconnectIntervalMs,
      backoff: tuning.senderBackoff ?? (trainingMode ? { baseMs: 1_000, maxMs: 10_000 } : {}),
      ...(tuning.senderIdleMs !== undefined ? { idleMs: tuning.senderIdleMs } : {}),
      regInfo: regInfoOf(config(), ofdTarget.deviceId),
      // Training mode has no КГД registration: its returns name the training register.
      ...(trainingMode ? { kgdKkmId: `TRAINING-${ofdTarget.deviceId}` } : {}),
      contactRetentionDays: initial.privacy.contactRetentionDays,
      ...(options.onSenderEvent ? { onStatus: options.onSenderEvent } : {}),
    });
    return sender;
  };
  const catalog = createCatalogLookup({
    db, client: getOfdClient, clock, ttlHours: initial.catalog.ttlHours,
    budgetMs: tuning.catalogLookupMs ?? initial.catalog.lookupBudgetMs,
  });
  // A lane of a store does not download the feed itself: the store's leading lane does, once for all
  // (unless the store's NATS stays unreachable past the grace period: then it pulls like a lone register).
  const ownPuller = (client: MarkingRegistryClient): CachePuller => createCachePuller({
    db, client, clock,
    ...(tuning.pullIntervalMs !== undefined ? { intervalMs: tuning.pullIntervalMs } : {}),
    ...(options.onFeedStatus ? { onStatus: options.onFeedStatus } : {}),
  });
  const puller = marking === null ? null : hub !== null
    ? storePuller(hub, db, clock, { graceMs: (initial.store.nats?.feedFallbackSeconds ?? 300) * 1_000, ownPuller: () => ownPuller(marking), warn })
    : ownPuller(marking);
  const devices = new DeviceManager({ dataDir });
  const printing = createReceiptPrinting({ db, clock, dataDir, target: printerTargetOf(training, devices, warn) });
  let stopPurge: (() => void) | null = null;

  return {
    config, db, clock, dataDir, trainingMode, training, parseOptions, checker, checkout, ofdTarget, marking, markingChain, puller, printing, devices, hub, catalog,
    get ofdClient() { return getOfdClient(); },
    get sender() { return getSender(); },
    async start() {
      await printing.start();
      // A sale committed while the last run died before its receipt printed: the cashier's banner offers the reprint.
      const owed = printing.unprinted().length;
      if (owed > 0) warn(`${owed} committed document(s) never printed their receipt; the cashier screen offers the reprint`);
      if (!trainingMode || training?.scanner == null) {
        // A leftover training scanner would only show as failed.
        try { if (devices.list().some((d) => d.id === TRAINING_SCANNER_ID)) devices.unassign(TRAINING_SCANNER_ID); } catch { /* reported by start() below */ }
      }
      if (training?.scanner) {
        devices.assign({ id: TRAINING_SCANNER_ID, role: 'scanner', transport: 'serial', path: training.scanner.link, framing: { terminator: 'cr', idleMs: 50, maxLength: 4096 } });
      }
      try {
        await devices.start();
      } catch (err) {
        warn('devices could not start', err);
      }
      if (puller !== null) {
        // Training: the first snapshot is local and quick; have a ready cache before the first
        // scan. A cache that already holds a snapshot answers at once; the pull refreshes it
        // behind (as on a real register), so a restart does not wait for 10,000 records.
        if (training && !feedCursor(db).hasSnapshot) await puller.pullOnce();
        puller.start();
      }
      getSender().start();
      markingChain?.start();
      // Chart logs pruned; contacts whose consent expired or was withdrawn purged, printed
      // receipts past their retention deleted, now and hourly.
      stopPurge = startHousekeeping(db, { clock, receiptRetentionDays: () => config().printing.receiptRetentionDays, onError: warn });
      // Never awaited for a connection: the store's NATS may be down, the register sells anyway.
      await hub?.start();
    },
    async stop() {
      stopPurge?.();
      stopPurge = null;
      await hub?.stop();
      // The delivery in flight finishes (or times out) first; nothing new starts.
      await sender?.stop();
      await puller?.stop();
      await devices.stop().catch(() => undefined);
      await printing.stop().catch(() => undefined);
      await markingChain?.close();
      marking?.close();
    },
  };
}

