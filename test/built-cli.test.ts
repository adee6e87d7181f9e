// The `tanba` that ships (package.json "bin" → dist/cli.mjs): the other tests run the sources
// through tsx (bin/tanba.mjs); this one builds them with scripts/build.mjs — into a directory of
// its own under dist/, so a concurrent `npm start` or bench keeps dist/ — and runs the built
// command end to end, so a broken build cannot land. It also proves the lazy loading: with a
// module hook logging every module node loads, `--help`, usage errors and `parse` load neither
// SQLite, fastify, pino nor a printer or scanner driver, and no file of the store, the server or
// the drivers (the build's metafile says which sources went into each loaded chunk).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const moduleLog = fileURLToPath(new URL('./helpers/module-log/register.mjs', import.meta.url));

/** npm packages that `--help`, usage errors and `parse` must not load. */
const HEAVY_PACKAGES = ['better-sqlite3', 'fastify', '@fastify/', 'pino', 'serialport', '@serialport/', 'node-hid', 'protobufjs', 'bwip-js', '@zxing/', 'pngjs', '@point-of-sale/'];
/** Source folders whose code they must not load either. */
const HEAVY_SOURCES = [
  'src/store/', 'src/server/', 'src/register/', 'src/scan/', 'src/status/', 'src/cache/', 'src/checkout/', 'src/sync/', 'src/registry/',
  'src/devices/', 'drivers/printer/', 'drivers/scanner/', 'emulators/',
];

let outdir = '';
let bin = '';
let dataDir = '';
let work = '';
let meta: { outputs: Record<string, { entryPoint?: string; inputs: string[] }> };

interface Run { code: number | null; stdout: string; stderr: string }

function tanba(args: string[], options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {}): Run {
  const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TANBA_'))), ...options.env };
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), bin, ...args], { cwd: work, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Loaded { packages: Set<string>; sources: Set<string>; mapped: Set<string>; urls: string[] }

/** What one run of the built command loaded: npm packages and our source files, and which had a source map. */
function loadedBy(args: string[]): Loaded & { run: Run } {
  const log = join(work, `modules-${Math.random().toString(36).slice(2)}.log`);
  const run = tanba(args, { env: { TANBA_MODULE_LOG: log }, nodeArgs: ['--import', moduleLog] });
  return { run, ...readModuleLog(log) };
}

/** Reads a log written by test/helpers/module-log/register.mjs. */
function readModuleLog(log: string): Loaded {
  const lines = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  const urls = lines.filter((l) => l.startsWith('load ') || l.startsWith('require ')).map((l) => l.slice(l.indexOf(' ') + 1));
  const packages = new Set<string>();
  const sources = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const path = fileURLToPath(url);
    const inModules = path.lastIndexOf('/node_modules/');
    if (inModules >= 0) {
      const rest = path.slice(inModules + '/node_modules/'.length).split('/');
      packages.add(rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] as string));
    } else if (path.startsWith(outdir)) {
      for (const input of meta.outputs[relative(root, path)]?.inputs ?? []) if (!input.includes('node_modules')) sources.add(input);
    }
  }
  const mapped = new Set(lines.filter((l) => l.startsWith('map ')).map((l) => relative(root, fileURLToPath(l.slice(4)))));
  return { packages, sources, mapped, urls };
}

function assertLight(what: string, loaded: Loaded): void {
  const packages = [...loaded.packages].filter((p) => HEAVY_PACKAGES.some((h) => p === h || p.startsWith(h)));
  assert.deepEqual(packages, [], `${what} loaded ${packages.join(', ')}`);
  const sources = [...loaded.sources].filter((s) => HEAVY_SOURCES.some((h) => s.startsWith(h)));
  assert.deepEqual(sources, [], `${what} loaded ${sources.join(', ')}`);
}

/** A sellable code of the emulated registry's seed-3 dataset, as `emulate registry --dump-codes` prints it. */
async function sellableCode(): Promise<string> {
  const child = spawn(process.execPath, [bin, 'emulate', 'registry', '--seed', '3', '--codes', '200', '--dump-codes', '1'], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    return await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        const rec = line.startsWith('{') ? JSON.parse(line) as { kind: string; code: string } : null;
        if (rec?.kind === 'sellable') resolve(rec.code);
      });
      child.once('exit', (code) => reject(new Error(`emulate registry exited with ${code}`)));
    });
  } finally {
    child.kill('SIGTERM');
  }
}

