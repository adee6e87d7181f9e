/**
 * An OFD emulator speaking protocol 2.0.2 over TCP, for tests, benchmarks, training and demos.
 *
 * It registers devices (id -> token), rotates the token on TICKET / CLOSE_SHIFT /
 * MONEY_PLACEMENT, enforces the token / REQNUM rules (1 unknown id, 2 wrong token, 8 same REQNUM
 * with another token, 9 same REQNUM and token with another command; same REQNUM, token and
 * command = a retry: the stored response is replayed and nothing is recorded twice), checks the
 * device's shift and document numbers (13 with a text), answers tickets with a ticket number and
 * a consumer.oofd.kz-style receipt URL, and keeps what it accepted in its OWN SQLite file.
 *
 * What "the previous request" of rules 8 / 9 and of a retry is: the device's last request that
 * could record something (TICKET, CLOSE_SHIFT, MONEY_PLACEMENT, REPORT). The service commands
 * SYSTEM and INFO record nothing and are answered afresh, so they do not replace it: a register
 * that sent COMMAND_SYSTEM with reg_info to get out of a server block (15, protocol 5.4) can then
 * resend the document it was retrying with its TOKEN and REQNUM and get the stored answer (5.1).
 *
 * Faults (set at start or at run time): latency, connection dropped before processing, dropped
 * after processing (lost response), 254 / 255, server block (15), malformed frames.
 *
 * The same port also answers a plain HTTP GET of the receipt URL (`/t?i=TICKET`) with the
 * accepted document as JSON, so the QR code on a training receipt leads somewhere real.
 */
import Database from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import {
  Command, Result, commandName, decodeRequest, decodeResponse, encodeResponse, operationName,
  type DateTimeMsg, type RequestMsg, type ResponseMsg,
  formatMinor, fromMoney,
  FrameDecoder, PROTOCOL_VERSION, decodeFrame, encodeFrame, type Frame,
} from '../../src/registry/ofd/index.ts';

/** Faults to inject. Probabilities are 0..1; `...Next` counts apply to the next N requests. */
export interface OfdFaults {
  /** Delay before each request is handled. */
  latencyMs?: number;
  /** Close the connection without processing. */
  dropBefore?: number;
  dropBeforeNext?: number;
  /** Process the request, then close without answering (the lost response). */
  dropAfter?: number;
  dropAfterNext?: number;
  /** Answer 254 or 255 without processing. */
  fail?: 254 | 255;
  failRate?: number;
  failNext?: number;
  /** Server block: answer 15 to everything from known devices until cleared. */
  blocked?: boolean;
  /** Lift the block when a COMMAND_SYSTEM with service.reg_info arrives (5.4). Default false. */
  unblockOnRegInfo?: boolean;
  /** Answer with a frame that breaks the framing rules, without processing. */
  malformed?: number;
  malformedNext?: number;
}

/** A registered device. */
export interface EmulatorDeviceInit {
  id: number;
  token: number;
  /** Shift the device starts in (default 1). */
  shiftNumber?: number;
}

/** Options of {@link startOfdEmulator}. */
export interface OfdEmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  host?: string;
  /** The emulator's own SQLite file (":memory:" for throwaway runs). */
  dbPath: string;
  /** Registered devices; an id already in the file keeps its stored (maybe rotated) token. */
  devices?: EmulatorDeviceInit[];
  faults?: OfdFaults;
  /** Random source for probabilistic faults and tokens (tests may pass a seeded one). */
  random?: () => number;
}

/** One accepted document as `--dump` prints it. */
export interface EmulatorDocument {
  deviceId: number;
  command: string;
  operation: string | null;
  shiftNumber: number | null;
  documentNumber: number | null;
  printedDocumentNumber: number | null;
  ticketNumber: string | null;
  offlineTicketNumber?: number;
  exciseStamps: string[];
  total: number | null;
  acceptedAt: string;
}

/** One handled request (the emulator's log: what arrived and what it answered). */
export interface EmulatorRequestLog {
  deviceId: number;
  reqNum: number;
  token: number;
  command: string;
  result: number;
  replay: boolean;
  offlinePeriod: { begin: DateTimeMsg; end: DateTimeMsg } | null;
  at: string;
}

/** Server-side state of a device. */
export interface EmulatorDevice {
  id: number;
  token: number;
  shiftNumber: number;
  lastPrintedDocumentNumber: number;
  lastShiftDocumentNumber: number;
  lastReqNum: number | null;
}

