import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from './db.ts';
import { enqueueOutbox, getOutbox, markDelivered, markFailed, markSending, nextPending, offlineAtCommit, outboxStats } from './outbox.ts';
import { initOfdState, recordOfdOffline } from './ofd-state.ts';
import { markReceiptOffline } from './unprinted-receipts.ts';
import { getContact, insertContact, purgeContacts, withdrawContact } from './consents.ts';
import { insertShift } from './shifts.ts';
import { insertSale } from './sales.ts';

function withDb(fn: (db: Db, path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-outbox-'));
  const path = join(dir, 'tanba.db');
  const db = openDatabase(path);
  try { fn(db, path); } finally { db.close(); rmSync(dir, { recursive: true, force: true }); }
}

function sale(db: Db, id: string, n: number): void {
  insertSale(db, { id, kind: 'sale', originalSaleId: null, shiftNumber: 1, shiftDocumentNumber: n, printedDocumentNumber: n, registerId: 'R', cashier: 'c', createdAt: '2026-01-01T00:00:00.000Z', total: 100, taxTotal: 0, payments: [{ type: 'cash', amount: 100 }], taken: 100, change: 0 });
}

test('outbox delivers strictly in order and a blocked head stops the queue', () => withDb((db) => {
  db.transaction(() => {
    for (let i = 1; i <= 3; i++) enqueueOutbox(db, { kind: 'sell', documentId: `d${i}`, payload: { n: i }, createdAt: `2026-01-01T00:00:0${i}.000Z` });
  })();
  const first = nextPending(db, '2026-01-01T01:00:00.000Z');
  assert.equal(first?.documentId, 'd1');
  assert.equal(first?.seq, 1);
  markSending(db, first!.id);
  // A crash while sending offers the same document again (same idempotency key).
  assert.equal(nextPending(db, '2026-01-01T01:00:00.000Z')?.documentId, 'd1');
  markFailed(db, first!.id, { error: 'timeout', permanent: false, nextAttemptAt: '2026-01-01T02:00:00.000Z', offline: true });
  assert.equal(nextPending(db, '2026-01-01T01:00:00.000Z'), undefined, 'not due yet, and d2 must not jump the queue');
  assert.equal(nextPending(db, '2026-01-01T02:00:00.000Z')?.documentId, 'd1');
  markDelivered(db, first!.id, { ticketNumber: 'T-1', qrUrl: 'https://example/t1', at: '2026-01-01T02:00:01.000Z' });
  const d1 = getOutbox(db, first!.id)!;
  assert.equal(d1.state, 'delivered');
  assert.equal(d1.ticketNumber, 'T-1');
  assert.equal(d1.attempts, 1);
  assert.equal(d1.offline, true);
  const second = nextPending(db, '2026-01-01T02:00:02.000Z')!;
  assert.equal(second.documentId, 'd2');
  markFailed(db, second.id, { error: 'RESULT 3', permanent: true, nextAttemptAt: null });
  assert.equal(nextPending(db, '2026-01-02T00:00:00.000Z'), undefined);
  const stats = outboxStats(db);
  assert.deepEqual({ p: stats.pending, b: stats.blocked, d: stats.delivered }, { p: 1, b: 1, d: 1 });
  assert.equal(stats.oldestUndeliveredAt, '2026-01-01T00:00:02.000Z');
  assert.equal(stats.lastError, 'RESULT 3');
  assert.throws(() => enqueueOutbox(db, { kind: 'sell', documentId: 'x', payload: {}, createdAt: 'x' }), /inside the transaction/);
}));

test('delivery starts the contact retention clock; purge removes the bytes from the file and WAL', () => withDb((db, path) => {
  const phone = '+77015550123';
  db.transaction(() => {
    insertShift(db, { id: 's1', registerId: 'R', cashier: 'c', openedAt: '2026-01-01T00:00:00.000Z' });
    sale(db, 'sale-1', 1);
    insertContact(db, { id: 'c1', saleId: 'sale-1', phone, email: null, purpose: 'e-receipt', consentAt: '2026-01-01T00:00:00.000Z', expiresAt: null });
    enqueueOutbox(db, { kind: 'sell', documentId: 'sale-1', payload: { contactId: 'c1' }, createdAt: '2026-01-01T00:00:00.000Z' });
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  assert.ok(readFileSync(path).includes(Buffer.from(phone)), 'precondition: the phone is in the file');
  const row = nextPending(db, '2026-01-01T00:00:01.000Z')!;
  markDelivered(db, row.id, { ticketNumber: '1', qrUrl: null, at: '2026-01-02T00:00:00.000Z', contactRetentionDays: 30 });
  assert.equal(getContact(db, 'c1')?.expiresAt, '2026-02-01T00:00:00.000Z');
  assert.equal(purgeContacts(db, '2026-01-31T23:59:59.000Z').purged, 0);
  const r = purgeContacts(db, '2026-02-01T00:00:00.000Z');
  assert.equal(r.purged, 1);
  assert.equal(r.walTruncated, true);
  assert.equal(getContact(db, 'c1'), undefined);
  assert.ok(!readFileSync(path).includes(Buffer.from(phone)), 'phone bytes gone from the .db');
  let wal = Buffer.alloc(0);
  try { wal = readFileSync(`${path}-wal`); } catch { /* no WAL file at all is fine */ }
  assert.ok(!wal.includes(Buffer.from(phone)), 'phone bytes gone from the -wal');
}));

test('withdrawing consent purges at once', () => withDb((db, path) => {
  const email = 'aigerim.withdraw@example.kz';
  db.transaction(() => {
    insertShift(db, { id: 's1', registerId: 'R', cashier: 'c', openedAt: '2026-01-01T00:00:00.000Z' });
    sale(db, 'sale-1', 1);
    insertContact(db, { id: 'c1', saleId: 'sale-1', phone: null, email, purpose: 'e-receipt', consentAt: '2026-01-01T00:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z' });
  })();
  assert.equal(withdrawContact(db, 'c1', '2026-01-01T00:01:00.000Z').purged, 1);
  assert.ok(!readFileSync(path).includes(Buffer.from(email)));
  assert.throws(() => withdrawContact(db, 'c1', '2026-01-01T00:02:00.000Z'), /no contact/);
}));

test('a document committed now is offline only when the OFD is offline or the queue ahead is stuck, never for a row merely in flight', () => withDb((db) => {
  const t = '2026-01-01T00:00:00.000Z';
  insertShift(db, { id: 'sh', registerId: 'R', cashier: 'c', openedAt: t });
  initOfdState(db, { deviceId: 1, token: 1, now: t });
  assert.equal(offlineAtCommit(db), false, 'empty queue, OFD online');
  const first = db.transaction(() => {
    sale(db, 's1', 1);
    return enqueueOutbox(db, { kind: 'sell', documentId: 's1', payload: {}, createdAt: t });
  })();
  markSending(db, first.id);
  assert.equal(offlineAtCommit(db), false, 'a busy till: the previous sale still on its way to a reachable OFD');
  markReceiptOffline(db, 's1', t);
  assert.equal(offlineAtCommit(db), true, 'the sale ahead printed offline: this one queues behind it');
  db.prepare('DELETE FROM offline_receipts').run();
  markFailed(db, first.id, { error: 'timeout', permanent: false, nextAttemptAt: t });
  assert.equal(offlineAtCommit(db), true, 'the sale ahead failed to send');
  markSending(db, first.id);
  markDelivered(db, first.id, { ticketNumber: 'T-1', qrUrl: null, at: t });
  assert.equal(offlineAtCommit(db), false, 'delivered: the queue is clear');
  recordOfdOffline(db, 1, { firstFailureAt: t, now: t });
  assert.equal(offlineAtCommit(db), true, 'the OFD client is offline');
}));
