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
 *    row's `offline` flag, and that flag is decided and persisted before the row's first send.
 * 5. A server block (15) does not make the client forget the row's request (the client keeps it
 *    pending, see its invariant 5): once COMMAND_SYSTEM lifted the block, the row is resent with
 *    the same TOKEN and REQNUM and the OFD replays its answer if an earlier transmission had been
 *    processed — the ticket number is known, nothing is sent twice.
 * 6. The one case left where the client forgets a request is a person resolving a blocking
 *    result (`retry(id)` -> `resolveBlock`: after 2, 8, 9, 13, ... the request is dropped and the
 *    next send gets a new REQNUM). An earlier transmission of that row may still have been
 *    accepted with its answer lost (e.g. the OFD no longer remembered it and answered 2 to the
 *    resend). So before a row that was already attempted goes out again with nothing pending, the
 *    sender asks the OFD for its last accepted document (COMMAND_INFO, last_document_info): if the
 *    row's printed document number is already there, the row is marked delivered (ticket number
 *    unknown) instead of sent twice.
 * 7. One sender per register database: a pass runs only while holding the 'ofd' lease
 *    (migration 6), taken in an IMMEDIATE transaction and renewed before every row and on a
 *    timer; a second sender (`tanba sync now` while `tanba serve` runs) that cannot take it ends
 *    its pass at once with `busy` ("another process is delivering: pid N") and sends nothing.
 *    A holder killed on this host is taken over at once (its pid no longer runs), elsewhere
 *    when the lease expires.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import * as z from 'zod';
import { systemClock, type Clock } from '../clock.ts';
import {
  acquireSyncLease, releaseSyncLease, type SyncLease,
  blockedOutbox, getOfdDocument, getOfdState, getOutbox, markDelivered, markFailed, markOutboxOffline, markSending, nextPending,
  outboxHead, recordOfdDocument, unblockOutbox, undeliveredOutboxCount, PendingRequestError, type Db, type OutboxEntry,
} from '../store/index.ts';
import {
  Command, OFD_MIN_RECONNECT_INTERVAL_MS, OfdCodecError, OfdInputError, buildCloseShift, buildInfo, buildMoneyPlacement, buildSystem,
  buildTicketRequest, buildXReport, nextReconnectAt, type OfdClient, type OfdOutcome, type RegInfoInput, type RequestMsg,
  type ResponseMsg, type TicketInput,
} from '../registry/index.ts';

/** What the sender reports after each attempt (the UI's live status, logs). */
export type SenderEvent =
  | { channel: 'ofd'; ok: true; at: string; id: number; seq: number; documentId: string; ticketNumber: string | null }
  | {
    channel: 'ofd'; ok: false; at: string; id: number; seq: number; documentId: string;
    /** transient: retried by itself; permanent: blocked until a person retries; blocked: the OFD's server block (15). */
    kind: 'transient' | 'permanent' | 'blocked';
    error: string;
    /** When the row is due again (null when blocked). */
    nextAttemptAt: string | null;
  };

/** Why a delivery pass stopped before the queue was empty. */
export type PassStop =
  | { kind: 'transient' | 'blocked'; id: number; reason: string; nextAttemptAt: string | null }
  | { kind: 'permanent'; id: number; reason: string }
  /** The head row is not due yet (backoff after an earlier failure). */
  | { kind: 'waiting'; id: number; reason: string; nextAttemptAt: string }
  /** stop() was called. */
  | { kind: 'stopped' }
  /** Another sender holds the delivery lease (invariant 7): nothing was sent. */
  | { kind: 'busy'; reason: string; pid: number; until: string };

/** The result of one delivery pass. */
export interface DeliveryPass {
  delivered: number;
  /** Rows still undelivered when the pass ended. */
  remaining: number;
  /** null: the queue is empty. */
  stopped: PassStop | null;
}