/** A running emulator. */
export interface OfdEmulator {
  readonly host: string;
  readonly port: number;
  /** Replaces all faults. */
  setFaults(faults: OfdFaults): void;
  /** Changes some faults, keeps the others. */
  updateFaults(faults: Partial<OfdFaults>): void;
  faults(): OfdFaults;
  /** Applies one control line ("fault drop-after 0.3", "block on", ...); returns the reply. */
  control(line: string): string;
  addDevice(device: EmulatorDeviceInit): void;
  device(id: number): EmulatorDevice | undefined;
  documents(): EmulatorDocument[];
  requests(): EmulatorRequestLog[];
  close(): Promise<void>;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS devices (
    id INTEGER PRIMARY KEY,
    token INTEGER NOT NULL,
    shift_number INTEGER NOT NULL DEFAULT 1,
    last_printed INTEGER NOT NULL DEFAULT 0,
    last_shift_doc INTEGER NOT NULL DEFAULT 0,
    last_reqnum INTEGER,
    last_req_token INTEGER,
    last_command INTEGER,
    last_response BLOB
  );
  CREATE TABLE IF NOT EXISTS documents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id INTEGER NOT NULL,
    command TEXT NOT NULL,
    operation TEXT,
    shift_number INTEGER,
    shift_document_number INTEGER,
    printed_document_number INTEGER,
    ticket_number TEXT UNIQUE,
    offline_ticket_number INTEGER,
    total INTEGER,
    excise_stamps TEXT NOT NULL DEFAULT '[]',
    reqnum INTEGER NOT NULL,
    accepted_at TEXT NOT NULL,
    request BLOB NOT NULL
  );
  CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    device_id INTEGER NOT NULL,
    reqnum INTEGER NOT NULL,
    token INTEGER NOT NULL,
    command TEXT NOT NULL,
    result INTEGER NOT NULL,
    replay INTEGER NOT NULL,
    offline_period TEXT,
    at TEXT NOT NULL
  );
