/**
 * Code-status cache: import rate, lookup + decision latency and throughput, bytes on disk per
 * code, peak RSS. Baselines measured in the same run:
 * - import: reading the same file and JSON.parse of every line (no validation, no SQLite);
 * - lookup: a bare prepared `SELECT * FROM codes WHERE cis = ?` on the same table;
 * - memory: the measuring child's RSS right after it loaded Node, the tsx loader and our modules.
 * The import and the lookups run in a child process (`node --import tsx` on this file), so the
 * peak RSS is the cache's alone, not the feed generator's or the parse baseline's: it is printed
 * absolute and as baseline + the cache's own share.
 * Full run: 10 million codes (takes a few minutes and ~1 GB of temp disk); --quick: 100 000.
 */
import { createWriteStream, mkdtempSync, rmSync, statSync, existsSync, createReadStream } from 'node:fs';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { once } from 'node:events';
import { latencies, percentile, report, throughput, type Bench } from './lib.ts';
import { openDatabase } from '../src/store/db.ts';
import { createCodeChecker, DEFAULT_BATCH_SIZE, importFeed, type CheckableCode } from '../src/cache/index.ts';
import { fixedClock } from '../src/clock.ts';

const GTINS = 200;

function gtinAt(i: number): string {
  const body = `0487${String(1000000000 + i).slice(1)}`; // 13 digits
  let sum = 0;
  for (let k = 0; k < 13; k++) sum += Number(body[12 - k]) * (k % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}
const serialAt = (j: number): string => `3${String(j).padStart(12, '0')}`;

/** Writes a sorted full snapshot of `n` codes (registry dumps come ordered by key). */
async function writeSnapshot(path: string, n: number): Promise<void> {
  const out = createWriteStream(path);
  const perGtin = Math.ceil(n / GTINS);
  let lines: string[] = [];
  const push = async (s: string): Promise<void> => {
    lines.push(s);
    if (lines.length >= 10000) {
      if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
      lines = [];
    }
  };
  for (let g = 0; g < GTINS; g++) {
    const gtin = gtinAt(g);
    await push(JSON.stringify({ type: 'product', gtin, name: `Product ${g}`, group: g % 4 === 0 ? 'tobacco' : 'dairy', ai: g % 7 === 0, price: 50000 + g, ...(g % 4 === 0 ? { minPrice: 40000 } : {}) }));
  }
  let written = 0;
  for (let g = 0; g < GTINS && written < n; g++) {
    const gtin = gtinAt(g);
    for (let j = 0; j < perGtin && written < n; j++, written++) {
      const status = j % 20 === 0 ? 'sold' : j % 97 === 0 ? 'withdrawn' : 'in_circulation';
      const extra = g % 4 === 0 ? `,"mrp":${60000 + (j % 100)}` : j % 3 === 0 ? ',"expires":"2027-01-31"' : '';
      await push(`{"type":"code","cis":"01${gtin}21${serialAt(j)}","gtin":"${gtin}","status":"${status}"${extra}}`);
    }
  }
  await push(JSON.stringify({ type: 'block', gtin: gtinAt(5), batch: 'B1' }));
  await push(JSON.stringify({ type: 'cursor', cursor: 'bench-1' }));
  if (lines.length > 0) out.write(lines.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
}

/** Baseline: read the file and JSON.parse every line. Returns lines/s. */
async function parseOnly(path: string): Promise<number> {
  const t0 = performance.now();
  let rest = '';
  let n = 0;
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + (chunk as string)).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) if (p !== '') { JSON.parse(p); n++; }
  }
  if (rest !== '') { JSON.parse(rest); n++; }
  return n / ((performance.now() - t0) / 1000);
}

/** Figures the measuring child sends back (one JSON line on stdout). */
interface ChildReport {
  baselineRssMb: number;
  import: { codes: number; seconds: number; records: number; cpuSeconds: number; rssAfterMb: number };
  bytes: { file: number; codesTable: number | null };
  bare: { ops: number; p50: number; p99: number };
  check: { ops: number; p50: number; p99: number };
  decisions: Record<string, number>;
  peakRssMb: number;
}

const MB = 1048576;
/** Import batch size of the bench (the CLI default). */
const BATCH = DEFAULT_BATCH_SIZE;

