/**
 * The server's half of the composition root: the register (src/register, built once for the
 * server, the CLI and Electron alike) plus what only a running server does — events for the UIs,
 * the scan lane (src/scan/lane.ts), sale completion (src/scan/complete.ts), status pushes
 * (src/status), the cache-job guard (cache-jobs.ts), connection tests (connection-test.ts) and
 * the training emulators' controls. This file only wires them.
 *
 * Invariants:
 * - Scans and payments go through one lane, so the in-memory basket sees them in the order they
 *   arrived even though an online check is awaited in between.
 * - A completed sale is committed (checkout: one transaction with its outbox row) before the
 *   sender is told, before anything prints and before any event; a printer failure never fails
 *   the sale (the print queue records it for a reprint).
 * - stop() lets the sender finish the delivery in flight (the OFD client's durable REQNUM state
 *   makes even an interrupted one safe); the root then stops the emulators and closes the DB.
 */
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { cacheStats, type CacheStats, type CodeChecker, type ImportResult } from '../cache/index.ts';
import { CheckoutError, type Checkout, type Payment } from '../checkout/index.ts';
import type { DeviceManager } from '../devices/index.ts';
import type { Logger } from '../log.ts';
import type { MarkingRegistryClient, OfdClient } from '../registry/index.ts';
import type { Register, ReceiptPrinting } from '../register/index.ts';
import { createLane } from '../scan/lane.ts';
import { createCompletion } from '../scan/complete.ts';
import { createScanFlow, type ScanOutcome } from '../scan/scan.ts';
import { createStatusBoard } from '../status/index.ts';
import { getOpenShift } from '../store/index.ts';
import type { CachePuller, DeliveryPass, FeedStatus, OfdTarget, OutboxSender, SenderEvent, SyncStatus } from '../sync/index.ts';
import { createCacheJobs } from './cache-jobs.ts';
import { createLinkFacts } from './ofd-probe.ts';
import { testMarking, testOfd } from './connection-test.ts';
import type {
  BasketView, CacheFreshnessView, CompleteResponse, ConnectionTestResult, DeviceHealthView, PrintView, ServerEvent, ShiftView, SyncDashboard, TestScanResult,
} from './contract/index.ts';
import { forwardDeviceEvents } from './device-events.ts';
import { createSyncReports } from './reports.ts';
import { createSellingStore, type SellingStore } from './selling.ts';
import type { LogRing } from './log-ring.ts';
import { createTestScans } from './test-scan.ts';
import { createTrainingControls, type TrainingEmulators } from './training-controls.ts';
import { checkServerTuning, type ServerTuning } from './tuning.ts';

export { ServiceError } from './service-error.ts';
export { TRAINING_SCANNER_ID } from '../register/index.ts';
export type { ScanOutcome } from '../scan/scan.ts';
export type { TrainingEmulators } from './training-controls.ts';
export { checkServerTuning, checkServiceTuning, type ServerTuning, type ServiceTuning } from './tuning.ts';

