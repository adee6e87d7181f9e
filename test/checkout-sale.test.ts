// The checkout service on a real SQLite file with a cache seeded by the real importer: basket,
// sale transaction, returns, overrides, shifts, receipt model, e-receipt contacts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CheckoutError, startContactPurge, verifyRegister, withdrawContact, type Checkout } from '../src/checkout/index.ts';
import { getOutboxByDocument, listJournal, listOverrides, markDelivered, markSending, nextPending, type Db } from '../src/store/index.ts';
import { isSoldHere } from '../src/cache/index.ts';
import { addManager, cisOf, codeOf, G, GS, NOW, openCheckout, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { fixedClock, type Clock } from '../src/clock.ts';

/** The bytes of the database file and its WAL together. */
function fileBytes(file: string): Buffer {
  let wal = Buffer.alloc(0);
  try { wal = readFileSync(`${file}-wal`); } catch { /* no WAL */ }
  return Buffer.concat([readFileSync(file), wal]);
}

function rejects(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => err instanceof CheckoutError && err.code === code, `expected CheckoutError ${code}`);
}

describe('checkout', () => {
  let reg: TempRegister;
  let db: Db;
  let co: Checkout;
  let close: () => void;
  before(async () => {
    reg = await tempRegister();
    ({ db, checkout: co, close } = openCheckout(reg.file));
    addManager(db);
  });
  after(() => { close(); reg.done(); });

  test('selling needs an open shift', () => {
    co.scan(codeOf(G.water, serial(0)));
    rejects(() => co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] }), 'SHIFT_CLOSED');
    co.cancelBasket();
    const s = co.openShift('Асель');
    assert.equal(s.number, 1);
    rejects(() => co.openShift('Асель'), 'SHIFT_OPEN');
  });

  test('a sale writes sale, lines, sold codes, outbox and journal in one go; the code is stored as scanned', () => {
    const code = codeOf(G.water, serial(1));
    const r = co.scan(code);
    assert.ok(r.ok);
    assert.equal(r.lines[0]?.price, 25000);
    const ai = co.scan(codeOf(G.aiWater, serial(1)));
    assert.ok(ai.ok);
    const doc = co.completeSale({ payments: [{ type: 'cash', amount: 60000 }] });
    assert.equal(doc.sale.total, 55000);
    assert.equal(doc.sale.change, 5000);
    // 16 % VAT included (2026): 25000 * 16/116 = 3448.27 -> 3448; 30000 -> 4137.9 -> 4138.
    assert.equal(doc.sale.taxTotal, 3448 + 4138);
    assert.equal(doc.lines[0]?.code, code);
    assert.ok(doc.lines[0]?.code?.includes(GS));
    assert.equal(doc.lines[0]?.cis, cisOf(G.water, serial(1)));
    assert.equal(doc.lines[0]?.checkSource, 'cache');
    assert.equal(doc.lines[0]?.checkedAt, NOW);
    assert.ok(isSoldHere(db, cisOf(G.water, serial(1))));
    const ob = getOutboxByDocument(db, doc.sale.id);
    assert.equal(ob?.kind, 'sell');
    assert.equal(ob?.state, 'pending');
    const payload = ob?.payload as { items: { exciseStamp: string; taxes: { percent: number }[] }[]; shiftNumber: number; printedDocumentNumber: number };
    assert.equal(payload.items[0]?.exciseStamp, code);
    assert.equal(payload.items[0]?.taxes[0]?.percent, 16000);
    assert.equal(payload.shiftNumber, 1);
    const j = listJournal(db).filter((e) => e.ref === doc.sale.id);
    assert.equal(j.length, 1);
    assert.equal(j[0]?.kind, 'sale');
    assert.equal(co.basket().lines.length, 0, 'basket cleared after commit');
    // Receipt model: AI label only on the AI product's line, in the receipt languages; offline mark until delivered.
    const rc = doc.receipt;
    assert.equal(rc.lines[0]?.aiLabel, null);
    assert.deepEqual(rc.lines[1]?.aiLabel, { ru: 'Произведено с использованием ИИ', kk: 'ЖИ көмегімен өндірілген' });
    assert.equal(rc.fiscal.offline, true);
    assert.equal(rc.fiscal.ticketNumber, null);
    assert.equal(rc.store.name, 'Тестовый магазин');
    assert.equal(rc.lines[0]?.check?.source, 'cache');
    assert.equal(rc.taxes[0]?.sum, 3448 + 4138);
    markDelivered(db, (ob as { id: number }).id, { ticketNumber: '987654', qrUrl: 'https://consumer.test-oofd.kz/?t=987654', at: NOW });
    const after = co.getReceipt(doc.sale.id);
    assert.equal(after?.fiscal.ticketNumber, '987654');
    assert.equal(after?.fiscal.qrUrl, 'https://consumer.test-oofd.kz/?t=987654');
    assert.equal(after?.fiscal.offline, false);
  });

  test('the same code twice in one basket is refused with a clear reason; a sold code is refused', () => {
    const code = codeOf(G.water, serial(2));
    assert.ok(co.scan(code).ok);
    const again = co.scan(code);
    assert.ok(!again.ok);
    assert.equal(again.refusal.verdict.reason, 'ALREADY_IN_BASKET');
    assert.equal(co.basket().lines.length, 1);
    co.cancelBasket();
    const sold = co.scan(codeOf(G.water, serial(1)));
    assert.ok(!sold.ok);
    assert.equal(sold.refusal.verdict.reason, 'SOLD');
    co.cancelBasket();
  });

  test('remove a line and cancel a basket', () => {
    const a = co.scan(codeOf(G.water, serial(3)));
    const b = co.scan(codeOf(G.water, serial(4)));
    assert.ok(a.ok && b.ok);
    co.removeLine(a.lines[0]!.id);
    assert.deepEqual(co.basket().lines.map((l) => l.cis), [cisOf(G.water, serial(4))]);
    rejects(() => co.removeLine('nope'), 'NOT_FOUND');
    co.cancelBasket();
    assert.equal(co.basket().lines.length, 0);
    assert.equal(isSoldHere(db, cisOf(G.water, serial(4))), false);
  });

  test('a refused code never reaches payment; a blocked code cannot be overridden', () => {
    const r = co.scan(codeOf(G.blocked, serial(0)));
    assert.ok(!r.ok);
    assert.equal(r.refusal.verdict.reason, 'BLOCKED');
    rejects(() => co.completeSale({ payments: [{ type: 'cash', amount: 0 }] }), 'EMPTY_BASKET');
    rejects(() => co.override(r.refusal.id, { approver: { name: 'Айгуль', role: 'manager' }, reason: 'customer insists' }), 'NOT_OVERRIDABLE');
    co.cancelBasket();
  });

  test('unmarked goods by quantity; marked goods one unit per code; EAN of a marked product refused', () => {
    const ean = '4870000009992';
    const u = co.scan(ean, { price: 1500, quantity: 3 });
    assert.ok(u.ok);
    co.scan(ean, { price: 1500 });
    const line = co.basket().lines[0]!;
    assert.equal(line.quantityMilli, 4000);
    assert.equal(line.sum, 6000);
    rejects(() => co.scan(codeOf(G.water, serial(5)), { quantity: 2 }), 'BAD_QUANTITY');
    const marked = co.scan(G.water.slice(1));
    assert.ok(!marked.ok, 'the EAN of a marked product must be refused');
    assert.match(marked.refusal.verdict.messages.en, /scan the marking code/);
    const doc = co.completeSale({ payments: [{ type: 'card', amount: 6000 }] });
    assert.equal(doc.lines.length, 1);
    assert.equal(doc.lines[0]?.cis, null);
    assert.equal(doc.lines[0]?.quantityMilli, 4000);
  });

  test('weighted goods take the weight from (3103) and price per kg', () => {
    const r = co.scan(codeOf(G.cheese, serial(0), 1234));
    assert.ok(r.ok);
    assert.equal(r.lines[0]?.quantityMilli, 1234);
    assert.equal(r.lines[0]?.sum, 493600); // 4000.00 x 1.234
    co.completeSale({ payments: [{ type: 'cash', amount: 493600 }] });
  });

  test('partial sale: a keg stays sellable until all its units are sold', () => {
    const keg = codeOf(G.keg, serial(0));
    const a = co.scan(keg, { quantity: 3 });
    assert.ok(a.ok);
    assert.equal(a.lines[0]?.units, 3);
    co.completeSale({ payments: [{ type: 'cash', amount: 150000 }] });
    rejects(() => co.scan(keg, { quantity: 8 }), 'BAD_QUANTITY');
    const b = co.scan(keg, { quantity: 7 });
    assert.ok(b.ok, JSON.stringify(b));
    co.completeSale({ payments: [{ type: 'cash', amount: 350000 }] });
    const c = co.scan(keg);
    assert.ok(!c.ok, 'all 10 units sold');
    co.cancelBasket();
  });

  test('a missing price is named; a price override fills it', () => {
    const r = co.scan(codeOf(G.noPrice, serial(0)));
    assert.ok(r.ok);
    assert.throws(() => co.completeSale({ payments: [{ type: 'cash', amount: 1 }] }), (e: unknown) => e instanceof CheckoutError && e.code === 'NO_PRICE' && /Молоко/.test(e.message));
    co.setPrice(r.lines[0]!.id, 32000);
    rejects(() => co.completeSale({ payments: [{ type: 'card', amount: 40000 }] }), 'BAD_PAYMENT');
    rejects(() => co.completeSale({ payments: [{ type: 'cash', amount: 100 }] }), 'BAD_PAYMENT');
    const doc = co.completeSale({ payments: [{ type: 'card', amount: 32000 }] });
    assert.equal(doc.sale.total, 32000);
  });

  test('returns: against the original sale, by code or by line; the code leaves the sold set; never twice', () => {
    const a = codeOf(G.water, serial(6));
    const b = codeOf(G.water, serial(7));
    co.scan(a);
    co.scan(b);
    const sale = co.completeSale({ payments: [{ type: 'card', amount: 50000 }] });
    rejects(() => co.returnLines(sale.sale.id, [codeOf(G.water, serial(8))]), 'NOT_IN_SALE');
    const ret = co.returnLines(sale.sale.id, [a]);
    assert.equal(ret.sale.kind, 'return');
    assert.equal(ret.sale.originalSaleId, sale.sale.id);
    assert.equal(ret.sale.total, 25000);
    assert.deepEqual(ret.sale.payments, [{ type: 'card', amount: 25000 }]);
    assert.equal(ret.lines[0]?.originalLineId, sale.lines[0]?.id);
    assert.equal(isSoldHere(db, cisOf(G.water, serial(6))), false);
    assert.equal(isSoldHere(db, cisOf(G.water, serial(7))), true);
    assert.equal(getOutboxByDocument(db, ret.sale.id)?.kind, 'sell_return');
    rejects(() => co.returnLines(sale.sale.id, [a]), 'ALREADY_RETURNED');
    const byLine = co.returnLines(sale.sale.id, [sale.lines[1]!.id]);
    assert.equal(byLine.lines[0]?.cis, cisOf(G.water, serial(7)));
    assert.equal(ret.receipt.kind, 'return');
    // The returned code can be sold again.
    assert.ok(co.scan(a).ok);
    co.cancelBasket();
  });

  test('manager override: only overridable verdicts, a manager or the administrator, a reason, recorded and shown', async () => {
    // A second register view of the same file whose clock is 4 days later: the cache is stale.
    // The fiscal channel worked meanwhile (else the 72-hour rule would stop sales): deliver the queue.
    for (let row = nextPending(db, '2026-03-05T10:00:00.000Z'); row; row = nextPending(db, '2026-03-05T10:00:00.000Z')) {
      markSending(db, row.id);
      markDelivered(db, row.id, { ticketNumber: `T${row.seq}`, qrUrl: null, at: '2026-03-02T10:00:00.000Z' });
    }
    const later = openCheckout(reg.file, { now: '2026-03-05T10:00:00.000Z', config: { registerId: 'REG-2' } });
    try {
      later.checkout.openShift('Дана');
      const r = later.checkout.scan(codeOf(G.water, serial(9)));
      assert.ok(!r.ok);
      assert.equal(r.refusal.verdict.reason, 'CACHE_STALE');
      assert.equal(r.refusal.verdict.overridable, true);
      // The checkout takes an approver the API has authenticated; it checks the role once more.
      // A cashier never approves an override; a manager or the administrator does.
      rejects(() => later.checkout.override(r.refusal.id, { approver: { name: 'Касса', role: 'cashier' }, reason: 'offline 4 days' }), 'BAD_PIN');
      rejects(() => later.checkout.override(r.refusal.id, { approver: { name: 'Тимур', role: 'technician' }, reason: 'offline 4 days' }), 'BAD_PIN');
      const other = later.checkout.scan(codeOf(G.water, serial(10)));
      assert.ok(!other.ok);
      const byAdmin = later.checkout.override(other.refusal.id, { approver: { name: 'Әкімші', role: 'admin' }, reason: 'approved by the administrator' });
      assert.equal(byAdmin.override?.manager, 'Әкімші');
      later.checkout.removeLine(byAdmin.id);
      rejects(() => later.checkout.override(r.refusal.id, { approver: { name: 'Айгуль', role: 'manager' }, reason: '' }), 'BAD_INPUT');
      const line = later.checkout.override(r.refusal.id, { approver: { name: 'Айгуль', role: 'manager' }, reason: 'registry down, approved' });
      assert.equal(line.override?.manager, 'Айгуль');
      const doc = later.checkout.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
      assert.equal(doc.lines[0]?.decision, 'refuse');
      assert.ok(doc.lines[0]?.overrideId);
      assert.equal(doc.receipt.lines[0]?.override?.reason, 'registry down, approved');
      const o = listOverrides(db).find((x) => x.id === doc.lines[0]?.overrideId);
      assert.equal(o?.saleId, doc.sale.id);
      assert.equal(o?.reasonCode, 'CACHE_STALE');
      later.checkout.closeShift();
    } finally {
      later.close();
    }
  });

  test('X and Z reports; shift and document numbers only rise', () => {
    const x = co.xReport();
    assert.ok(x.sale.count >= 6);
    assert.equal(x.return.count, 2);
    assert.equal(x.net, x.sale.sum - x.return.sum);
    const z = co.closeShift();
    assert.equal(z.sale.sum, x.sale.sum);
    assert.equal(getOutboxByDocument(db, co.currentShift()?.id ?? '')?.kind, undefined);
    rejects(() => co.xReport(), 'SHIFT_CLOSED');
    const s2 = co.openShift('Асель');
    assert.ok(s2.number > 1);
    co.scan(codeOf(G.water, serial(10)));
    const d = co.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    assert.equal(d.sale.shiftNumber, s2.number);
    assert.equal(d.sale.shiftDocumentNumber, 1);
    const printed = db.prepare('SELECT printed_document_number FROM sales ORDER BY rowid').pluck().all() as number[];
    assert.deepEqual(printed, [...printed].sort((p, q) => p - q));
    assert.equal(new Set(printed).size, printed.length);
    const closes = db.prepare("SELECT count(*) FROM outbox WHERE kind = 'close_shift'").pluck().get() as number;
    assert.equal(closes, 2);
  });

  test('e-receipt contact only with consent; purged bytes leave the file', () => {
    co.scan(codeOf(G.water, serial(11)));
    rejects(() => co.completeSale({ payments: [{ type: 'cash', amount: 25000 }], contact: { phone: '+77011234567', consent: false } }), 'NO_CONSENT');
    const phone = '+77019998877';
    const doc = co.completeSale({ payments: [{ type: 'cash', amount: 25000 }], contact: { phone, consent: true } });
    assert.equal(doc.receipt.eReceipt, true);
    assert.ok(fileBytes(reg.file).includes(Buffer.from(phone)), 'precondition: the phone is on disk');
    const ob = getOutboxByDocument(db, doc.sale.id)!;
    assert.ok(!JSON.stringify(ob.payload).includes(phone), 'contact never copied into the outbox payload');
    assert.ok(!JSON.stringify(listJournal(db)).includes(phone), 'nor into the journal');
    markDelivered(db, ob.id, { ticketNumber: '1', qrUrl: null, at: NOW, contactRetentionDays: 30 });
    const purgeLater = openCheckout(reg.file, { now: '2026-04-01T00:00:00.000Z' });
    try {
      assert.equal(purgeLater.checkout.purgeContacts().purged, 1);
    } finally {
      purgeLater.close();
    }
    assert.ok(!fileBytes(reg.file).includes(Buffer.from(phone)));
  });

  test('withdrawal takes effect at once; the timer purge removes expired contacts', () => {
    co.scan(codeOf(G.water, serial(12)));
    const email = 'withdraw.me@example.kz';
    const doc = co.completeSale({ payments: [{ type: 'cash', amount: 25000 }], contact: { email, consent: true } });
    const contactId = (getOutboxByDocument(db, doc.sale.id)!.payload as { contactId: string }).contactId;
    assert.equal(withdrawContact(db, contactId, NOW).purged, 1);
    assert.equal(co.getReceipt(doc.sale.id)?.eReceipt, false);
    assert.ok(!fileBytes(reg.file).includes(Buffer.from(email)));
    co.scan(codeOf(G.water, serial(13)));
    const phone = '+77015550000';
    co.completeSale({ payments: [{ type: 'cash', amount: 25000 }], contact: { phone, consent: true } });
    assert.ok(fileBytes(reg.file).includes(Buffer.from(phone)), 'precondition: the phone is on disk');
    // Never delivered: kept at most 33 days, then the timer's first tick purges it.
    const stop = startContactPurge(db, { clock: fixedClock('2026-04-04T00:00:00.000Z'), intervalMs: 60_000 });
    stop();
    assert.ok(!fileBytes(reg.file).includes(Buffer.from(phone)));
  });

  test('the journal verifies after all of this', () => {
    const v = verifyRegister(db);
    assert.ok(v.ok, JSON.stringify(v));
    assert.ok(v.count > 10);
  });
});

