/**
 * Queries on the OFD client's tables (`ofd_state`, `ofd_documents`, migration 3). Plain
 * functions `(db, ...)`; each that changes more than one thing runs in one transaction (nested
 * calls join the caller's transaction, so `onAccepted` hooks commit together with the token).
 */
import type { Db } from './db.ts';

/** The OFD client's persisted state for one device id. */
export interface OfdState {
  deviceId: number;
  token: number;
  /** The last REQNUM used (0 before the first request). */
  reqNum: number;
  /** The request reserved and possibly sent, whose answer has not been recorded yet. */
  pending: { reqNum: number; token: number; command: number; request: Buffer; since: string } | null;
  shiftNumber: number;
  shiftDocumentNumber: number;
  printedDocumentNumber: number;
  /** UTC ISO time of the first failed attempt; null when online. */
  offlineSince: string | null;
  lastOfflinePeriod: { begin: string; end: string } | null;
  lastAttemptAt: string | null;
  lastContactAt: string | null;
  lastOfflineTicketNumber: number | null;
  /** Non-null while the register is blocked (a non-retryable result or server block 15). */
  blocked: { code: number; text: string; command: number | null; at: string } | null;
  infoMessage: string | null;
  updatedAt: string;
}

interface StateRow {
  device_id: number; token: number; reqnum: number;
  pending_reqnum: number | null; pending_token: number | null; pending_command: number | null;
  pending_request: Buffer | null; pending_since: string | null;
  shift_number: number; shift_document_number: number; printed_document_number: number;
  offline_since: string | null; last_offline_begin: string | null; last_offline_end: string | null;
  last_attempt_at: string | null; last_contact_at: string | null; last_offline_ticket_number: number | null;
  blocked_code: number | null; blocked_text: string | null; blocked_command: number | null; blocked_at: string | null;
  info_message: string | null; updated_at: string;
}

function fromRow(r: StateRow): OfdState {
  return {
    deviceId: r.device_id,
    token: r.token,
    reqNum: r.reqnum,
    pending: r.pending_reqnum !== null && r.pending_request !== null
      ? { reqNum: r.pending_reqnum, token: r.pending_token ?? r.token, command: r.pending_command ?? 0, request: r.pending_request, since: r.pending_since ?? r.updated_at }
      : null,
    shiftNumber: r.shift_number,
    shiftDocumentNumber: r.shift_document_number,
    printedDocumentNumber: r.printed_document_number,
    offlineSince: r.offline_since,
    lastOfflinePeriod: r.last_offline_begin !== null && r.last_offline_end !== null ? { begin: r.last_offline_begin, end: r.last_offline_end } : null,
    lastAttemptAt: r.last_attempt_at,
    lastContactAt: r.last_contact_at,
    lastOfflineTicketNumber: r.last_offline_ticket_number,
    blocked: r.blocked_code !== null ? { code: r.blocked_code, text: r.blocked_text ?? '', command: r.blocked_command, at: r.blocked_at ?? r.updated_at } : null,
    infoMessage: r.info_message,
    updatedAt: r.updated_at,
  };
}

/** The state of `deviceId`, or undefined if it was never initialised. */
export function getOfdState(db: Db, deviceId: number): OfdState | undefined {
  const row = db.prepare('SELECT * FROM ofd_state WHERE device_id = ?').get(deviceId) as StateRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** Every device's state (diagnostics, the manager's view). */
export function listOfdStates(db: Db): OfdState[] {
  return (db.prepare('SELECT * FROM ofd_state ORDER BY device_id').all() as StateRow[]).map(fromRow);
}

/**
 * Creates the state of a device registered with `token` (from the OFD's registration card), or
 * returns the existing one unchanged: the stored token may have been rotated since, and the
 * configured one must never overwrite it.
 */
export function initOfdState(db: Db, init: { deviceId: number; token: number; shiftNumber?: number; now: string }): OfdState {
  return db.transaction(() => {
    db.prepare(`INSERT INTO ofd_state (device_id, token, shift_number, updated_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(device_id) DO NOTHING`).run(init.deviceId, init.token, init.shiftNumber ?? 1, init.now);
    return getOfdState(db, init.deviceId) as OfdState;
  })();
}

