#!/usr/bin/env node
// Builds the JavaScript that ships, with esbuild, from a few entry points (so moving a source
// file never touches this script):
//   dist/cli.mjs        the `tanba` command (package.json "bin"; `tanba serve` is the core);
//                       ES modules, one chunk per lazily loaded command, beside it in dist/
//   dist/electron/*.cjs the desktop shell: main, preload, the core in a utility process, and
//                       the headless core the systemd unit runs (CommonJS, for Electron)
// Source maps beside every file. Only the pure-JavaScript npm packages on the core's start-up
// path are bundled (BUNDLED_PACKAGES); the native ones (better-sqlite3, serialport, node-hid)
// cannot be, and node_modules is there at run time (electron-builder installs it into the app). `npm ci` / `npm install` run this through
// "prepare"; it needs no network and takes about a second.
//
//   node scripts/build.mjs [cli|electron ...] [--if-stale] [--outdir=DIR]
// --if-stale builds only when a source file changed since the last build (npm start, bench);
// --outdir builds one target elsewhere inside the project (the smoke test's own build).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { chmod, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Modules find data files next to their sources with `new URL('./x', import.meta.url)`
 * (ofd.proto, the receipt font, the built UI). In a bundle, each module's import.meta.url
 * becomes the URL its source file has, computed from where the output file runs, so the
 * paths hold in dist/ and inside the packaged app alike (both keep src/ and drivers/ files
 * at the same place relative to dist/). Every output file of one target sits in one
 * directory, so one relative path fits them all.
 */
function importMetaUrlPlugin(outdir, format) {
  return {
    name: 'import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const rel = relative(join(root, outdir), args.path).split('\\').join('/');
        const expr = format === 'esm'
          ? `new URL(${JSON.stringify(rel)}, import.meta.url).href`
          : `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(rel)})).href`;
        // The replacement itself says import.meta.url: split first, so it is not replaced again.
        return { contents: source.split('import.meta.url').join(`(${expr})`), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * npm packages stay outside the bundles (node_modules is there at run time; the native ones
 * cannot be), except the pure-JavaScript ones on the core's start-up path: one bundled file
 * loads faster than a package's tree of modules (measured by `npm run bench -- startup`: the
 * core's CPU time to its first health answer fell by about a seventh).
 */
const BUNDLED_PACKAGES = new Set([
  'zod', 'fastify', '@fastify/static', '@fastify/websocket', 'pino', 'undici', 'protobufjs', 'ws',
  '@nats-io/jetstream', '@nats-io/kv', '@nats-io/transport-node', '@nats-io/nats-core',
  '@point-of-sale/receipt-printer-encoder', '@point-of-sale/codepage-encoder',
]);
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
/**
 * True when a bundled package has its own copy of `name` under its node_modules (another
 * version than the top-level one): that copy is bundled with it, because from dist/ at run
 * time the import would find the top-level version instead.
 */
function hasNestedCopy(importer, name) {
  const top = join(root, 'node_modules');
  for (let dir = dirname(importer); dir.startsWith(top) && dir !== top; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name))) return true;
  }
  return false;
}
const externalPackagesPlugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageName(args.path);
      if (BUNDLED_PACKAGES.has(name)) return undefined;
      if (args.importer.includes(`${sep}node_modules${sep}`) && hasNestedCopy(args.importer, name)) return undefined;
      return { path: args.path, external: true };
    });
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Stack traces need the positions only; leaving the sources out keeps the maps, which node
  // reads and parses as it loads each file, a third of the size.
  sourcesContent: false,
  // Bundling renames clashing top-level names (two modules' `parse` become parse, parse2);
  // keep the original names for stack traces, logs and anything reading `.name`.
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
};

/** The targets: esbuild options for each, given the output directory (relative to the root). */
const TARGETS = {
  cli: (outdir) => ({
    ...common,
    entryPoints: { cli: 'src/cli-bin.ts' },
    outdir,
    format: 'esm',
    // Each command's `load: () => import(...)` becomes its own chunk, shared code a common one.
    splitting: true,
    outExtension: { '.js': '.mjs' },
    chunkNames: '[name]-[hash]',
    // The bundled CommonJS packages call require(); an ES module has none, so each file makes one.
    banner: { js: "#!/usr/bin/env node\nimport { createRequire as __tanbaRequire } from 'node:module';\nconst require = __tanbaRequire(import.meta.url);" },
    plugins: [externalPackagesPlugin, importMetaUrlPlugin(outdir, 'esm')],
  }),
  electron: (outdir) => ({
    ...common,
    entryPoints: {
      main: 'electron/main.ts',
      preload: 'electron/preload.ts',
      'core-entry': 'electron/core-entry.ts',
      serve: 'electron/serve-entry.ts',
    },
    outdir,
    // The package is "type": "module"; Electron's main, preload and utility process load CommonJS.
    format: 'cjs',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
    plugins: [externalPackagesPlugin, importMetaUrlPlugin(outdir, 'cjs')],
  }),
};

