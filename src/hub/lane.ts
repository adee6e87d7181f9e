/**
 * A lane's link to its store (issue 19): the guard the checkout asks, the claims it settles, the
 * documents and heartbeats it publishes for head office. Built by the register when `store.nats`
 * is configured; the register never waits on it longer than the reservation budget.
 */
import { Kvm, type KV } from '@nats-io/kv';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Clock } from '../clock.ts';
import type { CheckoutGuard, GuardAnswer, GuardedDocument } from '../checkout/index.ts';
import {
  addHubClaim, enqueueHubOutbox, hubOutboxDepth, listHubConflicts, markHubPublished, unguardedSaleCount, unpublishedHubOutbox, type Db, type HubConflict,
} from '../store/index.ts';
import { settleClaims, type SettleResult } from './claims.ts';
import { openStoreConnection, type StoreConnection } from './connection.ts';
import { basketBucket, checkToken, docSubject, heartbeatSubject, soldBucket } from './names.ts';
import { createReservations, type Reservations } from './reservations.ts';
import { ensureStoreStream } from './streams.ts';
import { newFollowerState, publishStatusDelta, statusFollowing, type ApplyStatus } from './status-feed.ts';
import { downloadLeader, downloadLock, leadBucket, type DownloadLock, type DownloadResult, type StatusSource } from './status-download.ts';
import { isOffStream, setOffStream } from './status-base.ts';
import { followUpdates } from './updates.ts';

/** The store NATS settings of a lane (config `store.nats`). */
export interface LaneNatsConfig {
  servers: readonly string[];
  credentials?: string | undefined;
  reserveTimeoutMs: number;
  reservationTtlSeconds: number;
  heartbeatSeconds: number;
  /** The store group whose head-office updates this lane applies. */
  group?: string;
  /** How long the lane leading the store's status download keeps the lead without renewing it (default 30 s). */
  feedLeaseSeconds?: number;
  /** How long the store's NATS may be unreachable before the lane pulls the feed itself (default 300 s; the register acts on it). */
  feedFallbackSeconds?: number;
}

/** What {@link createStoreLink} needs. */
export interface StoreLinkOptions {
  db: Db;
  clock: Clock;
  store: string;
  register: string;
  nats: LaneNatsConfig;
  /** The sync state a heartbeat carries (the register's outbox, cache freshness, refusals). */
  syncState?: () => Record<string, unknown>;
  /** Applies a status delta from the store stream to this lane's cache (absent: the lane does not follow). */
  applyStatus?: ApplyStatus;
  /**
   * The registry's status feed (absent: no feed configured). With it, the lane that holds the
   * store's download lock fetches the feed every `feedIntervalMs` and publishes it once for all lanes.
   */
  statusSource?: StatusSource;
  feedIntervalMs?: number;
  /** How long the store stream keeps messages (default 30 days; tests shorten it). */
  streamMaxAgeMs?: number;
  /** Told about every download this lane made as the store's leader. */
  onDownload?: (result: DownloadResult) => void;
  /** Merges head-office settings into the lane's configuration file (absent: config updates are journaled only). */
  writeConfig?: (settings: Record<string, unknown>) => void;
  warn?: (message: string, err?: unknown) => void;
}

/** `tanba hub status` of a lane. */
export interface LaneHubStatus {
  store: string;
  register: string;
  connected: boolean;
  unguarded: number;
  conflicts: number;
  reserved: number;
  queue: number;
  oldestUnpublished: string | null;
  servers: string[];
  /**
   * The store's NATS was away past `feedFallbackSeconds`: the lane pulls the status feed from the
   * registry itself, until a fresh snapshot from the store's stream applies (kept in SQLite, so the
   * CLI on the lane sees what its server does).
   */
  pullsFeedItself: boolean;
}

/** What a reconciliation did. */
export interface ReconcileResult extends SettleResult { published: number; connected: boolean }

