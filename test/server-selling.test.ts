// Selling beyond the scan over real HTTP (training core, real SQLite file): the product search,
// unmarked goods from the store's price list added with a quantity (whole pieces, kg), a free
// price typed by permission, another price or a discount only with a manager, a line's quantity,
// parked baskets surviving a restart and checked again on recall — every change audited.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../src/store/db.ts';
import { upsertStoreProducts } from '../src/store/selling.ts';
import { storeCatalogAnswer } from '../src/store/catalog.ts';
import { startHarness, type Harness } from './server-harness.ts';
import type { BasketView, ParkedListResponse, ParkResponse, ProductSearchResponse, RecallResponse, ScanResponse } from '../src/server/contract/index.ts';

let h: Harness;
const APPLES = '4870000000012';
const BAG = '4870000000029';
const BREAD = '4870000000036';
const MILK = '4870000000043';
const T = '2026-03-01T10:00:00.000Z';
type ErrorBody = { error: { code: string; message: string } };
type Audit = { entries: { action: string; outcome: string; userName: string | null; details: Record<string, unknown> }[] };

before(async () => {
  h = await startHarness('srv-selling');
  const db = openDatabase(join(h.dir, 'tanba.db'));
  try {
    upsertStoreProducts(db, [
      { barcode: APPLES, title: 'Яблоки Апорт', titleKk: 'Алма Апорт', price: 89_990, weighed: true, ntin: null, vatCategory: null, updatedAt: T },
      { barcode: BAG, title: 'Пакет майка', titleKk: null, price: null, weighed: false, ntin: null, vatCategory: null, updatedAt: T },
      { barcode: BREAD, title: 'Хлеб белый', titleKk: 'Ақ нан', price: 15_000, weighed: false, ntin: null, vatCategory: null, updatedAt: T },
    ]);
  } finally {
    db.close();
  }
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
});
after(async () => { await h.stop(); });

const add = (body: Record<string, unknown>, token = h.tokens.cashier) => h.call<ScanResponse & ErrorBody>('POST', '/api/checkout/add', token, body);
const basket = async (): Promise<BasketView> => (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
const cancel = async (): Promise<void> => { assert.equal((await h.call('POST', '/api/checkout/cancel', h.tokens.cashier)).status, 200); };
const audit = async (action: string): Promise<Audit['entries']> => (await h.call<Audit>('GET', `/api/audit?action=${action}`, h.tokens.manager)).body.entries;

test('the search finds the price list by name (any case, ru / kk) or barcode; a bad query is a clear 400', async () => {
  const r = await h.call<ProductSearchResponse>('GET', `/api/products?q=${encodeURIComponent('АПОРТ')}`, h.tokens.cashier);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.body.products.map((p) => [p.barcode, p.price, p.weighed, p.marked, p.source]), [[APPLES, 89_990, true, false, 'store']]);
  const kk = await h.call<ProductSearchResponse>('GET', `/api/products?q=${encodeURIComponent('нан')}`, h.tokens.cashier);
  assert.ok(kk.body.products.some((p) => p.barcode === BREAD));
  const byCode = await h.call<ProductSearchResponse>('GET', '/api/products?q=0000029', h.tokens.cashier);
  assert.deepEqual(byCode.body.products.map((p) => p.barcode), [BAG]);
  const empty = await h.call<ErrorBody>('GET', '/api/products?q=', h.tokens.cashier);
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /q/);
  assert.equal((await h.call('GET', '/api/products?q=a', h.tokens.technician)).status, 403, 'selling roles only');
});

test('weighed goods by the kg at the list price, piece goods whole; the quantity of a line changes, audited', async () => {
  await cancel();
  const apples = await add({ barcode: APPLES, quantity: 1.255 });
  assert.equal(apples.status, 200, apples.text);
  const line = apples.body.basket.lines[0];
  assert.ok(line, apples.text);
  assert.deepEqual([line?.name, line?.unit, line?.quantityMilli, line?.price, line?.sum], ['Яблоки Апорт', 'kg', 1255, 89_990, 112_937]);
  const half = await add({ barcode: BREAD, quantity: 1.5 });
  assert.equal(half.status, 400, half.text);
  assert.equal(half.body.error.code, 'BAD_QUANTITY');
  assert.match(half.body.error.message, /by the piece/);
  const bread = await add({ barcode: BREAD, quantity: 2 });
  const breadLine = bread.body.basket.lines.find((l) => l.gtin?.endsWith('4870000000036'));
  assert.ok(breadLine);
  assert.equal(breadLine.sum, 30_000);
  const q = await h.call<{ basket: BasketView } & ErrorBody>('PUT', `/api/checkout/lines/${breadLine.id}/quantity`, h.tokens.cashier, { quantity: 3 });
  assert.equal(q.status, 200, q.text);
  assert.equal(q.body.basket.lines.find((l) => l.id === breadLine.id)?.sum, 45_000);
  const bad = await h.call<ErrorBody>('PUT', `/api/checkout/lines/${breadLine.id}/quantity`, h.tokens.cashier, { quantity: 0.5 });
  assert.equal(bad.status, 400);
  assert.equal((await basket()).lines.find((l) => l.id === breadLine.id)?.quantityMilli, 3000, 'a refused change leaves the line as it was');
  const entries = await audit('basket.quantity');
  assert.ok(entries.some((e) => e.outcome === 'ok' && e.details.from === 2000 && e.details.to === 3000), JSON.stringify(entries));
  assert.ok(entries.some((e) => e.outcome === 'failed' && e.details.error === 'BAD_QUANTITY'));
});

