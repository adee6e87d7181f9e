/**
 * `tanba emulate registry` as a real child process: first stdout line, codes dumped for other
 * tests, faults from flags, the feed into `tanba cache import`-compatible NDJSON, and a clean
 * exit on SIGTERM.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createMarkingClient } from '../src/registry/marking/index.ts';
import { generateDataset } from '../emulators/index.ts';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin', 'tanba.mjs');
const dir = mkdtempSync(join(tmpdir(), 'tanba-registry-cli-'));
const children: ChildProcessWithoutNullStreams[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Starts the emulator; resolves with the child and its stdout lines so far (more keep coming). */
async function startEmulator(args: string[]): Promise<{ child: ChildProcessWithoutNullStreams; url: string; lines: string[]; stderr: () => string }> {
  const child = spawn(process.execPath, [bin, '--data-dir', dir, 'emulate', 'registry', ...args], { cwd: root });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    rl.on('line', (l) => { lines.push(l); if (lines.length === 1) resolve(l); });
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before listening: ${err}`)));
  });
  const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  assert.ok(m, `first line: ${first}`);
  return { child, url: m[1] as string, lines, stderr: () => err };
}

function exited(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((r) => {
    if (child.exitCode !== null) r(child.exitCode);
    else child.once('exit', (code) => r(code));
  });
}

describe('tanba emulate registry', () => {
  test('listens on 127.0.0.1, dumps sellable codes (GS kept), answers checks, exits 0 on SIGTERM', async () => {
    const { child, url, lines, stderr } = await startEmulator(['--seed', '42', '--codes', '800', '--token', 'cli-token', '--dump-codes', '2']);
    // The dump follows the first line: 2 codes per kind, JSON with GS as \u001d.
    const deadline = Date.now() + 10_000;
    while (lines.length < 1 + 2 * 9 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const dumped = lines.slice(1).map((l) => JSON.parse(l) as { kind: string; code: string; cis: string });
    const sellable = dumped.filter((d) => d.kind === 'sellable');
    assert.equal(sellable.length, 2);
    assert.ok(sellable[0]!.code.includes('\u001d'));
    // Same seed, same codes: the in-process dataset agrees with the child's.
    assert.equal(sellable[0]!.cis, generateDataset({ seed: 42, codes: 800 }).sample('sellable', 1)[0]!.cis);
    const client = createMarkingClient({ url, token: 'cli-token' });
    const o = await client.check([sellable[0]!.code]);
    assert.equal(o.kind, 'answered');
    if (o.kind === 'answered') assert.equal(o.facts.get(sellable[0]!.cis)?.status, 'in_circulation');
    client.close();
    child.kill('SIGTERM');
    assert.equal(await exited(child), 0, stderr());
    assert.match(stderr(), /stopping after \d+ requests/);
  });

  test('faults from flags: --fail-rate 1 gives 503 to checks', async () => {
    const { child, url, stderr } = await startEmulator(['--codes', '100', '--no-auth', '--fail-rate', '1']);
    const client = createMarkingClient({ url });
    const o = await client.check(['x']);
    assert.equal(o.kind === 'unavailable' && o.status, 503);
    client.close();
    child.kill('SIGINT');
    assert.equal(await exited(child), 0, stderr());
  });

  test('--write-feed writes the snapshot as NDJSON and exits; bad flags exit 2 naming the flag', () => {
    const file = join(dir, 'feed.ndjson');
    const r = spawnSync(process.execPath, [bin, 'emulate', 'registry', '--seed', '3', '--codes', '50', '--write-feed', file], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^wrote \d+ lines/);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    assert.deepEqual(JSON.parse(lines[0]!), { type: 'snapshot' });
    assert.equal((JSON.parse(lines.at(-1)!) as { type: string }).type, 'cursor');
    assert.equal(lines.filter((l) => l.startsWith('{"type":"code"')).length, 50);
    const bad = spawnSync(process.execPath, [bin, 'emulate', 'registry', '--fail-rate', '1.5'], { cwd: root, encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fail-rate/);
  });
});
