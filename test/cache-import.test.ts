import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { appendFileSync } from 'node:fs';
import { cacheStats, createCodeChecker, FeedError, importFeed, isSoldHere, lookupFacts, getProduct, recordSold } from '../src/cache/index.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';
import { fixedClock } from '../src/clock.ts';

const G1 = gtin14('0487000000001');
const G2 = gtin14('0487000000002');
const clock = fixedClock('2026-03-01T10:00:00Z');

function snapshot(): object[] {
  return [
    { type: 'snapshot' },
    { type: 'product', gtin: G1, name: 'Молоко 3.2% 1 л', group: 'dairy', ai: false, price: 65000, unit: 'pcs' },
    { type: 'product', gtin: G2, name: 'Cigarettes', group: 'tobacco', ai: true, minPrice: 70000, price: 90000 },
    ...codeRecords(G1, 50),
    { type: 'code', cis: cisOf(G2, '3000000000001'), gtin: G2, status: 'sold', mrp: 95000 },
    { type: 'code', cis: cisOf(G1, '3EXPIREDCODE1'), gtin: G1, status: 'in_circulation', expires: '2026-02-01' },
    { type: 'block', cis: cisOf(G1, '3000000000007') },
    { type: 'block', gtin: G1, batch: 'B42' },
    { type: 'cursor', cursor: 'c1' },
  ];
}