before(() => {
  mkdirSync(join(root, 'dist'), { recursive: true });
  outdir = mkdtempSync(join(root, 'dist', 'test-build-'));
  const r = spawnSync(process.execPath, ['scripts/build.mjs', 'cli', `--outdir=${outdir}`], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `build failed: ${r.stdout}${r.stderr}`);
  bin = join(outdir, 'cli.mjs');
  meta = JSON.parse(readFileSync(join(outdir, 'build-meta.json'), 'utf8')) as typeof meta;
  work = mkdtempSync(join(tmpdir(), 'tanba-built-'));
  dataDir = join(work, 'register');
});

after(() => {
  if (outdir) rmSync(outdir, { recursive: true, force: true });
  if (work) rmSync(work, { recursive: true, force: true });
});


/** Waits for a started core's "running at URL" line (or its exit), then returns its /api/health answer. */
async function healthOnceRunning(child: ChildProcess, exited: Promise<number | null>, what: string, stderr: () => string): Promise<unknown> {
  const url = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout as Readable }).on('line', (l) => {
      const m = /running at (\S+)/.exec(l);
      if (m?.[1]) resolve(m[1]);
    })),
    exited.then((c) => { throw new Error(`${what} exited with ${c}: ${stderr()}`); }),
  ]);
  const body = await new Promise<string>((resolve, reject) => {
    get(new URL('/api/health', url), (res) => {
      let text = '';
      res.on('data', (d: Buffer) => { text += d.toString(); });
      res.on('end', () => resolve(text));
    }).on('error', reject);
  });
  return JSON.parse(body) as unknown;
}