describe('two registers on one file', () => {
  test('both scan the same code; only the first commit sells it, the second records nothing', async () => {
    const reg = await tempRegister();
    const a = openCheckout(reg.file, { config: { registerId: 'A' } });
    const b = openCheckout(reg.file, { config: { registerId: 'B' } });
    try {
      a.checkout.openShift('a');
      b.checkout.openShift('b');
      const code = codeOf(G.water, serial(0));
      assert.ok(a.checkout.scan(code).ok);
      assert.ok(b.checkout.scan(code).ok);
      a.checkout.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
      rejects(() => b.checkout.completeSale({ payments: [{ type: 'cash', amount: 25000 }] }), 'SOLD_TWICE');
      assert.equal(b.checkout.basket().lines.length, 1, 'the basket is kept so the cashier can remove the line');
      const n = (t: string): number => a.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number;
      assert.equal(n('sales'), 1);
      assert.equal(n('sale_lines'), 1);
      assert.equal(n("outbox WHERE kind = 'sell'"), 1);
      assert.ok(verifyRegister(a.db).ok);
    } finally {
      a.close(); b.close(); reg.done();
    }
  });
});

describe('group packs (aggregation)', () => {
  function sscc(body17: string): string {
    let s = 0;
    for (let i = 0; i < 17; i++) s += Number(body17[16 - i]) * (i % 2 === 0 ? 3 : 1);
    return `00${body17}${(10 - (s % 10)) % 10}`;
  }
  test('a group pack sells its contents when they are known; unknown or with a refused unit it is refused whole', async () => {
    const reg = await tempRegister();
    const known = sscc('04870000000000001');
    const withBlocked = sscc('04870000000000002');
    const contents: Record<string, string[]> = {
      [known]: [codeOf(G.water, serial(0)), codeOf(G.water, serial(1)), codeOf(G.water, serial(2))],
      [withBlocked]: [codeOf(G.water, serial(3)), codeOf(G.blocked, serial(0))],
    };
    const { db, close } = openCheckout(reg.file);
    const { createCodeChecker } = await import('../src/cache/index.ts');
    const { createCheckout } = await import('../src/checkout/index.ts');
    const t = Date.parse(NOW);
    const clock: Clock = { now: () => new Date(t) };
    const co = createCheckout({ db, clock, checker: createCodeChecker(db, { clock }), config: { storeName: 'S', registerId: 'R', languages: ['ru'] }, aggregateContents: (_db, code) => contents[code] ?? null });
    try {
      co.openShift('c');
      const r = co.scan(known);
      assert.ok(r.ok);
      assert.equal(r.lines.length, 3);
      assert.ok(r.lines.every((l) => l.fromAggregate === known));
      const bad = co.scan(withBlocked);
      assert.ok(!bad.ok);
      assert.equal(co.basket().lines.length, 3, 'nothing of the pack with a blocked unit was added');
      assert.ok(!co.scan(sscc('04870000000000003')).ok, 'unknown contents: refused');
      co.removeLine(r.lines[1]!.id);
      assert.equal(co.basket().lines.length, 0, 'a group pack leaves the basket whole');
      co.scan(known);
      const doc = co.completeSale({ payments: [{ type: 'cash', amount: 75000 }] });
      assert.equal(doc.lines.length, 3);
    } finally {
      close();
      reg.done();
    }
  });
});