/** Where each target goes unless told otherwise. */
const OUTDIRS = { cli: 'dist', electron: 'dist/electron' };

/** Where a build records itself: when, from which inputs, into which files. */
const metaFile = (outdir) => join(root, outdir, 'build-meta.json');

/** The record of the last build into `outdir`, or null. */
async function readBuildMeta(outdir) {
  return readFile(metaFile(outdir), 'utf8').then(JSON.parse, () => null);
}

/** True when nothing was built into `outdir` yet or a file that went into it changed since (or is gone). */
async function isStale(outdir) {
  const meta = await readBuildMeta(outdir);
  if (meta === null) return true;
  // This script is an input too: a change here changes every output.
  for (const input of [...meta.inputs, relative(root, fileURLToPath(import.meta.url))]) {
    const info = await stat(join(root, input)).catch(() => null);
    if (info === null || info.mtimeMs > meta.builtAt) return true;
  }
  return false;
}

/** Builds one target into `outdir` (relative to the root); returns the files written (source maps aside). */
async function buildTarget(name, outdir) {
  const options = TARGETS[name](outdir);
  const builtAt = Date.now();
  // Chunk names carry hashes: remove the previous build's files so the directory holds one build.
  const previous = await readBuildMeta(outdir);
  for (const file of Object.keys(previous?.outputs ?? {})) await rm(join(root, file), { force: true });
  const result = await build(options);
  const outputs = result.metafile.outputs;
  // The CLI entry runs as an executable (package.json "bin", ./dist/cli.mjs).
  for (const file of Object.keys(outputs)) if (file.endsWith('/cli.mjs')) await chmod(join(root, file), 0o755);
  const meta = {
    builtAt,
    inputs: Object.keys(result.metafile.inputs),
    // For the tests: which source files went into each output file, and what it imports.
    // (entryPoint: the source an entry or a lazily imported module's chunk was built from.)
    outputs: Object.fromEntries(Object.entries(outputs).map(([file, out]) => [file, {
      ...(out.entryPoint !== undefined ? { entryPoint: out.entryPoint } : {}),
      inputs: Object.keys(out.inputs),
      imports: out.imports.map((i) => ({ path: i.path, kind: i.kind, external: i.external === true })),
    }])),
  };
  await writeFile(metaFile(outdir), `${JSON.stringify(meta, null, 1)}\n`);
  return Object.keys(outputs).filter((f) => !f.endsWith('.map'));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const names = args.filter((a) => !a.startsWith('--'));
  for (const name of names) {
    if (!(name in TARGETS)) throw new Error(`unknown build target '${name}' (known: ${Object.keys(TARGETS).join(', ')})`);
  }
  const selected = names.length > 0 ? names : Object.keys(TARGETS);
  // --outdir=DIR (one target only): a build elsewhere inside the project, e.g. the tests' own.
  const outdirFlag = args.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length);
  if (outdirFlag !== undefined && selected.length !== 1) throw new Error('--outdir needs exactly one target');
  const t0 = performance.now();
  const written = [];
  for (const name of selected) {
    const outdir = outdirFlag !== undefined ? relative(root, resolve(outdirFlag)) : OUTDIRS[name];
    if (outdir.startsWith('..')) throw new Error(`--outdir must be inside the project (node_modules must be above it): ${outdirFlag}`);
    if (args.includes('--if-stale') && !(await isStale(outdir))) continue;
    written.push(...await buildTarget(name, outdir));
  }
  if (written.length > 0) {
    const entries = written.filter((f) => !/-[A-Z0-9]{8}\.mjs$/.test(f));
    console.log(`built ${written.length} files in ${Math.round(performance.now() - t0)} ms: ${entries.join(' ')} (+ chunks and source maps)`);
  }
}
