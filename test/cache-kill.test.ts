import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../src/store/db.ts';
import { cacheStats, createCodeChecker, importFeed, lookupFacts } from '../src/cache/index.ts';
import { cisOf, codeRecords, gtin14, tempDb, writeFeed } from './fixtures/cache/helpers.ts';
import { fixedClock } from '../src/clock.ts';

const CHILD = fileURLToPath(new URL('./fixtures/cache/import-child.ts', import.meta.url));
const G = gtin14('0487000000003');
const clock = fixedClock('2026-03-01T10:00:00Z');

/** Runs the child import and SIGKILLs it once the database shows a committed batch past `minLine`. */
function killMidImport(dbFile: string, feed: string, kind: 'full' | 'delta', minLine: number): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dbFile, feed, kind, '500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const watcher = openDatabase(dbFile);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = setInterval(() => {
      const row = watcher.prepare('SELECT line FROM cache_import').get() as { line: number } | undefined;
      if (row !== undefined && row.line > minLine) {
        clearInterval(poll);
        child.kill('SIGKILL');
      }
    }, 5);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      watcher.close();
      if (signal === 'SIGKILL') resolve({ killed: true });
      else if (code === 0) resolve({ killed: false });
      else reject(new Error(`child failed (${code}): ${stderr}`));
    });
  });
}

test('SIGKILL during an import leaves the cache consistent and the import resumable', { timeout: 120_000 }, async () => {
  const t = tempDb();
  try {
    // A live cache the killed import must not disturb.
    await importFeed(t.db, writeFeed(t.dir, 'old.ndjson', [...codeRecords(G, 20), { type: 'cursor', cursor: 'old' }]), { full: true, clock });
    t.db.close();

    const N = 60_000;
    const feed = writeFeed(t.dir, 'new.ndjson', [
      { type: 'snapshot' },
      { type: 'product', gtin: G, name: 'Water 0.5 l', group: 'water' },
      ...codeRecords(G, N, 1_000_000),
      { type: 'cursor', cursor: 'new' },
    ]);
    const { killed } = await killMidImport(t.file, feed, 'full', 1000);
    assert.ok(killed, 'the import finished before it could be killed; make the feed larger');

    const db = openDatabase(t.file);
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const mid = cacheStats(db);
      // the previous snapshot is still the live cache, fully
      assert.equal(mid.codes, 20);
      assert.equal(mid.cursor, 'old');
      assert.equal(lookupFacts(db, cisOf(G, '3000000000005'), G, null)?.status, 'in_circulation');
      assert.equal(createCodeChecker(db, { clock }).freshness().state, 'ready');
      // staged rows agree with the recorded progress (same transaction)
      assert.ok(mid.importInProgress !== null);
      const staged = db.prepare('SELECT count(*) FROM stage_codes').pluck().get() as number;
      const progress = JSON.parse(db.prepare('SELECT state FROM cache_import').pluck().get() as string) as { codes: number };
      assert.equal(staged, progress.codes);
      assert.ok(staged > 0 && staged < N);

      const r = await importFeed(db, feed, { full: true, clock, batchSize: 5000 });
      assert.equal(r.resumedFromLine, mid.importInProgress.line);
      assert.equal(r.codes, N, 'counters continue across the resume');
      const after = cacheStats(db);
      assert.equal(after.codes, N);
      assert.equal(after.cursor, 'new');
      assert.equal(after.importInProgress, null);
      assert.equal(lookupFacts(db, cisOf(G, '3000000000005'), G, null)?.found, false, 'old codes gone after the swap');
      assert.equal(lookupFacts(db, cisOf(G, `3${String(1_000_000 + N - 1).padStart(12, '0')}`), G, null)?.found, true);
    } finally {
      db.close();
    }

    // A killed delta: nothing applied, resumable, then applied whole.
    const delta = writeFeed(t.dir, 'delta.ndjson', [
      { type: 'delta', from: 'new' },
      ...codeRecords(G, 40_000, 2_000_000, { status: 'sold' }),
      { type: 'cursor', cursor: 'new+1' },
    ]);
    const k2 = await killMidImport(t.file, delta, 'delta', 1000);
    assert.ok(k2.killed);
    const db2 = openDatabase(t.file);
    try {
      assert.equal(db2.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal(cacheStats(db2).codes, N);
      assert.equal(cacheStats(db2).cursor, 'new');
      const r2 = await importFeed(db2, delta, { clock });
      assert.ok(r2.resumedFromLine !== null && r2.resumedFromLine > 1000);
      assert.equal(cacheStats(db2).codes, N + 40_000);
      assert.equal(cacheStats(db2).cursor, 'new+1');
    } finally {
      db2.close();
    }
  } finally {
    t.done();
  }
});
