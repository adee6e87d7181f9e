/**
 * Sales stop when the law says so: past the offline limit (72 h, or a lower configured one),
 * counted from the earlier of the OFD client's first failed attempt and the oldest undelivered
 * record, or while the register is blocked (a result that needs a person, a server block 15, a
 * queued document refused). Sales and returns are refused with a clear CheckoutError; nothing
 * recorded is lost and the basket stays. Real SQLite file, real checkout and cache, a clock the
 * test moves.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCodeChecker } from '../src/cache/index.ts';
import { CheckoutError, createCheckout, type Checkout } from '../src/checkout/index.ts';
import {
  initOfdState, markFailed, markSending, nextPending, openDatabase, recordOfdBlocked, recordOfdOffline, resolveOfdBlock, setOfdInfoMessage,
  unblockOutbox, completeOfdRequest, type Db,
} from '../src/store/index.ts';
import { CONFIG, codeOf, G, NOW, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { type Clock } from '../src/clock.ts';

const H = 3_600_000;
const DEVICE = 5;
let reg: TempRegister;
let db: Db;
let t: number;
const clock: Clock = { now: () => new Date(t) };

function checkout(fiscal?: { deviceId?: number; offlineLimitHours?: number }): Checkout {
  const checker = createCodeChecker(db, { clock });
  return createCheckout({ db, checker, clock, config: CONFIG, ...(fiscal ? { fiscal } : {}) });
}

function refused(fn: () => unknown, code: string, text: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof CheckoutError && e.code === code && text.test(e.message), `expected ${code} matching ${text}`);
}

const count = (sql: string): number => db.prepare(sql).pluck().get() as number;

beforeEach(async () => {
  reg = await tempRegister({ codes: 20 });
  db = openDatabase(reg.file);
  t = Date.parse(NOW) + 60_000;
  initOfdState(db, { deviceId: DEVICE, token: 1, now: clock.now().toISOString() });
});

afterEach(() => {
  db.close();
  reg.done();
});

describe('checkout: sales stop when the law says so', () => {
  test('offline past 72 h: scan and completeSale refuse with OFFLINE_LIMIT naming the duration; nothing is lost; allowed again once online', () => {
    const co = checkout();
    co.openShift('Асель');
    // Offline since 71 h 59 min ago: still allowed.
    recordOfdOffline(db, DEVICE, { firstFailureAt: new Date(t - 72 * H + 60_000).toISOString(), now: clock.now().toISOString() });
    assert.ok(co.scan(codeOf(G.water, serial(1))).ok);
    const first = co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    assert.ok(co.scan(codeOf(G.water, serial(2))).ok);
    // A minute later the limit is reached.
    t += 60_000;
    refused(() => co.scan(codeOf(G.water, serial(3))), 'OFFLINE_LIMIT', /72 h 00 min.*limit is 72 h/);
    refused(() => co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] }), 'OFFLINE_LIMIT', /no delivery to the fiscal data operator/);
    refused(() => co.returnLines(first.sale.id, [codeOf(G.water, serial(1))]), 'OFFLINE_LIMIT', /72 h/);
    assert.equal(count("SELECT count(*) FROM sales"), 1, 'nothing new recorded');
    assert.equal(count('SELECT count(*) FROM outbox'), 1, 'the recorded sale is still queued');
    assert.equal(co.basket().lines.length, 1, 'the basket is kept');
    // The connection is back and the queue delivered: the same basket completes.
    completeOfdRequest(db, DEVICE, { token: 2, now: clock.now().toISOString(), clearPending: true });
    const row = nextPending(db, clock.now().toISOString());
    assert.ok(row);
    markSending(db, row.id);
    db.prepare("UPDATE outbox SET state = 'delivered', delivered_at = ? WHERE id = ?").run(clock.now().toISOString(), row.id);
    assert.equal(co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] }).lines.length, 1);
  });

  test('the limit counts from the oldest undelivered record, even with no OFD state, and is configurable only downward', () => {
    db.prepare('DELETE FROM ofd_state').run();
    const co = checkout();
    co.openShift('Асель');
    assert.ok(co.scan(codeOf(G.water, serial(1))).ok);
    co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    t += 10 * H;
    assert.ok(co.scan(codeOf(G.water, serial(2))).ok, '10 h undelivered: allowed by default');
    co.cancelBasket();
    const strict = checkout({ offlineLimitHours: 8 });
    refused(() => strict.scan(codeOf(G.water, serial(2))), 'OFFLINE_LIMIT', /10 h 00 min .*limit is 8 h/);
    assert.throws(() => checkout({ offlineLimitHours: 100 }), /exceeds the legal maximum of 72 h/);
  });

  test('blocked by the OFD (a result that needs a person): REGISTER_BLOCKED with the OFD text, returns too; allowed after resolution', () => {
    const co = checkout({ deviceId: DEVICE });
    co.openShift('Асель');
    assert.ok(co.scan(codeOf(G.water, serial(1))).ok);
    const sale = co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    assert.ok(co.scan(codeOf(G.water, serial(2))).ok);
    setOfdInfoMessage(db, DEVICE, 'Обратитесь в ОФД', clock.now().toISOString());
    recordOfdBlocked(db, DEVICE, { code: 13, text: 'TICKET: document number 1 is not above the last accepted 1', command: 1, now: clock.now().toISOString() });
    refused(() => co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] }), 'REGISTER_BLOCKED', /result 13: TICKET: document number 1 .*Обратитесь в ОФД/);
    refused(() => co.scan(codeOf(G.water, serial(3))), 'REGISTER_BLOCKED', /manager must resolve/);
    refused(() => co.returnLines(sale.sale.id, [codeOf(G.water, serial(1))]), 'REGISTER_BLOCKED', /result 13/);
    assert.equal(count('SELECT count(*) FROM sales'), 1);
    resolveOfdBlock(db, DEVICE, { now: clock.now().toISOString() });
    assert.equal(co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] }).lines.length, 1);
  });

  test('a server block (15) stops sales too (5.4: no work in that mode)', () => {
    const co = checkout();
    co.openShift('Асель');
    recordOfdBlocked(db, DEVICE, { code: 15, text: 'TICKET: the register is blocked by the OFD', command: 1, now: clock.now().toISOString() });
    refused(() => co.scan(codeOf(G.water, serial(1))), 'REGISTER_BLOCKED', /result 15/);
  });

  test('a queued document the OFD refused (blocked row) stops sales until the manager retries it', () => {
    const co = checkout();
    co.openShift('Асель');
    assert.ok(co.scan(codeOf(G.water, serial(1))).ok);
    co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    const row = nextPending(db, clock.now().toISOString());
    assert.ok(row);
    markSending(db, row.id);
    markFailed(db, row.id, { error: 'outbox row 1: invalid payload: items', permanent: true, nextAttemptAt: null });
    refused(() => co.scan(codeOf(G.water, serial(2))), 'REGISTER_BLOCKED', /refused by the fiscal data operator.*invalid payload: items/);
    unblockOutbox(db, row.id);
    assert.ok(co.scan(codeOf(G.water, serial(2))).ok);
  });
});
