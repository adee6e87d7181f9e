// Group-pack (aggregation) records of the status feed: validated, staged and applied atomically
// with the rest of a snapshot or delta, on a real SQLite file, through the real importer.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { aggregateContents, aggregateKey, createCodeChecker, FeedError, importFeed } from '../src/cache/index.ts';
import { parseCode } from '../src/marking/index.ts';
import { aggregateCounts } from '../src/store/index.ts';
import { generateDataset, RegistryEmulator, writeFeedFile } from '../emulators/index.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';
import { fixedClock } from '../src/clock.ts';

const G1 = gtin14('0487000000001');
const clock = fixedClock('2026-03-01T10:00:00Z');
const GS = '\x1d';

/** An SSCC (18 digits) from a 17-digit body with its GS1 check digit. */
function sscc(body17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[16 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body17}${(10 - (s % 10)) % 10}`;
}
const P1 = sscc('04870000000000001');
const P2 = sscc('04870000000000002');
const P3 = sscc('04870000000000003');
const unit = (i: number): string => cisOf(G1, `3${String(i).padStart(12, '0')}`);
const BLOCK_CIS = cisOf(G1, '3bcdefg'); // a group pack known by its CIS: a tobacco block (7-character serial)

function snapshot(): object[] {
  return [
    { type: 'snapshot' },
    ...codeRecords(G1, 50),
    { type: 'aggregate', code: P1, contents: [unit(0), unit(1), unit(2)] },
    { type: 'aggregate', code: P2, contents: [unit(3), unit(4)] },
    { type: 'aggregate', code: BLOCK_CIS, contents: [unit(41), unit(42)] },
    { type: 'cursor', cursor: 'c1' },
  ];
}

describe('cache import: aggregate records', () => {
  test('a snapshot stores packs; a delta replaces, drops and adds them; the last record of a feed wins', async () => {
    const t = tempDb();
    try {
      const full = await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock, batchSize: 4 });
      assert.equal(full.aggregates, 3);
      assert.equal(full.records, 53);
      assert.deepEqual(aggregateContents(t.db, `00${P1}`), [unit(0), unit(1), unit(2)]);
      assert.deepEqual(aggregateContents(t.db, `(00)${P1}`), [unit(0), unit(1), unit(2)], 'human-readable form');
      assert.deepEqual(aggregateContents(t.db, `]C100${P1}`), [unit(0), unit(1), unit(2)], 'AIM prefix of GS1-128');
      assert.deepEqual(aggregateContents(t.db, P2), [unit(3), unit(4)], 'bare 18 digits');
      assert.deepEqual(aggregateContents(t.db, `${BLOCK_CIS}${GS}8005098000${GS}93Ab1=`), [unit(41), unit(42)], 'pack known by its CIS, scanned with its tail');
      assert.equal(aggregateContents(t.db, `00${P3}`), null, 'unknown pack');
      assert.equal(aggregateContents(t.db, 'not a code'), null);

      const d = await importFeed(t.db, writeFeed(t.dir, 'd1.ndjson', [
        { type: 'delta', from: 'c1' },
        { type: 'aggregate', code: P1, contents: [unit(5)] },
        { type: 'aggregate', code: P1, contents: [unit(6), unit(7)] }, // later record in the same feed wins
        { type: 'disaggregate', code: P2 },
        { type: 'aggregate', code: P3, contents: [unit(8)] },
        { type: 'disaggregate', code: P3 }, // added and dropped in one feed: dropped
        { type: 'cursor', cursor: 'c2' },
      ]), { clock, batchSize: 2 });
      assert.equal(d.aggregates, 3);
      assert.equal(d.disaggregates, 2);
      assert.deepEqual(aggregateContents(t.db, `00${P1}`), [unit(6), unit(7)]);
      assert.equal(aggregateContents(t.db, `00${P2}`), null);
      assert.equal(aggregateContents(t.db, `00${P3}`), null);
      assert.deepEqual(aggregateContents(t.db, BLOCK_CIS), [unit(41), unit(42)], 'untouched by the delta');
      assert.deepEqual(aggregateCounts(t.db), { aggregates: 2, units: 4 });

      // A new full snapshot replaces every pack.
      await importFeed(t.db, writeFeed(t.dir, 'full2.ndjson', [...codeRecords(G1, 5), { type: 'aggregate', code: P3, contents: [unit(9)] }, { type: 'cursor', cursor: 'c3' }]), { full: true, clock });
      assert.deepEqual(aggregateCounts(t.db), { aggregates: 1, units: 1 });
      assert.deepEqual(aggregateContents(t.db, `00${P3}`), [unit(9)]);
    } finally {
      t.done();
    }
  });

  test('a bad aggregate record fails the import with its line number; live packs and staging untouched', async () => {
    const t = tempDb();
    try {
      await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock });
      const badSscc = `${P1.slice(0, 17)}${(Number(P1[17]) + 1) % 10}`;
      const cases: [object, RegExp][] = [
        [{ type: 'aggregate', code: badSscc, contents: [unit(1)] }, /"code" is 18 digits but not a valid SSCC/],
        [{ type: 'aggregate', code: P1, contents: [] }, /"contents" must list at least one unit/],
        [{ type: 'aggregate', code: P1, contents: [unit(1), unit(1)] }, /"contents" lists the same unit twice/],
        [{ type: 'aggregate', code: P1, contents: ['has space'] }, /"contents.0" must be printable ASCII/],
        [{ type: 'aggregate', code: P1 }, /"contents"/],
        [{ type: 'disaggregate' }, /"code"/],
      ];
      for (const [record, message] of cases) {
        const path = writeFeed(t.dir, 'bad.ndjson', [
          { type: 'delta', from: 'c1' },
          { type: 'disaggregate', code: P2 },
          ...codeRecords(G1, 3, 100),
          record,
          { type: 'cursor', cursor: 'c2' },
        ]);
        await assert.rejects(importFeed(t.db, path, { clock, batchSize: 1 }), (err: unknown) => {
          assert.ok(err instanceof FeedError, String(err));
          assert.equal(err.code, 'BAD_RECORD');
          assert.equal(err.line, 6);
          assert.match(err.message, /^line 6: /);
          assert.match(err.message, message);
          return true;
        });
        // The staged disaggregate of P2 (committed in an earlier batch) was never applied, and dropped.
        assert.deepEqual(aggregateContents(t.db, P2), [unit(3), unit(4)]);
        assert.equal(t.db.prepare('SELECT count(*) FROM stage_aggregates').pluck().get(), 0);
        assert.equal(t.db.prepare('SELECT count(*) FROM stage_aggregate_contents').pluck().get(), 0);
      }
      assert.deepEqual(aggregateCounts(t.db), { aggregates: 3, units: 7 });
    } finally {
      t.done();
    }
  });

  test('aggregateKey: SSCC digits from any scanned form, CIS of a coded pack, null otherwise', () => {
    assert.equal(aggregateKey(`00${P1}`), P1);
    assert.equal(aggregateKey(P1), P1);
    assert.equal(aggregateKey(`${unit(1)}${GS}93Ab1x`), unit(1));
    assert.equal(aggregateKey('nonsense'), null);
  });

  test('the checker: an SSCC is refused, not overridable, and says what to do (unknown vs known pack)', async () => {
    const t = tempDb();
    try {
      await importFeed(t.db, writeFeed(t.dir, 'full.ndjson', snapshot()), { full: true, clock });
      const checker = createCodeChecker(t.db, { clock, lang: 'en' });
      const unknown = checker.check(parseCode(`00${P3}`), { operation: 'sale', price: null, inBasket: false }).verdict;
      assert.equal(unknown.decision, 'refuse');
      assert.equal(unknown.overridable, false);
      assert.equal(unknown.rule, 'aggregate-unknown');
      assert.match(unknown.message, /contents are unknown.*scan the units one by one/);
      assert.match(unknown.messages.ru, /по одной/);
      const known = checker.check(parseCode(`00${P1}`), { operation: 'sale', price: null, inBasket: false }).verdict;
      assert.equal(known.decision, 'refuse');
      assert.match(known.message, /of 3 units/);
    } finally {
      t.done();
    }
  });

  test('the registry emulator serves group packs: its snapshot imports them, /admin/sample?kind=aggregate lists them', async () => {
    const t = tempDb();
    const dataset = generateDataset({ seed: 11, codes: 400, today: '2026-03-01' });
    const emu = new RegistryEmulator({ dataset, token: null });
    try {
      assert.equal(dataset.aggregates.size, 2);
      const path = join(t.dir, 'feed.ndjson');
      writeFeedFile(path, dataset);
      const full = await importFeed(t.db, path, { full: true, clock });
      assert.equal(full.aggregates, 2);
      for (const a of dataset.aggregates.values()) {
        assert.equal(a.contents.length, 3);
        assert.deepEqual(aggregateContents(t.db, a.code), [...a.contents].sort());
        for (const cis of a.contents) assert.equal(dataset.codes.get(cis)?.status, 'in_circulation');
      }
      await emu.start();
      const res = await fetch(`${emu.url}/admin/sample?kind=aggregate&n=5`);
      assert.equal(res.status, 200);
      const body = await res.json() as { aggregates: { sscc: string; code: string; contents: string[] }[] };
      assert.deepEqual(body.aggregates.map((a) => a.sscc), [...dataset.aggregates.keys()]);
      assert.equal(aggregateKey(body.aggregates[0]?.code ?? ''), body.aggregates[0]?.sscc);
    } finally {
      await emu.close();
      t.done();
    }
  });
});
