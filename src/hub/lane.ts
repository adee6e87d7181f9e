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
import { followStatus, newFollowerState, publishStatusDelta, type ApplyStatus, type FollowerState } from './status-feed.ts';
import { downloadLock, downloadOnce, leadBucket, type DownloadLock, type DownloadResult, type StatusSource } from './status-download.ts';
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
  const follower = newFollowerState();
  const leaseSeconds = nats.feedLeaseSeconds ?? 30;
  const leader = downloadLeader({
    db, store, servers: nats.servers, source: options.statusSource, intervalMs: options.feedIntervalMs ?? 60_000, leaseSeconds, follower,
    signal: following.signal, live: () => live, ...(options.onDownload ? { onDownload: options.onDownload } : {}),
  });

  const open = async (reconnect: boolean): Promise<Live> => {
    const l = await openLive(nats, { store, lane, leaseSeconds, reconnect, now, warn });
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
    const published = await publishPending().catch((err: unknown) => { warn('publishing to the store stream failed; kept for later', err); return 0; });
    return { ...settled, published, connected: true };
  }

  const guard = laneGuard({
    db, budgetMs: nats.reserveTimeoutMs, warn, live: () => live,
    confirmSoon() {
      if (live !== null && live.conn.connected()) void queue(() => reconcileNow()).catch((err: unknown) => warn('confirming to the store failed; kept for later', err));
    },
  });

  async function heartbeat(): Promise<void> {
    if (live === null || !live.conn.connected()) return;
    const depth = hubOutboxDepth(db);
    // queue / oldestUndelivered / hoursLeft / refusalsLastHour: the register's delivery to the registry (syncState).
    const body = {
      ...(options.syncState?.() ?? {}),
      store, register: lane, at: now(), hubQueue: depth.queue, hubOldest: depth.oldest,
      unguarded: unguardedSaleCount(db), conflicts: listHubConflicts(db).length,
    };
    await live.js.publish(heartbeatSubject(store, lane), JSON.stringify(body), { timeout: 5_000 });
  }

  async function connectLoop(): Promise<void> {
    while (!stopped && live === null) {
      try {
        live = await open(true);
        if (options.applyStatus) {
          const l = live;
          void followStatus(l.js, store, { db, apply: options.applyStatus, now, warn, signal: following.signal, state: follower }).catch((err: unknown) => warn('following the store status deltas stopped', err));
        }
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
    status() {
      const depth = hubOutboxDepth(db);
      return {
        store, register: lane, connected: live?.conn.connected() ?? false, unguarded: unguardedSaleCount(db), conflicts: listHubConflicts(db).length,
        reserved: live?.reservations.held() ?? 0, queue: depth.queue, oldestUnpublished: depth.oldest, servers: [...nats.servers],
      };
    },
    conflicts: () => listHubConflicts(db),
    heartbeat,
    downloadStatus: () => leader.download(),
    leadsDownload: () => live?.lock.held ?? false,
    statusDownloader: async () => (live === null || !live.conn.connected() ? null : live.lock.holder().catch(() => null)),
    async publishStatus(ndjson, id) {
      if (live === null && !(await this.connectOnce())) throw new Error(`the store NATS (${nats.servers.join(', ')}) is unreachable`);
      return publishStatusDelta((live as Live).js, store, ndjson, id);
    },
    async stop() {
      stopped = true;
      following.abort();
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

/** Connects to the store's NATS and opens (creating when missing) the buckets and streams a lane uses. */
async function openLive(nats: LaneNatsConfig, o: { store: string; lane: string; leaseSeconds: number; reconnect: boolean; now: () => string; warn: (m: string, e?: unknown) => void }): Promise<Live> {
  const { store, lane } = o;
  const conn = await openStoreConnection(nats, { timeoutMs: Math.max(nats.reserveTimeoutMs, 1_000), reconnect: o.reconnect, name: `tanba ${store}/${lane}` });
  try {
    const js = jetstream(conn.nc, { timeout: 2_000 });
    const kvm = new Kvm(js);
    const basket = await kvm.create(basketBucket(store), { history: 1, ttl: nats.reservationTtlSeconds * 1_000 }).catch(() => kvm.open(basketBucket(store)));
    const sold = await kvm.create(soldBucket(store), { history: 1 }).catch(() => kvm.open(soldBucket(store)));
    const lead = await kvm.create(leadBucket(store), { history: 1, ttl: o.leaseSeconds * 1_000 }).catch(() => kvm.open(leadBucket(store)));
    const jsm = await jetstreamManager(conn.nc, { timeout: 2_000 });
    await ensureStoreStream(jsm, store, nats.group ?? 'all').catch((err: unknown) => o.warn('the store stream could not be checked', err));
    return { conn, js, jsm, basket, sold, lock: downloadLock(lead, lane), reservations: createReservations(basket, sold, lane, o.now) };
  } catch (err) {
    await conn.close();
    throw err;
  }
}

/** The lane's part in the store's one status download: keep (or take) the lead, download when due. */
function downloadLeader(deps: {
  db: Db; store: string; servers: readonly string[]; source: StatusSource | undefined; intervalMs: number; leaseSeconds: number; follower: FollowerState;
  signal: AbortSignal; live: () => Live | null; onDownload?: (r: DownloadResult) => void;
}): { download(): Promise<DownloadResult>; tick(): Promise<void>; idle(): Promise<void> } {
  let downloading: Promise<DownloadResult> | null = null;
  let lastDownloadAt = 0;
  function download(): Promise<DownloadResult> {
    const l = deps.live();
    const source = deps.source;
    if (source === undefined) return Promise.resolve({ ok: false, reason: 'no status feed is configured', transient: false });
    if (l === null || !l.conn.connected()) return Promise.resolve({ ok: false, reason: `the store NATS (${deps.servers.join(', ')}) is unreachable`, transient: true });
    downloading ??= (async (): Promise<DownloadResult> => {
      if (!(await l.lock.acquire())) return { ok: false, reason: 'another lane of the store leads the status download', transient: true };
      lastDownloadAt = Date.now();
      const r = await downloadOnce({ db: deps.db, js: l.js, jsm: l.jsm, store: deps.store, source, follower: deps.follower, staleMs: deps.leaseSeconds * 2_000, signal: deps.signal })
        .catch((err: unknown): DownloadResult => ({ ok: false, reason: `publishing the status feed failed: ${(err as Error).message}`, transient: true }));
      // Behind its own store: try again at the next tick, not after a whole interval.
      if (!r.ok && r.behind) lastDownloadAt = 0;
      // Waiting for its own lane is not a download: not reported (it would be, every tick).
      if (r.ok || !r.behind) try { deps.onDownload?.(r); } catch { /* a listener's bug must not stop the downloads */ }
      return r;
    })().finally(() => { downloading = null; });
    return downloading;
  }
  return {
    download,
    async tick() {
      const l = deps.live();
      if (l === null || !l.conn.connected() || deps.source === undefined) return;
      // A lane whose feeds fail to apply has a cursor of its own: it gives the lead up.
      if (deps.follower.failed) { await l.lock.release(); return; }
      if (!(await l.lock.acquire())) return;
      if (downloading === null && Date.now() - lastDownloadAt >= deps.intervalMs) void download();
    },
    async idle() { await downloading?.catch(() => undefined); },
  };
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