`;

interface DeviceRow {
  id: number; token: number; shift_number: number; last_printed: number; last_shift_doc: number;
  last_reqnum: number | null; last_req_token: number | null; last_command: number | null; last_response: Buffer | null;
}

interface DocumentRow {
  device_id: number; command: string; operation: string | null; shift_number: number | null;
  shift_document_number: number | null; printed_document_number: number | null; ticket_number: string | null;
  offline_ticket_number: number | null; total: number | null; excise_stamps: string; accepted_at: string;
}

/** Opens (creating) an emulator database. */
export function openEmulatorDb(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL: a test double need not survive a power cut, and fsync per request would dominate benchmarks.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);
  return db;
}

function toDocument(r: DocumentRow): EmulatorDocument {
  return {
    deviceId: r.device_id,
    command: r.command,
    operation: r.operation,
    shiftNumber: r.shift_number,
    documentNumber: r.shift_document_number,
    printedDocumentNumber: r.printed_document_number,
    ticketNumber: r.ticket_number,
    ...(r.offline_ticket_number !== null ? { offlineTicketNumber: r.offline_ticket_number } : {}),
    exciseStamps: JSON.parse(r.excise_stamps) as string[],
    total: r.total,
    acceptedAt: r.accepted_at,
  };
}

/** Every accepted document of an emulator database, in acceptance order. */
export function readEmulatorDocuments(db: Database.Database): EmulatorDocument[] {
  return (db.prepare('SELECT * FROM documents ORDER BY seq').all() as DocumentRow[]).map(toDocument);
}

/** Parses a control line into a fault change; throws with a usage hint on anything else. */
export function parseControlLine(line: string, current: OfdFaults): OfdFaults {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, a, b] = words;
  const prob = (v: string | undefined, what: string): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${what} needs a probability 0..1, got '${v ?? ''}'`);
    return n;
  };
  const count = (v: string | undefined, what: string): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${what} needs a whole number, got '${v ?? ''}'`);
    return Number(v);
  };
  if (verb === 'latency') return { ...current, latencyMs: count(a, 'latency') };
  if (verb === 'block') {
    if (a === 'on') return { ...current, blocked: true };
    if (a === 'off') return { ...current, blocked: false };
    throw new Error("block needs 'on' or 'off'");
  }
  if (verb === 'fault') {
    switch (a) {
      case 'clear': return {};
      case 'drop-before': return { ...current, dropBefore: prob(b, 'drop-before') };
      case 'drop-after': return { ...current, dropAfter: prob(b, 'drop-after') };
      case 'drop-before-next': return { ...current, dropBeforeNext: count(b, 'drop-before-next') };
      case 'drop-after-next': return { ...current, dropAfterNext: count(b, 'drop-after-next') };
      case 'malformed': return { ...current, malformed: prob(b, 'malformed') };
      case 'malformed-next': return { ...current, malformedNext: count(b, 'malformed-next') };
      case '254': case '255': {
        const code = Number(a) as 254 | 255;
        const rest = words[3];
        if (b === 'next') return { ...current, fail: code, failNext: count(rest, `${a} next`) };
        return { ...current, fail: code, failRate: b === undefined ? 1 : prob(b, a) };
      }
      default: break;
    }
  }
  throw new Error(`unknown control '${line.trim()}'; try: latency MS | block on|off | fault clear | fault drop-before P | fault drop-after P | fault drop-before-next N | fault drop-after-next N | fault malformed P | fault malformed-next N | fault 254|255 [P | next N] | status`);
}

/** Starts the emulator; resolves once it listens. */
export async function startOfdEmulator(options: OfdEmulatorOptions): Promise<OfdEmulator> {
  const host = options.host ?? '127.0.0.1';
  const random = options.random ?? Math.random;
  const db = openEmulatorDb(options.dbPath);
  let faults: OfdFaults = { ...(options.faults ?? {}) };
  let port = 0;
  const sockets = new Set<Socket>();

  const q = {
    device: db.prepare('SELECT * FROM devices WHERE id = ?'),
    addDevice: db.prepare('INSERT INTO devices (id, token, shift_number) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING'),
    remember: db.prepare('UPDATE devices SET last_reqnum = ?, last_req_token = ?, last_command = ?, last_response = ? WHERE id = ?'),
    setToken: db.prepare('UPDATE devices SET token = ? WHERE id = ?'),
    setNumbers: db.prepare('UPDATE devices SET shift_number = ?, last_printed = ?, last_shift_doc = ? WHERE id = ?'),
    insertDoc: db.prepare(`INSERT INTO documents (device_id, command, operation, shift_number, shift_document_number, printed_document_number,
      ticket_number, offline_ticket_number, total, excise_stamps, reqnum, accepted_at, request) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`),
    setTicketNumber: db.prepare('UPDATE documents SET ticket_number = ? WHERE seq = ?'),
    log: db.prepare('INSERT INTO requests (device_id, reqnum, token, command, result, replay, offline_period, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    docByTicket: db.prepare('SELECT * FROM documents WHERE ticket_number = ?'),
  };

  function addDevice(d: EmulatorDeviceInit): void {
    q.addDevice.run(d.id, d.token >>> 0, d.shiftNumber ?? 1);
  }
  for (const d of options.devices ?? []) addDevice(d);

  /** Consumes one unit of a `...Next` counter or rolls a probability. */
  function fire(nextKey: 'dropBeforeNext' | 'dropAfterNext' | 'failNext' | 'malformedNext', probKey: 'dropBefore' | 'dropAfter' | 'failRate' | 'malformed'): boolean {
    const n = faults[nextKey] ?? 0;
    if (n > 0) {
      faults = { ...faults, [nextKey]: n - 1 };
      return true;
    }
    const p = faults[probKey] ?? 0;
    return p > 0 && random() < p;
  }

  function newToken(old: number): number {
    let t = old;
    while (t === old) t = randomInt(1, 0xffffffff);
    return t;
  }

  function answer(frame: Frame, token: number, response: ResponseMsg): Buffer {
    return encodeFrame({ version: PROTOCOL_VERSION, deviceId: frame.header.deviceId, token, reqNum: frame.header.reqNum }, encodeResponse(response));
  }

  function error(command: number, code: number, text: string): ResponseMsg {
    return { command, result: { result_code: code, result_text: text } };
  }

  function logRequest(frame: Frame, command: number, result: number, replay: boolean, req: RequestMsg | null): void {
    const period = req?.service?.offline_period;
    q.log.run(frame.header.deviceId, frame.header.reqNum, frame.header.token, commandName(command), result, replay ? 1 : 0,
      period ? JSON.stringify({ begin: period.begin_time, end: period.end_time }) : null, new Date().toISOString());
  }

  function localStamp(dt: DateTimeMsg | undefined): string {
    if (!dt) return '';
    const p = (n: number | undefined, w = 2): string => String(n ?? 0).padStart(w, '0');
    return `${p(dt.date.year, 4)}${p(dt.date.month)}${p(dt.date.day)}T${p(dt.time.hour)}${p(dt.time.minute)}${p(dt.time.second)}`;
  }

  /** Checks shift and document numbers; returns an error text or null. */
  function checkNumbers(dev: DeviceRow, shift: number | undefined, shiftDoc: number | undefined, printed: number | undefined): string | null {
    if (shift !== undefined && shift !== dev.shift_number) return `shift number ${shift} is not the open shift ${dev.shift_number}`;
    if (printed !== undefined && printed <= dev.last_printed) return `document number ${printed} is not above the last accepted ${dev.last_printed}`;
    if (shiftDoc !== undefined && shiftDoc <= dev.last_shift_doc) return `shift document number ${shiftDoc} is not above the last accepted ${dev.last_shift_doc} in shift ${dev.shift_number}`;
    return null;
  }

  /** Handles one decoded request for a device whose token / REQNUM already checked out. */
  function handle(dev: DeviceRow, frame: Frame, req: RequestMsg): { response: ResponseMsg; token: number } {
    const now = new Date().toISOString();
    const cmd = req.command;
    const ok = (extra: Partial<ResponseMsg> = {}): ResponseMsg => ({ command: cmd, result: { result_code: Result.OK }, ...extra });
    const accept = (doc: { operation: string | null; shift?: number; shiftDoc?: number; printed?: number; offline?: number; total: number | null; stamps: string[] }): number => {
      const info = q.insertDoc.run(dev.id, commandName(cmd), doc.operation, doc.shift ?? dev.shift_number, doc.shiftDoc ?? null, doc.printed ?? null,
        doc.offline ?? null, doc.total, JSON.stringify(doc.stamps), frame.header.reqNum, now, Buffer.from(frame.payload));
      return Number(info.lastInsertRowid);
    };
    const numbersAfter = (shift: number, printed: number | undefined, shiftDoc: number | undefined): void => {
      q.setNumbers.run(shift, printed ?? dev.last_printed, shiftDoc ?? dev.last_shift_doc, dev.id);
    };
    switch (cmd) {
      case Command.SYSTEM:
        if (req.service?.reg_info !== undefined && faults.unblockOnRegInfo) faults = { ...faults, blocked: false };
        return { response: ok(), token: dev.token };
      case Command.INFO:
      case Command.REPORT: {
        const zx = {
          date_time: req.report?.date_time ?? nowDateTime(), shift_number: dev.shift_number,
          cash_sum: { bills: 0, coins: 0 }, revenue: { sum: { bills: 0, coins: 0 }, is_negative: false },
        };
        return {
          response: ok({
            report: { report: 1, zx_report: zx },
            service: {
              reg_info: { kkm: { kkm_id: String(dev.id), serial_number: `EMU-${dev.id}` }, pos: { title: 'Tanba OFD emulator' }, org: { title: 'Training organisation' } },
              last_document_info: { fr_shift_number: dev.shift_number, printed_document_number: dev.last_printed },
            },
          }),
          token: dev.token,
        };
      }
      case Command.TICKET: {
        const t = req.ticket;
        if (!t) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'COMMAND_TICKET without ticket'), token: dev.token };
        if (!t.items || t.items.length === 0) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'ticket without items'), token: dev.token };
        const printed = t.printed_document_number !== undefined ? Number(t.printed_document_number) : undefined;
        const bad = checkNumbers(dev, t.fr_shift_number, t.shift_document_number, printed);
        if (bad) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, bad), token: dev.token };
        const total = fromMoney(t.amounts.total);
        const stamps = t.items.map((i) => i.commodity?.excise_stamp ?? i.storno_commodity?.excise_stamp).filter((s): s is string => s !== undefined);
        const seq = accept({ operation: operationName(t.operation), shiftDoc: t.shift_document_number, printed, offline: t.offline_ticket_number, total, stamps });
        const ticketNumber = String(100_000_000_000 + seq);
        q.setTicketNumber.run(ticketNumber, seq);
        numbersAfter(dev.shift_number, printed, t.shift_document_number);
        const token = newToken(dev.token);
        q.setToken.run(token, dev.id);
        const url = `http://${host}:${port}/t?i=${ticketNumber}&f=${dev.id}&s=${formatMinor(total)}&t=${localStamp(t.date_time)}`;
        return { response: ok({ ticket: { ticket_number: ticketNumber, qr_code: Buffer.from(url, 'utf8') } }), token };
      }
      case Command.CLOSE_SHIFT: {
        const c = req.close_shift;
        if (!c) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'COMMAND_CLOSE_SHIFT without close_shift'), token: dev.token };
        const printed = c.printed_document_number !== undefined ? Number(c.printed_document_number) : undefined;
        const bad = checkNumbers(dev, c.fr_shift_number, undefined, printed);
        if (bad) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, bad), token: dev.token };
        accept({ operation: null, printed, total: null, stamps: [] });
        numbersAfter(dev.shift_number + 1, printed, 0);
        const token = newToken(dev.token);
        q.setToken.run(token, dev.id);
        return { response: ok({ report: { report: 0, zx_report: { date_time: c.close_time, shift_number: dev.shift_number, cash_sum: { bills: 0, coins: 0 }, revenue: { sum: { bills: 0, coins: 0 }, is_negative: false } } } }), token };
      }
      case Command.MONEY_PLACEMENT: {
        const m = req.money_placement;
        if (!m) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, 'COMMAND_MONEY_PLACEMENT without money_placement'), token: dev.token };
        const printed = m.printed_document_number !== undefined ? Number(m.printed_document_number) : undefined;
        const bad = checkNumbers(dev, m.fr_shift_number, undefined, printed);
        if (bad) return { response: error(cmd, Result.INCORRECT_REQUEST_DATA, bad), token: dev.token };
        accept({ operation: m.operation === 0 ? 'DEPOSIT' : 'WITHDRAWAL', printed, total: fromMoney(m.sum), stamps: [] });
        numbersAfter(dev.shift_number, printed, undefined);
        const token = newToken(dev.token);
        q.setToken.run(token, dev.id);
        return { response: ok(), token };
      }
      default:
        return { response: error(cmd, Result.UNSUPPORTED_COMMAND, `${commandName(cmd)} is not supported by the emulator`), token: dev.token };
    }
  }

  /** The protocol decision for one frame: the exact response bytes. */
  function process(frame: Frame): Buffer {
    const { deviceId, token, reqNum } = frame.header;
    const dev = q.device.get(deviceId) as DeviceRow | undefined;
    let req: RequestMsg | null = null;
    let reqError: string | null = null;
    try {
      req = decodeRequest(frame.payload);
    } catch (err) {
      reqError = (err as Error).message;
    }
    const cmd = req?.command ?? Command.SYSTEM;
    if (!dev) {
      logRequest(frame, cmd, Result.UNKNOWN_ID, false, req);
      return answer(frame, token, error(cmd, Result.UNKNOWN_ID, `device ${deviceId} is not registered`));
    }
    if (faults.blocked) {
      logRequest(frame, cmd, Result.BLOCKED, false, req);
      return answer(frame, dev.token, {
        ...error(cmd, Result.BLOCKED, 'the register is blocked by the OFD'),
        service: { ticket_ads: [{ info: { type: 4, version: 1 }, text: 'Касса заблокирована ОФД. Обратитесь в службу поддержки.' }] },
      });
    }
    if (fire('failNext', 'failRate')) {
      const code = faults.fail ?? 254;
      logRequest(frame, cmd, code, false, req);
      return answer(frame, dev.token, error(cmd, code, code === 254 ? 'service temporarily unavailable (injected)' : 'unknown error (injected)'));
    }
    if (dev.last_reqnum === reqNum && dev.last_response !== null) {
      if (token !== dev.last_req_token) {
        logRequest(frame, cmd, Result.INVALID_REQUEST_NUMBER, false, req);
        return answer(frame, dev.token, error(cmd, Result.INVALID_REQUEST_NUMBER, `REQNUM ${reqNum} was already used with another token`));
      }
      if (cmd !== dev.last_command) {
        logRequest(frame, cmd, Result.INVALID_RETRY_REQUEST, false, req);
        return answer(frame, dev.token, error(cmd, Result.INVALID_RETRY_REQUEST, `REQNUM ${reqNum} was ${commandName(dev.last_command ?? 0)}, the retry is ${commandName(cmd)}`));
      }
      logRequest(frame, cmd, decodeResponse(decodeFrame(dev.last_response).payload).result.result_code, true, req);
      return dev.last_response;
    }
    if (token !== dev.token) {
      logRequest(frame, cmd, Result.INVALID_TOKEN, false, req);
      return answer(frame, dev.token, error(cmd, Result.INVALID_TOKEN, 'invalid token'));
    }
    if (req === null) {
      logRequest(frame, cmd, Result.PROTOCOL_ERROR, false, null);
      return answer(frame, dev.token, error(cmd, Result.PROTOCOL_ERROR, `cannot decode the request: ${reqError ?? 'unknown'}`));
    }
    const { response, token: next } = handle(dev, frame, req);
    const bytes = answer(frame, next, response);
    // Service commands record nothing: they do not replace the request a retry is checked against.
    if (cmd !== Command.SYSTEM && cmd !== Command.INFO) q.remember.run(reqNum, token, cmd, bytes, dev.id);
    logRequest(frame, cmd, response.result.result_code, false, req);
    return bytes;
  }

  const processTx = db.transaction((frame: Frame) => process(frame));

  function garbage(): Buffer {
    // Alternates a wrong APPCODE and an absurd SIZE: both must be refused by the client's decoder.
    const buf = Buffer.alloc(24, 0x55);
    if (random() < 0.5) buf.writeUInt16LE(0xdead, 0);
    else { buf.writeUInt16LE(0x81a2, 0); buf.writeUInt32LE(0x7fffffff, 4); }
    return buf;
  }

  async function onFrame(socket: Socket, frame: Frame): Promise<void> {
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    if (socket.destroyed) return;
    if (fire('dropBeforeNext', 'dropBefore')) { socket.destroy(); return; }
    if (fire('malformedNext', 'malformed')) { socket.end(garbage()); return; }
    const bytes = processTx.immediate(frame);
    if (fire('dropAfterNext', 'dropAfter')) { socket.destroy(); return; }
    socket.end(bytes);
  }

  function serveHttp(socket: Socket, head: string): void {
    const path = head.split(' ')[1] ?? '/';
    const url = new URL(path, `http://${host}`);
    const ticket = url.searchParams.get('i');
    const row = ticket ? (q.docByTicket.get(ticket) as DocumentRow | undefined) : undefined;
    const body = row ? JSON.stringify(toDocument(row)) : JSON.stringify({ error: `no ticket '${ticket ?? ''}'` });
    const status = row ? '200 OK' : '404 Not Found';
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  }

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const decoder = new FrameDecoder();
    let first = true;
    let httpHead = '';
    socket.on('data', (chunk: Buffer) => {
      if (first && chunk.subarray(0, 4).toString('latin1') === 'GET ') httpHead = ' ';
      first = false;
      if (httpHead !== '') {
        httpHead += chunk.toString('latin1');
        if (httpHead.includes('\r\n\r\n')) serveHttp(socket, httpHead.trim());
        return;
      }
      let frames: Frame[];
      try {
        frames = decoder.push(chunk);
      } catch {
        socket.destroy(); // not our protocol: nothing sensible to answer
        return;
      }
      for (const f of frames) {
        onFrame(socket, f).catch(() => socket.destroy());
      }
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    host,
    get port() { return port; },
    setFaults(f) { faults = { ...f }; },
    updateFaults(f) { faults = { ...faults, ...f }; },
    faults() { return { ...faults }; },
    control(line) {
      if (line.trim() === 'status') return JSON.stringify({ faults, documents: (db.prepare('SELECT count(*) FROM documents').pluck().get() as number) });
      faults = parseControlLine(line, faults);
      return `ok ${JSON.stringify(faults)}`;
    },
    addDevice,
    device(id) {
      const r = q.device.get(id) as DeviceRow | undefined;
      return r ? { id: r.id, token: r.token, shiftNumber: r.shift_number, lastPrintedDocumentNumber: r.last_printed, lastShiftDocumentNumber: r.last_shift_doc, lastReqNum: r.last_reqnum } : undefined;
    },
    documents() { return readEmulatorDocuments(db); },
    requests() {
      const rows = db.prepare('SELECT * FROM requests ORDER BY seq').all() as Array<{ device_id: number; reqnum: number; token: number; command: string; result: number; replay: number; offline_period: string | null; at: string }>;
      return rows.map((r) => ({
        deviceId: r.device_id, reqNum: r.reqnum, token: r.token, command: r.command, result: r.result, replay: r.replay === 1,
        offlinePeriod: r.offline_period ? JSON.parse(r.offline_period) as { begin: DateTimeMsg; end: DateTimeMsg } : null, at: r.at,
      }));
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          db.close();
          resolve();
        });
      });
    },
  };
}

function nowDateTime(): DateTimeMsg {
  const d = new Date();
  return { date: { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }, time: { hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() } };
}
