/**
 * Startup: whole-process wall time and peak memory of `tanba --help`, `tanba parse --json CODE`,
 * `tanba check --json CODE` (a cache of 10 000 codes) and `tanba serve` until /api/health
 * answers, each as a ratio against a bare `node -e 0` measured in the same run.
 *
 * Variants, measured in the same rounds:
 * - built:  dist/cli.mjs, what `tanba` runs (package.json "bin"); built first if stale;
 * - source: bin/tanba.mjs, the TypeScript sources through tsx (development, and how every
 *           start ran before the build existed);
 * - compare (optional, `--compare=PATH`): another tanba bin, e.g. a checkout of main, to show
 *           a before and after in one run.
 *
 * Method. Every process runs under GNU time (`/usr/bin/time -f %M`, Debian package `time`):
 * its peak resident set size is the kernel's ru_maxrss of the waited-for child, so the measured
 * process runs unmodified. Wall time is taken here, from spawn until the process has exited
 * (for serve: until the first /api/health answer; it is then stopped with SIGINT). The wrapper
 * costs the baseline and every subject alike. Each round runs the baseline and every case of
 * every variant once, interleaved, so a burst of load on the machine hits all of them; the
 * figures are medians over the rounds (7, --quick 2), after one unmeasured warm-up round.
 * The machine's load average is printed with them: on a busy machine, compare ratios only. CPU
 * time (user + system, from GNU time; for serve, read from /proc when /api/health answered) is
 * printed too: it varies much less with the load than wall time does.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { get } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { percentile, report, type Bench } from './lib.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TIME = '/usr/bin/time';

/** One measured process: wall time, CPU time (user + system; for serve, until ready) and peak RSS. */
interface Sample { ms: number; cpuMs: number; peakKb: number }

/** Clock ticks per second of /proc/PID/stat's times. */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU time so far of the node process GNU time started (its only child), from /proc. */
function childCpuMs(timePid: number): number {
  const nodePid = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(' ')[0];
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${nodePid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) / CLK_TCK) * 1000;
}

/** A tanba command line to measure, or the serve case. */
interface Case { name: string; args: string[]; serve?: boolean }

/** A bin to measure: node runs `path` with the case's arguments. */
interface Variant { label: string; path: string }

function env(): NodeJS.ProcessEnv {
  // The caller's TANBA_* settings must not change what is measured.
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TANBA_')));
}

