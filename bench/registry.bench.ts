/**
 * Status feed import over HTTP (the registry emulator on loopback, through the marking client
 * and its truncation guard) against the same feed from a file (written by the emulator's dataset
 * writer), both into a fresh SQLite cache with importFeed. The file import is the baseline.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { importFeed } from '../src/cache/index.ts';
import { openDatabase } from '../src/store/index.ts';
import { createMarkingClient } from '../src/registry/marking/index.ts';
import { generateDataset, RegistryEmulator, writeFeedFile } from '../emulators/index.ts';
import { report, type Bench } from './lib.ts';

const bench: Bench = async ({ quick }) => {
  const codes = quick ? 5_000 : 300_000;
  const rounds = quick ? 1 : 3;
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-registry-'));
  const dataset = generateDataset({ seed: 1, codes });
  const file = join(dir, 'feed.ndjson');
  const { lines, bytes } = writeFeedFile(file, dataset);
  // The registry in its own process (`tanba emulate registry`, same seed and size, so the same
  // feed), as a real one would be: its JSON encoding does not share our event loop.
  const bin = fileURLToPath(new URL('../bin/tanba.mjs', import.meta.url));
  const child = spawn(process.execPath, [bin, 'emulate', 'registry', '--seed', '1', '--codes', String(codes), '--token', 'bench'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`tanba emulate registry exited with ${code}: ${stderr}`)));
  });
  const url = /^listening on (\S+)$/.exec(first)?.[1];
  if (url === undefined) throw new Error(`unexpected first line: ${first}`);
  const client = createMarkingClient({ url, token: 'bench' });
  // The same dataset in this process, for the in-process emulator comparison.
  const emu = new RegistryEmulator({ dataset, token: 'bench' });
  await emu.start();
  const local = createMarkingClient({ url: emu.url, token: 'bench' });
  let n = 0;
  const run = async (source: 'file' | 'http' | 'http-same-process'): Promise<number> => {
    const db = openDatabase(join(dir, `cache-${++n}.db`));
    try {
      const t0 = performance.now();
      let records: number;
      if (source === 'file') {
        records = (await importFeed(db, file, { full: true })).records;
      } else {
        const opened = await (source === 'http' ? client : local).openFeed({ kind: 'snapshot' });
        if (opened.kind !== 'stream') throw new Error(`feed did not open: ${JSON.stringify(opened)}`);
        records = (await importFeed(db, opened.body, { full: true })).records;
      }
      const rate = records / ((performance.now() - t0) / 1000);
      return rate;
    } finally {
      db.close();
    }
  };
  try {
    // Alternate the two so that neither profits from a warmer machine; keep the best round of each.
    let file0 = 0;
    let http0 = 0;
    let same0 = 0;
    for (let i = 0; i < rounds; i++) {
      file0 = Math.max(file0, await run('file'));
      http0 = Math.max(http0, await run('http'));
      same0 = Math.max(same0, await run('http-same-process'));
    }
    report('feed import from file', { records: lines - 2, MB: bytes / 1e6, 'records/s': file0, ratio: 1 });
    report('feed import over HTTP', { records: lines - 2, MB: bytes / 1e6, 'records/s': http0, ratio: http0 / file0 });
    report('  (emulator in-process)', { records: lines - 2, MB: bytes / 1e6, 'records/s': same0, ratio: same0 / file0 });
  } finally {
    client.close();
    local.close();
    await emu.close();
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
};

export default bench;
