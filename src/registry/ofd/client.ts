/**
 * The register's OFD client: one request at a time, with the token / REQNUM rules of protocol
 * 2.0.2 kept durably in the register's SQLite database.
 *
 * Invariants (where data could be lost or duplicated):
 * 1. A request's REQNUM is reserved and the request stored BEFORE the first byte is sent. After a
 *    dropped connection, a lost response or a crash, the same request goes out again with the
 *    SAME token and REQNUM, so the OFD recognises the retry and answers it without a second
 *    document.
 * 2. A response's token is stored in ONE transaction together with everything the answer changes
 *    (the caller's `onAccepted` hook, e.g. its outbox row marked delivered with the ticket
 *    number) and before anything else is sent.
 * 3. If `onAccepted` throws, the new token is still stored but the request stays pending; the
 *    next send of the same request is a retry the OFD answers from its memory (no duplicate).
 * 4. A non-retryable result blocks the client; nothing else is sent until a person resolves it
 *    (`resolveBlock`), except COMMAND_SYSTEM with reg_info during a server block (15).
 * 5. A server block (15) keeps the pending document while the block lasts (nothing but the unblock
 *    attempt may go out), and the unblock requests (COMMAND_SYSTEM with reg_info) go out under
 *    their own REQNUMs beside it. Once the OFD answers one of them OK, the pending document is
 *    DROPPED, not resent under its old REQNUM: an OFD compares a retry with "the previous request"
 *    (results 8/9, section 2.4), and after the SYSTEM that is the SYSTEM, so an old-REQNUM resend
 *    would be taken as a new request (a second document, or 2 for a token rotated meanwhile).
 *    Protocol 5.4.1: after the block, check what the OFD holds, then send what it lacks. The
 *    caller (the outbox sender) asks COMMAND_INFO for last_document_info and either marks the
 *    document delivered (an earlier transmission was accepted, its answer lost) or sends it anew
 *    under a new REQNUM.
 * 6. Service requests (COMMAND_SYSTEM, COMMAND_INFO) record nothing at the OFD, so they are never
 *    kept pending: each `send` reserves a fresh REQNUM (resends within one transaction reuse it).
 *    An unanswered INFO therefore cannot stand in the way of the document queue. While a document
 *    is pending, a service request is refused (PendingRequestError) except the unblock attempt.
 */
import { systemClock, type Clock } from '../../clock.ts';
import {
  allocateOfdOfflineTicketNumber, completeOfdRequest, getOfdState, recordOfdBlocked, recordOfdDocument, recordOfdRegInfo,
  clearOfdPending, recordOfdOffline, reserveOfdRequest, reserveOfdServiceRequest, resolveOfdBlock, PendingRequestError, setOfdInfoMessage, type Db, type OfdState,
} from '../../store/index.ts';
import { Command, Result, commandName, encodeRequest, type RequestMsg, type ResponseMsg } from './codec.ts';
import { KZ_UTC_OFFSET_MINUTES, toDateTime } from './convert.ts';
import { PROTOCOL_VERSION, encodeFrame, nextReqNum } from './frame.ts';
import { offlineTicketCandidate } from './offline.ts';
import { runTransaction } from './transaction.ts';

/** The protocol's lower bound for the total transaction time (5 s, section 5). */
export const OFD_MIN_TRANSACTION_TIME_MS = 5_000;
/** The protocol's lower bound for the delay between reconnect attempts (60 s, section 5). */
export const OFD_MIN_RECONNECT_INTERVAL_MS = 60_000;

/** What one `send` came to. */
export type OfdOutcome =
  /** Accepted (result 0). `token` is the one now stored. */
  | { kind: 'ok'; response: ResponseMsg; token: number; reqNum: number }
  /** No usable answer within the transaction time (timeouts, drops, 254/255): offline; resend later, same token and REQNUM. */
  | { kind: 'transient'; reason: string }
  /** A non-retryable result: blocked until a person resolves `text`. */
  | { kind: 'permanent'; code: number; text: string }
  /** Server block (15): only COMMAND_SYSTEM with reg_info may be sent until it answers OK. */
  | { kind: 'blocked'; code: 15; text: string };

