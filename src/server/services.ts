/**
 * The services of one register, built once (the composition root's half that is not HTTP):
 * code checker, checkout, OFD client + outbox sender, marking registry client + cache puller,
 * device manager, receipt printing, sync status, logs — and in training mode the emulators they
 * talk to. Each service is an interface handed to the next through its constructor; nothing
 * here reaches for a global.
 *
 * Training mode (no `registry.ofd` in the configuration) starts in-process, on loopback:
 * - an OFD emulator (its database `<dataDir>/ofd-training.db`) that the sender delivers to over
 *   real TCP exactly as to a real OFD;
 * - a marking registry emulator with a seeded dataset (its feed also written to
 *   `<dataDir>/training-feed.ndjson`) that the puller and the online check use over real HTTP;
 * - a virtual serial scanner on a pty (socat) assigned as device `training-scanner`, which the
 *   technician's "test scan" sends through, so a test scan travels the real driver path;
 * - a virtual ESC/POS printer that renders every receipt to PNG (`<dataDir>/receipts/`).
 * Every receipt printed in training mode says so (the printer document's `training` flag).
 *
 * Invariants:
 * - Scans and payments go through one lane (a promise chain), so the in-memory basket sees them
 *   in the order they arrived even though an online check is awaited in between.
 * - A completed sale is committed (checkout: one transaction with its outbox row) before the
 *   sender is told, before anything prints and before any event; a printer failure never fails
 *   the sale (the print queue records it for a reprint).
 * - stop() lets the sender finish the delivery in flight (the OFD client's durable REQNUM state
 *   makes even an interrupted one safe), then stops the emulators; the caller closes the DB.
 */
import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Readable } from 'node:stream';
import { systemClock, type Clock } from '../clock.ts';
import { parseCode } from '../marking/index.ts';
import type { CodeFacts } from '../rules/index.ts';
import {
  cacheStats, createCodeChecker, importFeed, type CacheStats, type CheckContext, type CheckResult, type CheckableCode,
  type CodeChecker, type FreshnessInfo, type ImportProgress, type ImportResult,
} from '../cache/index.ts';
import {
  CheckoutError, createCheckout, startContactPurge, type BasketLine, type Checkout, type CheckoutConfig, type CommittedDocument, type Payment, type Refusal,
} from '../checkout/index.ts';
import {
  buildInfo, createMarkingClient, RegistryDataset, RegistryEmulator, writeFeedFile,
  type MarkingRegistryClient, type OfdClient, type OfdOutcome, type SampleKind,
} from '../registry/index.ts';
import {
  createCachePuller, createOutboxSender, openOfdClient, startTrainingOfd, syncStatus, TRAINING_DEVICE,
  type CachePuller, type DeliveryPass, type FeedStatus, type OfdTarget, type OutboxSender, type SenderEvent, type SyncStatus, type TrainingOfd,
} from '../sync/index.ts';
import { DeviceManager, type DeviceConfig, type DeviceHealth, type ScanEvent } from '../devices/index.ts';
import { SerialScannerEmulator } from '../../drivers/emulators/scanner/index.ts';
import { getOutboxByDocument, getOpenShift, PendingRequestError, recordCheck, recordDeliveryAttempt, pruneStats, type Db } from '../store/index.ts';
import type { Logger } from '../log.ts';
import type {
  BasketView, CacheFreshnessView, CompleteResponse, ConnectionTestResult, DeviceHealthView, PrintView, ServerEvent, ShiftView,
  SyncDashboard, TrainingView, VerdictEvent,
} from './contract/index.ts';
import { createCoreLogger, type LogRing } from './log-ring.ts';
import { createReceiptPrinting, type PrinterTarget, type ReceiptPrinting } from './printing.ts';
import type { Settings } from './settings.ts';

/** Id of the emulated scanner in training mode. */
export const TRAINING_SCANNER_ID = 'training-scanner';
/** Bearer token of the in-process marking registry emulator. */
const TRAINING_REGISTRY_TOKEN = 'tanba-emulator';
/** Seed of the training registry's dataset: the same codes on every start. */
const TRAINING_SEED = 8;

/** Timings, mostly for tests (which need seconds, not the protocol's minutes). */
export interface ServiceTuning {
  /** Total time of one OFD request (default 5 s in training, 10 s otherwise). */
  ofdTransactionTimeoutMs?: number;
  /** Wait between OFD reconnect attempts while offline (default 5 s in training, 60 s otherwise). */
  ofdReconnectIntervalMs?: number;
  /** Sender backoff after failures. */
  senderBackoff?: { baseMs?: number; maxMs?: number };
  /** Sender idle re-check (default 30 s). */
  senderIdleMs?: number;
  /** Cache pull interval (default 60 s). */
  pullIntervalMs?: number;
  /** Sync status push interval (default 3 s). */
  statusPushMs?: number;
  /** Budget of an online check (default 1.5 s). */
  onlineCheckMs?: number;
  /** How long a sale waits for its OFD ticket number before printing offline (default 1.5 s). */
  printWaitForTicketMs?: number;
  /** How long a sale's answer waits for the printer before saying 'pending' (default 4 s). */
  printWaitMs?: number;
  /** Codes in the training registry dataset (default 10 000). */
  trainingCodes?: number;
  /** Start the emulated pty scanner in training mode (default true; needs socat). */
  trainingScanner?: boolean;
}

