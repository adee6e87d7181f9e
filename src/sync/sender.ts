/**
 * The outbox sender: delivers the outbox to the fiscal data operator (OFD) exactly once and in
 * order, through any outage.
 *
 * Invariants (where a record could be lost, duplicated or reordered):
 * 1. Strict order: only the oldest undelivered row (lowest `seq`) is ever sent, one at a time,
 *    and the next one only after the OFD answered OK (protocol 2.0.2, 5.2). A blocked head stops
 *    the whole queue behind it.
 * 2. Exactly once: a row is marked delivered (with ticket number and receipt URL) in the SAME
 *    transaction that stores the OFD's new token (the client's `onAccepted` hook). A response
 *    lost on the way, or a crash before that commit, leaves the request pending in the client,
 *    which resends it with the same token and REQNUM, so the OFD replays its answer instead of
 *    recording a second document. A delivered row is never offered again.
 * 3. Never dropped: failures only ever move a row to `pending` (transient, retried later with
 *    exponential backoff + jitter) or `blocked` (a person must look; `retry(id)` un-blocks it).
 * 4. Same bytes on every resend: the request is a pure function of the stored payload and the
 *    row's `offline` flag, and that flag is decided and persisted before the row's first send
 *    (at commit when the OFD is known offline or the queue ahead is stuck: store `offlineAtCommit`).
 * 5. A server block (15): the row stays pending and only COMMAND_SYSTEM with reg_info goes out
 *    until the OFD answers it OK (5.4). Then the client drops the row's request (its invariant 5:
 *    after the SYSTEM, an OFD that compares a retry with the previous request of any kind would
 *    take an old-REQNUM resend as new), and invariant 6 decides: already at the OFD -> delivered,
 *    else sent anew under a new REQNUM (5.4.1: check, then send what the OFD lacks).
 * 6. The client forgets a request when a server block is lifted (invariant 5) or a person resolves
 *    a blocking result (`retry(id)` -> `resolveBlock`: after 2, 8, 9, 13, ... the request is
 *    dropped and the next send gets a new REQNUM). An earlier transmission of that row may still
 *    have been accepted with its answer lost (e.g. the OFD no longer remembered it and answered 2
 *    to the resend). So before a row that was already attempted goes out again with nothing pending, the
 *    sender asks the OFD for its last accepted document (COMMAND_INFO, last_document_info): if the
 *    row's printed document number is already there, the row is marked delivered (ticket number
 *    unknown) instead of sent twice.
 * 7. One sender per register database: a pass runs only while holding the 'ofd' lease
 *    (migration 6), taken in an IMMEDIATE transaction and renewed before every row and on a
 *    timer; a second sender (`tanba sync now` while `tanba serve` runs) that cannot take it ends
 *    its pass at once with `busy` ("another process is delivering: pid N") and sends nothing.
 *    A holder killed on this host is taken over at once (its pid no longer runs), elsewhere
 *    when the lease expires.
 *
 * This module is the delivery loop (passes, the idle wait, notify, stop, retry). The parts:
 * outbox-request.ts translates a row's payload into its OFD request (the fiscal ticket's one
 * versioned schema is ticket.ts); deliver.ts sends one row (invariants 2-6); lease.ts holds the
 * delivery lease (invariant 7); sender-options.ts checks the options up front.
 */
import { randomUUID } from 'node:crypto';
import { systemClock } from '../clock.ts';
import { OFD_MIN_RECONNECT_INTERVAL_MS } from '../registry/index.ts';
import { blockedOutbox, getOutbox, nextPending, outboxHead, unblockOutbox, undeliveredOutboxCount, type OutboxEntry } from '../store/index.ts';
import { createRowDelivery, type PassStop } from './deliver.ts';
import { createDeliveryLease } from './lease.ts';
import { checkSenderOptions, type OutboxSenderOptions } from './sender-options.ts';

export { checkSenderOptions, type OutboxSenderOptions } from './sender-options.ts';
export { OutboxPayloadError, requestForOutbox } from './outbox-request.ts';
export { backoffDelayMs, type PassStop, type SenderEvent } from './deliver.ts';

/** The result of one delivery pass. */
export interface DeliveryPass {
  delivered: number;
  /** Rows still undelivered when the pass ended. */
  remaining: number;
  /** null: the queue is empty. */
  stopped: PassStop | null;
}

/** The sender. */
export interface OutboxSender {
  /**
   * Delivers due rows strictly in seq order until the queue is empty or a row is not accepted.
   * `force` ignores the backoff (a manager's "sync now"); the client's reconnect spacing still
   * applies. Only one pass runs at a time: a concurrent call gets the running pass.
   */
  deliverOnce(options?: { force?: boolean }): Promise<DeliveryPass>;
  /** Starts the background loop (idempotent). */
  start(): void;
  /** Stops the loop and waits for the attempt in flight. */
  stop(): Promise<void>;
  /** A new outbox row was committed: deliver now instead of at the next idle check. */
  notify(): void;
  /**
   * A manager un-blocks a blocked row after fixing its cause (the caller audits who did it). The
   * OFD client's blocked mode is lifted too; the row goes out on the next pass. Throws
   * {@link SyncRetryError} naming the id when the row does not exist or is not blocked.
   */
  retry(id: number): OutboxEntry;
}

/** `retry(id)` of a row that does not exist or is not blocked. */
export class SyncRetryError extends Error {
  override name = 'SyncRetryError';
  constructor(readonly id: number, readonly reason: 'not-found' | 'not-blocked', message: string) {
    super(message);
  }
}