/** Options of {@link createOutboxSender}. */
export interface OutboxSenderOptions {
  db: Db;
  client: OfdClient;
  clock?: Clock;
  /** Called after every attempt; must not throw (errors are swallowed to keep delivering). */
  onStatus?: (event: SenderEvent) => void;
  /** Backoff after transient failures: baseMs * 2^(attempts-1), capped at maxMs, with jitter. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** The client's reconnect interval while offline (the sender does not wake earlier). Default 60 s. */
  reconnectIntervalMs?: number;
  /** Registration data sent with COMMAND_SYSTEM to lift a server block (15), 5.4. */
  regInfo?: RegInfoInput;
  /** How long an e-receipt contact is kept after delivery (days). */
  contactRetentionDays?: number;
  /** Local time offset of the register for protocol DateTimes (default: the builders' UTC+5). */
  utcOffsetMinutes?: number;
  /** Jitter source (tests pass a seeded one). */
  random?: () => number;
  /** Idle re-check interval of the loop when nothing is due (new rows wake it via notify()). Default 30 s. */
  idleMs?: number;
  /**
   * The delivery lease (invariant 7). `ttlMs` (default 60 s) must exceed the OFD client's
   * transaction time: the lease is renewed before each row and every ttl/3 while sending.
   */
  lease?: { owner?: string; ttlMs?: number };
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

/** A document the sender refuses to send (bad payload): the row is blocked, never sent half-right. */
export class OutboxPayloadError extends Error {
  override name = 'OutboxPayloadError';
}

// ---- payloads (written by src/checkout/fiscal.ts; validated because they cross a version boundary) ----

const itemSchema = z.object({
  name: z.string(),
  sectionCode: z.string(),
  quantity: z.number(),
  price: z.number(),
  sum: z.number(),
  exciseStamp: z.string().nullable().optional(),
  barcode: z.string().nullable().optional(),
  measureUnitCode: z.string().nullable().optional(),
  taxes: z.array(z.object({ taxType: z.number(), percent: z.number(), sum: z.number(), isInTotalSum: z.boolean() })).optional(),
}).loose();

const ticketPayloadSchema = z.object({
  operation: z.enum(['sell', 'sell_return']),
  dateTime: z.string(),
  operator: z.object({ code: z.number(), name: z.string().nullable().optional() }),
  items: z.array(itemSchema),
  payments: z.array(z.object({ type: z.enum(['cash', 'card', 'mobile']), sum: z.number() })),
  amounts: z.object({ total: z.number(), taken: z.number().optional(), change: z.number().optional() }),
  shiftNumber: z.number(),
  shiftDocumentNumber: z.number(),
  printedDocumentNumber: z.number(),
  offlineTicketNumber: z.number().optional(),
}).loose();

const closeShiftPayloadSchema = z.object({
  closeTime: z.string(),
  shiftNumber: z.number(),
  printedDocumentNumber: z.number(),
  operator: z.object({ code: z.number(), name: z.string().optional() }).optional(),
}).loose();

const xReportPayloadSchema = z.object({ dateTime: z.string() }).loose();

const moneyPlacementPayloadSchema = z.object({
  dateTime: z.string(),
  operation: z.enum(['deposit', 'withdrawal']),
  sum: z.number(),
  shiftNumber: z.number(),
  printedDocumentNumber: z.number(),
  operator: z.object({ code: z.number(), name: z.string().optional() }).optional(),
}).loose();

function parsePayload<T extends z.ZodType>(schema: T, row: OutboxEntry): z.output<T> {
  const r = schema.safeParse(row.payload);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new OutboxPayloadError(`outbox row ${row.id} (${row.kind} ${row.documentId}): invalid payload: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid'}`);
  }
  return r.data;
}

/**
 * The protocol request for an outbox row: a pure function of the stored payload and the row's
 * offline flag (so every resend carries the same bytes). Offline tickets carry the
 * offline_ticket_number fixed when the sale committed (it is printed on the receipt).
 */