/** What {@link createServices} needs. */
export interface ServicesOptions {
  db: Db;
  settings: Settings;
  dataDir: string;
  clock?: Clock;
  /** The core's logger with its ring buffer; default one at the configured level. */
  logger?: { logger: Logger; ring: LogRing };
  tuning?: ServiceTuning;
}

/** A scan's outcome as the API and the events carry it. */
export interface ScanOutcome {
  verdict: VerdictEvent;
  basket: BasketView;
}

/** The in-process emulators of training mode. */
export interface TrainingEmulators {
  readonly ofd: TrainingOfd | null;
  readonly registry: RegistryEmulator | null;
  readonly scanner: SerialScannerEmulator | null;
  status(): TrainingView;
  /** Stops the OFD emulator (deliveries fail, the queue grows). */
  stopOfd(): Promise<void>;
  /** Starts it again on the same port with the same database; the queue drains. */
  startOfd(): Promise<void>;
  stopRegistry(): Promise<void>;
  startRegistry(): Promise<void>;
  /** Codes of the training dataset as scanned (GS kept), e.g. to try a sellable one. */
  sample(kind: SampleKind, n: number, offset?: number): string[];
}

/** The services of the register. */
export interface Services {
  readonly trainingMode: boolean;
  readonly logger: Logger;
  readonly logs: LogRing;
  readonly checker: CodeChecker;
  readonly checkout: Checkout;
  readonly sender: OutboxSender;
  readonly ofdClient: OfdClient;
  readonly ofdTarget: OfdTarget;
  readonly marking: MarkingRegistryClient | null;
  readonly puller: CachePuller | null;
  readonly devices: DeviceManager;
  readonly printing: ReceiptPrinting;
  readonly training: TrainingEmulators | null;
  readonly startedAt: number;
  /** Receives every event for the UIs (the server broadcasts them). Returns an unsubscribe. */
  onEvent(listener: (event: ServerEvent) => void): () => void;
  emit(event: ServerEvent): void;
  /** A scan from any source: online check within budget, checkout, verdict event. */
  scan(code: string, source: string, options?: { price?: number; quantity?: number }): Promise<ScanOutcome>;
  basket(): BasketView;
  /** Runs a basket change in the scan lane and announces the new basket. */
  changeBasket<T>(fn: (checkout: Checkout) => T): Promise<{ result: T; basket: BasketView }>;
  /** Pays and commits the sale, tells the sender, prints (never failing the sale), announces it. */
  completeSale(input: { payments: Payment[]; contact?: { phone?: string; email?: string; consent: boolean } }): Promise<CompleteResponse>;
  /** Commits a return against a sale, then as completeSale. */
  completeReturn(saleId: string, items: readonly string[], payments?: Payment[]): Promise<CompleteResponse>;
  /** Reprints a committed document's receipt. */
  reprint(documentId: string): Promise<PrintView>;
  syncStatus(): SyncStatus;
  freshness(): CacheFreshnessView;
  dashboard(): SyncDashboard;
  deviceHealth(): DeviceHealthView[];
  /** One delivery pass now, ignoring backoff (a manager's "sync now"). */
  syncNow(): Promise<DeliveryPass>;
  /** One cache pull now. */
  resync(): Promise<FeedStatus | null>;
  /** Streams an uploaded feed into the cache (one import at a time), with progress events. */
  importCache(body: Readable, full: boolean): Promise<ImportResult>;
  cacheStats(): CacheStats;
  /** True while an import or resync runs. */
  cacheBusy(): boolean;
  /** Training: sends a code through the emulated scanner's pty. */
  testScan(code: string): Promise<{ deviceId: string; bytes: number }>;
  /** Tries the OFD (COMMAND_INFO) and the marking registry. */
  testRegistry(): Promise<{ ofd: ConnectionTestResult; marking: ConnectionTestResult }>;
  /** Re-reads devices.json and reopens the devices (after assign / configure). */
  restartDevices(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** A refusal of a service, with the HTTP status the API answers with. */
export class ServiceError extends Error {
  override name = 'ServiceError';
  constructor(readonly code: string, readonly status: number, message: string) {
    super(message);
  }
}

/** Printable form of device bytes: GS as <GS>, other control and non-ASCII bytes as <xx>. */
export function printableBytes(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b === 0x1d) out += '<GS>';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += `<${b.toString(16).padStart(2, '0')}>`;
  }
  return out;
}

