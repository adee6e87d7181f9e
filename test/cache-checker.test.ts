import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { createCodeChecker, importFeed, isSoldHere, recordSold, releaseSold, SoldTwiceError, type CodeFacts } from '../src/cache/index.ts';
import { openDatabase } from '../src/store/db.ts';
import { REVALIDATE_MS } from '../src/cache/checker.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';
import { fixedClock } from '../src/clock.ts';

const MILK = gtin14('0487000000010');
const CIGS = gtin14('0487000000020');
const BEER = gtin14('0487000000030');
const clock = fixedClock('2026-03-01T12:00:00Z');

function gs1(gtin: string, serial: string, extra: { batch?: string; expiry?: string; mrp?: number } = {}) {
  return { ok: true, kind: 'gs1', gtin, cis: cisOf(gtin, serial), batch: extra.batch ?? null, expiry: extra.expiry ?? null, maxRetailPrice: extra.mrp ?? null, productGroup: null };
}
const sale = (price: number | null, inBasket = false) => ({ operation: 'sale' as const, price, inBasket });

async function setup(options: { monotonicNow?: () => number } = {}) {
  const t = tempDb();
  await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', [
    { type: 'product', gtin: MILK, name: 'Milk', group: 'dairy', ai: false, price: 65000 },
    { type: 'product', gtin: CIGS, name: 'Cigs', group: 'tobacco', ai: true, minPrice: 70000, price: 90000 },
    { type: 'product', gtin: BEER, name: 'Beer 6-pack', group: 'beer', partial: 6, price: 300000 },
    ...codeRecords(MILK, 10),
    ...codeRecords(CIGS, 10, 0, { mrp: 95000 }),
    { type: 'code', cis: cisOf(CIGS, '3NOMRPINCACHE'), status: 'in_circulation' },
    ...codeRecords(BEER, 2),
    { type: 'code', cis: cisOf(MILK, '3SOLDELSEWHRE'), status: 'sold' },
    { type: 'code', cis: cisOf(MILK, '3WITHDRAWN000'), status: 'withdrawn' },
    { type: 'code', cis: cisOf(MILK, '3NOTINTRODUCE'), status: 'not_introduced' },
    { type: 'code', cis: cisOf(MILK, '3EXPIRED00000'), status: 'in_circulation', expires: '2026-02-28' },
    { type: 'block', gtin: MILK, batch: 'BAD' },
    { type: 'cursor', cursor: 'k1' },
  ]), { full: true, clock });
  return { t, checker: createCodeChecker(t.db, { clock, lang: 'en', ...options }) };
}