/** Per-send options. */
export interface SendOptions {
  /**
   * Runs inside the transaction that stores the new token when the OFD accepted the request:
   * persist your own state change here (outbox row delivered, ticket number, QR URL).
   */
  onAccepted?(db: Db, response: ResponseMsg): void;
  /** Also record the answer in `ofd_documents` under this key (e.g. 'sale:42'), same transaction. */
  documentKey?: string;
  /**
   * A lookup (a service request a person is waiting on, e.g. a National Catalogue lookup): only
   * sent while the OFD is online with nothing pending, given up after `timeoutMs`, and no answer
   * does NOT put the register offline (its documents' delivery decides that).
   */
  lookup?: { timeoutMs: number };
}

/** Where the register stands, in degrees (config `registry.ofd.geo`). */
export interface GeoConfig {
  latitude: number;
  longitude: number;
  source: string;
}

/**
 * The wire form of a position: int32 degrees x 1,000,000 (micro-degrees, about 0.1 m), the scale
 * of the one known 2.0.3 implementation; whole degrees would put a register anywhere within
 * ~100 km, and the int32 range holds +-180 x 10^6 with room to spare.
 */
export const GEO_SCALE = 1_000_000;

/** SecurityStats.GeoPosition for a configured position, or undefined. */
export function geoPositionOf(geo: GeoConfig | undefined): { latitude: number; longitude: number; source: string } | undefined {
  if (!geo) return undefined;
  return { latitude: Math.round(geo.latitude * GEO_SCALE), longitude: Math.round(geo.longitude * GEO_SCALE), source: geo.source };
}

/** 2.0.3: where the register stands goes with every service part (added when sent, like offline_period). */
function withGeo(request: RequestMsg, config: GeoConfig | undefined): RequestMsg {
  const geo = geoPositionOf(config);
  if (!geo || !request.service) return request;
  return { ...request, service: { ...request.service, security_stats: { ...(request.service.security_stats ?? {}), geo_position: geo } } };
}

/** Construction options. */
export interface OfdClientOptions {
  /** The register's position (2.0.3 security_stats.geo_position on every request with a service part). */
  geo?: GeoConfig;
  db: Db;
  host: string;
  port: number;
  deviceId: number;
  /** Wall clock for stored times and the reconnect interval (tests pass a fake). */
  clock?: Clock;
  /**
   * Total time for one request, resends included (default 10 s). The protocol wants at least
   * 5 s ({@link OFD_MIN_TRANSACTION_TIME_MS}); the configuration layer enforces that, tests may go lower.
   */
  transactionTimeoutMs?: number;
  /** TCP connect timeout per attempt (default 3 s, never beyond the remaining transaction time). */
  connectTimeoutMs?: number;
  /** Pause between resends within one transaction (default 200 ms). */
  retryDelayMs?: number;
  /** Minimum time between reconnect attempts while offline (default 60 s, the protocol's minimum). */
  reconnectIntervalMs?: number;
  /** Local time offset for protocol DateTimes (default UTC+5, Kazakhstan). */
  utcOffsetMinutes?: number;
  /** VERSION in the header (default 203). */
  protocolVersion?: number;
}

/** The client. */
export interface OfdClient {
  readonly deviceId: number;
  /** Sends one request under the token / REQNUM rules. Never throws for network or OFD failures. */
  send(request: RequestMsg, options?: SendOptions): Promise<OfdOutcome>;
  /** The persisted state. */
  state(): OfdState;
  /** A person resolved the blocking message; optionally sets the correct token (after result 2). */
  resolveBlock(options?: { token?: number }): void;
  /** Allocates an offline_ticket_number (low 32 bits of unix time, unique within the day). */
  allocateOfflineTicketNumber(): number;
}

/** Commands that record nothing at the OFD: after a 15 there is nothing to keep pending for them. */
const SERVICE_COMMANDS: ReadonlySet<number> = new Set([Command.SYSTEM, Command.INFO, Command.NOMENCLATURE]);
const TICKET_AD_INFO = 4;