function mustGet(db: Db, deviceId: number): OfdState {
  const s = getOfdState(db, deviceId);
  if (!s) throw new Error(`OFD device ${deviceId} has no stored state; initialise it with its registration token first`);
  return s;
}

/** A new request while another one is still unresolved: order would break. */
export class PendingRequestError extends Error {
  override name = 'PendingRequestError';
  constructor(readonly pendingReqNum: number, readonly pendingCommand: number) {
    super(`OFD request ${pendingReqNum} (command ${pendingCommand}) is still unanswered; resend it (same content) before anything else`);
  }
}

/**
 * Reserves the REQNUM for a request and stores the request BEFORE it is sent, so a crash or a
 * lost connection resends it with the same TOKEN and REQNUM. If the same request (same command,
 * same bytes) is already pending, it is resumed. `nextReqNum` is the wrap rule.
 */
export function reserveOfdRequest(
  db: Db, deviceId: number, req: { command: number; request: Uint8Array; now: string },
  nextReqNum: (n: number) => number,
): { reqNum: number; token: number; resumed: boolean } {
  return db.transaction(() => {
    const s = mustGet(db, deviceId);
    if (s.pending) {
      if (s.pending.command === req.command && Buffer.compare(s.pending.request, Buffer.from(req.request)) === 0) {
        return { reqNum: s.pending.reqNum, token: s.pending.token, resumed: true };
      }
      throw new PendingRequestError(s.pending.reqNum, s.pending.command);
    }
    const reqNum = nextReqNum(s.reqNum);
    db.prepare(`UPDATE ofd_state SET reqnum = ?, pending_reqnum = ?, pending_token = token, pending_command = ?,
      pending_request = ?, pending_since = ?, updated_at = ? WHERE device_id = ?`)
      .run(reqNum, reqNum, req.command, Buffer.from(req.request), req.now, req.now, deviceId);
    return { reqNum, token: s.token, resumed: false };
  })();
}

/**
 * Reserves a REQNUM for a service request (COMMAND_SYSTEM with reg_info during a server block,
 * 5.4) WITHOUT touching the pending request: the document that got result 15 must stay pending,
 * so that its resend after the block (same TOKEN and REQNUM) is recognised by the OFD as a retry
 * of a transmission it may already have processed. The service request itself is not stored: it
 * records nothing at the OFD, so a lost answer is simply asked again under a new REQNUM.
 */
export function reserveOfdServiceRequest(db: Db, deviceId: number, now: string, nextReqNum: (n: number) => number): { reqNum: number; token: number } {
  return db.transaction(() => {
    const s = mustGet(db, deviceId);
    let reqNum = nextReqNum(s.reqNum);
    // Never reuse the pending request's REQNUM (only possible after 65535 service requests).
    if (s.pending && reqNum === s.pending.reqNum) reqNum = nextReqNum(reqNum);
    db.prepare('UPDATE ofd_state SET reqnum = ?, updated_at = ? WHERE device_id = ?').run(reqNum, now, deviceId);
    return { reqNum, token: s.token };
  })();
}

/**
 * A response arrived for the pending request: store the token the OFD answered with, leave
 * offline mode (remembering the period), clear the pending request. Call inside the same
 * transaction as whatever else the answer changes.
 */
export function completeOfdRequest(db: Db, deviceId: number, done: { token: number; now: string; clearPending: boolean }): void {
  db.transaction(() => {
    const s = mustGet(db, deviceId);
    const wasOffline = s.offlineSince;
    db.prepare(`UPDATE ofd_state SET token = ?, last_contact_at = ?, last_attempt_at = ?, offline_since = NULL,
      last_offline_begin = COALESCE(?, last_offline_begin), last_offline_end = CASE WHEN ? IS NULL THEN last_offline_end ELSE ? END,
      updated_at = ? WHERE device_id = ?`)
      .run(done.token, done.now, done.now, wasOffline, wasOffline, done.now, done.now, deviceId);
    if (done.clearPending) clearOfdPending(db, deviceId, done.now);
  })();
}