describe('code checker on a real cache', () => {
  test('decisions from the cache', async () => {
    const { t, checker } = await setup();
    try {
      const reason = (p: ReturnType<typeof gs1>, price: number | null = 65000, inBasket = false) => checker.check(p, sale(price, inBasket)).verdict.reason;
      assert.equal(reason(gs1(MILK, '3000000000001')), 'OK_OFFLINE');
      assert.equal(reason(gs1(MILK, '3000000000001'), 65000, true), 'ALREADY_IN_BASKET');
      assert.equal(reason(gs1(MILK, '3SOLDELSEWHRE')), 'SOLD');
      assert.equal(reason(gs1(MILK, '3WITHDRAWN000')), 'WITHDRAWN');
      assert.equal(reason(gs1(MILK, '3NOTINTRODUCE')), 'NOT_INTRODUCED');
      assert.equal(reason(gs1(MILK, '3EXPIRED00000')), 'EXPIRED');
      assert.equal(reason(gs1(MILK, '3NOTINCACHE00')), 'NOT_FOUND');
      assert.equal(reason(gs1(MILK, '3000000000001', { batch: 'BAD' })), 'BLOCKED');
      assert.equal(reason(gs1(MILK, '3000000000001', { batch: 'GOOD' })), 'OK_OFFLINE');
      // the code's own (17) expiry counts when the cache has none
      assert.equal(reason(gs1(MILK, '3000000000002', { expiry: '2026-02-01' })), 'EXPIRED');
      // tobacco: MRP from the cache, or from the pack code when the cache has none; minimum price per GTIN
      assert.equal(reason(gs1(CIGS, '3000000000001'), 95001), 'PRICE_ABOVE_MRP');
      assert.equal(reason(gs1(CIGS, '3000000000001'), 95000), 'OK_OFFLINE');
      assert.equal(reason(gs1(CIGS, '3000000000001'), 69999), 'PRICE_BELOW_MIN');
      assert.equal(reason({ ...gs1(CIGS, '3NOMRPINCACHE'), kind: 'tobacco-pack', maxRetailPrice: 80000 } as ReturnType<typeof gs1>, 85000), 'PRICE_ABOVE_MRP');
      const r = checker.check(gs1(CIGS, '3000000000001'), sale(90000));
      assert.equal(r.product?.name, 'Cigs');
      assert.equal(r.product?.ai, true);
      assert.equal(r.product?.price, 90000);
      assert.equal(r.facts?.group, 'tobacco');
      assert.equal(r.checkedAt, '2026-03-01T12:00:00.000Z');
      // invalid input never reaches the cache
      const bad = checker.check({ ok: false, error: { code: 'BAD_CHECK_DIGIT' } }, sale(1));
      assert.equal(bad.verdict.reason, 'INVALID_CODE');
      assert.match(bad.verdict.message, /BAD_CHECK_DIGIT/);
      assert.equal(checker.check({ ok: true, kind: 'ean', gtin: MILK, cis: null }, sale(1)).verdict.reason, 'INVALID_CODE');
    } finally {
      t.done();
    }
  });

  test('online facts take precedence, local sale records and blocks still count', async () => {
    const { t, checker } = await setup();
    try {
      const online: CodeFacts = { found: true, status: 'in_circulation', blocked: false, blockedBy: null, expires: null, mrp: null, minPrice: null, group: 'dairy', soldHere: false };
      const p = gs1(MILK, '3SOLDELSEWHRE');
      const v = checker.check(p, { ...sale(65000), online, requestId: 'req-1' });
      assert.equal(v.verdict.reason, 'OK');
      assert.equal(v.verdict.source, 'online');
      assert.equal(v.requestId, 'req-1');
      assert.equal(checker.check(gs1(MILK, '3000000000001', { batch: 'BAD' }), { ...sale(65000), online }).verdict.reason, 'BLOCKED');
      assert.equal(checker.check(p, { ...sale(65000), online: { ...online, found: false, status: null } }).verdict.rule, 'not-found-online');
    } finally {
      t.done();
    }
  });

  test('sold codes: sale, double sale refused (also across two connections), return, partial packages', async () => {
    const { t, checker } = await setup();
    try {
      const cis = cisOf(MILK, '3000000000003');
      recordSold(t.db, { cis, saleId: 'S1', soldAt: '2026-03-01T12:00:00.000Z' });
      assert.equal(isSoldHere(t.db, cis), true);
      assert.throws(() => recordSold(t.db, { cis, saleId: 'S2', soldAt: '2026-03-01T12:01:00.000Z' }), (e: unknown) => e instanceof SoldTwiceError && e.message.includes(cis));
      // a second process (connection) on the same file cannot sell it either
      const other = openDatabase(t.file);
      assert.throws(() => other.transaction(() => recordSold(other, { cis, saleId: 'S3', soldAt: '2026-03-01T12:02:00.000Z' })).immediate(), SoldTwiceError);
      other.close();
      assert.equal(checker.check(gs1(MILK, '3000000000003'), sale(65000)).verdict.rule, 'sold-here');
      // return: sold here -> allowed; then released and sellable again
      assert.equal(checker.check(gs1(MILK, '3000000000003'), { operation: 'return', price: null, inBasket: false }).verdict.reason, 'RETURN_OK');
      assert.equal(releaseSold(t.db, cis), true);
      assert.equal(isSoldHere(t.db, cis), false);
      assert.equal(releaseSold(t.db, cis), false);
      assert.equal(checker.check(gs1(MILK, '3000000000003'), sale(65000)).verdict.reason, 'OK_OFFLINE');
      assert.equal(checker.check(gs1(MILK, '3000000000004'), { operation: 'return', price: null, inBasket: false }).verdict.reason, 'NOT_SOLD');
      assert.equal(checker.check(gs1(MILK, '3SOLDELSEWHRE'), { operation: 'return', price: null, inBasket: false }).verdict.reason, 'NOT_SOLD_HERE');

      // a 6-pack sold by units stays sellable until all 6 are sold
      const pack = cisOf(BEER, '3000000000000');
      recordSold(t.db, { cis: pack, saleId: 'S4', soldAt: '2026-03-01T12:00:00.000Z', units: 4 });
      assert.equal(checker.check(gs1(BEER, '3000000000000'), sale(50000)).verdict.reason, 'OK_OFFLINE');
      assert.throws(() => recordSold(t.db, { cis: pack, saleId: 'S5', soldAt: '2026-03-01T12:00:00.000Z', units: 3 }), /4 of 6 units/);
      recordSold(t.db, { cis: pack, saleId: 'S5', soldAt: '2026-03-01T12:00:00.000Z', units: 2 });
      assert.equal(checker.check(gs1(BEER, '3000000000000'), sale(50000)).verdict.reason, 'SOLD');
      releaseSold(t.db, pack, 1);
      assert.equal(checker.check(gs1(BEER, '3000000000000'), sale(50000)).verdict.reason, 'OK_OFFLINE');
      assert.throws(() => recordSold(t.db, { cis: pack, saleId: 'S6', soldAt: 'yesterday' }), /ISO-8601/);
    } finally {
      t.done();
    }
  });

  test('a block imported by another connection (process) is seen once REVALIDATE_MS has passed', async () => {
    // The checker's own monotonic clock, moved by the test: no sleeping.
    let ms = 0;
    const { t, checker } = await setup({ monotonicNow: () => ms });
    try {
      const p = gs1(MILK, '3000000000005');
      assert.equal(checker.check(p, sale(65000)).verdict.reason, 'OK_OFFLINE');
      const other = openDatabase(t.file);
      await importFeed(other, writeFeed(t.dir, 'd.ndjson', [{ type: 'delta', from: 'k1' }, { type: 'block', gtin: MILK }, { type: 'cursor', cursor: 'k2' }]), { clock });
      other.close();
      ms += REVALIDATE_MS - 1;
      assert.equal(checker.check(p, sale(65000)).verdict.reason, 'OK_OFFLINE', 'within the interval the in-memory block list is trusted');
      ms += 1;
      assert.equal(checker.check(p, sale(65000)).verdict.reason, 'BLOCKED');
    } finally {
      t.done();
    }
  });
});