test('a free-price item takes a typed price; another price for a listed product needs a manager (403, audited), whose PIN approves it', async () => {
  await cancel();
  const bag = await add({ barcode: BAG, price: 2_500, quantity: 2 });
  assert.equal(bag.status, 200, bag.text);
  assert.equal(bag.body.basket.lines[0]?.sum, 5_000);
  const cheaper = await add({ barcode: BREAD, price: 10_000 });
  assert.equal(cheaper.status, 403, cheaper.text);
  assert.equal(cheaper.body.error.code, 'FORBIDDEN');
  assert.equal((await basket()).lines.length, 1, 'nothing added');
  const wrongPin = await add({ barcode: BREAD, price: 10_000, managerName: 'manager', managerPin: '000000' });
  assert.equal(wrongPin.status, 403);
  const approved = await add({ barcode: BREAD, price: 10_000, managerName: 'manager', managerPin: h.pins.manager });
  assert.equal(approved.status, 200, approved.text);
  assert.ok(approved.body.basket.lines.some((l) => l.price === 10_000 && l.name === 'Хлеб белый'));
  const byManager = await add({ barcode: BREAD, price: 12_000 }, h.tokens.manager);
  assert.equal(byManager.status, 200, 'a manager holds the discount permission');
  const entries = await audit('basket.add');
  assert.ok(entries.some((e) => e.outcome === 'ok' && e.details.barcode === BAG && e.details.price === 2_500 && e.details.knownPrice === null));
  assert.ok(entries.some((e) => e.outcome === 'denied' && e.details.error === 'FORBIDDEN' && e.details.permission === 'discount'));
  assert.ok(entries.some((e) => e.outcome === 'ok' && e.details.approvedBy === 'manager' && e.userName === 'cashier'));
  assert.ok(!JSON.stringify(entries).includes(h.pins.manager), 'no PIN in the audit log');
});

test('a line discount needs the discount permission or a manager at the till; it only lowers the price', async () => {
  await cancel();
  const bread = await add({ barcode: BREAD });
  const id = bread.body.basket.lines[0]?.id as string;
  const denied = await h.call<ErrorBody>('POST', `/api/checkout/lines/${id}/discount`, h.tokens.cashier, { percent: 10, reason: 'damaged pack' });
  assert.equal(denied.status, 403);
  assert.equal((await basket()).lines[0]?.price, 15_000);
  const ok = await h.call<{ basket: BasketView }>('POST', `/api/checkout/lines/${id}/discount`, h.tokens.cashier, { percent: 10, reason: 'damaged pack', managerName: 'manager', managerPin: h.pins.manager });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.basket.lines[0]?.price, 13_500);
  const up = await h.call<ErrorBody>('POST', `/api/checkout/lines/${id}/discount`, h.tokens.manager, { price: 20_000, reason: 'x' });
  assert.equal(up.status, 400);
  const both = await h.call<ErrorBody>('POST', `/api/checkout/lines/${id}/discount`, h.tokens.manager, { price: 1, percent: 5, reason: 'x' });
  assert.equal(both.status, 400);
  assert.match(both.body.error.message, /either percent or price/);
  const entries = await audit('basket.discount');
  assert.ok(entries.some((e) => e.outcome === 'ok' && e.details.from === 15_000 && e.details.to === 13_500 && e.details.approvedBy === 'manager' && e.details.reason === 'damaged pack'));
  assert.ok(entries.some((e) => e.outcome === 'denied'));
});