/** Re-exported for the sync layer's public surface (the queries live in src/store/outbox.ts). */
export { outboxHead, blockedOutbox };

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';

/**
 * Creates the sender over the register's database and an OFD client (see the invariants above).
 * Throws a TypeError naming the option when one is bad (checkSenderOptions).
 */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  checkSenderOptions(options);
  const { db, client } = options;
  const clock = options.clock ?? systemClock;
  const baseMs = options.backoff?.baseMs ?? 1_000;
  const idleMs = options.idleMs ?? 30_000;
  const lease = createDeliveryLease(db, clock, { owner: options.lease?.owner ?? `${process.pid}:${randomUUID()}`, ttlMs: options.lease?.ttlMs ?? 60_000 });
  const sendRow = createRowDelivery({
    db, client, clock, backoff: { baseMs, maxMs: options.backoff?.maxMs ?? 5 * 60_000 },
    reconnectMs: options.reconnectIntervalMs ?? OFD_MIN_RECONNECT_INTERVAL_MS, random: options.random ?? Math.random,
    regInfo: options.regInfo, contactRetentionDays: options.contactRetentionDays, utcOffsetMinutes: options.utcOffsetMinutes,
    kgdKkmId: options.kgdKkmId ?? options.regInfo?.kkm?.fns_kkm_id ?? undefined,
    emit(e) {
      try {
        options.onStatus?.(e);
      } catch {
        // A broken listener must not stop deliveries.
      }
    },
  });

  let running: Promise<DeliveryPass> | null = null;
  let loop: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;
  let notified = false;

  async function passLeased(force: boolean): Promise<DeliveryPass> {
    let delivered = 0;
    for (;;) {
      if (stopping) return { delivered, remaining: undeliveredOutboxCount(db), stopped: { kind: 'stopped' } };
      // Renewed before every row; lost only if we stalled past its expiry and another sender took it.
      const lost = lease.take();
      if (lost) return { delivered, remaining: undeliveredOutboxCount(db), stopped: lost };
      const now = clock.now().toISOString();
      const next = nextPending(db, force ? FAR_FUTURE : now);
      if (!next) {
        const head = outboxHead(db);
        if (!head) return { delivered, remaining: 0, stopped: null };
        const remaining = undeliveredOutboxCount(db);
        if (head.state === 'blocked') return { delivered, remaining, stopped: { kind: 'permanent', id: head.id, reason: head.lastError ?? 'blocked' } };
        return { delivered, remaining, stopped: { kind: 'waiting', id: head.id, reason: head.lastError ?? 'not due yet', nextAttemptAt: head.nextAttemptAt ?? now } };
      }
      const stop = await sendRow(next);
      if (stop) return { delivered, remaining: undeliveredOutboxCount(db), stopped: stop };
      delivered++;
    }
  }

  function deliverOnce(o: { force?: boolean } = {}): Promise<DeliveryPass> {
    if (running) return running;
    running = lease.hold(() => passLeased(o.force === true), (busy) => ({ delivered: 0, remaining: undeliveredOutboxCount(db), stopped: busy }))
      .finally(() => { running = null; });
    return running;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      function done(): void {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });
  }

  /** How long the loop waits after a pass: until the head is due, the other sender's lease ends, or idle. */
  function waitAfter(s: PassStop | null): number {
    if (s && (s.kind === 'transient' || s.kind === 'blocked' || s.kind === 'waiting') && s.nextAttemptAt !== null) {
      return Math.min(idleMs, Math.max(0, Date.parse(s.nextAttemptAt) - clock.now().getTime()));
    }
    // Another process delivers; look again when its lease would run out (it renews while busy).
    if (s?.kind === 'busy') return Math.min(idleMs, Math.max(baseMs, Date.parse(s.until) - clock.now().getTime()));
    return idleMs;
  }

  async function runLoop(): Promise<void> {
    while (!stopping) {
      notified = false;
      let result: DeliveryPass;
      try {
        result = await deliverOnce();
      } catch {
        // A database error (disk full, busy): nothing was lost; try again later.
        if (!stopping && !notified) await sleep(baseMs);
        continue;
      }
      if (stopping) break;
      if (notified) continue; // a row arrived during the pass
      await sleep(waitAfter(result.stopped));
    }
  }

  return {
    deliverOnce,
    start() {
      if (loop) return;
      stopping = false;
      loop = runLoop().finally(() => { loop = null; });
    },
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await running;
    },
    notify() {
      notified = true;
      wake?.();
    },
    retry(id) {
      return db.transaction(() => {
        const row = getOutbox(db, id);
        if (!row) throw new SyncRetryError(id, 'not-found', `outbox row ${id} does not exist`);
        if (row.state !== 'blocked') throw new SyncRetryError(id, 'not-blocked', `outbox row ${id} is not blocked (it is ${row.state}); only a blocked row can be retried`);
        unblockOutbox(db, id);
        // The client's blocked mode (the OFD's message) is what the manager resolved; lifting it
        // also drops the request that got the error, so the row goes out with a new REQNUM
        // (after the COMMAND_INFO check of invariant 6).
        if (client.state().blocked) client.resolveBlock();
        const after = getOutbox(db, id) as OutboxEntry;
        queueMicrotask(() => { notified = true; wake?.(); });
        return after;
      }).immediate();
    },
  };
}