/** Drops the pending request (answered, or abandoned by a person after analysis). */
export function clearOfdPending(db: Db, deviceId: number, now: string): void {
  db.prepare(`UPDATE ofd_state SET pending_reqnum = NULL, pending_token = NULL, pending_command = NULL,
    pending_request = NULL, pending_since = NULL, updated_at = ? WHERE device_id = ?`).run(now, deviceId);
}

/** No answer within the transaction time: offline since the first failed attempt (kept if already offline). */
export function recordOfdOffline(db: Db, deviceId: number, at: { firstFailureAt: string; now: string }): void {
  db.prepare(`UPDATE ofd_state SET offline_since = COALESCE(offline_since, ?), last_attempt_at = ?, updated_at = ?
    WHERE device_id = ?`).run(at.firstFailureAt, at.now, at.now, deviceId);
}

/** Enters blocked mode with the OFD's message, which is kept until a person resolves it. */
export function recordOfdBlocked(db: Db, deviceId: number, b: { code: number; text: string; command: number; now: string }): void {
  db.prepare(`UPDATE ofd_state SET blocked_code = ?, blocked_text = ?, blocked_command = ?, blocked_at = ?, updated_at = ?
    WHERE device_id = ?`).run(b.code, b.text, b.command, b.now, b.now, deviceId);
}

/**
 * A person resolved the blocking message (or the server lifted its block): leave blocked mode,
 * drop the pending request, and optionally set the correct token (after result 2). The REQNUM
 * still advances on the next request, so the OFD never sees the old REQNUM with a new token (8).
 * After a server block (15) too: the request that got 15 is NOT resent under its old REQNUM (an
 * OFD compares a retry with the previous request, and that is now the unblocking SYSTEM); the
 * caller checks the OFD's last document (COMMAND_INFO) and sends it anew if it is missing.
 */
export function resolveOfdBlock(db: Db, deviceId: number, r: { now: string; token?: number }): void {
  db.transaction(() => {
    mustGet(db, deviceId);
    db.prepare(`UPDATE ofd_state SET blocked_code = NULL, blocked_text = NULL, blocked_command = NULL, blocked_at = NULL,
      token = COALESCE(?, token), updated_at = ? WHERE device_id = ?`).run(r.token ?? null, r.now, deviceId);
    clearOfdPending(db, deviceId, r.now);
  })();
}

/** Keeps the OFD's last information text (TICKET_AD_INFO), shown to the manager when blocked. */
export function setOfdInfoMessage(db: Db, deviceId: number, text: string, now: string): void {
  db.prepare('UPDATE ofd_state SET info_message = ?, updated_at = ? WHERE device_id = ?').run(text, now, deviceId);
}

/** The numbers the device gives its next fiscal document. */
export interface OfdDocumentNumbers {
  shiftNumber: number;
  shiftDocumentNumber: number;
  printedDocumentNumber: number;
}

/**
 * Allocates the numbers of the next document in the open shift (ticket, money placement).
 * Call inside the sale's transaction so a rolled-back sale gives its numbers back.
 */
export function allocateOfdDocumentNumbers(db: Db, deviceId: number, now: string): OfdDocumentNumbers {
  return db.transaction(() => {
    const s = mustGet(db, deviceId);
    const next = { shiftNumber: s.shiftNumber, shiftDocumentNumber: s.shiftDocumentNumber + 1, printedDocumentNumber: s.printedDocumentNumber + 1 };
    db.prepare('UPDATE ofd_state SET shift_document_number = ?, printed_document_number = ?, updated_at = ? WHERE device_id = ?')
      .run(next.shiftDocumentNumber, next.printedDocumentNumber, now, deviceId);
    return next;
  })();
}

