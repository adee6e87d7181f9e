/**
 * Sale commit latency with synchronous=FULL (the register's real settings), as a ratio against
 * a bare one-row INSERT transaction on the same database file in the same run. A "sale" here is
 * the whole completeSale path: scan (parse + cache check + rules) of one code, then the one
 * transaction writing sale, line, sold code, outbox and journal entries. Target: p99 ≤ 10 ms.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createCodeChecker, importFeed } from '../src/cache/index.ts';
import { createCheckout } from '../src/checkout/index.ts';
import { openDatabase } from '../src/store/index.ts';
import { percentile, report, type Bench } from './lib.ts';
import { fixedClock } from '../src/clock.ts';

const NOW = '2026-03-01T10:00:00.000Z';

function gtin14(body13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return body13 + String((10 - (sum % 10)) % 10);
}

const bench: Bench = async ({ quick }) => {
  const n = quick ? 50 : 2000;
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-checkout-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file);
    const gtin = gtin14('0487000000101');
    const cis = (i: number): string => `01${gtin}21${`3${String(i).padStart(12, '0')}`}`;
    const feed = [
      { type: 'snapshot' },
      { type: 'product', gtin, name: 'Water', group: 'water', price: 25000 },
      ...Array.from({ length: n + 100 }, (_, i) => ({ type: 'code', cis: cis(i), gtin, status: 'in_circulation' })),
      { type: 'cursor', cursor: 'c' },
    ];
    writeFileSync(join(dir, 'feed.ndjson'), feed.map((r) => JSON.stringify(r)).join('\n'));
    await importFeed(db, join(dir, 'feed.ndjson'), { full: true, clock: fixedClock(NOW) });
    const t = Date.parse(NOW);
    const clock = fixedClock(new Date(t).toISOString());
    const checkout = createCheckout({ db, checker: createCodeChecker(db, { clock }), clock, config: { storeName: 'Bench', registerId: 'B', languages: ['ru'] } });
    checkout.openShift('bench');

    // Baseline: a bare INSERT transaction on the same file, same pragmas (WAL, synchronous=FULL).
    db.exec('CREATE TABLE bench_bare (id INTEGER PRIMARY KEY, v TEXT)');
    const ins = db.prepare('INSERT INTO bench_bare (v) VALUES (?)');
    const bare = db.transaction((v: string) => ins.run(v));
    const bareMs: number[] = [];
    const saleMs: number[] = [];
    // Interleave both so disk hiccups hit them alike.
    for (let i = 0; i < n; i++) {
      let t0 = performance.now();
      bare.immediate(`row ${i}`);
      bareMs.push(performance.now() - t0);
      t0 = performance.now();
      const code = `${cis(i)}\x1d93Ab1x`;
      const r = checkout.scan(code);
      if (!r.ok) throw new Error(`bench code refused: ${r.refusal.verdict.reason}`);
      checkout.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
      saleMs.push(performance.now() - t0);
    }
    const b50 = percentile(bareMs, 50), b99 = percentile(bareMs, 99);
    const s50 = percentile(saleMs, 50), s99 = percentile(saleMs, 99);
    report('bare insert txn (baseline)', { n, p50_ms: b50, p99_ms: b99, ratio: 1 });
    report('sale commit (scan+txn)', { n, p50_ms: s50, p99_ms: s99, p50_ratio: s50 / b50, p99_ratio: s99 / b99, p99_target_10ms: s99 <= 10 ? 'met' : 'MISSED' });
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
