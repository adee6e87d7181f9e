// A withdrawn contact while another connection holds a read snapshot: the purge retries the WAL
// checkpoint (TRUNCATE) a bounded number of times with a short wait. A reader that never lets go
// leaves the bytes in the file, and the result says so (bytesMayRemain); a reader that lets go
// during the retries lets the purge finish, and no byte of the contact is left in the .db or -wal.
// Two real connections on one real SQLite file (WAL), the second as another process would hold it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { purgeContactsSettled, withdrawContactSettled } from '../src/checkout/index.ts';
import { getContact, insertContact, insertSale, insertShift, openDatabase, type Db } from '../src/store/index.ts';

const AT = '2026-01-01T00:00:00.000Z';

/** A register file with one sale and its e-receipt contact, checkpointed so the contact is in the .db. */
function register(phone: string): { db: Db; path: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-purge-reader-'));
  const path = join(dir, 'tanba.db');
  const db = openDatabase(path);
  db.transaction(() => {
    insertShift(db, { id: 's1', registerId: 'R', cashier: 'c', openedAt: AT });
    insertSale(db, { id: 'sale-1', kind: 'sale', originalSaleId: null, shiftNumber: 1, shiftDocumentNumber: 1, printedDocumentNumber: 1, registerId: 'R', cashier: 'c', createdAt: AT, total: 100, taxTotal: 0, payments: [{ type: 'cash', amount: 100 }], taken: 100, change: 0 });
    insertContact(db, { id: 'c1', saleId: 'sale-1', phone, email: null, purpose: 'e-receipt', consentAt: AT, expiresAt: null });
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  return { db, path, done: () => { db.close(); rmSync(dir, { recursive: true, force: true }); } };
}

const inFiles = (path: string, text: string): boolean => [path, `${path}-wal`].some((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(text)));

/** A second connection that opened a read transaction on the file (its snapshot predates the purge). */
function reader(path: string): { release(): void; close(): void } {
  const other = new Database(path);
  other.prepare('BEGIN').run();
  assert.equal(other.prepare('SELECT count(*) FROM contacts').pluck().get(), 1, 'the reader sees the contact');
  return { release: () => { other.prepare('COMMIT').run(); }, close: () => other.close() };
}

test('a reader that never lets go: the bytes remain and the result says so after the bounded attempts', async () => {
  const phone = '+77015550101';
  const r = register(phone);
  const other = reader(r.path);
  try {
    assert.ok(inFiles(r.path, phone), 'precondition: the phone is in the file');
    const started = Date.now();
    const result = await withdrawContactSettled(r.db, 'c1', AT, { attempts: 4, waitMs: 25 });
    assert.deepEqual(result, { purged: 1, walTruncated: false, attempts: 4, bytesMayRemain: true });
    assert.ok(Date.now() - started < 5_000, 'no attempt waits for the busy timeout');
    assert.equal(getContact(r.db, 'c1'), undefined, 'the row is gone for every new reader');
    assert.ok(inFiles(r.path, phone), 'and its bytes really may remain while the old snapshot is held');
    other.release();
    // The next purge (nothing left to delete) finishes the job once the snapshot is gone.
    assert.deepEqual(await purgeContactsSettled(r.db, AT, { attempts: 1 }), { purged: 0, walTruncated: true, attempts: 1, bytesMayRemain: false });
    assert.ok(!inFiles(r.path, phone), 'no byte of the phone in the .db or -wal');
  } finally {
    other.close();
    r.done();
  }
});

test('a reader that lets go during the retries: the same purge finishes, no bytes remain', async () => {
  const phone = '+77015550202';
  const r = register(phone);
  const other = reader(r.path);
  try {
    const releasing = new Promise<void>((resolve) => setTimeout(() => { other.release(); resolve(); }, 150));
    const result = await withdrawContactSettled(r.db, 'c1', AT, { attempts: 100, waitMs: 20 });
    await releasing;
    assert.equal(result.purged, 1);
    assert.equal(result.walTruncated, true);
    assert.equal(result.bytesMayRemain, false);
    assert.ok(result.attempts > 1 && result.attempts < 100, `retried until the reader let go (${result.attempts} attempts)`);
    assert.ok(!inFiles(r.path, phone), 'no byte of the phone in the .db or -wal');
    assert.equal(readFileSync(`${r.path}-wal`).length, 0, 'the WAL is truncated');
  } finally {
    other.close();
    r.done();
  }
});
