import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { computeFreshness, createCodeChecker, importFeed } from '../src/cache/index.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';
import { type Clock } from '../src/clock.ts';

const G = gtin14('0487000000004');
const H = 3_600_000;

/** A clock the test moves by hand. */
function manualClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), set: (s) => { t = Date.parse(s); }, advance: (ms) => { t += ms; } };
}

test('freshness transitions: not_configured -> initializing -> ready -> stale -> ready, per-group limits', async () => {
  const t = tempDb();
  try {
    const clock = manualClock('2026-03-01T00:00:00Z');
    const checker = createCodeChecker(t.db, { clock, offlineLimitHours: 72, groupOfflineLimitHours: { tobacco: 24, dairy: 100 } });
    const parsed = { ok: true, kind: 'gs1', gtin: G, cis: cisOf(G, '3000000000001'), batch: null, expiry: null, maxRetailPrice: null, productGroup: null };
    const sale = { operation: 'sale' as const, price: 1000, inBasket: false };

    let f = checker.freshness();
    assert.equal(f.state, 'not_configured');
    assert.equal(f.lastSyncAt, null);
    let r = checker.check(parsed, sale);
    assert.equal(r.verdict.reason, 'CACHE_NOT_READY');
    assert.equal(r.verdict.source, 'none');

    // A configured feed that has not delivered yet: initializing.
    assert.equal(createCodeChecker(t.db, { clock, feedConfigured: true }).freshness().state, 'initializing');

    // A first full import under way: initializing (staged data is not visible).
    const feed = writeFeed(t.dir, 'full.ndjson', [{ type: 'product', gtin: G, name: 'Cigs', group: 'tobacco' }, ...codeRecords(G, 300), { type: 'cursor', cursor: 'a' }]);
    const ac = new AbortController();
    await assert.rejects(importFeed(t.db, feed, { full: true, clock, batchSize: 10, signal: ac.signal, onProgress: () => ac.abort() }));
    assert.equal(checker.freshness().state, 'initializing');
    assert.equal(checker.check(parsed, sale).verdict.reason, 'CACHE_NOT_READY');

    await importFeed(t.db, feed, { full: true, clock });
    f = checker.freshness();
    assert.equal(f.state, 'ready');
    assert.equal(f.lastSyncAt, '2026-03-01T00:00:00.000Z');
    assert.equal(f.limitMs, 72 * H);
    assert.equal(f.remainingMs, 72 * H);
    r = checker.check(parsed, sale);
    assert.equal(r.verdict.reason, 'OK_OFFLINE');
    assert.equal(r.verdict.source, 'cache');
    assert.equal(r.verdict.offline, true);

    // the tobacco group's own lower limit: stale after 24 h for tobacco, still ready in general
    clock.advance(24 * H);
    assert.equal(checker.freshness('tobacco').state, 'ready', 'exactly at the limit is still ready');
    clock.advance(1);
    assert.equal(checker.freshness('tobacco').state, 'stale');
    assert.equal(checker.freshness('tobacco').remainingMs, 0);
    assert.equal(checker.freshness().state, 'ready');
    // a group limit above the general one does not extend it
    assert.equal(checker.freshness('dairy').limitMs, 72 * H);
    r = checker.check(parsed, sale); // the product is tobacco
    assert.equal(r.verdict.reason, 'CACHE_STALE');
    assert.equal(r.verdict.decision, 'refuse');
    assert.equal(r.verdict.overridable, true);
    assert.equal(r.freshness.state, 'stale');

    clock.set('2026-03-04T00:00:00.001Z');
    assert.equal(checker.freshness().state, 'stale');
    assert.equal(checker.freshness().ageMs, 72 * H + 1);

    // a successful (even empty) delta makes it ready again
    await importFeed(t.db, Readable.from(['{"type":"delta","from":"a"}\n{"type":"cursor","cursor":"a"}\n']), { clock });
    assert.equal(checker.freshness('tobacco').state, 'ready');
    assert.equal(checker.check(parsed, sale).verdict.reason, 'OK_OFFLINE');

    // a full resync of a ready cache does not drop back to initializing
    const ac2 = new AbortController();
    await assert.rejects(importFeed(t.db, feed, { full: true, clock, batchSize: 10, signal: ac2.signal, onProgress: () => ac2.abort() }));
    assert.equal(checker.freshness().state, 'ready');
    assert.equal(checker.check(parsed, sale).verdict.reason, 'OK_OFFLINE');
  } finally {
    t.done();
  }
});

test('computeFreshness: a clock that went backwards counts as age 0', () => {
  const f = computeFreshness({ lastSyncAt: '2026-03-02T00:00:00Z', lastFullAt: '2026-03-02T00:00:00Z', importing: false, feedConfigured: false }, Date.parse('2026-03-01T00:00:00Z'), H);
  assert.equal(f.state, 'ready');
  assert.equal(f.ageMs, 0);
});