export function requestForOutbox(row: OutboxEntry, options: { utcOffsetMinutes?: number } = {}): RequestMsg {
  const offset = options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {};
  try {
    switch (row.kind) {
      case 'sell':
      case 'sell_return': {
        const p = parsePayload(ticketPayloadSchema, row);
        if (p.operation !== row.kind) throw new OutboxPayloadError(`outbox row ${row.id}: payload operation ${p.operation} differs from the row kind ${row.kind}`);
        if (row.offline && p.offlineTicketNumber === undefined) throw new OutboxPayloadError(`outbox row ${row.id}: an offline ticket without offlineTicketNumber`);
        const input: TicketInput = {
          operation: p.operation,
          dateTime: p.dateTime,
          operator: p.operator.name ? { code: p.operator.code, name: p.operator.name } : { code: p.operator.code },
          items: p.items.map((i) => ({
            name: i.name, sectionCode: i.sectionCode, quantity: i.quantity, price: i.price, sum: i.sum,
            ...(i.exciseStamp ? { exciseStamp: i.exciseStamp } : {}),
            ...(i.barcode ? { barcode: i.barcode } : {}),
            ...(i.measureUnitCode ? { measureUnitCode: i.measureUnitCode } : {}),
            ...(i.taxes && i.taxes.length > 0 ? { taxes: i.taxes } : {}),
          })),
          payments: p.payments,
          total: p.amounts.total,
          ...(p.amounts.taken !== undefined ? { taken: p.amounts.taken } : {}),
          ...(p.amounts.change !== undefined ? { change: p.amounts.change } : {}),
          shiftNumber: p.shiftNumber,
          shiftDocumentNumber: p.shiftDocumentNumber,
          printedDocumentNumber: p.printedDocumentNumber,
          ...(row.offline && p.offlineTicketNumber !== undefined ? { offlineTicketNumber: p.offlineTicketNumber } : {}),
          ...offset,
        };
        return buildTicketRequest(input);
      }
      case 'close_shift': {
        const p = parsePayload(closeShiftPayloadSchema, row);
        return buildCloseShift({
          closeTime: p.closeTime, shiftNumber: p.shiftNumber, printedDocumentNumber: p.printedDocumentNumber,
          ...(p.operator ? { operator: p.operator } : {}), ...(row.offline ? { isOffline: true } : {}), ...offset,
        });
      }
      case 'x_report': {
        const p = parsePayload(xReportPayloadSchema, row);
        return buildXReport({ dateTime: p.dateTime, ...(row.offline ? { isOffline: true } : {}), ...offset });
      }
      case 'money_placement': {
        const p = parsePayload(moneyPlacementPayloadSchema, row);
        return buildMoneyPlacement({
          dateTime: p.dateTime, operation: p.operation, sum: p.sum, shiftNumber: p.shiftNumber, printedDocumentNumber: p.printedDocumentNumber,
          ...(p.operator ? { operator: p.operator } : {}), ...(row.offline ? { isOffline: true } : {}), ...offset,
        });
      }
      default:
        throw new OutboxPayloadError(`outbox row ${row.id}: unknown kind '${String(row.kind)}'`);
    }
  } catch (err) {
    if (err instanceof OfdInputError || err instanceof OfdCodecError) throw new OutboxPayloadError(`outbox row ${row.id} (${row.kind} ${row.documentId}): ${err.message}`);
    throw err;
  }
}

/** Re-exported for the sync layer's public surface (the queries live in src/store/outbox.ts). */
export { outboxHead, blockedOutbox };

const FAR_FUTURE = '9999-12-31T23:59:59.999Z';
const LEASE = 'ofd';

