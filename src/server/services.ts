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
import { CheckoutError, type BasketLine, type Checkout, type Payment, type Refusal } from '../checkout/index.ts';
import type { DeviceManager, ScanEvent } from '../devices/index.ts';
import type { Logger } from '../log.ts';
import { visibleBytes } from '../marking/index.ts';
import type { MarkingRegistryClient, OfdClient } from '../registry/index.ts';
import { TRAINING_SCANNER_ID, type Register, type RegisterTuning, type ReceiptPrinting, type TrainingControl } from '../register/index.ts';
import { createLane } from '../scan/lane.ts';
import { createCompletion } from '../scan/complete.ts';
import { onlineFactsFor } from '../scan/online.ts';
import { createStatusBoard } from '../status/index.ts';
import { getOpenShift, recordCheck, recordDeliveryAttempt } from '../store/index.ts';
import type { CachePuller, DeliveryPass, FeedStatus, OfdTarget, OutboxSender, SenderEvent, SyncStatus } from '../sync/index.ts';
import { createCacheJobs } from './cache-jobs.ts';
import { testMarking, testOfd } from './connection-test.ts';
import type {
  BasketView, CacheFreshnessView, CompleteResponse, ConnectionTestResult, DeviceHealthView, PrintView, ServerEvent, ShiftView,
  SyncDashboard, TrainingView, VerdictEvent,
} from './contract/index.ts';
import type { LogRing } from './log-ring.ts';
import { ServiceError } from './service-error.ts';

export { ServiceError } from './service-error.ts';
export { TRAINING_SCANNER_ID } from '../register/index.ts';

/** Timings of the server's own jobs, mostly for tests. */
export interface ServerTuning {
  /** Sync status push interval (default 3 s). */
  statusPushMs?: number;
  /** How long a sale waits for its OFD ticket number before printing offline (default 1.5 s). */
  printWaitForTicketMs?: number;
  /** How long a sale's answer waits for the printer before saying 'pending' (default 4 s). */
  printWaitMs?: number;
  /** Budget of an online check (default 1.5 s). */
  onlineCheckMs?: number;
}

/** Every timing of a core (register, server jobs, training emulators), mostly for tests. */
export interface ServiceTuning extends RegisterTuning, ServerTuning {
  /** Codes in the training registry dataset (default 10 000). */
  trainingCodes?: number;
  /** Start the emulated pty scanner in training mode (default true; needs socat). */
  trainingScanner?: boolean;
}

/** What {@link createServices} needs. */
export interface ServicesOptions {
  register: Register;
  logger: { logger: Logger; ring: LogRing };
  tuning?: ServerTuning;
}

/** A scan's outcome as the API and the events carry it. */
export interface ScanOutcome {
  verdict: VerdictEvent;
  basket: BasketView;
}

/** Training mode's emulator controls, as the technician screen uses them (status with the printer). */
export type TrainingEmulators = Omit<TrainingControl, 'status'> & { status(): TrainingView };

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
  /** The register's sender reports an attempt: logged, recorded for the charts, announced. */
  reportDelivery(event: SenderEvent): void;
  /** The register's puller reports a feed sync. */
  reportFeed(status: FeedStatus): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Builds the server's services over a register. Call start() to begin the register's loops and the pushes. */