function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/**
 * A checker that adds the facts of an online check, when one answered in time for the scan in
 * progress, to the cache decision (the cache checker lets online facts decide the registry
 * status; this store's own sales and the block lists still count).
 */
class OnlineFactsChecker implements CodeChecker {
  private online: { facts: Map<string, CodeFacts>; requestId: string } | null = null;

  constructor(private readonly inner: CodeChecker) {}

  /** Runs `fn` with these online facts in effect (synchronously: the checkout's scan is synchronous). */
  withOnline<T>(online: { facts: Map<string, CodeFacts>; requestId: string } | null, fn: () => T): T {
    this.online = online;
    try {
      return fn();
    } finally {
      this.online = null;
    }
  }

  check(parsed: CheckableCode, ctx: CheckContext): CheckResult {
    const cis = parsed.ok ? parsed.cis ?? null : null;
    const facts = cis !== null && ctx.operation === 'sale' ? this.online?.facts.get(cis) : undefined;
    if (facts !== undefined && this.online !== null && ctx.online == null) {
      return this.inner.check(parsed, { ...ctx, online: facts, requestId: this.online.requestId });
    }
    return this.inner.check(parsed, ctx);
  }

  freshness(group?: string | null): FreshnessInfo {
    return this.inner.freshness(group);
  }
}

/**
 * Serialises sends on one OFD client: the client allows one request at a time and a second
 * caller (the registry test next to the sender) must wait rather than break the order.
 */
function serialClient(client: OfdClient): OfdClient {
  let chain: Promise<unknown> = Promise.resolve();
  return {
    get deviceId() { return client.deviceId; },
    send(request, options) {
      const next = chain.then(() => client.send(request, options));
      chain = next.catch(() => undefined);
      return next;
    },
    state: () => client.state(),
    resolveBlock: (o) => client.resolveBlock(o),
    allocateOfflineTicketNumber: () => client.allocateOfflineTicketNumber(),
  };
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<{ ok: boolean; ms: number; error: string | null }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean, error: string | null): void => {
      socket.destroy();
      resolve({ ok, ms: Math.round(performance.now() - t0), error });
    };
    socket.setTimeout(timeoutMs, () => done(false, `no TCP connection within ${timeoutMs} ms`));
    socket.once('connect', () => done(true, null));
    socket.once('error', (err) => done(false, `${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`.trim()));
  });
}