test('a product of the catalogue import (NDJSON with a price) is added at the price the search shows', async () => {
  await cancel();
  const NOW = new Date().toISOString(); // a fresh answer: the catalogue's TTL counts from here
  const db = openDatabase(join(h.dir, 'tanba.db'));
  try {
    storeCatalogAnswer(db, MILK.padStart(14, '0'), [  // as `tanba catalog import` keys it (GTIN-14)
      { ntin: '0200000000042', title: 'Молоко 2,5%', titleKk: 'Сүт 2,5%', measureUnitCode: '796', vatCategory: null, isMarked: false, isSocial: false, price: 42_000, source: 'import', fetchedAt: NOW }], { source: 'import', fetchedAt: NOW });
  } finally {
    db.close();
  }
  const found = await h.call<ProductSearchResponse>('GET', `/api/products?q=${encodeURIComponent('молоко')}`, h.tokens.cashier);
  assert.deepEqual(found.body.products.map((p) => [p.barcode, p.price, p.source])[0], [MILK.padStart(14, '0'), 42_000, 'catalog'], 'the catalogue before the feed');
  assert.ok(found.body.products.filter((p) => p.source === 'feed').every((p) => p.marked), 'the feed\'s products are marked goods: scanned, not added');
  const milk = await add({ barcode: found.body.products[0]?.barcode as string, quantity: 2 });
  assert.equal(milk.status, 200, milk.text);
  assert.deepEqual(milk.body.basket.lines.map((l) => [l.name, l.price, l.sum]), [['Молоко 2,5%', 42_000, 84_000]]);
});

test('a parked basket survives a restart and comes back checked again; recall needs an empty basket; audited', async () => {
  await cancel();
  assert.equal((await h.call<ErrorBody>('POST', '/api/checkout/park', h.tokens.cashier)).body.error.code, 'EMPTY_BASKET');
  await add({ barcode: APPLES, quantity: 0.5 });
  await add({ barcode: BAG, price: 2_500, quantity: 3 });
  const [s] = await h.sample('sellable', 1, 7);
  assert.ok(s);
  const marked = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code: s.code, source: 'wedge', ...(s.price === null ? { price: 150_000 } : {}) });
  assert.equal(marked.body.verdict.decision, 'allow', JSON.stringify(marked.body.verdict));
  const before = await basket();
  const parked = await h.call<ParkResponse>('POST', '/api/checkout/park', h.tokens.cashier);
  assert.equal(parked.status, 201, parked.text);
  assert.equal(parked.body.basket.lines.length, 0, 'the till is free for the next customer');
  assert.equal(parked.body.parked.total, before.total);

  await h.restart();
  const list = await h.call<ParkedListResponse>('GET', '/api/checkout/parked', h.tokens.cashier);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.parked.map((p) => [p.id, p.total, p.lines.length]), [[parked.body.parked.id, before.total, 3]]);
  assert.deepEqual(list.body.parked[0]?.lines.slice(0, 2).map((l) => [l.name, l.nameKk]), [['Яблоки Апорт', 'Алма Апорт'], ['Пакет майка', null]], 'the Kazakh name kept with the parked line');

  await add({ barcode: BREAD });
  const busy = await h.call<ErrorBody>('POST', `/api/checkout/parked/${parked.body.parked.id}/recall`, h.tokens.cashier);
  assert.equal(busy.status, 409);
  assert.equal(busy.body.error.code, 'BASKET_NOT_EMPTY');
  await cancel();
  const back = await h.call<RecallResponse>('POST', `/api/checkout/parked/${parked.body.parked.id}/recall`, h.tokens.cashier);
  assert.equal(back.status, 200, back.text);
  assert.equal(back.body.refused, 0);
  assert.deepEqual(back.body.basket.lines.map((l) => [l.code, l.quantityMilli, l.price]), before.lines.map((l) => [l.code, l.quantityMilli, l.price]));
  assert.equal(back.body.basket.total, before.total);
  assert.equal((await h.call<ParkedListResponse>('GET', '/api/checkout/parked', h.tokens.cashier)).body.parked.length, 0, 'recalled once');
  assert.equal((await h.call('POST', `/api/checkout/parked/${parked.body.parked.id}/recall`, h.tokens.cashier)).status, 404);
  const actions = [...await audit('basket.park'), ...await audit('basket.recall')].map((e) => `${e.action}:${e.outcome}`);
  assert.ok(actions.includes('basket.park:ok') && actions.includes('basket.recall:ok'), actions.join(','));
  const paid = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: back.body.basket.total }] });
  assert.equal(paid.status, 201, paid.text);
});

test('a card payment carries the terminal\'s approval code from the slip; card details on a cash payment are refused', async () => {
  await cancel();
  const bread = await add({ barcode: BREAD });
  const total = bread.body.basket.total;
  const wrong = await h.call<ErrorBody>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: total, card: { authCode: '123456' } }] });
  assert.equal(wrong.status, 400, wrong.text);
  assert.match(wrong.body.error.message, /card/);
  const paid = await h.call<{ saleId: string }>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'card', amount: total, card: { authCode: '123456', rrn: '000123456789' } }] });
  assert.equal(paid.status, 201, paid.text);
  const db = openDatabase(join(h.dir, 'tanba.db'));
  try {
    const row = db.prepare('SELECT payments FROM sales WHERE id = ?').get(paid.body.saleId) as { payments: string };
    assert.deepEqual(JSON.parse(row.payments), [{ type: 'card', amount: total, card: { authCode: '123456', rrn: '000123456789' } }]);
  } finally {
    db.close();
  }
});
