import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheImportCommand, cacheStatsCommand } from '../src/cli/cache.ts';
import { checkCommand } from '../src/cli/check.ts';
import { loadConfig } from '../src/config.ts';
import type { CliContext, Command } from '../src/cli/types.ts';

const FIX = fileURLToPath(new URL('./fixtures/cache/', import.meta.url));
const GS = '\x1d';

/** Runs a command in-process with real streams; returns exit code, stdout and stderr. */
async function run(cmd: Command, dataDir: string, flags: Record<string, string | boolean>, positionals: string[], env: NodeJS.ProcessEnv = {}, stdin = ''):
  Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const ctx: CliContext = {
    stdin: Readable.from([stdin]), stdout, stderr, dataDir, env,
    config: () => loadConfig(dataDir, env),
    logger: () => { throw new Error('no logger in tests'); },
  };
  const code = await cmd.run(ctx, { flags, positionals });
  return { code, out, err };
}

test('tanba cache import / cache stats / check from the fixtures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-cli-cache-'));
  const env = { TANBA_NOW: '2026-03-01T09:00:00Z' };
  try {
    // before any import: the cache is not configured; check says so and does not pretend
    let r = await run(checkCommand, dir, { json: true }, [`0104870000000012213ABCDEFGHIJKL${GS}93AbCd`], env);
    assert.equal(r.code, 0);
    let obj = JSON.parse(r.out) as { verdict: { decision: string; reason: string; source: string } };
    assert.equal(obj.verdict.reason, 'CACHE_NOT_READY');
    assert.equal(obj.verdict.source, 'none');

    r = await run(cacheImportCommand, dir, { full: true }, [join(FIX, 'snapshot.ndjson')], env);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^imported full snapshot .*: 6 records \(codes 4, blocks 1, unblocks 0, products 1\).*cursor fixture-1\n$/);
    assert.equal(r.err, '', 'no progress bar on a non-TTY stderr');

    const codes = [
      `0104870000000012213ABCDEFGHIJKL${GS}93AbCd`,
      `0104870000000012213SOLDSOLDSOLD${GS}93AbCd`,
      `0104870000000012213EXPIREDEXPIR${GS}93AbCd`,
      `0104870000000012213BLOCKEDBLOCK${GS}93AbCd`,
      `0104870000000012213UNKNOWN00000${GS}93AbCd`,
      '0104870000000019213ABCDEFGHIJKL', // bad check digit
    ];
    r = await run(checkCommand, dir, { json: true }, [], env, codes.join('\n') + '\n');
    assert.equal(r.code, 0, r.err);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as {
      ok: boolean; cis?: string; normalized?: string;
      verdict: { decision: string; reason: string; source: string; message: string; overridable: boolean };
      product?: { name: string; price: number };
    });
    assert.equal(lines.length, 6);
    assert.deepEqual(lines.map((l) => l.verdict.reason), ['OK_OFFLINE', 'SOLD', 'EXPIRED', 'BLOCKED', 'NOT_FOUND', 'INVALID_CODE']);
    assert.deepEqual(lines.map((l) => l.verdict.decision), ['allow', 'refuse', 'refuse', 'refuse', 'refuse', 'refuse']);
    const first = lines[0];
    assert.ok(first !== undefined);
    assert.equal(first.ok, true);
    assert.equal(first.cis, '0104870000000012213ABCDEFGHIJKL');
    assert.equal(first.verdict.source, 'cache');
    assert.equal(first.product?.price, 65000);
    assert.equal(typeof first.verdict.message, 'string');
    assert.equal(lines[4]?.verdict.overridable, true);
    assert.equal(lines[5]?.ok, false);

    // a delta, then a bad delta: line number, nothing applied, exit 1
    r = await run(cacheImportCommand, dir, {}, [join(FIX, 'delta-1.ndjson')], env);
    assert.equal(r.code, 0, r.err);
    r = await run(cacheImportCommand, dir, {}, [join(FIX, 'bad.ndjson')], env);
    assert.equal(r.code, 1);
    assert.match(r.err, /bad\.ndjson:3: "status".*\[BAD_RECORD\]; nothing of this import was applied/);

    r = await run(cacheStatsCommand, dir, { json: true }, [], env);
    const stats = JSON.parse(r.out) as { codes: number; cursor: string; freshness: { state: string }; blocks: { byCode: number }; fileBytes: number };
    assert.equal(stats.codes, 5);
    assert.equal(stats.cursor, 'fixture-2');
    assert.equal(stats.freshness.state, 'ready');
    assert.equal(stats.blocks.byCode, 0);
    assert.ok(stats.fileBytes > 0);
    r = await run(cacheStatsCommand, dir, {}, [], { TANBA_NOW: '2026-03-05T09:00:01Z' });
    assert.match(r.out, /freshness\s+stale/);
    assert.match(r.out, /cursor\s+fixture-2/);

    // stale cache: the would-be allow becomes CACHE_STALE (human output)
    r = await run(checkCommand, dir, {}, [`0104870000000012213ABCDEFGHIJKL${GS}93AbCd`], { TANBA_NOW: '2026-03-05T09:00:01Z' });
    assert.match(r.out, /^REFUSE CACHE_STALE/);
    // unblocked by the delta
    r = await run(checkCommand, dir, { json: true }, [`0104870000000012213BLOCKEDBLOCK${GS}93AbCd`], env);
    obj = JSON.parse(r.out) as typeof obj;
    assert.equal(obj.verdict.reason, 'OK_OFFLINE');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the real bin/tanba.mjs (spawned): cache import, cache stats, check --json from stdin with a GS byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-cli-cache-e2e-'));
  const bin = fileURLToPath(new URL('../bin/tanba.mjs', import.meta.url));
  const tanba = (args: string[], input?: string) => spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8', input, env: { ...process.env, TANBA_DATA_DIR: dir, TANBA_NOW: '2026-03-01T09:00:00Z' },
  });
  try {
    let r = tanba(['cache', 'import', '--full', join(FIX, 'snapshot.ndjson')]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^imported full snapshot .*: 6 records \(codes 4, blocks 1, unblocks 0, products 1\).*cursor fixture-1\n$/);

    r = tanba(['cache', 'stats', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const stats = JSON.parse(r.stdout) as { codes: number; cursor: string; freshness: { state: string } };
    assert.deepEqual([stats.codes, stats.cursor, stats.freshness.state], [4, 'fixture-1', 'ready']);

    // codes on stdin, one per line, with the GS byte (0x1D) as a scanner sends it
    r = tanba(['check', '--json'], `0104870000000012213ABCDEFGHIJKL${GS}93AbCd\n0104870000000012213SOLDSOLDSOLD${GS}93AbCd\n`);
    assert.equal(r.status, 0, r.stderr);
    const [ok, sold] = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as {
      ok: boolean; cis: string; verdict: { decision: string; reason: string; source: string; offline: boolean }; product?: { price: number };
    });
    assert.ok(ok !== undefined && sold !== undefined);
    assert.equal(ok.ok, true);
    assert.equal(ok.cis, '0104870000000012213ABCDEFGHIJKL', 'the CIS ends at the GS');
    assert.deepEqual([ok.verdict.decision, ok.verdict.reason, ok.verdict.source, ok.verdict.offline], ['allow', 'OK_OFFLINE', 'cache', true]);
    assert.equal(ok.product?.price, 65000);
    assert.deepEqual([sold.verdict.decision, sold.verdict.reason, sold.verdict.source], ['refuse', 'SOLD', 'cache']);

    // a truncated snapshot exits 1 and applies nothing
    const cut = join(dir, 'cut.ndjson');
    writeFileSync(cut, readFileSync(join(FIX, 'snapshot.ndjson'), 'utf8').split('\n').slice(0, 3).join('\n') + '\n');
    r = tanba(['cache', 'import', '--full', cut]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /ended after 3 lines without its closing \{"type":"cursor"\} record.*\[TRUNCATED\]/);
    r = tanba(['cache', 'stats', '--json']);
    assert.equal((JSON.parse(r.stdout) as { codes: number }).codes, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