describe('cache import', () => {
  test('full snapshot then deltas; a cursor gap is detected and nothing of it applied', async () => {
    const t = tempDb();
    try {
      const checker = createCodeChecker(t.db, { clock });
      assert.equal(checker.freshness().state, 'not_configured');
      const full = await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock, batchSize: 7 });
      assert.equal(full.records, 56);
      assert.equal(full.codes, 52);
      assert.equal(full.products, 2);
      assert.equal(full.blocks, 2);
      assert.equal(full.cursor, 'c1');
      assert.equal(checker.freshness().state, 'ready');
      let s = cacheStats(t.db);
      assert.equal(s.codes, 52);
      assert.equal(s.blocks.byCode, 1);
      assert.equal(s.blocks.byBatch, 1);
      assert.equal(s.cursor, 'c1');
      assert.equal(s.importInProgress, null);
      assert.equal(lookupFacts(t.db, cisOf(G1, '3000000000007'), G1, null)?.blockedBy, 'code');
      assert.equal(lookupFacts(t.db, cisOf(G1, '3000000000008'), G1, 'B42')?.blockedBy, 'batch');
      assert.equal(lookupFacts(t.db, cisOf(G1, '3000000000008'), G1, 'B41')?.blocked, false);
      assert.equal(lookupFacts(t.db, cisOf(G1, '3EXPIREDCODE1'), G1, null)?.expires, '2026-02-01');
      assert.equal(getProduct(t.db, G2)?.ai, true);
      assert.equal(lookupFacts(t.db, cisOf('09999999999999', '3000000000000'), '09999999999999', null), null);

      // delta 1: continues c1
      const d1 = await importFeed(t.db, writeFeed(t.dir, 'd1.ndjson', [
        { type: 'delta', from: 'c1' },
        { type: 'code', cis: cisOf(G1, '3000000000003'), status: 'sold' },
        ...codeRecords(G1, 5, 1000),
        { type: 'unblock', cis: cisOf(G1, '3000000000007') },
        { type: 'block', gtin: G2 },
        { type: 'product', gtin: G1, name: 'Молоко 2.5% 1 л', group: 'dairy', price: 60000 },
        { type: 'cursor', cursor: 'c2' },
      ]), { clock });
      assert.equal(d1.kind, 'delta');
      assert.equal(d1.from, 'c1');
      s = cacheStats(t.db);
      assert.equal(s.codes, 57);
      assert.equal(s.cursor, 'c2');
      assert.equal(s.blocks.byCode, 0);
      assert.equal(s.blocks.byGtin, 1);
      assert.equal(lookupFacts(t.db, cisOf(G1, '3000000000003'), G1, null)?.status, 'sold');
      assert.equal(lookupFacts(t.db, cisOf(G2, '3000000000001'), G2, null)?.blockedBy, 'gtin');
      assert.equal(getProduct(t.db, G1)?.price, 60000);

      // delta from an old cursor: CURSOR_GAP, nothing applied
      const gapFile = writeFeed(t.dir, 'gap.ndjson', [
        { type: 'delta', from: 'c1' }, ...codeRecords(G1, 3, 5000), { type: 'cursor', cursor: 'c3' },
      ]);
      await assert.rejects(importFeed(t.db, gapFile, { clock }), (e: unknown) => e instanceof FeedError && e.code === 'CURSOR_GAP' && /'c1'.*'c2'/.test(e.message));
      s = cacheStats(t.db);
      assert.equal(s.codes, 57);
      assert.equal(s.cursor, 'c2');
      assert.equal(s.importInProgress, null);

      // a delta without its closing cursor is truncated: nothing applied
      const trunc = writeFeed(t.dir, 'trunc.ndjson', [{ type: 'delta', from: 'c2' }, ...codeRecords(G1, 3, 6000)]);
      await assert.rejects(importFeed(t.db, trunc, { clock }), (e: unknown) => e instanceof FeedError && e.code === 'TRUNCATED');
      assert.equal(cacheStats(t.db).codes, 57);

      // a second full snapshot replaces everything (codes missing from it are gone)
      const full2 = writeFeed(t.dir, 'full2.ndjson', [...codeRecords(G2, 10), { type: 'cursor', cursor: 'c9' }]);
      await importFeed(t.db, full2, { full: true, clock });
      s = cacheStats(t.db);
      assert.equal(s.codes, 10);
      assert.equal(s.products, 0);
      assert.equal(s.blocks.byGtin, 0);
      assert.equal(s.cursor, 'c9');
      assert.equal(lookupFacts(t.db, cisOf(G1, '3000000000003'), G1, null), null);
    } finally {
      t.done();
    }
  });

  test('a bad record fails with its line number and nothing of the import is applied', async () => {
    const t = tempDb();
    try {
      await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock });
      const before = cacheStats(t.db);
      const cases: [string, RegExp][] = [
        ['{"type":"code","cis":"x","status":"lost"}', /line 23: "status"/],
        ['{"type":"code","cis":"x","status":"sold","expires":"2026-02-30"}', /line 23: "expires" is not a real date/],
        ['{"type":"code","cis":"x","status":"sold","mrp":12.5}', /line 23: "mrp" must be a whole number/],
        ['{"type":"block","gtin":"04870000000012","cis":"x"}', /line 23: needs exactly one/],
        ['not json', /line 23: not valid JSON/],
        ['{"type":"teleport"}', /line 23: unknown record type "teleport"/],
        ['[1,2]', /line 23: a record must be a JSON object/],
      ];
      for (const [bad, re] of cases) {
        // the bad line comes after several committed batches (batchSize 5)
        const file = writeFeed(t.dir, 'bad.ndjson', [{ type: 'delta', from: 'c1' }, ...codeRecords(G2, 21, 100), bad, ...codeRecords(G2, 3, 200), { type: 'cursor', cursor: 'c2' }]);
        await assert.rejects(importFeed(t.db, file, { clock, batchSize: 5 }), (e: unknown) => e instanceof FeedError && e.code === 'BAD_RECORD' && e.line === 23 && re.test(e.message), bad);
        const after = cacheStats(t.db);
        assert.equal(after.codes, before.codes);
        assert.equal(after.cursor, 'c1');
        assert.equal(after.importInProgress, null);
        assert.equal(t.db.prepare('SELECT count(*) FROM stage_codes').pluck().get(), 0);
      }
      // a bad full snapshot: the previous data stays in force and freshness does not advance
      const later = fixedClock('2026-03-02T10:00:00Z');
      const badFull = writeFeed(t.dir, 'badfull.ndjson', [...codeRecords(G2, 30), '{"type":"code"}', { type: 'cursor', cursor: 'zz' }]);
      await assert.rejects(importFeed(t.db, badFull, { full: true, clock: later, batchSize: 4 }), /line 31: "cis"/);
      const s = cacheStats(t.db);
      assert.equal(s.codes, before.codes);
      assert.equal(s.lastSyncAt, before.lastSyncAt);
      assert.equal(s.cursor, 'c1');
      // records after the cursor, snapshot header in a delta, delta header in a full import
      await assert.rejects(importFeed(t.db, writeFeed(t.dir, 'after.ndjson', [{ type: 'cursor', cursor: 'c2' }, ...codeRecords(G2, 1)]), { clock }), /line 2: record after the closing/);
      await assert.rejects(importFeed(t.db, writeFeed(t.dir, 'snap.ndjson', snapshot()), { clock }), /line 1: this is a full snapshot/);
      await assert.rejects(importFeed(t.db, writeFeed(t.dir, 'd.ndjson', [{ type: 'delta', from: 'c1' }, { type: 'cursor', cursor: 'c2' }]), { full: true, clock }), /line 1: this is a delta/);
      await assert.rejects(importFeed(t.db, writeFeed(t.dir, 'empty.ndjson', ['']), { full: true, clock }), (e: unknown) => e instanceof FeedError && e.code === 'EMPTY');
      assert.equal(cacheStats(t.db).codes, before.codes);
    } finally {
      t.done();
    }
  });

  test('a full snapshot cut off at a line boundary (no closing cursor) is TRUNCATED: nothing applied, freshness unchanged', async () => {
    const t = tempDb();
    try {
      await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock });
      const before = cacheStats(t.db);
      // A 1,000-code snapshot cut after line 500: every line is a complete, valid record.
      const whole = [{ type: 'snapshot' }, ...codeRecords(G2, 1000, 10_000), { type: 'cursor', cursor: 'c-new' }];
      const cut = writeFeed(t.dir, 'cut.ndjson', whole.slice(0, 500));
      const later = fixedClock('2026-03-02T10:00:00Z');
      await assert.rejects(importFeed(t.db, cut, { full: true, clock: later, batchSize: 64 }),
        (e: unknown) => e instanceof FeedError && e.code === 'TRUNCATED' && /500 lines/.test(e.message) && /closing \{"type":"cursor"\}/.test(e.message));
      // the same cut arriving as a stream
      const text = whole.slice(0, 300).map((r) => JSON.stringify(r)).join('\n') + '\n';
      await assert.rejects(importFeed(t.db, Readable.from([text]), { full: true, clock: later }),
        (e: unknown) => e instanceof FeedError && e.code === 'TRUNCATED' && /300 lines/.test(e.message));
      const after = cacheStats(t.db);
      assert.equal(after.codes, before.codes);
      assert.equal(after.cursor, 'c1');
      assert.equal(after.lastSyncAt, before.lastSyncAt);
      assert.equal(after.lastFullAt, before.lastFullAt);
      assert.equal(after.importInProgress, null);
      assert.equal(t.db.prepare('SELECT count(*) FROM stage_codes').pluck().get(), 0);
      assert.equal(lookupFacts(t.db, cisOf(G2, `3${String(10_000).padStart(12, '0')}`), G2, null)?.found ?? false, false);
      // the complete snapshot then imports
      const r = await importFeed(t.db, writeFeed(t.dir, 'whole.ndjson', whole), { full: true, clock: later });
      assert.equal(r.codes, 1000);
      assert.equal(cacheStats(t.db).cursor, 'c-new');
    } finally {
      t.done();
    }
  });

  test('each committed sync purges sale records whose return period ended, and none earlier', async () => {
    const t = tempDb();
    try {
      await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock });
      const a = cisOf(G1, '3000000000001'), b = cisOf(G1, '3000000000002'), c = cisOf(G1, '3000000000003');
      recordSold(t.db, { cis: a, saleId: 's1', soldAt: '2026-01-01T10:00:00.000Z', returnDays: 14 }); // until 2026-01-15T10:00
      recordSold(t.db, { cis: b, saleId: 's2', soldAt: '2026-01-01T10:00:00.000Z', returnDays: 30 }); // until 2026-01-31T10:00
      recordSold(t.db, { cis: c, saleId: 's3', soldAt: '2026-01-10T10:00:00.000Z' }); // default period: a year
      const delta = (from: string, to: string): string => writeFeed(t.dir, `d-${to}.ndjson`, [{ type: 'delta', from }, { type: 'cursor', cursor: to }]);
      // exactly at the end of a's return period: still returnable, nothing purged
      let r = await importFeed(t.db, delta('c1', 'c2'), { clock: fixedClock('2026-01-15T10:00:00.000Z') });
      assert.equal(r.soldPurged, 0);
      assert.equal(isSoldHere(t.db, a), true);
      // one millisecond later a's period has ended: it goes, b and c stay
      r = await importFeed(t.db, delta('c2', 'c3'), { clock: fixedClock('2026-01-15T10:00:00.001Z') });
      assert.equal(r.soldPurged, 1);
      assert.deepEqual([isSoldHere(t.db, a), isSoldHere(t.db, b), isSoldHere(t.db, c)], [false, true, true]);
      // a full snapshot is a sync too
      r = await importFeed(t.db, writeFeed(t.dir, 'full2.ndjson', snapshot()), { full: true, clock: fixedClock('2026-06-01T00:00:00Z') });
      assert.equal(r.soldPurged, 1);
      assert.deepEqual([isSoldHere(t.db, b), isSoldHere(t.db, c)], [false, true]);
      // a refused import purges nothing
      await assert.rejects(importFeed(t.db, writeFeed(t.dir, 'trunc.ndjson', [{ type: 'delta', from: 'c1' }]), { clock: fixedClock('2028-01-01T00:00:00Z') }));
      assert.equal(isSoldHere(t.db, c), true);
    } finally {
      t.done();
    }
  });

  test('a delta before any snapshot is refused; a stream imports too (CRLF, no final newline)', async () => {
    const t = tempDb();
    try {
      await assert.rejects(importFeed(t.db, Readable.from(['{"type":"cursor","cursor":"a"}\n'])), (e: unknown) => e instanceof FeedError && e.code === 'CURSOR_GAP');
      const text = [...codeRecords(G1, 3), { type: 'cursor', cursor: 's1' }].map((r) => JSON.stringify(r)).join('\r\n');
      // split mid-line across chunks
      const r = await importFeed(t.db, Readable.from([Buffer.from(text.slice(0, 17)), Buffer.from(text.slice(17, 150)), Buffer.from(text.slice(150))]), { full: true, clock });
      assert.equal(r.codes, 3);
      assert.equal(r.lines, 4);
      assert.equal(cacheStats(t.db).cursor, 's1');
      // an empty delta that repeats the cursor counts as a successful sync
      const later = fixedClock('2026-03-05T00:00:00Z');
      await importFeed(t.db, Readable.from(['{"type":"delta","from":"s1"}\n{"type":"cursor","cursor":"s1"}\n']), { clock: later });
      assert.equal(cacheStats(t.db).lastSyncAt, '2026-03-05T00:00:00.000Z');
    } finally {
      t.done();
    }
  });

  test('an aborted import resumes after its last committed batch; a changed file starts over', async () => {
    const t = tempDb();
    try {
      const file = writeFeed(t.dir, 'big.ndjson', [...codeRecords(G1, 3000), { type: 'cursor', cursor: 'big' }]);
      const ac = new AbortController();
      let seen = 0;
      await assert.rejects(importFeed(t.db, file, {
        full: true, clock, batchSize: 100, signal: ac.signal,
        onProgress: (p) => { seen = p.line; ac.abort(); },
      }), (e: unknown) => e instanceof FeedError && e.code === 'ABORTED');
      assert.ok(seen > 0);
      const mid = cacheStats(t.db);
      assert.equal(mid.codes, 0, 'nothing visible before the commit');
      assert.ok(mid.importInProgress !== null && mid.importInProgress.line > 0);
      assert.equal(createCodeChecker(t.db, { clock }).freshness().state, 'initializing');
      const r = await importFeed(t.db, file, { full: true, clock, batchSize: 100 });
      assert.equal(r.resumedFromLine, mid.importInProgress.line);
      assert.equal(r.codes, 3000);
      assert.equal(cacheStats(t.db).codes, 3000);

      // interrupted again, then the file changes: the staged part is dropped, import starts over
      const file2 = writeFeed(t.dir, 'big2.ndjson', [...codeRecords(G2, 500), { type: 'cursor', cursor: 'x' }]);
      const ac2 = new AbortController();
      await assert.rejects(importFeed(t.db, file2, { full: true, clock, batchSize: 50, signal: ac2.signal, onProgress: () => ac2.abort() }));
      appendFileSync(file2, '');
      writeFeed(t.dir, 'big2.ndjson', [...codeRecords(G2, 400), { type: 'cursor', cursor: 'y' }]);
      const r2 = await importFeed(t.db, file2, { full: true, clock, batchSize: 50 });
      assert.equal(r2.resumedFromLine, null);
      assert.equal(cacheStats(t.db).codes, 400);
      assert.equal(cacheStats(t.db).cursor, 'y');
    } finally {
      t.done();
    }
  });
});
