// A Kazakh name for goods from the status feed (issue 16): a feed `product` record may carry
// `nameKk`; it reaches the cache (migration 17), the product search (feed source, found by the feed's name or barcode) and the basket
// line a scan makes (`nameKk`, which a Kazakh till shows). A record without it leaves the line
// without one (the till shows the name it has).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCodeChecker, importFeed } from '../src/cache/index.ts';
import { lineFrom, type Parsed } from '../src/checkout/lines.ts';
import { parseCode } from '../src/marking/index.ts';
import { searchProducts } from '../src/store/selling.ts';
import { fixedClock } from '../src/clock.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';

const JUICE = gtin14('0487000000040');
const WATER = gtin14('0487000000050');
const clock = fixedClock('2026-03-01T12:00:00Z');

test('a feed product\'s Kazakh name reaches the search and the basket line; without one the line has none', async () => {
  const t = tempDb();
  try {
    await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', [
      { type: 'product', gtin: JUICE, name: 'Сок яблочный', nameKk: 'Алма шырыны', group: 'water', price: 50000 },
      { type: 'product', gtin: WATER, name: 'Вода питьевая', group: 'water', price: 20000 },
      ...codeRecords(JUICE, 2),
      ...codeRecords(WATER, 2),
      { type: 'cursor', cursor: 'k1' },
    ]), { full: true, clock });
    const checker = createCodeChecker(t.db, { clock, lang: 'kk' });
    const lineOf = (gtin: string) => {
      const raw = cisOf(gtin, '3000000000001');
      const parsed = parseCode(raw);
      assert.ok(parsed.ok, `${raw} parses`);
      const result = checker.check(parsed, { operation: 'sale', price: null, inBasket: false });
      return lineFrom(raw, parsed as Parsed, result, {}, null);
    };
    const juice = lineOf(JUICE);
    assert.deepEqual([juice.name, juice.nameKk], ['Сок яблочный', 'Алма шырыны']);
    const water = lineOf(WATER);
    assert.deepEqual([water.name, water.nameKk], ['Вода питьевая', null]);
    // Found by its name; the hit carries the Kazakh one.
    assert.deepEqual(searchProducts(t.db, 'сок', 10).map((p) => [p.barcode, p.title, p.titleKk, p.source]), [[JUICE, 'Сок яблочный', 'Алма шырыны', 'feed']]);
    assert.equal(searchProducts(t.db, 'вода', 10)[0]?.titleKk, null);
  } finally {
    t.done();
  }
});

test('a bad Kazakh name in a feed product refuses the record, naming the field', async () => {
  const t = tempDb();
  try {
    await assert.rejects(importFeed(t.db, writeFeed(t.dir, 'bad.ndjson', [
      { type: 'product', gtin: JUICE, name: 'Сок', nameKk: '', group: 'water' },
    ]), { full: true, clock }), /nameKk/);
  } finally {
    t.done();
  }
});