/** Runs `node ARGS` under GNU time; resolves when it has exited (or, with `ready`, when ready() resolves). */
async function measure(nodeArgs: string[], ready?: (out: NodeJS.ReadableStream) => Promise<void>): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-startup-'));
  const rssFile = join(dir, 'rss');
  try {
    const t0 = performance.now();
    // Its own process group, so a SIGINT reaches node as a Ctrl-C would (time ignores it).
    const child = spawn(TIME, ['-o', rssFile, '-f', '%M %U %S', process.execPath, ...nodeArgs], { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let ms: number;
    let cpuAtReady: number | null = null;
    if (ready) {
      const failed = exited.then((code) => { throw new Error(`exited with ${code} before it was ready: ${stderr}`); });
      const tooLong = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not ready after 60 s: ${stderr}`)), 60_000).unref());
      await Promise.race([ready(child.stdout), failed, tooLong]).catch((err: unknown) => {
        process.kill(-(child.pid as number), 'SIGKILL');
        throw err;
      });
      ms = performance.now() - t0;
      cpuAtReady = childCpuMs(child.pid as number);
      // The core stops gracefully on SIGINT; then time reports.
      process.kill(-(child.pid as number), 'SIGINT');
      await exited;
    } else {
      child.stdout.resume();
      const code = await exited;
      ms = performance.now() - t0;
      if (code !== 0) throw new Error(`node ${nodeArgs.join(' ')} exited with ${code}: ${stderr}`);
    }
    const [peakKb, user, system] = (readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    if (peakKb === undefined || !(peakKb > 0) || user === undefined || system === undefined) throw new Error(`no figures from ${TIME}: ${readFileSync(rssFile, 'utf8')}`);
    return { ms, cpuMs: cpuAtReady ?? (user + system) * 1000, peakKb };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Waits for serve's "running at URL" line, then for the first /api/health answer. */
async function healthAnswered(out: NodeJS.ReadableStream): Promise<void> {
  const lines = createInterface({ input: out });
  const url = await new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      const m = /running at (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
  });
  const body = await new Promise<string>((resolve, reject) => {
    get(new URL('/api/health', url), (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`/api/health answered ${res.statusCode}: ${text}`))));
    }).on('error', reject);
  });
  if (!(JSON.parse(body) as { ok?: unknown }).ok) throw new Error(`/api/health: ${body}`);
}

/** Runs a tanba bin once to completion, for preparing data; returns stdout. */
function tanba(bin: string, args: string[]): string {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, env: env(), encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`tanba ${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A sellable code of the emulated registry's dataset (its first `--dump-codes` line of that kind). */
async function sellableCode(bin: string, seed: number, codes: number): Promise<string> {
  const child = spawn(process.execPath, [bin, 'emulate', 'registry', '--seed', String(seed), '--codes', String(codes), '--dump-codes', '1'], { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    return await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (!line.startsWith('{')) return;
        const rec = JSON.parse(line) as { kind?: string; code?: string };
        if (rec.kind === 'sellable' && typeof rec.code === 'string') resolve(rec.code);
      });
      child.once('exit', (code) => reject(new Error(`tanba emulate registry exited with ${code} before a sellable code`)));
    });
  } finally {
    child.kill('SIGTERM');
  }
}

/** A data directory whose cache holds the dataset's full snapshot (`tanba cache import`). */
function preparedDataDir(bin: string, seed: number, codes: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-startup-data-'));
  const feed = join(dir, 'feed.ndjson');
  tanba(bin, ['emulate', 'registry', '--seed', String(seed), '--codes', String(codes), '--write-feed', feed]);
  tanba(bin, ['--data-dir', dir, 'cache', 'import', feed, '--full']);
  rmSync(feed);
  return dir;
}

const median = (xs: readonly number[]): number => percentile(xs, 50);

const bench: Bench = async ({ quick }) => {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing: install the Debian package 'time' (peak memory of each process)`);
  const build = spawnSync(process.execPath, ['scripts/build.mjs', 'cli', '--if-stale'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const compare = process.argv.find((a) => a.startsWith('--compare='))?.slice('--compare='.length);
  const variants: Variant[] = [
    { label: 'built', path: join(root, 'dist', 'cli.mjs') },
    { label: 'source', path: join(root, 'bin', 'tanba.mjs') },
    ...(compare ? [{ label: 'compare', path: compare }] : []),
  ];
  const rounds = quick ? 2 : 7;
  const codes = 10_000;
  const built = variants[0] as Variant;
  const code = await sellableCode(built.path, 7, codes);
  // One data directory per variant, prepared by that variant (another checkout may refuse a
  // database from a newer schema); serve writes its own state into it too.
  const dataDirs = variants.map((v) => preparedDataDir(v.path, 7, codes));
  const cases: Case[] = [
    { name: '--help', args: ['--help'] },
    { name: 'parse --json CODE', args: ['parse', '--json', code] },
    { name: `check --json CODE (${codes} cached)`, args: ['check', '--json', code] },
    { name: 'serve until /api/health', args: ['serve', '--port', '0'], serve: true },
  ];
  const baseline: Sample[] = [];
  const samples = new Map<string, Sample[]>();
  try {
    for (let round = 0; round <= rounds; round++) {
      const warmUp = round === 0;
      const b = await measure(['-e', '0']);
      if (!warmUp) baseline.push(b);
      for (const c of cases) {
        for (const [i, v] of variants.entries()) {
          const args = [v.path, '--data-dir', dataDirs[i] as string, ...c.args];
          const s = await measure(args, c.serve ? healthAnswered : undefined);
          if (warmUp) continue;
          const key = `${c.name}|${v.label}`;
          samples.set(key, [...(samples.get(key) ?? []), s]);
        }
      }
    }
  } finally {
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  }
  const baseMs = median(baseline.map((s) => s.ms));
  const baseKb = median(baseline.map((s) => s.peakKb));
  const [l1, l5] = loadavg();
  console.log(`${rounds} rounds; load average ${l1?.toFixed(2)} (1 min), ${l5?.toFixed(2)} (5 min) on ${spawnSync('nproc').stdout.toString().trim()} cores`);
  const baseCpu = median(baseline.map((s) => s.cpuMs));
  report('node -e 0 (baseline)', { wall_ms: baseMs, cpu_ms: baseCpu, peak_mb: baseKb / 1024 });
  for (const c of cases) {
    for (const v of variants) {
      const list = samples.get(`${c.name}|${v.label}`) ?? [];
      const ms = median(list.map((s) => s.ms));
      const kb = median(list.map((s) => s.peakKb));
      const cpu = median(list.map((s) => s.cpuMs));
      report(`${c.name} [${v.label}]`, { wall_ms: ms, x_node: ms / baseMs, cpu_ms: cpu, cpu_x_node: cpu / baseCpu, peak_mb: kb / 1024, mem_x_node: kb / baseKb });
    }
  }
  console.log('targets (built): --help and parse <= 2x node, check <= 3x node, serve ready <= 1000 ms');
};

export default bench;