export function createServices(options: ServicesOptions): Services {
  const { register } = options;
  const { db, clock, checkout, checker, devices, printing, marking, markingChain, puller, trainingMode } = register;
  const { logger, ring } = options.logger;
  const tuning = options.tuning ?? {};
  const events = new EventEmitter<{ event: [ServerEvent] }>();
  events.setMaxListeners(100);
  const emit = (event: ServerEvent): void => { events.emit('event', event); };
  const startedAt = Date.now();
  const lane = createLane();
  let lastFeed: FeedStatus | null = null;
  let stopped = false;

  const status = createStatusBoard({
    register, lastFeed: () => lastFeed, training: () => trainingView(), intervalMs: tuning.statusPushMs,
    push: (d) => emit({ type: 'sync', status: d.status, cache: d.cache, training: d.training }),
    warn: (m, err) => logger.warn({ err: (err as Error).message }, m),
  });
  const completion = createCompletion({
    db, checkout, printing, trainingMode, notifySender: () => register.sender.notify(), basket: basketView, emit, changed: status.pushSoon, log: logger,
    ...(tuning.printWaitForTicketMs !== undefined ? { waitForTicketMs: tuning.printWaitForTicketMs } : {}),
    ...(tuning.printWaitMs !== undefined ? { printWaitMs: tuning.printWaitMs } : {}),
  });
  const cacheJobs = createCacheJobs({ db, clock, puller, emit, changed: status.pushSoon, log: logger });
  const training = trainingControls();

  function trainingView(): TrainingView | null {
    const t = register.training;
    if (t === null) return null;
    const target = printing.target;
    return { ...t.control.status(), printer: { running: target.kind === 'virtual', outDir: target.kind === 'virtual' ? target.outDir : '' } };
  }

  /** The emulators' controls, plus what the register does when one comes back. */
  function trainingControls(): TrainingEmulators | null {
    const t = register.training;
    if (t === null) return null;
    const c = t.control;
    return {
      status: () => trainingView() as TrainingView,
      async stopOfd() { await c.stopOfd(); logger.warn('training OFD emulator stopped'); status.pushSoon(); },
      async startOfd() {
        await c.startOfd();
        logger.info({ port: t.ofd.port }, 'training OFD emulator started');
        register.sender.notify();
        void register.sender.deliverOnce({ force: true }).catch(() => undefined);
        status.pushSoon();
      },
      async stopRegistry() { await c.stopRegistry(); logger.warn('training marking registry emulator stopped'); status.pushSoon(); },
      async startRegistry() { await c.startRegistry(); logger.info({ url: t.marking.url }, 'training marking registry emulator started'); status.pushSoon(); },
      sample: (kind, n, offset) => c.sample(kind, n, offset),
    };
  }

  function shiftView(): ShiftView | null {
    const s = getOpenShift(db, register.config().register.id);
    return s ? { id: s.id, number: s.number, registerId: s.registerId, cashier: s.cashier, openedAt: s.openedAt, closedAt: s.closedAt } : null;
  }

  function basketView(): BasketView {
    const b = checkout.basket();
    const s = status.current();
    return { lines: b.lines, refusals: b.refusals, total: b.total, shift: shiftView(), salesAllowed: s.salesAllowed, salesStoppedReason: s.salesStoppedReason };
  }

  function verdictOf(code: string, source: string, line: BasketLine | null, refusal: Refusal | null): VerdictEvent {
    const v = (line?.verdict ?? refusal?.verdict)!;
    return {
      type: 'verdict', code, cis: line?.cis ?? refusal?.cis ?? null, decision: v.decision, reason: v.reason, message: v.message, messages: v.messages,
      source: v.source, decidedBy: v.decidedBy ?? 'none', overridable: v.overridable, offline: v.offline, lineId: line?.id ?? null, refusalId: refusal?.id ?? null,
      scanSource: source, name: line?.name ?? null, at: clock.now().toISOString(),
    };
  }

  function scan(code: string, source: string, scanOptions: { price?: number; quantity?: number } = {}): Promise<ScanOutcome> {
    return lane.run(async () => {
      const online = await onlineFactsFor(markingChain, code, {
        budgetMs: tuning.onlineCheckMs ?? markingChain?.budgetMs ?? 1_500, parseOptions: register.parseOptions,
        onNoAnswer: (kind, reason) => logger.info({ kind, reason }, 'online check gave no answer; deciding from the cache'),
      });
      const result = checkout.scan(code, { ...scanOptions, online });
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

  devices.on('scan', (e: ScanEvent) => {
    emit({ type: 'device-raw', deviceId: e.deviceId, hex: hexBytes(e.raw), text: visibleBytes(e.raw), length: e.raw.length, ok: true, error: null, at: e.timing.at });
    logger.debug({ deviceId: e.deviceId, length: e.raw.length }, 'scan from device');
    void scan(e.data, e.deviceId).catch((err: unknown) => {
      logger.warn({ deviceId: e.deviceId, err: (err as Error).message }, 'scan from a device failed');
    });
  });
  devices.on('scan-error', (e) => {
    emit({ type: 'device-raw', deviceId: e.deviceId, hex: '', text: '', length: 0, ok: false, error: `${e.code}: ${e.message}`, at: clock.now().toISOString() });
  });
  devices.on('health', (h) => {
    emit({ type: 'device-health', health: { ...h } });
    status.pushSoon();
  });

  return {
    trainingMode, logger, logs: ring, checker, checkout, marking, puller, devices, printing, training, startedAt,
    get sender() { return register.sender; },
    get ofdClient() { return register.ofdClient; },
    ofdTarget: register.ofdTarget,
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
    async completeReturn(saleId, items, payments) {
      return completion.afterCommit(await lane.run(() => checkout.returnLines(saleId, items, payments ? { payments } : {})));
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
    async testScan(code) {
      if (!trainingMode) throw new ServiceError('NOT_TRAINING', 409, 'test scans go through the emulated scanner, which runs only in training mode');
      const scanner = register.training?.scanner ?? null;
      if (scanner === null) throw new ServiceError('NO_SCANNER', 409, 'the emulated scanner is not running (is socat installed?); see the logs');
      return { deviceId: TRAINING_SCANNER_ID, bytes: await scanner.send(code) };
    },
    async testRegistry() {
      const ofd = await testOfd(register.ofdClient, register.ofdTarget);
      // Any valid code will do: the point is an authenticated, well-formed answer in time.
      const probeCode = training?.sample('sellable', 1)[0] ?? '0104870000000009215AAAAAAA';
      return { ofd, marking: await testMarking(markingChain, probeCode) };
    },
    async restartDevices() {
      await devices.stop();
      await devices.start();
      status.pushSoon();
    },
    reportDelivery(e) {
      try {
        recordDeliveryAttempt(db, { at: e.at, outboxId: e.id, ok: e.ok, kind: e.ok ? null : e.kind, error: e.ok ? null : e.error });
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not log a delivery attempt');
      }
      if (e.ok) logger.info({ outboxId: e.id, documentId: e.documentId, ticketNumber: e.ticketNumber }, 'delivered to the OFD');
      else logger.warn({ outboxId: e.id, documentId: e.documentId, kind: e.kind, error: e.error }, 'OFD delivery failed');
      emit({ type: 'delivery', ok: e.ok, outboxId: e.id, documentId: e.documentId, ticketNumber: e.ok ? e.ticketNumber : null, error: e.ok ? null : e.error, at: e.at });
      if (e.ok) completion.delivered(e.documentId);
      status.pushSoon();
    },
    reportFeed(s) {
      if (stopped) return; // the pull stop() aborted: not a failure worth reporting
      lastFeed = s;
      if (s.ok) logger.info({ kind: s.kind, records: s.records, cursor: s.cursor }, 'cache synced');
      else logger.warn({ error: s.error, transient: s.transient }, 'cache sync failed');
      status.pushSoon();
    },
    async start() {
      await register.start();
      status.start();
      logger.info({ trainingMode, ofd: `${register.ofdTarget.host}:${register.ofdTarget.port}`, marking: marking?.url ?? null }, 'services started');
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      status.stop();
      completion.releaseAll();
      await register.stop();
      await lane.idle();
      events.removeAllListeners();
    },
  };
}