/** Whether a process id runs on this host (EPERM: it runs, under another user). */
function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Backoff delay for the n-th consecutive failure: base * 2^(n-1) capped, "equal jitter" (half fixed, half random). */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** Creates the sender over the register's database and an OFD client (see the invariants above). */
export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { db, client } = options;
  const clock = options.clock ?? systemClock;
  const baseMs = options.backoff?.baseMs ?? 1_000;
  const maxMs = options.backoff?.maxMs ?? 5 * 60_000;
  const reconnectMs = options.reconnectIntervalMs ?? OFD_MIN_RECONNECT_INTERVAL_MS;
  const random = options.random ?? Math.random;
  const idleMs = options.idleMs ?? 30_000;
  const nowIso = (): string => clock.now().toISOString();
  const opts = options.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: options.utcOffsetMinutes } : {};
  const leaseOwner = options.lease?.owner ?? `${process.pid}:${randomUUID()}`;
  const leaseTtlMs = options.lease?.ttlMs ?? 60_000;
  const host = hostname();

  let running: Promise<DeliveryPass> | null = null;
  let loop: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;
  let notified = false;

  function emit(e: SenderEvent): void {
    try {
      options.onStatus?.(e);
    } catch {
      // A broken listener must not stop deliveries.
    }
  }

  function nextAttemptAfter(attempts: number): string {
    const byBackoff = clock.now().getTime() + backoffDelayMs(attempts, baseMs, maxMs, random);
    const reconnect = nextReconnectAt(client.state(), reconnectMs);
    return new Date(Math.max(byBackoff, reconnect?.getTime() ?? 0)).toISOString();
  }

  /**
   * Decides, before the row's first send, whether it is an offline document: made while the
   * client was offline, or queued before the end of the last offline period (5.2: while the
   * offline queue holds anything, new tickets are offline too). Persisted, so resends match.
   */
  function settleOfflineFlag(row: OutboxEntry): OutboxEntry {
    if (row.offline || row.attempts > 0) return row;
    const s = client.state();
    const offline = s.offlineSince !== null || (s.lastOfflinePeriod !== null && row.createdAt <= s.lastOfflinePeriod.end);
    if (!offline) return row;
    markOutboxOffline(db, row.id);
    return { ...row, offline: true };
  }

  function block(row: OutboxEntry, error: string): PassStop {
    markFailed(db, row.id, { error, permanent: true, nextAttemptAt: null });
    emit({ channel: 'ofd', ok: false, at: nowIso(), id: row.id, seq: row.seq, documentId: row.documentId, kind: 'permanent', error, nextAttemptAt: null });
    return { kind: 'permanent', id: row.id, reason: error };
  }

  function postpone(row: OutboxEntry, kind: 'transient' | 'blocked', error: string): PassStop {
    const attempts = getOutbox(db, row.id)?.attempts ?? row.attempts + 1;
    const nextAttemptAt = nextAttemptAfter(attempts);
    markFailed(db, row.id, { error, permanent: false, nextAttemptAt });
    emit({ channel: 'ofd', ok: false, at: nowIso(), id: row.id, seq: row.seq, documentId: row.documentId, kind, error, nextAttemptAt });
    return { kind, id: row.id, reason: error, nextAttemptAt };
  }

  /** Server block (15): only COMMAND_SYSTEM with reg_info may go out until it is answered OK (5.4). */
  async function liftServerBlock(): Promise<OfdOutcome> {
    return client.send(buildSystem({ regInfo: options.regInfo ?? {}, ...opts }));
  }

  /**
   * Invariant 6: whether the OFD already holds the row (its printed document number is at or
   * below the OFD's last accepted one). Returns why it could not tell when the OFD did not answer.
   */
  async function alreadyAccepted(row: OutboxEntry): Promise<boolean | { kind: 'transient' | 'blocked' | 'permanent'; reason: string }> {
    const printed = z.object({ printedDocumentNumber: z.number() }).safeParse(row.payload);
    if (!printed.success) return false;
    const info = await client.send(buildInfo());
    if (info.kind !== 'ok') {
      return { kind: info.kind, reason: `checking the OFD's last document before resending: ${info.kind === 'transient' ? info.reason : info.text}` };
    }
    const last = Number(info.response.service?.last_document_info?.printed_document_number ?? 0);
    return Number.isFinite(last) && printed.data.printedDocumentNumber <= last;
  }

  /** Sends one row; returns null when it was delivered, else why the pass must stop. */
  async function sendRow(head: OutboxEntry): Promise<PassStop | null> {
    let request: RequestMsg;
    const row = settleOfflineFlag(head);
    try {
      request = requestForOutbox(row, opts);
    } catch (err) {
      if (err instanceof OutboxPayloadError) return block(row, err.message);
      throw err;
    }

    if (client.state().blocked?.code === 15) {
      const lifted = await liftServerBlock();
      if (lifted.kind !== 'ok') {
        const reason = lifted.kind === 'transient' ? lifted.reason : lifted.text;
        markSending(db, row.id);
        return postpone(row, lifted.kind === 'permanent' ? 'blocked' : lifted.kind, `server block (15) not lifted yet: ${reason}`);
      }
    }

    // Invariant 6: attempted before, but the client no longer holds its request (a person dropped it).
    if (row.attempts > 0 && client.state().pending === null) {
      const known = await alreadyAccepted(row);
      if (typeof known === 'object') return known.kind === 'permanent' ? block(row, known.reason) : postpone(row, known.kind, known.reason);
      if (known) {
        const at = nowIso();
        db.transaction(() => {
          markSending(db, row.id);
          markDelivered(db, row.id, { ticketNumber: null, qrUrl: null, at, ...(options.contactRetentionDays !== undefined ? { contactRetentionDays: options.contactRetentionDays } : {}) });
        }).immediate();
        emit({ channel: 'ofd', ok: true, at, id: row.id, seq: row.seq, documentId: row.documentId, ticketNumber: null });
        return null;
      }
    }

    markSending(db, row.id);
    const documentKey = `${row.kind}:${row.documentId}`;
    let outcome: OfdOutcome;
    try {
      outcome = await client.send(request, {
        onAccepted(tx: Db, response: ResponseMsg) {
          // Runs inside the transaction that stores the OFD's new token (invariant 2).
          const current = getOutbox(tx, row.id);
          if (!current || current.state === 'delivered') return; // delivered by an earlier answer: nothing to do twice
          const at = nowIso();
          const ticketNumber = response.ticket?.ticket_number ?? null;
          const qrUrl = response.ticket?.qr_code ? Buffer.from(response.ticket.qr_code).toString('utf8') : null;
          markDelivered(tx, row.id, { ticketNumber, qrUrl, at, ...(options.contactRetentionDays !== undefined ? { contactRetentionDays: options.contactRetentionDays } : {}) });
          if (!getOfdDocument(tx, documentKey)) {
            recordOfdDocument(tx, {
              key: documentKey, deviceId: client.deviceId, command: request.command,
              reqNum: getOfdState(tx, client.deviceId)?.reqNum ?? 0, ticketNumber, qrUrl,
              offlineTicketNumber: request.command === Command.TICKET ? request.ticket?.offline_ticket_number ?? null : null, acceptedAt: at,
            });
          }
        },
      });
    } catch (err) {
      // The client throws only for what no retry can fix by itself: a request it cannot encode,
      // or another request still pending (order would break). A person must look.
      if (err instanceof PendingRequestError || err instanceof OfdCodecError) return block(row, `${err.name}: ${err.message}`);
      // Anything else (e.g. the database busy while committing the answer): the request stays
      // pending in the client and is resent; the OFD replays its answer.
      return postpone(row, 'transient', `${(err as Error).name}: ${(err as Error).message}`);
    }

    switch (outcome.kind) {
      case 'ok': {
        const done = getOutbox(db, row.id);
        emit({ channel: 'ofd', ok: true, at: nowIso(), id: row.id, seq: row.seq, documentId: row.documentId, ticketNumber: done?.ticketNumber ?? null });
        return null;
      }
      case 'transient':
        return postpone(row, 'transient', outcome.reason);
      case 'blocked':
        // Not processed by the OFD: the row stays pending and goes out once the block is lifted.
        return postpone(row, 'blocked', `OFD server block (15): ${outcome.text}`);
      case 'permanent':
        return block(row, `OFD result ${outcome.code}: ${outcome.text}`);
    }
  }

  /** Takes or renews the lease; returns why not when another live sender holds it. */
  function takeLease(): Extract<PassStop, { kind: 'busy' }> | null {
    const gone = (h: SyncLease): boolean => h.host === host && !pidRuns(h.pid);
    const r = acquireSyncLease(db, LEASE, { owner: leaseOwner, pid: process.pid, host, now: nowIso(), ttlMs: leaseTtlMs }, gone);
    if (r.ok) return null;
    const where = r.holder.host === host ? '' : ` on ${r.holder.host}`;
    return { kind: 'busy', reason: `another process is delivering: pid ${r.holder.pid}${where} (lease until ${r.holder.expiresAt})`, pid: r.holder.pid, until: r.holder.expiresAt };
  }

  async function pass(force: boolean): Promise<DeliveryPass> {
    const busy = takeLease();
    if (busy) return { delivered: 0, remaining: undeliveredOutboxCount(db), stopped: busy };
    const renew = setInterval(() => {
      try { takeLease(); } catch { /* busy database: renewed before the next row anyway */ }
    }, Math.max(10, Math.floor(leaseTtlMs / 3)));
    renew.unref();
    try {
      return await passLeased(force);
    } finally {
      clearInterval(renew);
      releaseSyncLease(db, LEASE, leaseOwner);
    }
  }

  async function passLeased(force: boolean): Promise<DeliveryPass> {
    let delivered = 0;
    for (;;) {
      if (stopping) return { delivered, remaining: undeliveredOutboxCount(db), stopped: { kind: 'stopped' } };
      // Renewed before every row; lost only if we stalled past its expiry and another sender took it.
      const lost = takeLease();
      if (lost) return { delivered, remaining: undeliveredOutboxCount(db), stopped: lost };
      const now = nowIso();
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
    running = pass(o.force === true).finally(() => { running = null; });
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
      const s = result.stopped;
      let waitMs = idleMs;
      if (s && (s.kind === 'transient' || s.kind === 'blocked' || s.kind === 'waiting') && s.nextAttemptAt !== null) {
        waitMs = Math.min(idleMs, Math.max(0, Date.parse(s.nextAttemptAt) - clock.now().getTime()));
      } else if (s?.kind === 'busy') {
        // Another process delivers; look again when its lease would run out (it renews while busy).
        waitMs = Math.min(idleMs, Math.max(baseMs, Date.parse(s.until) - clock.now().getTime()));
      }
      await sleep(waitMs);
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