/** A lane's link to its store. */
export interface StoreLink {
  readonly guard: CheckoutGuard;
  /** Connects (and keeps reconnecting), refreshes reservations, publishes, sends heartbeats. */
  start(): Promise<void>;
  /** One connection attempt for a short CLI run (false when the store's NATS is unreachable). */
  connectOnce(): Promise<boolean>;
  /** Settles unguarded / unconfirmed codes and publishes the queue now. */
  reconcile(): Promise<ReconcileResult>;
  /** Waits for the confirmations and publishes in flight (a CLI run before it exits). */
  settle(): Promise<void>;
  status(): LaneHubStatus;
  conflicts(): HubConflict[];
  /** Publishes one heartbeat now. */
  heartbeat(): Promise<void>;
  /**
   * Downloads the status feed for the store now, when this lane leads (or can take the lead);
   * otherwise says which way it failed (another lane leads, the store NATS is unreachable).
   */
  downloadStatus(): Promise<DownloadResult>;
  /** Whether this lane leads the store's status download now. */
  leadsDownload(): boolean;
  /** The lane (register.id) that downloads the status feed for the store now; null when none does or the store NATS is unreachable. */
  statusDownloader(): Promise<string | null>;
  /** Publishes a status delta (NDJSON feed lines) once for every lane of the store; its stream sequence. */
  publishStatus(ndjson: string, id?: string): Promise<number>;
  /** How long (ms) the store's NATS has been unreachable since start(); 0 while connected. */
  unreachableMs(): number;
  /** The lane pulls the feed itself from now on (its store's NATS was away too long): it stops following the store's feeds. */
  leaveStream(): Promise<void>;
  /**
   * Back on the store's feeds. `pulled`: the lane's cache moved meanwhile (it is no longer on the
   * store's chain of cursors), so it starts again from a snapshot downloaded after its own pulls.
   */
  rejoinStream(pulled: boolean): void;
  stop(): Promise<void>;
}

interface Live { conn: StoreConnection; js: JetStreamClient; jsm: JetStreamManager; basket: KV; sold: KV; lock: DownloadLock; reservations: Reservations }

