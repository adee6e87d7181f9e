/**
 * Delivering one outbox row (the sender's invariants 2-6, see sender.ts): settle its offline
 * flag before the first send, build its request (outbox-request.ts), lift a server block first,
 * check the OFD's last document before resending a row whose request was dropped (a person
 * resolved a block, or a server block was lifted: 5.4.1), send it,
 * and mark it delivered inside the client's accepting transaction — or postpone it (transient,
 * with backoff) or block it (a person must look).
 */
import * as z from 'zod';
import type { Clock } from '../clock.ts';
import {
  Command, OfdCodecError, buildInfo, buildSystem, nextReconnectAt, type OfdClient, type OfdOutcome, type RegInfoInput, type RequestMsg,
  type ResponseMsg,
} from '../registry/index.ts';
import {
  getOfdDocument, getOfdState, getOutbox, markDelivered, markFailed, markOutboxOffline, markSending, recordOfdDocument, PendingRequestError,
  type Db, type OutboxEntry,
} from '../store/index.ts';
import { OutboxPayloadError, requestForOutbox } from './outbox-request.ts';
import { ParentTicketPendingError } from './ticket.ts';

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

/** Backoff delay for the n-th consecutive failure: base * 2^(n-1) capped, "equal jitter" (half fixed, half random). */
export function backoffDelayMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30)));
  return Math.round(exp / 2 + (exp / 2) * random());
}

/** What delivering a row needs (resolved sender options). */
export interface RowDeliveryDeps {
  db: Db;
  client: OfdClient;
  clock: Clock;
  backoff: { baseMs: number; maxMs: number };
  reconnectMs: number;
  random: () => number;
  regInfo: RegInfoInput | undefined;
  contactRetentionDays: number | undefined;
  utcOffsetMinutes: number | undefined;
  /** The register's КГД registration number (a return's parent_ticket). */
  kgdKkmId: string | undefined;
  emit(event: SenderEvent): void;
}

/** Sends one row; resolves null when it was delivered, else why the pass must stop. */
export type SendRow = (head: OutboxEntry) => Promise<PassStop | null>;