/** Creates a client for `deviceId`, whose state must already be initialised (initOfdState). */
export function createOfdClient(options: OfdClientOptions): OfdClient {
  const { db, host, port, deviceId } = options;
  const clock = options.clock ?? systemClock;
  const transactionMs = options.transactionTimeoutMs ?? 10_000;
  const connectMs = options.connectTimeoutMs ?? 3_000;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const reconnectMs = options.reconnectIntervalMs ?? OFD_MIN_RECONNECT_INTERVAL_MS;
  const offset = options.utcOffsetMinutes ?? KZ_UTC_OFFSET_MINUTES;
  const version = options.protocolVersion ?? PROTOCOL_VERSION;
  const nowIso = (): string => clock.now().toISOString();

  function state(): OfdState {
    const s = getOfdState(db, deviceId);
    if (!s) throw new Error(`OFD device ${deviceId} has no stored state; initialise it with its registration token first`);
    return s;
  }

  async function send(request: RequestMsg, opts: SendOptions = {}): Promise<OfdOutcome> {
    const s = state();
    let unblockAttempt = false;
    if (s.blocked) {
      const serverBlock = s.blocked.code === Result.BLOCKED;
      unblockAttempt = serverBlock && request.command === Command.SYSTEM && request.service?.reg_info !== undefined;
      if (!unblockAttempt) {
        const text = blockedText(s);
        return serverBlock ? { kind: 'blocked', code: 15, text } : { kind: 'permanent', code: s.blocked.code, text };
      }
    }
    if (opts.lookup && (s.offlineSince !== null || s.pending !== null || s.blocked !== null)) {
      return { kind: 'transient', reason: 'lookup not sent: the OFD is offline, blocked or a document is pending' };
    }
    if (s.offlineSince !== null && s.lastAttemptAt !== null) {
      const next = Date.parse(s.lastAttemptAt) + reconnectMs;
      if (clock.now().getTime() < next) {
        return { kind: 'transient', reason: `offline since ${s.offlineSince}; next reconnect attempt at ${new Date(next).toISOString()}` };
      }
    }

    // The stored form leaves out offline_period: its end time is refreshed on every resend (5.2).
    const base: RequestMsg = { ...request, service: request.service ? { ...request.service } : undefined };
    if (base.service) delete base.service.offline_period;
    if (base.service === undefined) delete base.service;
    const baseBytes = encodeRequest(base); // throws OfdCodecError for a request missing a required field: a bug, not an outage
    // Invariants 5 and 6: a service request gets its own REQNUM and leaves any pending document
    // exactly as it was; a service request left pending by an older version is simply dropped.
    const service = SERVICE_COMMANDS.has(request.command);
    if (s.pending && SERVICE_COMMANDS.has(s.pending.command)) clearOfdPending(db, deviceId, nowIso());
    const pendingDoc = state().pending;
    if (service && pendingDoc && !unblockAttempt) throw new PendingRequestError(pendingDoc.reqNum, pendingDoc.command);
    const { reqNum, token } = service
      ? reserveOfdServiceRequest(db, deviceId, nowIso(), nextReqNum)
      : reserveOfdRequest(db, deviceId, { command: request.command, request: baseBytes, now: nowIso() }, nextReqNum);

    const result = await runTransaction(
      { host, port, deviceId, reqNum, transactionMs: opts.lookup ? Math.min(opts.lookup.timeoutMs, transactionMs) : transactionMs, connectMs, retryDelayMs },
      () => encodeFrame({ version, deviceId, token, reqNum }, encodeRequest(withOfflinePeriod(request, state().offlineSince))),
      nowIso,
    );
    if (result.kind === 'answer') return settle(request, result.response, result.token, reqNum, opts, service);
    if (opts.lookup) return { kind: 'transient', reason: `lookup: no answer within ${opts.lookup.timeoutMs} ms: ${result.reason}` };
    recordOfdOffline(db, deviceId, { firstFailureAt: result.firstFailureAt ?? nowIso(), now: nowIso() });
    return { kind: 'transient', reason: `no answer within ${transactionMs} ms, offline: ${result.reason}` };
  }

  function withOfflinePeriod(request: RequestMsg, offlineSince: string | null): RequestMsg {
    request = withGeo(request, options.geo);
    if (offlineSince === null) return request;
    return {
      ...request,
      service: {
        ...(request.service ?? {}),
        offline_period: { begin_time: toDateTime(offlineSince, offset), end_time: toDateTime(nowIso(), offset) },
      },
    };
  }

  function settle(request: RequestMsg, response: ResponseMsg, newToken: number, reqNum: number, opts: SendOptions, service: boolean): OfdOutcome {
    const code = response.result.result_code;
    const text = response.result.result_text ?? `result ${code}`;
    const now = nowIso();
    const info = response.service?.ticket_ads?.find((a) => a.info.type === TICKET_AD_INFO)?.text;
    // 2.0.3: "not in the National Catalogue" (18) is the catalogue's answer to a lookup, not a block.
    const notInCatalogue = request.command === Command.NOMENCLATURE && code === Result.ELEMENT_NOT_FOUND_BY_BARCODE;
    if (code === Result.OK || notInCatalogue) {
      const commit = db.transaction(() => {
        completeOfdRequest(db, deviceId, { token: newToken, now, clearPending: !service });
        if (info !== undefined) setOfdInfoMessage(db, deviceId, info, now);
        if (response.service?.reg_info) recordOfdRegInfo(db, deviceId, response.service.reg_info, now);
        const s = state();
        // The server lifted its block. The document kept pending across the 15 is dropped
        // (invariant 5): after this SYSTEM a resend under its old REQNUM is no longer a retry.
        if (s.blocked?.code === Result.BLOCKED && request.command === Command.SYSTEM) resolveOfdBlock(db, deviceId, { now });
        if (opts.documentKey !== undefined) {
          recordOfdDocument(db, {
            key: opts.documentKey, deviceId, command: request.command, reqNum,
            ticketNumber: response.ticket?.ticket_number ?? null,
            qrUrl: response.ticket?.qr_code ? Buffer.from(response.ticket.qr_code).toString('utf8') : null,
            offlineTicketNumber: request.ticket?.offline_ticket_number ?? null, acceptedAt: now,
          });
        }
        opts.onAccepted?.(db, response);
      });
      try {
        commit.immediate();
      } catch (err) {
        // Invariant 3: keep the new token, keep the request pending, let the caller see its error.
        completeOfdRequest(db, deviceId, { token: newToken, now, clearPending: false });
        throw err;
      }
      return { kind: 'ok', response, token: newToken, reqNum };
    }
    // A lookup's refusal changes nothing: the register's documents decide its mode (blocked, token).
    if (opts.lookup) return { kind: 'transient', reason: `lookup refused: ${commandName(request.command)}: ${text}` };
    db.transaction(() => {
      // The OFD answered: we are connected, whatever it said. A document stays pending while
      // blocked (shown to the manager, dropped only when a person resolves it), after a server
      // block (15) too (invariant 5). Service requests are never pending (invariant 6).
      completeOfdRequest(db, deviceId, { token: newToken, now, clearPending: false });
      if (info !== undefined) setOfdInfoMessage(db, deviceId, info, now);
      recordOfdBlocked(db, deviceId, { code, text: `${commandName(request.command)}: ${text}`, command: request.command, now });
    }).immediate();
    const full = blockedText(state());
    if (code === Result.BLOCKED) return { kind: 'blocked', code: 15, text: full };
    return { kind: 'permanent', code, text: full };
  }

  return {
    deviceId,
    send,
    state,
    resolveBlock(o = {}) {
      resolveOfdBlock(db, deviceId, { now: nowIso(), ...(o.token !== undefined ? { token: o.token } : {}) });
    },
    allocateOfflineTicketNumber() {
      return allocateOfdOfflineTicketNumber(db, deviceId, offlineTicketCandidate(clock.now()), nowIso());
    },
  };
}

/** The blocking message as the manager should see it: the OFD's text plus its last info message. */
export function blockedText(s: OfdState): string {
  if (!s.blocked) return '';
  const info = s.infoMessage ? ` — OFD message: ${s.infoMessage}` : '';
  return `blocked by result ${s.blocked.code} at ${s.blocked.at}: ${s.blocked.text}${info}`;
}