/** Creates the link (nothing connects until start() / connectOnce()). */
export function createStoreLink(options: StoreLinkOptions): StoreLink {
  const { db, clock, nats } = options;
  const store = checkToken('store.id', options.store);
  const lane = checkToken('register.id', options.register);
  const warn = options.warn ?? ((): void => undefined);
  const now = (): string => clock.now().toISOString();
  let live: Live | null = null;
  let stopped = false;
  let chain: Promise<unknown> = Promise.resolve();
  const timers: NodeJS.Timeout[] = [];
  const following = new AbortController();
  const leaseSeconds = nats.feedLeaseSeconds ?? 30;
  const feeds = options.applyStatus === undefined ? null : statusFollowing(store, {
    db, lane, apply: options.applyStatus, now, warn, pollMs: Math.max(100, Math.min(1_000, (leaseSeconds * 1_000) / 3)),
  });
  let startedAt: number | null = null; // unreachableMs() counts from here until the first connection
  const leader = downloadLeader({
    db, store, servers: nats.servers, source: options.statusSource, intervalMs: options.feedIntervalMs ?? 60_000, leaseSeconds, follower: feeds?.state ?? newFollowerState(),
    signal: following.signal, live: () => live, warn, ...(options.onDownload ? { onDownload: options.onDownload } : {}),
  });

  const open = async (reconnect: boolean): Promise<Live> => {
    const l = await openLive(nats, { store, lane, leaseSeconds, reconnect, now, warn, maxAgeMs: options.streamMaxAgeMs });
    l.conn.onReconnect(() => { void queue(() => reconcileNow()).catch(() => undefined); });
    return l;
  };

  /** Runs store work one after another (claims and publishes keep their order). */
  function queue<T>(fn: () => Promise<T>): Promise<T> {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  }

  const publishPending = (): Promise<number> => (live === null || !live.conn.connected() ? Promise.resolve(0) : publishQueue(db, live.js, store, lane, now));

  async function reconcileNow(): Promise<ReconcileResult> {
    if (live === null || !live.conn.connected()) return { confirmed: 0, conflicts: [], left: unguardedSaleCount(db), published: 0, connected: false };
    const settled = await settleClaims({ db, store, lane, basket: live.basket, sold: live.sold, reservations: live.reservations, now });
    return { ...settled, published: await publishPending().catch((err: unknown) => { warn('publishing to the store stream failed; kept for later', err); return 0; }), connected: true };
  }

  const guard = laneGuard({
    db, budgetMs: nats.reserveTimeoutMs, warn, live: () => live,
    confirmSoon() {
      if (live !== null && live.conn.connected()) void queue(() => reconcileNow()).catch((err: unknown) => warn('confirming to the store failed; kept for later', err));
    },
  });

  async function heartbeat(): Promise<void> {
    if (live === null || !live.conn.connected()) return;
    await live.js.publish(heartbeatSubject(store, lane), JSON.stringify(heartbeatBody(db, store, lane, now(), options.syncState)), { timeout: 5_000 });
  }

  async function connectLoop(): Promise<void> {
    while (!stopped && live === null) {
      try {
        live = await open(true);
        feeds?.start(live.js, live.jsm);
        const writeConfig = options.writeConfig ?? ((): void => undefined);
        void followUpdates(live.js, store, nats.group ?? 'all', { db, now, warn, writeConfig, signal: following.signal }).catch((err: unknown) => warn('following head-office updates stopped', err));
        await queue(() => reconcileNow());
      } catch (err) {
        warn('the store NATS is unreachable; selling unguarded until it answers', err);
        await new Promise((r) => setTimeout(r, 2_000));
      }
    }
  }

  return {
    guard,
    async start() {
      stopped = false;
      startedAt = Date.now();
      void connectLoop();
      const refreshMs = Math.max(250, (nats.reservationTtlSeconds * 1_000) / 3);
      timers.push(setInterval(() => { if (live?.conn.connected()) void live.reservations.refresh(); }, refreshMs));
      timers.push(setInterval(() => { void heartbeat().catch(() => undefined); }, nats.heartbeatSeconds * 1_000));
      timers.push(setInterval(() => { if (live?.conn.connected()) void queue(() => reconcileNow()).catch(() => undefined); }, 10_000));
      if (options.statusSource !== undefined) timers.push(setInterval(() => { void leader.tick().catch((err: unknown) => warn('leading the store status download failed', err)); }, Math.max(100, (leaseSeconds * 1_000) / 3)));
    },
    async connectOnce() {
      if (live !== null) return true;
      try {
        live = await open(false);
        return true;
      } catch {
        return false;
      }
    },
    reconcile: () => queue(() => reconcileNow()),
    settle: () => queue(() => Promise.resolve()).then(() => undefined),
    status: () => ({ ...laneStatus(db, store, lane, live, nats.servers), pullsFeedItself: isOffStream(db, store) }),
    conflicts: () => listHubConflicts(db),
    heartbeat,
    downloadStatus: () => leader.download(),
    leadsDownload: () => live?.lock.held ?? false,
    statusDownloader: async () => (live === null || !live.conn.connected() ? null : live.lock.holder().catch(() => null)),
    async publishStatus(ndjson, id) {
      if (live === null && !(await this.connectOnce())) throw new Error(`the store NATS (${nats.servers.join(', ')}) is unreachable`);
      return publishStatusDelta((live as Live).js, store, ndjson, id);
    },
    unreachableMs() {
      if (stopped || startedAt === null) return 0;
      const since = live === null ? startedAt : live.conn.downSince();
      return since === null ? 0 : Math.max(0, Date.now() - since);
    },
    async leaveStream() {
      // Persisted first: a lane restarted before it rejoins still knows its cache left the store's feeds.
      setOffStream(db, store, true, now());
      await feeds?.leave();
    },
    rejoinStream(pulled) {
      if (!pulled) setOffStream(db, store, false, now());
      feeds?.rejoin(live !== null && live.conn.connected() ? live : null);
    },
    async stop() {
      stopped = true;
      following.abort();
      await feeds?.stop();
      for (const t of timers.splice(0)) clearInterval(t);
      await chain.catch(() => undefined);
      await leader.idle();
      const l = live;
      live = null;
      // Another lane takes the store's download at once.
      await l?.lock.release();
      if (l !== null) await l.conn.close();
    },
  };
}

/** A heartbeat: the register's delivery to the registry (syncState: queue, oldestUndelivered, hoursLeft, refusalsLastHour) and the lane's to the store. */
function heartbeatBody(db: Db, store: string, lane: string, at: string, syncState: (() => Record<string, unknown>) | undefined): Record<string, unknown> {
  const depth = hubOutboxDepth(db);
  return {
    ...(syncState?.() ?? {}),
    store, register: lane, at, hubQueue: depth.queue, hubOldest: depth.oldest, unguarded: unguardedSaleCount(db), conflicts: listHubConflicts(db).length,
  };
}

function laneStatus(db: Db, store: string, lane: string, live: Live | null, servers: readonly string[]): Omit<LaneHubStatus, 'pullsFeedItself'> {
  const depth = hubOutboxDepth(db);
  return {
    store, register: lane, connected: live?.conn.connected() ?? false, unguarded: unguardedSaleCount(db), conflicts: listHubConflicts(db).length,
    reserved: live?.reservations.held() ?? 0, queue: depth.queue, oldestUnpublished: depth.oldest, servers: [...servers],
  };
}