/** Creates the row delivery of a sender. */
export function createRowDelivery(deps: RowDeliveryDeps): SendRow {
  const { db, client, clock } = deps;
  const nowIso = (): string => clock.now().toISOString();
  const opts = deps.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: deps.utcOffsetMinutes } : {};
  const retention = deps.contactRetentionDays !== undefined ? { contactRetentionDays: deps.contactRetentionDays } : {};

  function nextAttemptAfter(attempts: number): string {
    const byBackoff = clock.now().getTime() + backoffDelayMs(attempts, deps.backoff.baseMs, deps.backoff.maxMs, deps.random);
    const reconnect = nextReconnectAt(client.state(), deps.reconnectMs);
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
    deps.emit({ channel: 'ofd', ok: false, at: nowIso(), id: row.id, seq: row.seq, documentId: row.documentId, kind: 'permanent', error, nextAttemptAt: null });
    return { kind: 'permanent', id: row.id, reason: error };
  }

  function postpone(row: OutboxEntry, kind: 'transient' | 'blocked', error: string): PassStop {
    const attempts = getOutbox(db, row.id)?.attempts ?? row.attempts + 1;
    const nextAttemptAt = nextAttemptAfter(attempts);
    markFailed(db, row.id, { error, permanent: false, nextAttemptAt });
    deps.emit({ channel: 'ofd', ok: false, at: nowIso(), id: row.id, seq: row.seq, documentId: row.documentId, kind, error, nextAttemptAt });
    return { kind, id: row.id, reason: error, nextAttemptAt };
  }

  function delivered(row: OutboxEntry, ticketNumber: string | null, at = nowIso()): null {
    deps.emit({ channel: 'ofd', ok: true, at, id: row.id, seq: row.seq, documentId: row.documentId, ticketNumber });
    return null;
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

  /** Before the send: the server block lifted (5.4), and a row a person dropped not already at the OFD (invariant 6). */
  async function clearToSend(row: OutboxEntry): Promise<PassStop | { deliveredAt: string } | null> {
    if (client.state().blocked?.code === 15) {
      // Server block (15): only COMMAND_SYSTEM with reg_info may go out until it is answered OK (5.4).
      const lifted = await client.send(buildSystem({ regInfo: deps.regInfo ?? {}, ...opts }));
      if (lifted.kind !== 'ok') {
        const reason = lifted.kind === 'transient' ? lifted.reason : lifted.text;
        markSending(db, row.id);
        return postpone(row, lifted.kind === 'permanent' ? 'blocked' : lifted.kind, `server block (15) not lifted yet: ${reason}`);
      }
    }
    // Invariant 6: attempted before, but the client no longer holds its request (a person dropped
    // it, or the server block was just lifted: invariant 5), so ask the OFD before sending anew.
    if (row.attempts > 0 && client.state().pending === null) {
      const known = await alreadyAccepted(row);
      if (typeof known === 'object') return known.kind === 'permanent' ? block(row, known.reason) : postpone(row, known.kind, known.reason);
      if (known) {
        const at = nowIso();
        db.transaction(() => {
          markSending(db, row.id);
          markDelivered(db, row.id, { ticketNumber: null, qrUrl: null, at, ...retention });
        }).immediate();
        return { deliveredAt: at };
      }
    }
    return null;
  }

  /** Runs inside the transaction that stores the OFD's new token (invariant 2). */
  function onAccepted(row: OutboxEntry, request: RequestMsg, tx: Db, response: ResponseMsg): void {
    const current = getOutbox(tx, row.id);
    if (!current || current.state === 'delivered') return; // delivered by an earlier answer: nothing to do twice
    const at = nowIso();
    const documentKey = `${row.kind}:${row.documentId}`;
    const ticketNumber = response.ticket?.ticket_number ?? null;
    const qrUrl = response.ticket?.qr_code ? Buffer.from(response.ticket.qr_code).toString('utf8') : null;
    markDelivered(tx, row.id, { ticketNumber, qrUrl, at, ...retention });
    if (!getOfdDocument(tx, documentKey)) {
      recordOfdDocument(tx, {
        key: documentKey, deviceId: client.deviceId, command: request.command,
        reqNum: getOfdState(tx, client.deviceId)?.reqNum ?? 0, ticketNumber, qrUrl,
        offlineTicketNumber: request.command === Command.TICKET ? request.ticket?.offline_ticket_number ?? null : null, acceptedAt: at,
      });
    }
  }

  return async function sendRow(head) {
    let request: RequestMsg;
    const row = settleOfflineFlag(head);
    try {
      request = requestForOutbox(row, { ...opts, db, ...(deps.kgdKkmId !== undefined ? { kgdKkmId: deps.kgdKkmId } : {}) });
    } catch (err) {
      if (err instanceof OutboxPayloadError) return block(row, err.message);
      // A return whose sale has no ticket number yet waits for it (2.0.3 parent_ticket is filled at send time).
      if (err instanceof ParentTicketPendingError) return postpone(row, 'transient', err.message);
      throw err;
    }
    const cleared = await clearToSend(row);
    if (cleared !== null) return 'deliveredAt' in cleared ? delivered(row, null, cleared.deliveredAt) : cleared;

    markSending(db, row.id);
    let outcome: OfdOutcome;
    try {
      outcome = await client.send(request, { onAccepted: (tx, response) => onAccepted(row, request, tx, response) });
    } catch (err) {
      // The client throws only for what no retry can fix by itself: a request it cannot encode,
      // or another request still pending (order would break). A person must look.
      if (err instanceof PendingRequestError || err instanceof OfdCodecError) return block(row, `${err.name}: ${err.message}`);
      // Anything else (e.g. the database busy while committing the answer): the request stays
      // pending in the client and is resent; the OFD replays its answer.
      return postpone(row, 'transient', `${(err as Error).name}: ${(err as Error).message}`);
    }
    switch (outcome.kind) {
      case 'ok':
        return delivered(row, getOutbox(db, row.id)?.ticketNumber ?? null);
      case 'transient':
        return postpone(row, 'transient', outcome.reason);
      case 'blocked':
        // Not processed by the OFD: the row stays pending and goes out once the block is lifted.
        return postpone(row, 'blocked', `OFD server block (15): ${outcome.text}`);
      case 'permanent':
        return block(row, `OFD result ${outcome.code}: ${outcome.text}`);
    }
  };
}