/** What {@link createServices} needs. */
export interface ServicesOptions {
  register: Register;
  logger: { logger: Logger; ring: LogRing };
  tuning?: ServerTuning;
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
  /** The lane's link to its store (issue 19), or null for a register alone. */
  readonly hub: Register['hub'];
  readonly devices: DeviceManager;
  readonly printing: ReceiptPrinting;
  readonly training: TrainingEmulators | null;
  readonly startedAt: number;
  /** The product search, price list and parked baskets. */
  readonly selling: SellingStore;
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
  completeReturn(saleId: string, items: readonly string[], payments?: Payment[], refund?: 'cash' | 'card'): Promise<CompleteResponse>;
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
  /** Training: sends a code through the emulated scanner's pty; its frame comes back decided, never into a basket. */
  testScan(code: string): Promise<{ deviceId: string; bytes: number; result: TestScanResult }>;
  /** Tries the OFD (COMMAND_INFO) and the marking registry. */
  testRegistry(): Promise<{ ofd: ConnectionTestResult; marking: ConnectionTestResult }>;
  /** Re-reads devices.json and reopens the devices that changed (after assign / configure / remove). */
  restartDevices(): Promise<void>;
  /** The register's sender reports an attempt: logged, recorded for the charts, announced. */
  reportDelivery(event: SenderEvent): void;
  /** The register's puller reports a feed sync. */
  reportFeed(status: FeedStatus): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Why sales are stopped, as a code the UI has text for (the status's reason is the core's English). */
function stoppedCode(s: { salesAllowed: boolean; mode: string }): BasketView['salesStoppedCode'] {
  if (s.salesAllowed) return null;
  return s.mode === 'blocked' ? 'REGISTER_BLOCKED' : 'OFFLINE_LIMIT';
}

/** Builds the server's services over a register. Call start() to begin the register's loops and the pushes. */
export function createServices(options: ServicesOptions): Services {
  checkServerTuning(options.tuning);
  const { register } = options;
  const { db, clock, checkout, checker, devices, printing, marking, markingChain, puller, trainingMode } = register;
  const { logger, ring } = options.logger;
  const tuning = options.tuning ?? {};
  const events = new EventEmitter<{ event: [ServerEvent] }>();
  events.setMaxListeners(100);
  const emit = (event: ServerEvent): void => { events.emit('event', event); };
  const startedAt = Date.now();
  const lane = createLane();
  let stopped = false;
  // The header's live facts (issue 16): the OFD probed while idle (at once when an emulator starts or stops), the last scan's online check.
  const links = createLinkFacts({ target: () => register.ofdTarget, clock, changed: () => status.pushSoon(), ...(tuning.ofdProbeMs !== undefined ? { intervalMs: tuning.ofdProbeMs } : {}) });
  const status = createStatusBoard({
    register, lastFeed: () => reports.lastFeed(), training: () => training.view(), intervalMs: tuning.statusPushMs, lastCheck: links.lastCheck, ofdProbe: links.probe.current,
    push: (d) => emit({ type: 'sync', status: d.status, cache: d.cache, training: d.training, marking: d.marking ?? [], lastCheck: d.lastCheck ?? null, ofdProbe: d.ofdProbe ?? null }),
    warn: (m, err) => logger.warn({ err: (err as Error).message }, m),
  });
  const completion = createCompletion({
    db, checkout, printing, trainingMode, now: () => clock.now().toISOString(), notifySender: () => register.sender.notify(), basket: basketView, emit, changed: status.pushSoon, log: logger,
    ...(tuning.printWaitForTicketMs !== undefined ? { waitForTicketMs: tuning.printWaitForTicketMs } : {}),
    ...(tuning.printWaitMs !== undefined ? { printWaitMs: tuning.printWaitMs } : {}),
  });
  const reports = createSyncReports({ db, logger, emit, changed: status.pushSoon, delivered: (id) => completion.delivered(id), stopped: () => stopped });
  const cacheJobs = createCacheJobs({ db, clock, puller, emit, changed: status.pushSoon, log: logger });
  const training = createTrainingControls({ register, logger, changed: () => { status.pushSoon(); void links.probe.probeNow(); } });
  const scanBudget = tuning.onlineCheckMs !== undefined ? { onlineCheckMs: tuning.onlineCheckMs } : {};
  const scan = createScanFlow({ register, lane, basket: basketView, emit, log: logger, checked: links.checked, ...scanBudget });
  const testScans = createTestScans({ register, log: logger });
  forwardDeviceEvents({ devices, clock, logger, emit, changed: status.pushSoon, scan, testFrame: testScans.testFrame });

  function shiftView(): ShiftView | null {
    const s = getOpenShift(db, register.config().register.id);
    return s ? { id: s.id, number: s.number, registerId: s.registerId, cashier: s.cashier, openedAt: s.openedAt, closedAt: s.closedAt } : null;
  }

  function basketView(): BasketView {
    const b = checkout.basket();
    const s = status.current();
    return { lines: b.lines, refusals: b.refusals, refusalCount: b.refusalCount, total: b.total, shift: shiftView(), salesAllowed: s.salesAllowed, salesStoppedReason: s.salesStoppedReason, salesStoppedCode: stoppedCode(s) };
  }

  return {
    trainingMode, logger, logs: ring, checker, checkout, marking, puller, devices, printing, training: training.controls, startedAt,
    get sender() { return register.sender; },
    get ofdClient() { return register.ofdClient; },
    ofdTarget: register.ofdTarget, selling: createSellingStore(db, clock),
    hub: register.hub,
    onEvent(listener) {
      events.on('event', listener);
      return () => { events.off('event', listener); };
    },
    emit,
    scan,
    basket: basketView,
    changeBasket(fn) {
      return lane.run(() => {
        const result = fn(checkout);
        const basket = basketView();
        emit({ type: 'basket', basket });
        return { result, basket };
      });
    },
    async completeSale(input) {
      return completion.afterCommit(await lane.run(() => checkout.completeSale(input)));
    },
    async completeReturn(saleId, items, payments, refund) {
      return completion.afterCommit(await lane.run(() => checkout.returnLines(saleId, items, payments ? { payments } : refund ? { refund } : {})));
    },
    async reprint(documentId) {
      const receipt = checkout.getReceipt(documentId);
      if (!receipt) throw new CheckoutError('NOT_FOUND', `no sale or return ${documentId}`);
      const r = await printing.printReceipt(receipt, trainingMode);
      const print: PrintView = { jobId: r.jobId, state: r.state, error: r.error, pngUrl: r.pngUrl };
      emit({ type: 'print', documentId, print });
      return print;
    },
    syncStatus: status.current,
    freshness: status.freshness,
    dashboard: status.dashboard,
    deviceHealth: status.deviceHealth,
    async syncNow() {
      const pass = await register.sender.deliverOnce({ force: true });
      status.pushSoon();
      return pass;
    },
    resync: cacheJobs.resync,
    importCache: cacheJobs.importCache,
    cacheStats: () => cacheStats(db),
    cacheBusy: () => cacheJobs.busy() !== null,
    testScan: testScans.testScan,
    async testRegistry() {
      const ofd = await testOfd(register.ofdClient, register.ofdTarget);
      // Any valid code will do: the point is an authenticated, well-formed answer in time.
      const probeCode = training.controls?.sample('sellable', 1)[0] ?? '0104870000000009215AAAAAAA';
      return { ofd, marking: await testMarking(markingChain, probeCode) };
    },
    async restartDevices() {
      // Only what changed: the scanners that keep their settings keep their ports open.
      await devices.reload();
      status.pushSoon();
    },
    reportDelivery: reports.delivery,
    reportFeed: reports.feed,
    async start() {
      await register.start();
      status.start(); links.probe.start();
      logger.info({ trainingMode, ofd: `${register.ofdTarget.host}:${register.ofdTarget.port}`, marking: marking?.url ?? null }, 'services started');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      status.stop(); links.probe.stop();
      completion.releaseAll();
      await register.stop();
      await lane.idle();
      events.removeAllListeners();
    },
  };
}