/**
 * Allocates the numbers of a close-shift document and opens the next shift (numbering restarts).
 * Returns the numbers the CLOSE_SHIFT request carries (the shift being closed).
 */
export function allocateOfdCloseShift(db: Db, deviceId: number, now: string): OfdDocumentNumbers {
  return db.transaction(() => {
    const s = mustGet(db, deviceId);
    const closing = { shiftNumber: s.shiftNumber, shiftDocumentNumber: s.shiftDocumentNumber + 1, printedDocumentNumber: s.printedDocumentNumber + 1 };
    db.prepare('UPDATE ofd_state SET shift_number = ?, shift_document_number = 0, printed_document_number = ?, updated_at = ? WHERE device_id = ?')
      .run(s.shiftNumber + 1, closing.printedDocumentNumber, now, deviceId);
    return closing;
  })();
}

/**
 * Allocates an offline ticket number: `candidate` (the low 32 bits of unix time), bumped past
 * the last one issued so numbers stay unique within the day even at several sales a second.
 */
export function allocateOfdOfflineTicketNumber(db: Db, deviceId: number, candidate: number, now: string): number {
  return db.transaction(() => {
    const s = mustGet(db, deviceId);
    const last = s.lastOfflineTicketNumber;
    let n = candidate >>> 0;
    if (last !== null && n <= last && last - n < 86_400) n = (last + 1) >>> 0;
    db.prepare('UPDATE ofd_state SET last_offline_ticket_number = ?, updated_at = ? WHERE device_id = ?').run(n, now, deviceId);
    return n;
  })();
}

/** What the OFD answered for one accepted document. */
export interface OfdDocument {
  key: string;
  deviceId: number;
  command: number;
  reqNum: number;
  ticketNumber: string | null;
  qrUrl: string | null;
  offlineTicketNumber: number | null;
  acceptedAt: string;
}

/** Records an accepted document (inside the transaction that stores the token). */
export function recordOfdDocument(db: Db, d: OfdDocument): void {
  db.prepare(`INSERT INTO ofd_documents (key, device_id, command, reqnum, ticket_number, qr_url, offline_ticket_number, accepted_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(d.key, d.deviceId, d.command, d.reqNum, d.ticketNumber, d.qrUrl, d.offlineTicketNumber, d.acceptedAt);
}

/** The OFD's answer for the document with the caller's `key` (e.g. 'sale:42'), for the receipt. */
export function getOfdDocument(db: Db, key: string): OfdDocument | undefined {
  const r = db.prepare('SELECT * FROM ofd_documents WHERE key = ?').get(key) as {
    key: string; device_id: number; command: number; reqnum: number; ticket_number: string | null; qr_url: string | null;
    offline_ticket_number: number | null; accepted_at: string;
  } | undefined;
  if (!r) return undefined;
  return {
    key: r.key, deviceId: r.device_id, command: r.command, reqNum: r.reqnum, ticketNumber: r.ticket_number,
    qrUrl: r.qr_url, offlineTicketNumber: r.offline_ticket_number, acceptedAt: r.accepted_at,
  };
}

/** Keeps the registration data the OFD last answered with (2.0.3: point-of-sale address_kz, latitude, longitude). */
export function recordOfdRegInfo(db: Db, deviceId: number, regInfo: unknown, now: string): void {
  db.prepare(`INSERT INTO ofd_reg_info (device_id, reg_info, received_at) VALUES (?, ?, ?)
    ON CONFLICT (device_id) DO UPDATE SET reg_info = excluded.reg_info, received_at = excluded.received_at`).run(deviceId, JSON.stringify(regInfo), now);
}

/** The registration data the OFD last answered with, and when. */
export function getOfdRegInfo(db: Db, deviceId: number): { regInfo: unknown; receivedAt: string } | undefined {
  const r = db.prepare('SELECT reg_info, received_at FROM ofd_reg_info WHERE device_id = ?').get(deviceId) as { reg_info: string; received_at: string } | undefined;
  return r ? { regInfo: JSON.parse(r.reg_info) as unknown, receivedAt: r.received_at } : undefined;
}
