import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from './db.ts';
import { enqueueOutbox, markDelivered, markFailed, markSending } from './outbox.ts';
import { searchSales } from './reports.ts';
import { insertSale } from './sales.ts';
import { insertShift } from './shifts.ts';

test('a sale\'s delivery as shown: pending, sending (first attempt), queued (waiting for the link, retries included), delivered', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-reports-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  try {
    const ids: number[] = [];
    db.transaction(() => {
      insertShift(db, { id: 'sh1', registerId: 'R', cashier: 'c', openedAt: '2026-01-01T00:00:00.000Z' });
      for (let n = 1; n <= 3; n++) {
        insertSale(db, { id: `s${n}`, kind: 'sale', originalSaleId: null, shiftNumber: 1, shiftDocumentNumber: n, printedDocumentNumber: n, registerId: 'R', cashier: 'c', createdAt: `2026-01-01T00:00:0${n}.000Z`, total: 100, taxTotal: 0, payments: [{ type: 'cash', amount: 100 }], taken: 100, change: 0 });
        // s3 is made while the OFD is known offline: it waits for the link from the start.
        ids.push(enqueueOutbox(db, { kind: 'sell', documentId: `s${n}`, payload: { n }, createdAt: `2026-01-01T00:00:0${n}.000Z`, offline: n === 3 }).id);
      }
    })();
    const shown = () => Object.fromEntries(searchSales(db).rows.map((r) => [r.id, r.deliveryState]));
    assert.deepEqual(shown(), { s1: 'pending', s2: 'pending', s3: 'queued' });
    markSending(db, ids[0]!);
    assert.equal(shown().s1, 'sending', 'the first attempt in flight');
    markFailed(db, ids[0]!, { error: 'no answer within 5000 ms, offline: ECONNREFUSED', permanent: false, nextAttemptAt: '2026-01-01T00:01:00.000Z', offline: true });
    assert.equal(shown().s1, 'queued');
    markSending(db, ids[0]!);
    assert.equal(shown().s1, 'queued', 'a reconnect attempt does not make it "sending"');
    assert.deepEqual(searchSales(db, { delivery: 'queued' }).rows.map((r) => r.id).sort(), ['s1', 's3']);
    assert.deepEqual(searchSales(db, { delivery: 'pending' }).rows.map((r) => r.id), ['s2']);
    markDelivered(db, ids[0]!, { ticketNumber: 'T1', qrUrl: null, at: '2026-01-01T00:02:00.000Z' });
    assert.equal(shown().s1, 'delivered');
    assert.equal(searchSales(db, { delivery: 'sending' }).total, 0);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