describe('the built tanba', () => {
  test('package.json runs the built entry, an executable ES module with a source map', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    assert.equal(pkg.bin.tanba, 'dist/cli.mjs');
    assert.match(pkg.scripts.prepare ?? '', /scripts\/build\.mjs/);
    const entry = readFileSync(bin, 'utf8');
    assert.ok(entry.startsWith('#!/usr/bin/env node\n'), 'shebang');
    assert.doesNotMatch(entry, /tsx/);
    assert.ok(existsSync(`${bin}.map`));
  });

  test('--help, --version, a usage error', () => {
    const help = tanba(['--help']);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^tanba 0\.1\.0/);
    for (const name of ['serve', 'parse', 'check', 'cache import', 'sell', 'sync status', 'scanner listen', 'print test', 'emulate ofd']) {
      assert.match(help.stdout, new RegExp(`\\n  ${name} `), name);
    }
    assert.match(tanba(['--version']).stdout, /^0\.1\.0\n$/);
    const bad = tanba(['parse', '--bogus']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /tanba parse: .*--bogus/);
  });

  test('cache import, check, sell, sync status on one register', async () => {
    const code = await sellableCode();
    const feed = join(work, 'feed.ndjson');
    let r = tanba(['emulate', 'registry', '--seed', '3', '--codes', '200', '--write-feed', feed]);
    assert.equal(r.code, 0, r.stderr);
    r = tanba(['--data-dir', dataDir, 'cache', 'import', feed, '--full']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /codes 200\b/);

    r = tanba(['--data-dir', dataDir, 'parse', '--json', code]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { ok: boolean; cis: string };
    assert.equal(parsed.ok, true);
    assert.ok(code.startsWith(parsed.cis));

    r = tanba(['--data-dir', dataDir, 'check', '--json', code]);
    assert.equal(r.code, 0, r.stderr);
    const checked = JSON.parse(r.stdout) as { verdict: { decision: string; source: string } };
    assert.deepEqual([checked.verdict.decision, checked.verdict.source], ['allow', 'cache']);

    r = tanba(['--data-dir', dataDir, 'sell', '--json', code]);
    assert.equal(r.code, 0, r.stderr);
    const sale = JSON.parse(r.stdout) as { ok: boolean; lines: { code: string }[] };
    assert.equal(sale.ok, true);
    assert.equal(sale.lines[0]?.code, code);

    r = tanba(['--data-dir', dataDir, 'sync', 'status', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const status = JSON.parse(r.stdout) as { queue: { depth: number; pending: number } };
    assert.deepEqual([status.queue.depth, status.queue.pending], [1, 1]);
  });

  test('serve answers /api/health, then stops on SIGTERM; image decoding, symbol drawing, PNG encoding and ajv stay unloaded', async () => {
    const log = join(work, 'serve-modules.log');
    const child = spawn(process.execPath, ['--import', moduleLog, bin, '--data-dir', join(work, 'served'), 'serve', '--port', '0'], {
      cwd: work, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TANBA_MODULE_LOG: log },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    try {
      const health = await healthOnceRunning(child, exited, 'serve', () => stderr) as { ok: boolean; trainingMode: boolean };
      assert.deepEqual([health.ok, health.trainingMode], [true, true]);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
    const loaded = readModuleLog(log);
    // fastify itself is bundled into the chunk (scripts/build.mjs BUNDLED_PACKAGES); its router
    // is not, so the router proves the web server started, from the bundle, not node_modules.
    assert.ok(loaded.packages.has('find-my-way') && loaded.packages.has('better-sqlite3'), [...loaded.packages].join(' '));
    for (const bundled of ['fastify', 'pino', 'undici', 'zod']) assert.ok(!loaded.packages.has(bundled), `serve loaded ${bundled} from node_modules, not from the bundle`);
    for (const lazy of ['@zxing/library', 'bwip-js', 'pngjs', 'ajv']) assert.ok(!loaded.packages.has(lazy), `serve loaded ${lazy} at start`);
  });

  test('every command of the registry loads from its built chunk to a run function', () => {
    // The registry's `load: async () => (await import('./x.ts')).xCommand`, read from its source:
    // the bundle inlines the registry, so the test finds each module's chunk by the build's metafile.
    const registry = ['src/cli/registry.ts', 'src/cli/registry-emulators.ts'].map((f) => readFileSync(join(root, f), 'utf8')).join('\n');
    const loads = [...registry.matchAll(/name: '([^']+)'[^]*?load: async \(\) => \(await import\('\.\/([^']+)'\)\)\.(\w+)/g)]
      .map(([, name, file, exported]) => ({ name: name as string, source: `src/cli/${file as string}`, exported: exported as string }));
    assert.equal(loads.length, (registry.match(/\bload: /g) ?? []).length, 'a load() the test cannot read');
    assert.ok(loads.length >= 20 && loads.some((l) => l.name === 'serve') && loads.some((l) => l.name === 'emulate printer'));
    const chunkOf = (source: string): string => {
      const file = Object.keys(meta.outputs).find((f) => meta.outputs[f]?.entryPoint === source && !f.endsWith('.map'));
      assert.ok(file, `no chunk built from ${source}`);
      return join(root, file);
    };
    const probes = loads.map((l) => ({ name: l.name, chunk: chunkOf(l.source), exported: l.exported }));
    // One process imports every chunk, as `tanba NAME` would, and says what each export is.
    const script = `const out = {}; for (const p of ${JSON.stringify(probes)}) {
      try { const m = await import(p.chunk); out[p.name] = typeof m[p.exported]?.run; } catch (e) { out[p.name] = 'error: ' + e.message; }
    } console.log(JSON.stringify(out));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: work, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const kinds = JSON.parse(r.stdout) as Record<string, string>;
    assert.deepEqual(kinds, Object.fromEntries(loads.map((l) => [l.name, 'function'])));
  });
});

describe('the built Electron entries (the packaged app and the systemd unit)', () => {
  let electronOut = '';
  before(() => {
    electronOut = mkdtempSync(join(root, 'dist', 'test-build-electron-'));
    const r = spawnSync(process.execPath, ['scripts/build.mjs', 'electron', `--outdir=${electronOut}`], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, `build failed: ${r.stdout}${r.stderr}`);
  });
  after(() => { if (electronOut) rmSync(electronOut, { recursive: true, force: true }); });

  test('the unit and the package run dist/electron/*.cjs, JavaScript with no TypeScript compiler', () => {
    const unit = readFileSync(join(root, 'packaging/linux/tanba.service'), 'utf8');
    assert.match(unit, /^ExecStart=\S+ --enable-source-maps \S+\/app\.asar\/dist\/electron\/serve\.cjs$/m);
    assert.doesNotMatch(unit, /tsx|\.ts\b/);
    const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    assert.match(yml, /^files:\n(?: {2}- .*\n)*? {2}- dist\/electron\/\*\*$/m);
    assert.match(yml, /^ {2}main: dist\/electron\/main\.cjs$/m);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    assert.match(pkg.scripts.package ?? '', /npm run build:electron/);
    assert.match(pkg.scripts['build:electron'] ?? '', /scripts\/build\.mjs electron/);
    for (const entry of ['main', 'preload', 'core-entry', 'serve']) {
      const code = readFileSync(join(electronOut, `${entry}.cjs`), 'utf8');
      // (A module's own file name stays in the bundle as its import.meta.url; only loading one counts.)
      const loadsTypeScript = /require\("(?:tsx[/"]|[^"]*\.tsx?")/.exec(code);
      assert.equal(loadsTypeScript, null, `${entry}.cjs loads TypeScript: ${loadsTypeScript?.[0]}`);
      assert.ok(existsSync(join(electronOut, `${entry}.cjs.map`)), `${entry}.cjs.map`);
    }
  });

  test('serve.cjs, the unit\'s entry, runs the core under Node until /api/health answers', async () => {
    const child = spawn(process.execPath, ['--enable-source-maps', join(electronOut, 'serve.cjs')], {
      cwd: work, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, TANBA_DATA_DIR: join(work, 'unit'), TANBA_PORT: '0', ELECTRON_RUN_AS_NODE: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    try {
      assert.equal((await healthOnceRunning(child, exited, 'serve.cjs', () => stderr) as { ok: boolean }).ok, true);
    } finally {
      child.kill('SIGTERM');
    }
    assert.equal(await exited, 0, stderr);
  });
});

describe('lazy loading (the built command, every module it loads logged)', () => {
  test('--help, a command\'s --help and usage errors load no command module', () => {
    for (const args of [['--help'], ['serve', '--help'], ['print', 'test', '--help'], ['check', '--bogus'], ['no-such-command']]) {
      const loaded = loadedBy(args);
      assert.ok(loaded.urls.some((u) => u.endsWith('/cli.mjs')), `the log saw the entry: ${loaded.urls.join(' ')}`);
      assertLight(args.join(' '), loaded);
      assert.deepEqual([...loaded.sources].filter((s) => s.startsWith('src/cli/') && !['src/cli/registry.ts', 'src/cli/registry-emulators.ts', 'src/cli/types.ts'].includes(s)), [], args.join(' '));
    }
  });

  test('parse loads the marking engine only, and leaves the data directory alone', () => {
    const dir = join(work, 'parse-only');
    const loaded = loadedBy(['--data-dir', dir, 'parse', '--json', '0104870000000012213ABCDEFGHIJKL\x1d93AbCd']);
    assert.equal(loaded.run.code, 0, loaded.run.stderr);
    assert.equal((JSON.parse(loaded.run.stdout) as { ok: boolean }).ok, true);
    assert.ok(loaded.sources.has('src/cli/parse.ts') && loaded.sources.has('src/marking/parse.ts'), [...loaded.sources].join(' '));
    assertLight('parse', loaded);
    assert.equal(existsSync(dir), false, 'parse created the data directory');
  });

  test('check loads SQLite and the store (the log is not blind), but no driver, OFD client or server', () => {
    const loaded = loadedBy(['--data-dir', join(work, 'checked'), 'check', '--json', '0104870000000012213ABCDEFGHIJKL\x1d93AbCd']);
    assert.equal(loaded.run.code, 0, loaded.run.stderr);
    assert.ok(loaded.packages.has('better-sqlite3'), [...loaded.packages].join(' '));
    assert.ok([...loaded.sources].some((s) => s.startsWith('src/store/')));
    const heavy = [...loaded.packages].filter((p) => HEAVY_PACKAGES.some((h) => p === h || p.startsWith(h)) && p !== 'better-sqlite3');
    assert.deepEqual(heavy, [], `check loaded ${heavy.join(', ')}`);
    const sources = [...loaded.sources].filter((s) => /^(drivers|emulators|src\/(server|devices|sync)|src\/registry\/ofd)\//.test(s));
    assert.deepEqual(sources, [], `check loaded ${sources.join(', ')}`);
  });

  test('source maps are on before the command modules load', () => {
    const loaded = loadedBy(['--data-dir', join(work, 'parse-maps'), 'parse', '0104870000000012213ABCDEFGHIJKL\x1d93AbCd']);
    const chunks = loaded.urls.filter((u) => u.startsWith(`file://${outdir}/`) && !u.endsWith('/cli.mjs')).map((u) => relative(root, fileURLToPath(u)));
    assert.ok(chunks.length > 0);
    for (const chunk of chunks) assert.ok(loaded.mapped.has(chunk), `no source map for ${chunk}`);
  });
});