/** Builds every service once. Call start() to begin delivering, pulling and reading devices. */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const { db, settings, dataDir } = options;
  const tuning = options.tuning ?? {};
  const clock: Clock = options.clock ?? systemClock;
  const clockObj = clock;
  const config = settings.get();
  const trainingMode = settings.trainingMode();
  const { logger, ring } = options.logger ?? createCoreLogger({ stderrLevel: config.log.level });
  const events = new EventEmitter<{ event: [ServerEvent] }>();
  events.setMaxListeners(100);
  const emit = (event: ServerEvent): void => { events.emit('event', event); };
  const startedAt = Date.now();

  // ---- training emulators (started here: the clients below need their addresses) ----
  let trainingOfd: TrainingOfd | null = null;
  let ofdPort = 0;
  let registryEmu: RegistryEmulator | null = null;
  let registryUrl = '';
  let dataset: RegistryDataset | null = null;
  let scannerEmu: SerialScannerEmulator | null = null;
  if (trainingMode) {
    trainingOfd = await startTrainingOfd(dataDir);
    ofdPort = trainingOfd.port;
    dataset = new RegistryDataset({ seed: TRAINING_SEED, codes: tuning.trainingCodes ?? 10_000, today: clock.now().toISOString().slice(0, 10) });
    registryEmu = new RegistryEmulator({ dataset, token: TRAINING_REGISTRY_TOKEN });
    registryUrl = await registryEmu.start();
    try {
      // The same feed as a file, for the technician's "cache import" and for demos.
      writeFeedFile(join(dataDir, 'training-feed.ndjson'), dataset);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'could not write the training feed file');
    }
  }

  // ---- registry clients ----
  const ofdTarget: OfdTarget = config.registry.ofd
    ?? { host: '127.0.0.1', port: ofdPort, deviceId: TRAINING_DEVICE.id, token: TRAINING_DEVICE.token };
  const rawClient = openOfdClient(db, ofdTarget, {
    clock,
    transactionTimeoutMs: tuning.ofdTransactionTimeoutMs ?? (trainingMode ? 5_000 : 10_000),
    reconnectIntervalMs: tuning.ofdReconnectIntervalMs ?? (trainingMode ? 5_000 : 60_000),
  });
  const ofdClient = serialClient(rawClient);
  let marking: MarkingRegistryClient | null = null;
  if (trainingMode) marking = createMarkingClient({ url: registryUrl, token: TRAINING_REGISTRY_TOKEN, checkTimeoutMs: tuning.onlineCheckMs ?? 1_500 });
  else if (config.registry.marking) {
    const m = config.registry.marking;
    marking = createMarkingClient({ url: m.url, ...(m.token ? { token: m.token } : {}), ...(m.caFile ? { caFile: m.caFile } : {}), checkTimeoutMs: tuning.onlineCheckMs ?? 1_500 });
  }

  // ---- checker and checkout ----
  const baseChecker = createCodeChecker(db, {
    clock: clockObj,
    offlineLimitHours: config.cache.offlineLimitHours,
    groupOfflineLimitHours: config.cache.groupOfflineLimitHours,
    feedConfigured: marking !== null,
    lang: config.languages[0] ?? 'ru',
  });
  const checker = new OnlineFactsChecker(baseChecker);
  // Read live from the settings: the setup wizard names the store and register after start.
  const checkoutConfig: CheckoutConfig = {
    get storeName() { return settings.get().store.name; },
    get storeAddress() { return settings.get().store.address; },
    get storeBin() { return settings.get().store.bin; },
    get registerId() { return settings.get().register.id; },
    get languages() { return settings.get().languages; },
  };
  // The checkout refuses to sell past the offline limit or while the OFD blocks the register.
  const checkout = createCheckout({ db, checker, clock, config: checkoutConfig, fiscal: { deviceId: ofdTarget.deviceId, offlineLimitHours: config.cache.offlineLimitHours } });

  // ---- sync: sender and puller ----
  const deliveryWaiters = new Map<string, Set<() => void>>();
  let statusTimer: NodeJS.Timeout | null = null;
  let stopped = false;
  let stopPurge: (() => void) | null = null;
  let statusSoon: NodeJS.Timeout | null = null;
  const sender = createOutboxSender({
    db, client: ofdClient, clock,
    reconnectIntervalMs: tuning.ofdReconnectIntervalMs ?? (trainingMode ? 5_000 : 60_000),
    backoff: tuning.senderBackoff ?? (trainingMode ? { baseMs: 1_000, maxMs: 10_000 } : {}),
    ...(tuning.senderIdleMs !== undefined ? { idleMs: tuning.senderIdleMs } : {}),
    onStatus: (e: SenderEvent) => {
      try {
        recordDeliveryAttempt(db, { at: e.at, outboxId: e.id, ok: e.ok, kind: e.ok ? null : e.kind, error: e.ok ? null : e.error });
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not log a delivery attempt');
      }
      if (e.ok) logger.info({ outboxId: e.id, documentId: e.documentId, ticketNumber: e.ticketNumber }, 'delivered to the OFD');
      else logger.warn({ outboxId: e.id, documentId: e.documentId, kind: e.kind, error: e.error }, 'OFD delivery failed');
      emit({ type: 'delivery', ok: e.ok, outboxId: e.id, documentId: e.documentId, ticketNumber: e.ok ? e.ticketNumber : null, error: e.ok ? null : e.error, at: e.at });
      if (e.ok) for (const wake of deliveryWaiters.get(e.documentId) ?? []) wake();
      pushStatusSoon();
    },
  });
  let lastFeed: FeedStatus | null = null;
  let cacheJob: string | null = null;
  const puller = marking === null ? null : createCachePuller({
    db, client: marking, clock: clockObj,
    ...(tuning.pullIntervalMs !== undefined ? { intervalMs: tuning.pullIntervalMs } : {}),
    onStatus: (s) => {
      if (stopped) return; // the pull stop() aborted: not a failure worth reporting
      lastFeed = s;
      if (s.ok) logger.info({ kind: s.kind, records: s.records, cursor: s.cursor }, 'cache synced');
      else logger.warn({ error: s.error, transient: s.transient }, 'cache sync failed');
      pushStatusSoon();
    },
  });

  // ---- devices ----
  const devices = new DeviceManager({ dataDir });
  const healthById = new Map<string, DeviceHealth>();
  devices.on('scan', (e: ScanEvent) => {
    emit({ type: 'device-raw', deviceId: e.deviceId, hex: hexBytes(e.raw), text: printableBytes(e.raw), length: e.raw.length, ok: true, error: null, at: e.timing.at });
    logger.debug({ deviceId: e.deviceId, length: e.raw.length }, 'scan from device');
    void scan(e.data, e.deviceId).catch((err: unknown) => {
      logger.warn({ deviceId: e.deviceId, err: (err as Error).message }, 'scan from a device failed');
    });
  });
  devices.on('scan-error', (e) => {
    emit({ type: 'device-raw', deviceId: e.deviceId, hex: '', text: '', length: 0, ok: false, error: `${e.code}: ${e.message}`, at: clock.now().toISOString() });
  });
  devices.on('health', (h) => {
    healthById.set(h.id, h);
    emit({ type: 'device-health', health: { ...h } });
    pushStatusSoon();
  });

  // ---- printing ----
  let printerTarget: PrinterTarget = { kind: 'none' };
  if (trainingMode) printerTarget = { kind: 'virtual', outDir: join(dataDir, 'training-printer') };
  else {
    let printerDevice: DeviceConfig | undefined;
    try {
      printerDevice = devices.list().find((d) => d.role === 'printer' && d.path !== undefined);
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'devices.json is not readable');
    }
    if (printerDevice?.path) printerTarget = { kind: 'device', id: printerDevice.id, spec: { kind: 'serial', path: printerDevice.path, baudRate: printerDevice.baudRate } };
  }
  const printing = createReceiptPrinting({ db, dataDir, target: printerTarget });

  // ---- the scan lane ----
  let lane: Promise<unknown> = Promise.resolve();
  function inLane<T>(fn: () => Promise<T> | T): Promise<T> {
    const next = lane.then(fn);
    lane = next.catch(() => undefined);
    return next;
  }

  function shiftView(): ShiftView | null {
    const s = getOpenShift(db, checkoutConfig.registerId);
    return s ? { id: s.id, number: s.number, registerId: s.registerId, cashier: s.cashier, openedAt: s.openedAt, closedAt: s.closedAt } : null;
  }

  function currentStatus(): SyncStatus {
    return syncStatus(db, clock, { deviceId: ofdTarget.deviceId, offlineLimitHours: settings.get().cache.offlineLimitHours }, { feed: lastFeed });
  }

  function basketView(): BasketView {
    const b = checkout.basket();
    const s = currentStatus();
    return { lines: b.lines, refusals: b.refusals, total: b.total, shift: shiftView(), salesAllowed: s.salesAllowed, salesStoppedReason: s.salesStoppedReason };
  }

  function verdictOf(code: string, source: string, line: BasketLine | null, refusal: Refusal | null): VerdictEvent {
    const v = (line?.verdict ?? refusal?.verdict)!;
    return {
      type: 'verdict', code, cis: line?.cis ?? refusal?.cis ?? null, decision: v.decision, reason: v.reason, message: v.message, messages: v.messages,
      source: v.source, overridable: v.overridable, offline: v.offline, lineId: line?.id ?? null, refusalId: refusal?.id ?? null,
      scanSource: source, name: line?.name ?? null, at: clock.now().toISOString(),
    };
  }

  async function onlineFacts(code: string): Promise<{ facts: Map<string, CodeFacts>; requestId: string } | null> {
    if (marking === null) return null;
    const parsed = parseCode(code);
    if (!parsed.ok || parsed.cis === null || parsed.kind === 'ean' || parsed.kind === 'sscc') return null;
    const outcome = await marking.check([code], { timeoutMs: tuning.onlineCheckMs ?? 1_500 });
    if (outcome.kind === 'answered') return { facts: outcome.facts, requestId: outcome.requestId };
    // No answer within the budget: the cache decides (the verdict says it was decided offline).
    logger.info({ kind: outcome.kind, reason: outcome.reason }, 'online check gave no answer; deciding from the cache');
    return null;
  }

  async function scan(code: string, source: string, scanOptions: { price?: number; quantity?: number } = {}): Promise<ScanOutcome> {
    return inLane(async () => {
      const online = await onlineFacts(code);
      const result = checker.withOnline(online, () => checkout.scan(code, scanOptions));
      const verdict = result.ok ? verdictOf(code, source, result.lines[0] ?? null, null) : verdictOf(code, source, null, result.refusal);
      try {
        recordCheck(db, { at: verdict.at, decision: verdict.decision, reason: verdict.reason, source: verdict.source, cis: verdict.cis, scanSource: source });
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not log a check');
      }
      const basket = basketView();
      emit(verdict);
      emit({ type: 'basket', basket });
      return { verdict, basket };
    });
  }

  /** Waits until the document is delivered or `ms` passed. */
  function waitForDelivery(documentId: string, ms: number): Promise<void> {
    if (ms <= 0 || getOutboxByDocument(db, documentId)?.state === 'delivered') return Promise.resolve();
    return new Promise((resolve) => {
      const set = deliveryWaiters.get(documentId) ?? new Set<() => void>();
      deliveryWaiters.set(documentId, set);
      const wake = (): void => {
        clearTimeout(timer);
        set.delete(wake);
        if (set.size === 0) deliveryWaiters.delete(documentId);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      set.add(wake);
    });
  }

  async function afterCommit(doc: CommittedDocument): Promise<CompleteResponse> {
    // Committed: only now may the record leave the machine and the receipt print.
    sender.notify();
    pushStatusSoon();
    const basket = basketView();
    emit({ type: 'basket', basket });
    logger.info({ saleId: doc.sale.id, kind: doc.sale.kind, total: doc.sale.total, lines: doc.lines.length }, `${doc.sale.kind} committed`);
    // A short wait lets an online register print the OFD's ticket number and QR; offline it
    // prints the offline mark instead. The cashier never waits longer than this.
    await waitForDelivery(doc.sale.id, tuning.printWaitForTicketMs ?? 1_500);
    const receipt = checkout.getReceipt(doc.sale.id) ?? doc.receipt;
    // A slow printer (status timeouts, paper out) must not hold the cashier: after a while the
    // answer says 'pending' and a `print` event follows when the job is done.
    const job = printing.printReceipt(receipt, trainingMode).then((printed) => {
      if (printed.state === 'failed') logger.warn({ saleId: doc.sale.id, error: printed.error }, 'receipt did not print; it is kept for a reprint');
      const view: PrintView = { jobId: printed.jobId, state: printed.state, error: printed.error, pngUrl: printed.pngUrl };
      return view;
    });
    let late = false;
    const pending = new Promise<PrintView>((resolve) => {
      const timer = setTimeout(() => { late = true; resolve({ jobId: null, state: 'pending', error: null, pngUrl: null }); }, tuning.printWaitMs ?? 4_000);
      void job.then(() => clearTimeout(timer));
    });
    const print = await Promise.race([job, pending]);
    if (late) void job.then((view) => emit({ type: 'print', documentId: doc.sale.id, print: view }));
    const response: CompleteResponse = { saleId: doc.sale.id, kind: doc.sale.kind, receipt, training: trainingMode, print, basket };
    emit({ type: 'sale', saleId: doc.sale.id, kind: doc.sale.kind, receipt, training: trainingMode, print });
    return response;
  }

  // ---- status pushes ----
  function freshness(): CacheFreshnessView {
    return baseChecker.freshness(null);
  }

  function deviceHealth(): DeviceHealthView[] {
    return devices.health().map((h) => ({ ...h }));
  }

  const training: TrainingEmulators | null = !trainingMode ? null : {
    get ofd() { return trainingOfd; },
    get registry() { return registryEmu; },
    get scanner() { return scannerEmu; },
    status(): TrainingView {
      return {
        ofd: { running: trainingOfd !== null, host: '127.0.0.1', port: ofdPort },
        registry: { running: registryEmu !== null, url: registryUrl },
        scanner: { running: scannerEmu !== null, path: scannerEmu?.path ?? null },
        printer: { running: printing.target.kind === 'virtual', outDir: printing.target.kind === 'virtual' ? printing.target.outDir : '' },
      };
    },
    async stopOfd() {
      const t = trainingOfd;
      trainingOfd = null;
      await t?.close();
      logger.warn('training OFD emulator stopped');
      pushStatusSoon();
    },
    async startOfd() {
      if (trainingOfd) return;
      trainingOfd = await startTrainingOfd(dataDir, { port: ofdPort });
      logger.info({ port: ofdPort }, 'training OFD emulator started');
      sender.notify();
      void sender.deliverOnce({ force: true }).catch(() => undefined);
      pushStatusSoon();
    },
    async stopRegistry() {
      const r = registryEmu;
      registryEmu = null;
      await r?.close();
      logger.warn('training marking registry emulator stopped');
      pushStatusSoon();
    },
    async startRegistry() {
      if (registryEmu || dataset === null) return;
      const port = Number(new URL(registryUrl).port);
      const emu = new RegistryEmulator({ dataset, token: TRAINING_REGISTRY_TOKEN, port });
      await emu.start();
      registryEmu = emu;
      logger.info({ url: registryUrl }, 'training marking registry emulator started');
      pushStatusSoon();
    },
    sample(kind, n, offset = 0) {
      return dataset === null ? [] : dataset.sample(kind, n, { offset, today: clock.now().toISOString().slice(0, 10) }).map((s) => s.code);
    },
  };

  function dashboard(): SyncDashboard {
    return { trainingMode, status: currentStatus(), cache: freshness(), devices: deviceHealth(), training: training?.status() ?? null };
  }

  function pushStatus(): void {
    if (stopped) return;
    try {
      const d = dashboard();
      emit({ type: 'sync', status: d.status, cache: d.cache, training: d.training });
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'sync status failed');
    }
  }

  function pushStatusSoon(): void {
    if (statusSoon !== null || stopped) return;
    statusSoon = setTimeout(() => { statusSoon = null; pushStatus(); }, 100);
    statusSoon.unref();
  }

  function cacheProgress(origin: 'upload' | 'resync', phase: 'progress' | 'done' | 'failed', p: Partial<ImportProgress>, error: string | null): void {
    emit({
      type: 'cache-import', origin, phase, bytes: p.bytes ?? 0, totalBytes: p.totalBytes ?? null, line: p.line ?? 0, records: p.records ?? 0,
      error, at: clock.now().toISOString(),
    });
  }

  async function startTrainingScanner(): Promise<void> {
    if (!trainingMode || tuning.trainingScanner === false) return;
    const link = join(dataDir, 'training-scanner.pty');
    const emu = new SerialScannerEmulator({ link, terminator: 'cr' });
    try {
      await emu.start();
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'the emulated scanner could not start (is socat installed?); test scans are unavailable');
      await emu.close().catch(() => undefined);
      return;
    }
    scannerEmu = emu;
    devices.assign({ id: TRAINING_SCANNER_ID, role: 'scanner', transport: 'serial', path: link, framing: { terminator: 'cr', idleMs: 50, maxLength: 4096 } });
  }

  const services: Services = {
    trainingMode, logger, logs: ring, checker, checkout, sender, ofdClient, ofdTarget, marking, puller, devices, printing, training, startedAt,
    onEvent(listener) {
      events.on('event', listener);
      return () => { events.off('event', listener); };
    },
    emit,
    scan,
    basket: basketView,
    changeBasket(fn) {
      return inLane(() => {
        const result = fn(checkout);
        const basket = basketView();
        emit({ type: 'basket', basket });
        return { result, basket };
      });
    },
    async completeSale(input) {
      const doc = await inLane(() => {
        return checkout.completeSale(input);
      });
      return afterCommit(doc);
    },
    async completeReturn(saleId, items, payments) {
      const doc = await inLane(() => {
        return checkout.returnLines(saleId, items, payments ? { payments } : {});
      });
      return afterCommit(doc);
    },
    async reprint(documentId) {
      const receipt = checkout.getReceipt(documentId);
      if (!receipt) throw new CheckoutError('NOT_FOUND', `no sale or return ${documentId}`);
      const r = await printing.printReceipt(receipt, trainingMode);
      const print: PrintView = { jobId: r.jobId, state: r.state, error: r.error, pngUrl: r.pngUrl };
      emit({ type: 'print', documentId, print });
      return print;
    },
    syncStatus: currentStatus,
    freshness,
    dashboard,
    deviceHealth,
    async syncNow() {
      const pass = await sender.deliverOnce({ force: true });
      pushStatusSoon();
      return pass;
    },
    async resync() {
      if (puller === null) return null;
      if (cacheJob !== null) throw new ServiceError('BUSY', 409, `the cache is busy (${cacheJob}); try again when it has finished`);
      cacheJob = 'resync';
      try {
        cacheProgress('resync', 'progress', {}, null);
        const s = await puller.pullOnce();
        cacheProgress('resync', s.ok ? 'done' : 'failed', s.ok ? { records: s.records } : {}, s.ok ? null : s.error);
        return s;
      } finally {
        cacheJob = null;
      }
    },
    async importCache(body, full) {
      if (cacheJob !== null) throw new ServiceError('BUSY', 409, `the cache is busy (${cacheJob}); try again when it has finished`);
      cacheJob = 'upload';
      let lastEmit = 0;
      try {
        const result = await importFeed(db, body, {
          full, clock: clockObj,
          onProgress: (p) => {
            const t = performance.now();
            if (t - lastEmit < 250) return;
            lastEmit = t;
            cacheProgress('upload', 'progress', p, null);
          },
        });
        cacheProgress('upload', 'done', { bytes: result.bytes, line: result.lines, records: result.records }, null);
        logger.info({ kind: result.kind, records: result.records }, 'cache import committed');
        pushStatusSoon();
        return result;
      } catch (err) {
        cacheProgress('upload', 'failed', {}, (err as Error).message);
        throw err;
      } finally {
        cacheJob = null;
      }
    },
    cacheStats: () => cacheStats(db),
    cacheBusy: () => cacheJob !== null,
    async testScan(code) {
      if (!trainingMode) throw new ServiceError('NOT_TRAINING', 409, 'test scans go through the emulated scanner, which runs only in training mode');
      if (scannerEmu === null) throw new ServiceError('NO_SCANNER', 409, 'the emulated scanner is not running (is socat installed?); see the logs');
      const bytes = scannerEmu.frameBytes(code);
      await scannerEmu.send(code);
      return { deviceId: TRAINING_SCANNER_ID, bytes: bytes.length };
    },
    async testRegistry() {
      const ofdTargetText = `${ofdTarget.host}:${ofdTarget.port}`;
      let ofd: ConnectionTestResult;
      const t0 = performance.now();
      try {
        const outcome: OfdOutcome = await ofdClient.send(buildInfo());
        const ms = Math.round(performance.now() - t0);
        if (outcome.kind === 'ok') ofd = { target: ofdTargetText, ok: true, skipped: false, latencyMs: ms, detail: `COMMAND_INFO answered OK (REQNUM ${outcome.reqNum})` };
        else {
          const probe = await tcpProbe(ofdTarget.host, ofdTarget.port, 3_000);
          const why = outcome.kind === 'transient' ? outcome.reason : `result ${outcome.code}: ${outcome.text}`;
          ofd = { target: ofdTargetText, ok: false, skipped: false, latencyMs: probe.ok ? probe.ms : null, detail: `COMMAND_INFO: ${why}; TCP ${probe.ok ? `connects in ${probe.ms} ms` : `fails: ${probe.error ?? ''}`}` };
        }
      } catch (err) {
        // Another request is pending in the client (a delivery waiting to be resent): the
        // protocol forbids interleaving, so only the TCP connection is tried.
        const probe = await tcpProbe(ofdTarget.host, ofdTarget.port, 3_000);
        const why = err instanceof PendingRequestError ? 'a delivery is pending, so COMMAND_INFO was not sent' : (err as Error).message;
        ofd = { target: ofdTargetText, ok: probe.ok, skipped: false, latencyMs: probe.ok ? probe.ms : null, detail: `${why}; TCP ${probe.ok ? `connects in ${probe.ms} ms` : `fails: ${probe.error ?? ''}`}` };
      }
      let mark: ConnectionTestResult;
      if (marking === null) mark = { target: null, ok: false, skipped: true, latencyMs: null, detail: 'no marking registry is configured (registry.marking.url)' };
      else {
        const t1 = performance.now();
        // Any valid code will do: the point is an authenticated, well-formed answer in time.
        const probeCode = training?.sample('sellable', 1)[0] ?? '0104870000000009215AAAAAAA';
        const outcome = await marking.check([probeCode], { timeoutMs: 3_000 });
        const ms = Math.round(performance.now() - t1);
        mark = outcome.kind === 'answered'
          ? { target: marking.url, ok: true, skipped: false, latencyMs: ms, detail: `online check answered (request ${outcome.requestId})` }
          : { target: marking.url, ok: false, skipped: false, latencyMs: null, detail: `${outcome.kind}: ${outcome.reason}` };
      }
      return { ofd, marking: mark };
    },
    async restartDevices() {
      await devices.stop();
      await devices.start();
      pushStatusSoon();
    },
    async start() {
      await printing.start();
      if (!trainingMode) {
        // A leftover training scanner would only show as failed.
        try { if (devices.list().some((d) => d.id === TRAINING_SCANNER_ID)) devices.unassign(TRAINING_SCANNER_ID); } catch { /* reported by start() below */ }
      }
      await startTrainingScanner();
      try {
        await devices.start();
      } catch (err) {
        logger.error({ err: (err as Error).message }, 'devices could not start');
      }
      if (puller !== null) {
        // Training: the first snapshot is local and quick; have a ready cache before the first scan.
        if (trainingMode) await puller.pullOnce();
        puller.start();
      }
      sender.start();
      try {
        pruneStats(db, new Date(clock.now().getTime() - 400 * 86_400_000).toISOString());
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not prune the chart logs');
      }
      // Contacts whose consent expired or was withdrawn are purged now and hourly.
      stopPurge = startContactPurge(db, { clock, onError: (err) => logger.warn({ err: (err as Error).message }, 'contact purge failed') });
      statusTimer = setInterval(pushStatus, tuning.statusPushMs ?? 3_000);
      statusTimer.unref();
      logger.info({ trainingMode, ofd: `${ofdTarget.host}:${ofdTarget.port}`, marking: marking?.url ?? null }, 'services started');
    },
    async stop() {
      stopped = true;
      stopPurge?.();
      if (statusTimer !== null) clearInterval(statusTimer);
      if (statusSoon !== null) clearTimeout(statusSoon);
      statusTimer = null;
      statusSoon = null;
      for (const set of deliveryWaiters.values()) for (const wake of set) wake();
      // The delivery in flight finishes (or times out) first; nothing new starts.
      await sender.stop();
      await puller?.stop();
      await lane.catch(() => undefined);
      await devices.stop().catch(() => undefined);
      await scannerEmu?.close().catch(() => undefined);
      scannerEmu = null;
      await printing.stop().catch(() => undefined);
      marking?.close();
      await trainingOfd?.close();
      trainingOfd = null;
      await registryEmu?.close();
      registryEmu = null;
      events.removeAllListeners();
    },
  };
  return services;
}
