// The checkout's parts on their own, over a real SQLite file with a cache seeded by the real
// importer: the basket (basket.ts), shifts and reports (shifts.ts), document commit and returns
// (commit.ts), each built from the shared context as createCheckout builds them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createCodeChecker } from '../src/cache/index.ts';
import { createBasket } from '../src/checkout/basket.ts';
import { createDocuments } from '../src/checkout/commit.ts';
import { checkoutContext, type CheckoutContext } from '../src/checkout/context.ts';
import { createSalesGate } from '../src/checkout/gate.ts';
import { createShifts } from '../src/checkout/shifts.ts';
import { CheckoutError } from '../src/checkout/index.ts';
import { counterValue, getContact, getOutboxByDocument, listJournal, listOverrides, openDatabase, type Db } from '../src/store/index.ts';
import { addManager, CONFIG, codeOf, G, NOW, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { testClock, type TestClock } from './helpers/clock.ts';

const H = 3_600_000;

function refused(fn: () => unknown, code: string, text?: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof CheckoutError && e.code === code && (text === undefined || text.test(e.message)), `expected ${code}`);
}

describe('checkout modules', () => {
  let reg: TempRegister;
  let db: Db;
  let clock: TestClock;
  let ctx: CheckoutContext;
  before(async () => {
    reg = await tempRegister({ codes: 20 });
    db = openDatabase(reg.file);
    addManager(db);
    clock = testClock(NOW);
    ctx = checkoutContext({ db, checker: createCodeChecker(db, { clock }), clock, config: CONFIG });
  });
  after(() => { db.close(); reg.done(); });

  test('basket: lines and refusals apart; the same code twice refused; an override is recorded and journaled at once, even if the basket is then cancelled', () => {
    const basket = createBasket(ctx, createSalesGate(ctx));
    assert.ok(basket.isEmpty());
    const first = basket.scan(codeOf(G.water, serial(0)));
    assert.ok(first.ok);
    assert.equal(first.lines[0]?.check.source, 'cache');
    const again = basket.scan(codeOf(G.water, serial(0)));
    assert.ok(!again.ok);
    assert.equal(again.refusal.verdict.reason, 'ALREADY_IN_BASKET');
    // Unmarked goods by EAN add up on one line.
    basket.scan('4870000000012', { quantity: 1.5, price: 1000 });
    const ean = basket.scan('4870000000012', { price: 1000 });
    assert.ok(ean.ok);
    assert.equal(ean.lines[0]?.quantityMilli, 2500);
    assert.equal(ean.lines[0]?.sum, 2500);
    assert.equal(basket.view().lines.length, 2);
    assert.equal(basket.view().refusals.length, 1);
    refused(() => basket.scan(codeOf(G.water, serial(1)), { quantity: 2 }), 'BAD_QUANTITY', /one marked unit per code/);

    // An overridable refusal: the cache is stale four days later.
    clock.advance(96 * H);
    const stale = basket.scan(codeOf(G.water, serial(2)));
    assert.ok(!stale.ok && stale.refusal.verdict.overridable);
    refused(() => basket.override(stale.refusal.id, { approver: { name: 'Айгуль', role: 'manager' }, reason: 'x' }), 'BAD_INPUT', /reason/);
    refused(() => basket.override(stale.refusal.id, { approver: { name: 'Асель', role: 'cashier' }, reason: 'registry down' }), 'BAD_PIN', /manager or the administrator/);
    const line = basket.override(stale.refusal.id, { approver: { name: 'Айгуль', role: 'manager' }, reason: 'registry down, approved' });
    assert.equal(line.override?.manager, 'Айгуль');
    basket.cancel();
    assert.ok(basket.isEmpty());
    const recorded = listOverrides(db).find((o) => o.id === line.override?.id);
    assert.equal(recorded?.saleId, null, 'recorded although no sale was made');
    assert.equal(recorded?.reasonCode, 'CACHE_STALE');
    assert.ok(listJournal(db).some((e) => e.kind === 'override' && e.ref === line.override?.id));
    clock.set(NOW);
  });

  test('shifts: one open at a time, expiry after shiftMaxHours, X report journaled only, Z report queued with the next printed number', () => {
    const shifts = createShifts(ctx);
    refused(() => shifts.requireOpen(), 'SHIFT_CLOSED');
    refused(() => shifts.open('  '), 'BAD_INPUT');
    const s = shifts.open('Асель');
    assert.equal(shifts.current()?.id, s.id);
    refused(() => shifts.open('Дана'), 'SHIFT_OPEN');
    clock.advance(24 * H);
    assert.equal(shifts.requireOpen().number, s.number, 'exactly 24 h is still allowed');
    clock.advance(1);
    refused(() => shifts.requireOpen(), 'SHIFT_EXPIRED', /more than 24 hours/);
    const outboxBefore = db.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
    const x = shifts.xReport();
    assert.equal(x.closedAt, null);
    assert.equal(x.lastPrintedDocumentNumber, counterValue(db, 'printed_document_number'));
    assert.equal(db.prepare('SELECT count(*) FROM outbox').pluck().get(), outboxBefore, 'an X report is not queued');
    assert.ok(listJournal(db).some((e) => e.kind === 'x_report' && e.ref === s.id));
    const z = shifts.close();
    assert.equal(z.closedAt, clock.iso());
    assert.equal(z.lastPrintedDocumentNumber, counterValue(db, 'printed_document_number'));
    const queued = getOutboxByDocument(db, s.id);
    assert.equal(queued?.kind, 'close_shift');
    assert.equal((queued?.payload as { printedDocumentNumber: number }).printedDocumentNumber, z.lastPrintedDocumentNumber);
    assert.equal(shifts.current(), undefined);
    clock.set(NOW);
  });

  test('documents: a sale with a contact stores the contact complete (expiry at once); a return by code refunds by card when the sale was paid by card; never twice', () => {
    const gate = createSalesGate(ctx);
    const shifts = createShifts(ctx);
    const basket = createBasket(ctx, gate);
    const documents = createDocuments(ctx, gate, shifts);
    shifts.open('Асель');
    basket.scan(codeOf(G.water, serial(5)));
    basket.scan(codeOf(G.water, serial(6)));
    refused(() => documents.sell(basket.lines(), null, { payments: [{ type: 'card', amount: 50001 }] }), 'BAD_PAYMENT', /card payments 50001 exceed/);
    refused(() => documents.sell(basket.lines(), null, { payments: [{ type: 'card', amount: 50000 }], contact: { phone: '+77010000000', consent: false } }), 'NO_CONSENT');
    const sale = documents.sell(basket.lines(), 'Дана', { payments: [{ type: 'card', amount: 50000 }], contact: { phone: '+77010000000', consent: true } });
    assert.equal(sale.sale.cashier, 'Дана');
    const payload = getOutboxByDocument(db, sale.sale.id)?.payload as { contactId: string; version: number };
    const contact = getContact(db, payload.contactId);
    assert.equal(contact?.expiresAt, new Date(Date.parse(NOW) + 33 * 24 * H).toISOString(), 'inserted with its upper bound: 33 days');
    assert.equal(contact?.phone, '+77010000000');

    refused(() => documents.returnLines(sale.sale.id, [codeOf(G.water, serial(7))], null), 'NOT_IN_SALE');
    const ret = documents.returnLines(sale.sale.id, [codeOf(G.water, serial(5))], null);
    assert.equal(ret.sale.kind, 'return');
    assert.deepEqual(ret.sale.payments, [{ type: 'card', amount: 25000 }]);
    assert.equal(ret.lines[0]?.originalLineId, sale.lines[0]?.id);
    assert.equal(ret.sale.cashier, 'Асель', 'no basket cashier: the shift\'s');
    refused(() => documents.returnLines(sale.sale.id, [sale.lines[0]?.id ?? ''], null), 'ALREADY_RETURNED');
    refused(() => documents.returnLines(ret.sale.id, [sale.lines[1]?.id ?? ''], null), 'BAD_INPUT', /is a return/);
    assert.ok(listJournal(db).some((e) => e.kind === 'return' && e.ref === ret.sale.id));
    shifts.close();
  });
});
