import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../db.ts';
import { NewerDatabaseError, schemaVersion } from '../migrate.ts';
import { MIGRATIONS } from './index.ts';
import {
  allocateOfdCloseShift, allocateOfdDocumentNumbers, allocateOfdOfflineTicketNumber, completeOfdRequest, getOfdState,
  initOfdState, recordOfdBlocked, recordOfdDocument, getOfdDocument, recordOfdOffline, reserveOfdRequest, resolveOfdBlock, PendingRequestError,
} from '../ofd-state.ts';

const UP_TO_3 = MIGRATIONS.slice(0, 3);
const next = (n: number): number => (n >= 65535 ? 1 : n + 1);
const T = '2025-03-01T10:00:00.000Z';

function withDb(fn: (db: Db, file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-m003-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file, { migrations: UP_TO_3 });
    try { fn(db, file); } finally { db.close(); }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('migration 003 creates the OFD tables on a real file', () => {
  withDb((db) => {
    assert.equal(schemaVersion(db), 3);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'ofd_%' ORDER BY name").pluck().all();
    assert.deepEqual(tables, ['ofd_documents', 'ofd_state']);
    const cols = (db.prepare('PRAGMA table_info(ofd_state)').all() as { name: string }[]).map((c) => c.name);
    for (const c of ['token', 'reqnum', 'pending_reqnum', 'pending_request', 'shift_number', 'offline_since', 'blocked_code', 'blocked_text']) assert.ok(cols.includes(c), c);
    // constraints: REQNUM is a word, a pending REQNUM always has its request
    assert.throws(() => db.prepare("INSERT INTO ofd_state (device_id, token, reqnum, updated_at) VALUES (1, 1, 70000, 't')").run(), /CHECK/);
    assert.throws(() => db.prepare("INSERT INTO ofd_state (device_id, token, pending_reqnum, updated_at) VALUES (1, 1, 5, 't')").run(), /CHECK/);
  });
});

test('migration 003 refuses a database from a newer schema', () => {
  withDb((db, file) => {
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => openDatabase(file, { migrations: UP_TO_3 }), (e: unknown) => e instanceof NewerDatabaseError && /version 99 is newer/.test(e.message));
    // keep withDb's close() harmless
    Object.assign(db, { close: () => undefined });
  });
});

test('state: init keeps a rotated token; reserve persists REQNUM before sending and resumes the same request', () => {
  withDb((db) => {
    initOfdState(db, { deviceId: 7, token: 111, now: T });
    completeOfdRequest(db, 7, { token: 222, now: T, clearPending: true });
    assert.equal(initOfdState(db, { deviceId: 7, token: 111, now: T }).token, 222, 'a configured token never overwrites a rotated one');
    const bytes = Buffer.from([8, 1]);
    const r1 = reserveOfdRequest(db, 7, { command: 1, request: bytes, now: T }, next);
    assert.deepEqual(r1, { reqNum: 1, token: 222, resumed: false });
    assert.equal(getOfdState(db, 7)?.pending?.reqNum, 1);
    // the same request again (after a crash or drop): same REQNUM and token
    assert.deepEqual(reserveOfdRequest(db, 7, { command: 1, request: bytes, now: T }, next), { reqNum: 1, token: 222, resumed: true });
    // a different request while one is unresolved would break the order
    assert.throws(() => reserveOfdRequest(db, 7, { command: 1, request: Buffer.from([8, 1, 9]), now: T }, next), PendingRequestError);
    completeOfdRequest(db, 7, { token: 333, now: T, clearPending: true });
    const s = getOfdState(db, 7);
    assert.equal(s?.pending, null);
    assert.equal(s?.token, 333);
    assert.equal(reserveOfdRequest(db, 7, { command: 0, request: Buffer.from([8, 0]), now: T }, next).reqNum, 2);
  });
});

test('state: REQNUM wraps to 1; offline, blocked and resolution are kept', () => {
  withDb((db) => {
    initOfdState(db, { deviceId: 1, token: 1, now: T });
    db.prepare('UPDATE ofd_state SET reqnum = 65535').run();
    assert.equal(reserveOfdRequest(db, 1, { command: 0, request: Buffer.from([8, 0]), now: T }, next).reqNum, 1);
    recordOfdOffline(db, 1, { firstFailureAt: T, now: '2025-03-01T10:00:10.000Z' });
    recordOfdOffline(db, 1, { firstFailureAt: '2025-03-01T11:00:00.000Z', now: '2025-03-01T11:00:10.000Z' });
    assert.equal(getOfdState(db, 1)?.offlineSince, T, 'offline since the FIRST failure');
    completeOfdRequest(db, 1, { token: 1, now: '2025-03-01T12:00:00.000Z', clearPending: false });
    const s = getOfdState(db, 1);
    assert.equal(s?.offlineSince, null);
    assert.deepEqual(s?.lastOfflinePeriod, { begin: T, end: '2025-03-01T12:00:00.000Z' });
    assert.ok(s?.pending, 'pending kept when asked');
    recordOfdBlocked(db, 1, { code: 13, text: 'TICKET: bad shift', command: 1, now: T });
    assert.deepEqual(getOfdState(db, 1)?.blocked, { code: 13, text: 'TICKET: bad shift', command: 1, at: T });
    resolveOfdBlock(db, 1, { now: T, token: 42 });
    const r = getOfdState(db, 1);
    assert.equal(r?.blocked, null);
    assert.equal(r?.pending, null);
    assert.equal(r?.token, 42);
  });
});

test('state: document numbers, shift close, offline ticket numbers unique within the day, documents by key', () => {
  withDb((db) => {
    initOfdState(db, { deviceId: 1, token: 1, now: T });
    assert.deepEqual(allocateOfdDocumentNumbers(db, 1, T), { shiftNumber: 1, shiftDocumentNumber: 1, printedDocumentNumber: 1 });
    assert.deepEqual(allocateOfdDocumentNumbers(db, 1, T), { shiftNumber: 1, shiftDocumentNumber: 2, printedDocumentNumber: 2 });
    assert.deepEqual(allocateOfdCloseShift(db, 1, T), { shiftNumber: 1, shiftDocumentNumber: 3, printedDocumentNumber: 3 });
    assert.deepEqual(allocateOfdDocumentNumbers(db, 1, T), { shiftNumber: 2, shiftDocumentNumber: 1, printedDocumentNumber: 4 });
    // a rolled-back sale gives its numbers back
    assert.throws(() => db.transaction(() => { allocateOfdDocumentNumbers(db, 1, T); throw new Error('sale failed'); })(), /sale failed/);
    assert.equal(allocateOfdDocumentNumbers(db, 1, T).printedDocumentNumber, 5);
    const n1 = allocateOfdOfflineTicketNumber(db, 1, 1740823200, T);
    const n2 = allocateOfdOfflineTicketNumber(db, 1, 1740823200, T);
    const n3 = allocateOfdOfflineTicketNumber(db, 1, 1740823100, T);
    assert.deepEqual([n1, n2, n3], [1740823200, 1740823201, 1740823202]);
    recordOfdDocument(db, { key: 'sale:1', deviceId: 1, command: 1, reqNum: 3, ticketNumber: '100000000001', qrUrl: 'http://x', offlineTicketNumber: null, acceptedAt: T });
    assert.equal(getOfdDocument(db, 'sale:1')?.ticketNumber, '100000000001');
    assert.equal(getOfdDocument(db, 'sale:2'), undefined);
  });
});
