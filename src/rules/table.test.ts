import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decide, RULES, type CodeFacts, type DecisionInput, type Verdict } from './index.ts';

const facts = (over: Partial<CodeFacts> = {}): CodeFacts => ({
  found: true, status: 'in_circulation', blocked: false, blockedBy: null, expires: null, mrp: null,
  minPrice: null, group: 'dairy', soldHere: false, ...over,
});

const base = (over: Partial<DecisionInput> = {}): DecisionInput => ({
  operation: 'sale', codeValid: true, facts: facts(), source: 'cache', freshness: 'ready',
  today: '2026-03-01', price: 50000, inBasket: false, group: 'dairy', ...over,
});

const hit = new Set<string>();
function expect(input: DecisionInput, rule: string, check: Partial<Verdict>): Verdict {
  const v = decide(input);
  hit.add(v.rule);
  assert.equal(v.rule, rule, `expected row ${rule}, got ${v.rule} (${v.reason})`);
  for (const [k, val] of Object.entries(check)) assert.deepEqual(v[k as keyof Verdict], val, `field ${k}`);
  assert.ok(v.messages.ru.length > 0 && v.messages.kk.length > 0 && v.messages.en.length > 0);
  assert.ok(!/\{\w+\}/.test(v.messages.en), `unfilled placeholder in ${v.messages.en}`);
  return v;
}

