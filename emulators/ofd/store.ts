/**
 * The OFD emulator's own SQLite file: registered devices (token, numbers, the last request for
 * retries), accepted documents and the request log. Its tables are the emulator's, not the
 * register's (no migrations: a test double's file is thrown away or recreated).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DateTimeMsg } from '../../src/registry/ofd/index.ts';
import type { EmulatorDocument, EmulatorRequestLog } from './types.ts';

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
    request BLOB NOT NULL,
    details TEXT NOT NULL DEFAULT '{}'
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

/** A device as stored. */
export interface DeviceRow {
  id: number; token: number; shift_number: number; last_printed: number; last_shift_doc: number;
  last_reqnum: number | null; last_req_token: number | null; last_command: number | null; last_response: Buffer | null;
}

/** A document as stored. */
export interface DocumentRow {
  device_id: number; command: string; operation: string | null; shift_number: number | null;
  shift_document_number: number | null; printed_document_number: number | null; ticket_number: string | null;
  offline_ticket_number: number | null; total: number | null; excise_stamps: string; accepted_at: string; details: string;
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
  // A file written by the 2.0.2 emulator lacks the details column.
  const cols = (db.prepare('PRAGMA table_info(documents)').all() as { name: string }[]).map((c) => c.name);
  if (!cols.includes('details')) db.exec("ALTER TABLE documents ADD COLUMN details TEXT NOT NULL DEFAULT '{}'");
  return db;
}

/** A stored document as `--dump` prints it. */
export function toDocument(r: DocumentRow): EmulatorDocument {
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
    ...(JSON.parse(r.details) as Record<string, unknown>),
  };
}

/** Every accepted document of an emulator database, in acceptance order. */
export function readEmulatorDocuments(db: Database.Database): EmulatorDocument[] {
  return (db.prepare('SELECT * FROM documents ORDER BY seq').all() as DocumentRow[]).map(toDocument);
}

/** The emulator's prepared statements. */
export function emulatorQueries(db: Database.Database) {
  return {
  device: db.prepare('SELECT * FROM devices WHERE id = ?'),
  addDevice: db.prepare('INSERT INTO devices (id, token, shift_number) VALUES (?, ?, ?) ON CONFLICT(id) DO NOTHING'),
  remember: db.prepare('UPDATE devices SET last_reqnum = ?, last_req_token = ?, last_command = ?, last_response = ? WHERE id = ?'),
  setToken: db.prepare('UPDATE devices SET token = ? WHERE id = ?'),
  setNumbers: db.prepare('UPDATE devices SET shift_number = ?, last_printed = ?, last_shift_doc = ? WHERE id = ?'),
  insertDoc: db.prepare(`INSERT INTO documents (device_id, command, operation, shift_number, shift_document_number, printed_document_number,
    ticket_number, offline_ticket_number, total, excise_stamps, reqnum, accepted_at, request, details) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?)`),
  setTicketNumber: db.prepare('UPDATE documents SET ticket_number = ? WHERE seq = ?'),
  log: db.prepare('INSERT INTO requests (device_id, reqnum, token, command, result, replay, offline_period, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
  docByTicket: db.prepare('SELECT * FROM documents WHERE ticket_number = ?'),
}
}

/** The prepared statements of an emulator database. */
export type EmulatorQueries = ReturnType<typeof emulatorQueries>;

/** Every handled request of an emulator database, in order. */
export function readEmulatorRequests(db: Database.Database): EmulatorRequestLog[] {
  const rows = db.prepare('SELECT * FROM requests ORDER BY seq').all() as Array<{ device_id: number; reqnum: number; token: number; command: string; result: number; replay: number; offline_period: string | null; at: string }>;
  return rows.map((r) => ({
    deviceId: r.device_id, reqNum: r.reqnum, token: r.token, command: r.command, result: r.result, replay: r.replay === 1,
    offlinePeriod: r.offline_period ? JSON.parse(r.offline_period) as { begin: DateTimeMsg; end: DateTimeMsg } : null, at: r.at,
  }));
}