/** The measuring child: import + lookups on a fresh database, nothing else in the process. */
async function child(feed: string, dbFile: string, n: number, quick: boolean): Promise<ChildReport> {
  // Baseline: Node + tsx + our modules (all imported statically above), nothing done yet.
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRssMb = process.memoryUsage().rss / MB;

  const db = openDatabase(dbFile);
  const clock = fixedClock('2026-03-01T12:00:00Z');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await importFeed(db, feed, { full: true, batchSize: BATCH, clock });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const rssAfterMb = process.memoryUsage().rss / MB;

  db.pragma('wal_checkpoint(TRUNCATE)');
  const wal = existsSync(`${dbFile}-wal`) ? statSync(`${dbFile}-wal`).size : 0;
  const file = statSync(dbFile).size + wal;
  const codesTable = db.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = 'codes'").pluck().get() as number | null;

  // Lookup samples: 90 % cached codes, 10 % unknown, random order.
  const samples = quick ? 50_000 : 100_000;
  const perGtin = Math.ceil(n / GTINS);
  let seed = 12345;
  const rnd = (m: number): number => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % m; };
  const codes: CheckableCode[] = [];
  for (let i = 0; i < samples; i++) {
    const g = rnd(GTINS);
    const gtin = gtinAt(g);
    const j = i % 10 === 0 ? perGtin + rnd(1000) : rnd(Math.min(perGtin, Math.floor(n / GTINS)));
    codes.push({ ok: true, kind: 'gs1', gtin, cis: `01${gtin}21${serialAt(j)}`, batch: i % 50 === 0 ? 'B1' : null, expiry: null, maxRetailPrice: null, productGroup: null });
  }
  const ciss = codes.map((c) => c.cis as string);
  const bare = db.prepare('SELECT * FROM codes WHERE cis = ?');
  const checker = createCodeChecker(db, { clock });
  const ctx = { operation: 'sale' as const, price: 55000, inBasket: false };
  // sanity: the decision path really decides
  const decisions: Record<string, number> = {};
  for (const c of codes.slice(0, 2000)) { const r = checker.check(c, ctx).verdict.reason; decisions[r] = (decisions[r] ?? 0) + 1; }

  const bareOps = throughput(ciss, (c) => bare.get(c), quick ? 500 : 2000);
  const checkOps = throughput(codes, (c) => checker.check(c, ctx), quick ? 500 : 2000);
  const bareLat = latencies(ciss, (c) => bare.get(c));
  const checkLat = latencies(codes, (c) => checker.check(c, ctx));
  db.close();
  return {
    baselineRssMb,
    import: { codes: result.codes, seconds, records: result.records, cpuSeconds: (cpu.user + cpu.system) / 1e6, rssAfterMb },
    bytes: { file, codesTable },
    bare: { ops: bareOps, p50: percentile(bareLat, 50), p99: percentile(bareLat, 99) },
    check: { ops: checkOps, p50: percentile(checkLat, 50), p99: percentile(checkLat, 99) },
    decisions,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/** Runs {@link child} in a separate `node --import tsx` process and returns its report. */
async function inChild(feed: string, dbFile: string, n: number, quick: boolean): Promise<ChildReport> {
  const self = fileURLToPath(import.meta.url);
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', self, 'cache-bench-child', feed, dbFile, String(n), quick ? 'quick' : 'full'],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const [code] = await once(proc, 'exit') as [number | null];
  if (code !== 0) throw new Error(`cache bench child failed (exit ${code}): ${out}`);
  return JSON.parse(out.trim().split('\n').at(-1) as string) as ChildReport;
}

const bench: Bench = async ({ quick }) => {
  const n = quick ? 100_000 : 10_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-cache-'));
  try {
    const feed = join(dir, 'snapshot.ndjson');
    await writeSnapshot(feed, n);
    const parseRate = await parseOnly(feed);
    const r = await inChild(feed, join(dir, 'tanba.db'), n, quick);

    const importRate = r.import.records / r.import.seconds;
    report('cache import', {
      codes: r.import.codes, seconds: r.import.seconds, batch: BATCH, 'records/s': Math.round(importRate),
      'records/cpu_s': Math.round(r.import.records / r.import.cpuSeconds), 'parse-only/s': Math.round(parseRate),
      'ratio_vs_parse': importRate / parseRate, target: '>=300000/s',
    });
    // The file keeps the emptied staging pages for the next full import; report both.
    report('cache bytes per code', {
      file_bytes: r.bytes.file, 'file/code': r.bytes.file / n, ...(r.bytes.codesTable !== null ? { 'codes_table/code': r.bytes.codesTable / n } : {}),
    });
    report('bare SELECT (baseline)', { 'ops/s': Math.round(r.bare.ops), p50_us: r.bare.p50, p99_us: r.bare.p99 });
    report('lookup + decision', {
      'ops/s': Math.round(r.check.ops), p50_us: r.check.p50, p99_us: r.check.p99,
      'cost_ratio_vs_bare': r.bare.ops / r.check.ops, 'p50_ratio': r.check.p50 / r.bare.p50, 'p99_ratio': r.check.p99 / r.bare.p99,
      target: '<=3x, p99<100us',
    });
    report('decisions (first 2000)', r.decisions);
    report('peak RSS (child)', {
      MB: r.peakRssMb, baseline_MB: r.baselineRssMb, cache_share_MB: r.peakRssMb - r.baselineRssMb,
      after_import_MB: r.import.rssAfterMb, 'peak/baseline': r.peakRssMb / r.baselineRssMb, target: '<=200MB',
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;

// Child mode: `node --import tsx bench/cache.bench.ts cache-bench-child FEED DB N quick|full`.
if (process.argv[2] === 'cache-bench-child' && process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [feed, dbFile, n, mode] = process.argv.slice(3);
  if (feed === undefined || dbFile === undefined || n === undefined) throw new Error('usage: cache.bench.ts cache-bench-child FEED DB N quick|full');
  const r = await child(feed, dbFile, Number(n), mode === 'quick');
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