describe('rules table: one case per row', () => {
  test('invalid-code', () => {
    const v = expect(base({ codeValid: false, invalidReason: 'BAD_CHECK_DIGIT', facts: null }), 'invalid-code',
      { decision: 'refuse', reason: 'INVALID_CODE', overridable: false });
    assert.match(v.messages.en, /BAD_CHECK_DIGIT/);
    // also on a return
    expect(base({ operation: 'return', codeValid: false, facts: null }), 'invalid-code', { decision: 'refuse' });
  });
  test('already-in-basket beats everything but an invalid code, not overridable', () => {
    expect(base({ inBasket: true }), 'already-in-basket', { decision: 'refuse', reason: 'ALREADY_IN_BASKET', overridable: false });
    expect(base({ inBasket: true, source: 'online' }), 'already-in-basket', { offline: false });
    expect(base({ operation: 'return', inBasket: true, facts: facts({ soldHere: true }) }), 'already-in-basket', { decision: 'refuse' });
  });
  test('return-sold-here: sold status is expected on a return, even from a stale cache', () => {
    expect(base({ operation: 'return', facts: facts({ status: 'sold', soldHere: true }), freshness: 'stale' }), 'return-sold-here',
      { decision: 'allow', reason: 'RETURN_OK' });
    // a blocked or expired item may still come back
    expect(base({ operation: 'return', facts: facts({ status: 'sold', soldHere: true, blocked: true, blockedBy: 'gtin', expires: '2020-01-01' }) }),
      'return-sold-here', { decision: 'allow' });
  });
  test('return-never-sold: registry knows it and it is not sold', () => {
    expect(base({ operation: 'return', facts: facts({ status: 'in_circulation' }) }), 'return-never-sold',
      { decision: 'refuse', reason: 'NOT_SOLD', overridable: true });
  });
  test('return-not-sold-here: sold elsewhere, or unknown', () => {
    expect(base({ operation: 'return', facts: facts({ status: 'sold' }) }), 'return-not-sold-here',
      { decision: 'warn', reason: 'NOT_SOLD_HERE', overridable: true });
    expect(base({ operation: 'return', facts: null, source: 'none', freshness: 'not_configured' }), 'return-not-sold-here', { decision: 'warn' });
  });
  test('sold-here: local record refuses even when offline and the cache never loaded', () => {
    expect(base({ facts: facts({ soldHere: true }), freshness: 'not_configured', source: 'none' }), 'sold-here',
      { decision: 'refuse', reason: 'SOLD', overridable: false });
    // a package sold by units stays sellable until all units are sold
    const partial = facts({ soldHere: true, units: { sold: 3, total: 10 } });
    expect(base({ facts: partial }), 'ok-offline', { decision: 'allow' });
    expect(base({ facts: facts({ soldHere: true, units: { sold: 10, total: 10 } }) }), 'sold-here', { reason: 'SOLD' });
  });
  test('blocked: by code, GTIN or batch, never overridable, before not-found', () => {
    for (const by of ['code', 'gtin', 'batch'] as const) {
      const v = expect(base({ facts: facts({ blocked: true, blockedBy: by }) }), 'blocked', { decision: 'refuse', reason: 'BLOCKED', overridable: false });
      assert.ok(v.messages.ru.length > 10);
    }
    // a blocked GTIN whose code the cache does not know must not become an overridable NOT_FOUND
    expect(base({ facts: facts({ found: false, status: null, blocked: true, blockedBy: 'gtin' }) }), 'blocked', { overridable: false });
    expect(base({ facts: facts({ blocked: true, blockedBy: 'code' }), freshness: 'stale' }), 'blocked', {});
  });
  test('price-above-mrp: above refuses, equal allows', () => {
    const v = expect(base({ group: 'tobacco', price: 95001, facts: facts({ group: 'tobacco', mrp: 95000 }) }), 'price-above-mrp',
      { decision: 'refuse', reason: 'PRICE_ABOVE_MRP', overridable: false });
    assert.match(v.messages.en, /950\.01.*950\.00/);
    expect(base({ group: 'tobacco', price: 95000, facts: facts({ group: 'tobacco', mrp: 95000 }) }), 'ok-offline', {});
    // unknown price: no price check (an absent fact is never a reason to refuse)
    expect(base({ price: null, facts: facts({ mrp: 1 }) }), 'ok-offline', {});
  });
  test('price-below-min: below refuses, equal allows', () => {
    expect(base({ group: 'tobacco', price: 69999, facts: facts({ minPrice: 70000 }) }), 'price-below-min',
      { decision: 'refuse', reason: 'PRICE_BELOW_MIN', overridable: false });
    expect(base({ group: 'tobacco', price: 70000, facts: facts({ minPrice: 70000 }) }), 'ok-offline', {});
  });
  test('expired: yesterday refuses, today allows', () => {
    expect(base({ facts: facts({ expires: '2026-02-28' }) }), 'expired', { decision: 'refuse', reason: 'EXPIRED', overridable: false });
    expect(base({ facts: facts({ expires: '2026-03-01' }) }), 'ok-offline', {});
  });
  test('invalid-online: the registry cannot read the code; only from an online answer', () => {
    expect(base({ source: 'online', facts: facts({ formatValid: false }) }), 'invalid-online', { decision: 'refuse', reason: 'INVALID_CODE', overridable: false });
    // a cache never says so: absent / null never refuses
    expect(base({ facts: facts({ formatValid: false }) }), 'ok-offline', {});
    expect(base({ source: 'online', facts: facts({ formatValid: null }) }), 'ok', {});
  });
  test('not-genuine: crypto verification failed; unknown never refuses', () => {
    expect(base({ source: 'online', facts: facts({ genuine: false }) }), 'not-genuine', { decision: 'refuse', reason: 'NOT_GENUINE', overridable: false });
    expect(base({ source: 'online', facts: facts({ genuine: null }) }), 'ok', {});
    expect(base({ source: 'online', facts: facts({ genuine: true }) }), 'ok', {});
  });
  test('cache-not-ready: never synced or first load under way, no online answer', () => {
    for (const freshness of ['not_configured', 'initializing'] as const) {
      expect(base({ freshness, facts: null, source: 'none' }), 'cache-not-ready',
        { decision: 'refuse', reason: 'CACHE_NOT_READY', overridable: true, offline: true });
      expect(base({ freshness, source: 'cache' }), 'cache-not-ready', {});
    }
    // an online answer does not need the cache
    expect(base({ freshness: 'not_configured', source: 'online' }), 'ok', { decision: 'allow', offline: false, source: 'online' });
  });
  test('not-found-online: not overridable', () => {
    expect(base({ source: 'online', facts: facts({ found: false, status: null }) }), 'not-found-online',
      { decision: 'refuse', reason: 'NOT_FOUND', overridable: false, offline: false });
  });
  test('not-found-cache: overridable (the cache may lag)', () => {
    expect(base({ facts: null }), 'not-found-cache', { decision: 'refuse', reason: 'NOT_FOUND', overridable: true, offline: true });
    expect(base({ facts: facts({ found: false, status: null }), freshness: 'stale' }), 'not-found-cache', {});
  });
  test('not-introduced', () => {
    expect(base({ facts: facts({ status: 'not_introduced' }) }), 'not-introduced', { decision: 'refuse', reason: 'NOT_INTRODUCED', overridable: false });
  });
  test('sold: registry says sold', () => {
    expect(base({ facts: facts({ status: 'sold' }) }), 'sold', { decision: 'refuse', reason: 'SOLD', overridable: false });
    expect(base({ source: 'online', facts: facts({ status: 'sold' }) }), 'sold', { offline: false });
  });
  test('withdrawn', () => {
    expect(base({ facts: facts({ status: 'withdrawn' }) }), 'withdrawn', { decision: 'refuse', reason: 'WITHDRAWN', overridable: false });
  });
  test('cache-stale: would allow, but never silently', () => {
    expect(base({ freshness: 'stale' }), 'cache-stale', { decision: 'refuse', reason: 'CACHE_STALE', overridable: true, offline: true });
  });
  test('ok-offline: fresh cache allows, marked offline', () => {
    expect(base(), 'ok-offline', { decision: 'allow', reason: 'OK_OFFLINE', source: 'cache', offline: true });
  });
  test('ok: online answer allows; an absent status is never a reason to refuse', () => {
    expect(base({ source: 'online' }), 'ok', { decision: 'allow', reason: 'OK', offline: false });
    expect(base({ source: 'online', facts: facts({ status: null }) }), 'ok', {});
  });
  test('language selection', () => {
    assert.equal(decide(base({ lang: 'en', inBasket: true })).message, 'This code is already in the basket');
    assert.equal(decide(base({ lang: 'kk', inBasket: true })).message, 'Бұл код чекте бар');
    assert.equal(decide(base({ inBasket: true })).message, 'Этот код уже в чеке');
  });
  after(() => {
    const missing = RULES.map((r) => r.id).filter((id) => !hit.has(id));
    assert.deepEqual(missing, [], `rows without a test: ${missing.join(', ')}`);
  });
});