/** Connects to the store's NATS and opens (creating when missing) the buckets and streams a lane uses. */
async function openLive(nats: LaneNatsConfig, o: { store: string; lane: string; leaseSeconds: number; reconnect: boolean; now: () => string; warn: (m: string, e?: unknown) => void; maxAgeMs: number | undefined }): Promise<Live> {
  const { store, lane } = o;
  const conn = await openStoreConnection(nats, { timeoutMs: Math.max(nats.reserveTimeoutMs, 1_000), reconnect: o.reconnect, name: `tanba ${store}/${lane}` });
  try {
    const js = jetstream(conn.nc, { timeout: 2_000 });
    const kvm = new Kvm(js);
    const basket = await kvm.create(basketBucket(store), { history: 1, ttl: nats.reservationTtlSeconds * 1_000 }).catch(() => kvm.open(basketBucket(store)));
    const sold = await kvm.create(soldBucket(store), { history: 1 }).catch(() => kvm.open(soldBucket(store)));
    const lead = await kvm.create(leadBucket(store), { history: 1, ttl: o.leaseSeconds * 1_000 }).catch(() => kvm.open(leadBucket(store)));
    const jsm = await jetstreamManager(conn.nc, { timeout: 2_000 });
    await ensureStoreStream(jsm, store, nats.group ?? 'all', o.maxAgeMs).catch((err: unknown) => o.warn('the store stream could not be checked', err));
    return { conn, js, jsm, basket, sold, lock: downloadLock(lead, lane), reservations: createReservations(basket, sold, lane, o.now) };
  } catch (err) {
    await conn.close();
    throw err;
  }
}

/** The checkout's guard over a lane's live link (or none while the store NATS is unreachable). */
function laneGuard(deps: { db: Db; budgetMs: number; warn: (m: string, e?: unknown) => void; live: () => Live | null; confirmSoon(): void }): CheckoutGuard {
  const { db, warn } = deps;
  async function reserveWithin(cis: string): Promise<GuardAnswer> {
    const l = deps.live();
    if (l === null || !l.conn.connected()) return { ok: true, guarded: false };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<GuardAnswer>((resolve) => { timer = setTimeout(() => resolve({ ok: true, guarded: false }), deps.budgetMs); });
    const asked = l.reservations.reserve(cis).catch((err: unknown): GuardAnswer => { warn('reservation failed; selling unguarded', err); return { ok: true, guarded: false }; });
    const answer = await Promise.race([asked, late]);
    clearTimeout(timer);
    // A reservation that comes back after the budget still counts when the sale commits
    // (holds()); until then the line is treated as unguarded.
    return answer;
  }
  return {
    reserve: (cis) => reserveWithin(cis),
    release(cis) {
      const l = deps.live();
      if (l !== null) void l.reservations.release(cis).catch(() => undefined);
    },
    recordDocument(doc: GuardedDocument) {
      if (doc.kind === 'shift_close') {
        enqueueHubOutbox(db, { msgId: doc.id, kind: 'shift_close', payload: doc, createdAt: doc.at });
        return;
      }
      for (const l of doc.lines) {
        if (l.cis === null) continue;
        const unguarded = doc.kind === 'sale' && !(deps.live()?.reservations.holds(l.cis) ?? false);
        addHubClaim(db, { op: doc.kind === 'sale' ? 'sold' : 'returned', cis: l.cis, code: l.code ?? l.cis, saleId: doc.sale.id, at: doc.sale.createdAt, unguarded });
      }
      enqueueHubOutbox(db, { msgId: doc.sale.id, kind: doc.kind, payload: { sale: doc.sale, lines: doc.lines }, createdAt: doc.sale.createdAt });
    },
    committed: () => deps.confirmSoon(),
  };
}

/** Publishes the lane's queued documents in commit order (stops at the first failure). */
async function publishQueue(db: Db, js: JetStreamClient, store: string, lane: string, now: () => string): Promise<number> {
  let n = 0;
  for (;;) {
    const batch = unpublishedHubOutbox(db, 100);
    if (batch.length === 0) return n;
    for (const e of batch) {
      const body = JSON.stringify({ store, register: lane, kind: e.kind, id: e.msgId, seq: e.seq, at: e.createdAt, doc: e.payload });
      // The document id is the message id: a resend after a crash is de-duplicated by the stream.
      await js.publish(docSubject(store, lane, e.kind), body, { msgID: e.msgId, timeout: 5_000 });
      markHubPublished(db, e.seq, now());
      n++;
    }
  }
}
