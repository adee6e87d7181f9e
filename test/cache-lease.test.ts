/**
 * One import at a time, across processes: a live importer's lease makes a second importer (another
 * process, in-process or the real CLI) fail with BUSY and touch nothing; a SIGKILLed importer's
 * lease is free at once; a hung importer's lease lapses after its expiry, the same file resumes,
 * and the hung one, when it wakes, fails with LEASE_LOST without writing anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { once } from 'node:events';
import { openDatabase } from '../src/store/db.ts';
import { abandonImport } from '../src/store/cache-import.ts';
import { cacheStats, FeedError, importFeed, lookupFacts } from '../src/cache/index.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';

const CHILD = fileURLToPath(new URL('./fixtures/cache/import-child.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/tanba.mjs', import.meta.url));
const G = gtin14('0487000000005');

/** Starts the child importer; resolves once it printed "stalled" (it is then hung between transactions). */
async function startStalled(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; out: () => string; err: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args]);
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/^stalled \d+$/m.test(out)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before stalling: ${out}${err}`)));
  });
  return { child, out: () => out, err: () => err };
}

test('two importers: BUSY while the holder lives, free when it is killed, taken over after the lease lapses', { timeout: 120_000 }, async (tc) => {
  const t = tempDb();
  const children: ChildProcessWithoutNullStreams[] = [];
  try {
    await importFeed(t.db, writeFeed(t.dir, 'old.ndjson', [...codeRecords(G, 20), { type: 'cursor', cursor: 'old' }]), { full: true });
    const N = 40_000;
    const feed = writeFeed(t.dir, 'new.ndjson', [{ type: 'snapshot' }, ...codeRecords(G, N, 1_000_000), { type: 'cursor', cursor: 'new' }]);
    const other = writeFeed(t.dir, 'other.ndjson', [...codeRecords(G, 5, 5_000_000), { type: 'cursor', cursor: 'other' }]);

    // 1. Process A holds the lease (hung for a minute, lease 60 s).
    const a = await startStalled([t.file, feed, 'full', '500', '60000', '1000', '60000']);
    children.push(a.child);
    const held = cacheStats(t.db).importInProgress;
    assert.ok(held !== null && held.line > 1000);
    const busy = (e: unknown): boolean => e instanceof FeedError && e.code === 'BUSY' && e.message.includes(`pid ${a.child.pid}`);
    await assert.rejects(importFeed(t.db, other, { full: true }), busy, 'another file');
    await assert.rejects(importFeed(t.db, feed, { full: true }), busy, 'the same file does not resume while the holder lives');
    assert.equal(abandonImport(t.db), false, 'a cleanup without the lease does not drop the live import');
    // ... and through the real CLI, a separate process on the same data dir
    const cli = spawnSync(process.execPath, [BIN, 'cache', 'import', '--full', other], { encoding: 'utf8', env: { ...process.env, TANBA_DATA_DIR: t.dir } });
    assert.equal(cli.status, 1, cli.stderr);
    assert.match(cli.stderr, new RegExp(`another import is under way \\(pid ${a.child.pid}.*\\[BUSY\\]`));
    let s = cacheStats(t.db);
    assert.equal(s.codes, 20, 'the live cache untouched');
    assert.equal(s.cursor, 'old');
    assert.equal(s.importInProgress?.line, held.line, "A's staged progress untouched");

    // 2. A is SIGKILLed: its pid is gone, so its lease is free at once; the same file resumes.
    a.child.kill('SIGKILL');
    await once(a.child, 'exit');
    const r = await importFeed(t.db, feed, { full: true, batchSize: 5000 });
    assert.equal(r.resumedFromLine, held.line);
    assert.equal(r.codes, N);
    s = cacheStats(t.db);
    assert.equal(s.codes, N);
    assert.equal(s.cursor, 'new');

    // 3. Process B hangs with a short lease (300 ms): after it lapses the same file resumes here,
    //    and B, when it wakes up, fails with LEASE_LOST without writing anything. The lease runs
    //    on the wall clock; this process's clock is moved 500 ms on instead of waiting for it.
    const delta = writeFeed(t.dir, 'delta.ndjson', [{ type: 'delta', from: 'new' }, ...codeRecords(G, 30_000, 2_000_000, { status: 'sold' }), { type: 'cursor', cursor: 'new+1' }]);
    const b = await startStalled([t.file, delta, 'delta', '500', '300', '1000', '3000']);
    children.push(b.child);
    const bLine = cacheStats(t.db).importInProgress?.line ?? 0;
    assert.ok(bLine > 1000);
    tc.mock.timers.enable({ apis: ['Date'], now: Date.now() + 500 });
    const r2 = await importFeed(t.db, delta, { batchSize: 5000 });
    tc.mock.timers.reset();
    assert.equal(r2.resumedFromLine, bLine, 'resumed after the lapsed lease, same file');
    const [code] = await once(b.child, 'exit') as [number | null];
    assert.equal(code, 3, b.out() + b.err());
    assert.match(b.err(), /^error LEASE_LOST /m);
    s = cacheStats(t.db);
    assert.equal(s.codes, N + 30_000);
    assert.equal(s.cursor, 'new+1');
    assert.equal(s.importInProgress, null);
    assert.equal(t.db.prepare('SELECT count(*) FROM stage_codes').pluck().get(), 0, 'B wrote nothing after losing the lease');
    assert.equal(lookupFacts(t.db, cisOf(G, `3${String(2_000_000).padStart(12, '0')}`), G, null)?.status, 'sold');
    // a fresh import now takes the (free) lease normally
    const again = openDatabase(t.file);
    try {
      await importFeed(again, writeFeed(t.dir, 'd2.ndjson', [{ type: 'delta', from: 'new+1' }, { type: 'cursor', cursor: 'new+2' }]));
    } finally {
      again.close();
    }
    assert.equal(cacheStats(t.db).cursor, 'new+2');
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    t.done();
  }
});