describe('rules: properties', () => {
  const arbFacts = fc.option(fc.record({
    found: fc.boolean(),
    status: fc.constantFrom('in_circulation', 'sold', 'withdrawn', 'not_introduced', null),
    blocked: fc.boolean(),
    blockedBy: fc.constantFrom('code', 'gtin', 'batch', null),
    expires: fc.option(fc.constantFrom('2025-01-01', '2026-03-01', '2027-01-01')),
    mrp: fc.option(fc.integer({ min: 0, max: 100000 })),
    minPrice: fc.option(fc.integer({ min: 0, max: 100000 })),
    group: fc.constantFrom('tobacco', 'dairy', null),
    soldHere: fc.boolean(),
  }));
  const arbInput = fc.record({
    operation: fc.constantFrom('sale', 'return'),
    codeValid: fc.boolean(),
    facts: arbFacts,
    source: fc.constantFrom('online', 'cache', 'none'),
    freshness: fc.constantFrom('not_configured', 'initializing', 'ready', 'stale'),
    today: fc.constant('2026-03-01'),
    price: fc.option(fc.integer({ min: 0, max: 100000 })),
    inBasket: fc.boolean(),
    group: fc.constantFrom('tobacco', 'dairy', null),
  }) as fc.Arbitrary<DecisionInput>;

  test('a sale is allowed offline only from a ready cache; stale or unloaded never allows', () => {
    fc.assert(fc.property(arbInput, (i) => {
      const v = decide(i);
      if (i.operation === 'sale' && v.decision === 'allow' && i.source !== 'online') {
        assert.equal(i.freshness, 'ready');
        assert.equal(i.source, 'cache');
      }
      assert.equal(v.offline, i.source !== 'online');
    }), { numRuns: 2000 });
  });
  test('what the law forbids is never overridable, and never allowed', () => {
    fc.assert(fc.property(arbInput, (i) => {
      const v = decide(i);
      if (['BLOCKED', 'EXPIRED', 'PRICE_ABOVE_MRP', 'PRICE_BELOW_MIN', 'ALREADY_IN_BASKET', 'INVALID_CODE', 'SOLD', 'WITHDRAWN'].includes(v.reason)) {
        assert.equal(v.overridable, false);
      }
      if (i.operation === 'sale' && v.decision !== 'refuse') {
        assert.ok(i.codeValid && !i.inBasket && i.facts !== null && i.facts.found && !i.facts.blocked);
        assert.ok(i.facts.status === 'in_circulation' || i.facts.status === null);
      }
    }), { numRuns: 2000 });
  });
});
