/**
 * `npm run bench -- hub` (issue 19), with real nats-server processes:
 * - cross-lane reservation (the store KV bucket, create-if-absent + the sold-bucket read) p50/p99,
 *   as a ratio against the local SQLite check (parse + cache lookup + rules) of the same codes in
 *   the same run;
 * - hub ingestion: 200 simulated registers publish documents to their store's leaf stream; time
 *   until the hub's TANBA_HQ (sourcing the store from its leaf domain) holds them all, as a ratio
 *   against a bare JetStream publish loop (one publisher, await each ack) on the hub in the same run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { createCodeChecker, importFeed } from '../src/cache/index.ts';
import { fixedClock } from '../src/clock.ts';
import { createStoreLink, docSubject, ensureStoreStream, HQ_STREAM, sourceStores, storeStream } from '../src/hub/index.ts';
import { parseCode } from '../src/marking/index.ts';
import { openDatabase } from '../src/store/index.ts';
import { startHub, startStore } from '../test/helpers/nats.ts';
import { percentile, report, type Bench } from './lib.ts';

const NOW = '2026-03-01T10:00:00.000Z';

function gtin14(body13: string): string {
  let sum = 0;
  for (let i = 0; i < 13; i++) sum += Number(body13[12 - i]) * (i % 2 === 0 ? 3 : 1);
  return body13 + String((10 - (sum % 10)) % 10);
}

async function reservations(quick: boolean): Promise<void> {
  const n = quick ? 100 : 2000;
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-hub-'));
  const nats = await startStore('B1');
  try {
    const db = openDatabase(join(dir, 'tanba.db'));
    const gtin = gtin14('0487000000101');
    const cis = (i: number): string => `01${gtin}21${`3${String(i).padStart(12, '0')}`}`;
    const feed = [{ type: 'snapshot' }, { type: 'product', gtin, name: 'Water', group: 'water', price: 25000 },
      ...Array.from({ length: n }, (_, i) => ({ type: 'code', cis: cis(i), gtin, status: 'in_circulation' })), { type: 'cursor', cursor: 'c' }];
    writeFileSync(join(dir, 'feed.ndjson'), feed.map((r) => JSON.stringify(r)).join('\n'));
    await importFeed(db, join(dir, 'feed.ndjson'), { full: true, clock: fixedClock(NOW) });
    const clock = fixedClock(NOW);
    const checker = createCodeChecker(db, { clock });
    const codes = Array.from({ length: n }, (_, i) => cis(i));
    // Baseline: the local decision of the same codes.
    for (const c of codes.slice(0, 200)) checker.check(parseCode(c), { operation: 'sale', price: null, inBasket: false });
    const local: number[] = [];
    for (const c of codes) {
      const t0 = performance.now();
      checker.check(parseCode(c), { operation: 'sale', price: null, inBasket: false });
      local.push((performance.now() - t0) * 1000);
    }
    const link = createStoreLink({ db, clock, store: 'B1', register: 'L1', nats: { servers: [nats.url], reserveTimeoutMs: 5_000, reservationTtlSeconds: 120, heartbeatSeconds: 3_600 } });
    if (!(await link.connectOnce())) throw new Error('the bench store NATS did not answer');
    const remote: number[] = [];
    for (const c of codes) {
      const t0 = performance.now();
      const a = await link.guard.reserve(c, c);
      remote.push((performance.now() - t0) * 1000);
      if (!a.ok || !a.guarded) throw new Error(`reservation of ${c} failed: ${JSON.stringify(a)}`);
      link.guard.release(c);
    }
    await link.stop();
    db.close();
    const l50 = percentile(local, 50); const l99 = percentile(local, 99);
    const r50 = percentile(remote, 50); const r99 = percentile(remote, 99);
    report('local SQLite check', { n, p50_us: l50, p99_us: l99 });
    report('cross-lane reservation', { n, p50_us: r50, p99_us: r99, p50_ratio: r50 / l50, p99_ratio: r99 / l99 });
  } finally {
    await nats.done();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestion(quick: boolean): Promise<void> {
  const registers = 200;
  const perRegister = quick ? 5 : 25;
  const total = registers * perRegister;
  const hub = await startHub();
  const store = await startStore('I1', hub);
  const nc = await connect({ servers: [store.url] });
  const hubNc = await connect({ servers: [hub.url] });
  try {
    const jsm = await jetstreamManager(nc);
    await ensureStoreStream(jsm, 'I1');
    await sourceStores(hub.url, ['I1']);
    const js = jetstream(nc);
    const body = JSON.stringify({ kind: 'sale', doc: { sale: { total: 25000 }, lines: [{ cis: 'x'.repeat(31), price: 25000 }] } });
    // Baseline: a bare publish loop on the hub (one publisher, each ack awaited).
    const hubJsm = await jetstreamManager(hubNc);
    await hubJsm.streams.add({ name: 'BENCH_BARE', subjects: ['bench.bare'] });
    const hubJs = jetstream(hubNc);
    let t0 = performance.now();
    for (let i = 0; i < total; i++) await hubJs.publish('bench.bare', body, { msgID: `b${i}` });
    const bareRate = total / ((performance.now() - t0) / 1000);
    // 200 registers, each publishing its documents in order (ack awaited), all at once.
    t0 = performance.now();
    await Promise.all(Array.from({ length: registers }, async (_, r) => {
      for (let i = 0; i < perRegister; i++) await js.publish(docSubject('I1', `R${r}`, 'sale'), body, { msgID: `R${r}-${i}` });
    }));
    const publishedMs = performance.now() - t0;
    for (;;) {
      const info = await hubJsm.streams.info(HQ_STREAM).catch(() => null);
      if ((info?.state.messages ?? 0) >= total) break;
      if (performance.now() - t0 > 120_000) throw new Error('the hub did not ingest every document in 2 minutes');
      await new Promise((r) => setTimeout(r, 20));
    }
    const hubRate = total / ((performance.now() - t0) / 1000);
    report('bare JetStream publish loop', { msgs: total, per_s: bareRate });
    report('store leaf publish (200 reg)', { msgs: total, per_s: total / (publishedMs / 1000), ratio: total / (publishedMs / 1000) / bareRate });
    report('hub ingestion (200 reg)', { msgs: total, per_s: hubRate, ratio: hubRate / bareRate, stream: storeStream('I1') });
  } finally {
    await nc.close();
    await hubNc.close();
    await store.done();
    await hub.done();
  }
}

const bench: Bench = async ({ quick }) => {
  await reservations(quick);
  await ingestion(quick);
};

export default bench;
