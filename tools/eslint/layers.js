// ESLint rules of Tanba's layering (docs/architecture.md):
// - `tanba/layers`: imports of our own code point one way only. Each file belongs to a layer named
//   by its folder; an import is allowed when the target is the same layer or one the source
//   layer may depend on (ALLOWED, which is the real graph: an edge nobody uses is not listed).
//   Production code imports neither the test kit nor a testdata/ folder (vectors and oracles
//   beside the unit tests that use them, also read by scripts/).
// - `tanba/packages`: a few npm packages belong to one layer (PACKAGES).
// - `tanba/no-cycle`: no import cycle between our modules.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Which layers each layer may import (besides itself). Anything not listed is forbidden.
 * `contract` is the typed API shared by server and UI (src/server/contract). `emulators` (the
 * OFD, registry, scanner and printer emulators and training mode) is imported only by the CLI,
 * tests, bench and the composition root (COMPOSITION_ROOTS); production layers never import it.
 */
export const ALLOWED = {
  clock: [],
  version: [],
  files: [], // src/files.ts: the one durable write-then-rename
  config: [],
  log: ['config'],
  marking: [],
  rules: [],
  drivers: ['marking'], // the AIM symbology table (src/marking/aim.ts)
  store: [],
  registry: ['clock', 'rules', 'store'],
  cache: ['clock', 'marking', 'rules', 'store'],
  checkout: ['cache', 'clock', 'marking', 'registry', 'rules', 'store', 'sync'],
  devices: ['drivers', 'files'],
  sync: ['cache', 'clock', 'registry', 'store'],
  contract: ['rules'],
  hub: ['checkout', 'clock', 'files', 'store'],
  register: ['cache', 'checkout', 'clock', 'config', 'contract', 'devices', 'drivers', 'files', 'hub', 'marking', 'registry', 'store', 'sync'],
  scan: ['checkout', 'contract', 'marking', 'register', 'registry', 'store'],
  status: ['contract', 'register', 'sync'],
  server: ['cache', 'checkout', 'clock', 'config', 'contract', 'devices', 'files', 'log', 'marking', 'register', 'registry', 'scan', 'status', 'store', 'sync', 'version'],
  ui: ['contract'],
  electron: ['server', 'version'],
  emulators: ['drivers', 'marking', 'register', 'registry'],
  cli: ['*'],
  test: ['*'],
  bench: ['*'],
};

/** The composition root: besides its layer's imports, it starts the training emulators. */
export const COMPOSITION_ROOTS = [{ file: 'src/server/main.ts', may: ['emulators'] }];

/**
 * npm packages that belong to one place: the database driver to the store (and the OFD
 * emulator's own file), hardware access to the drivers, the OFD codec to registry/ofd. Type-only
 * imports are free (they load nothing at run time). Tests, bench and the CLI may use them all.
 */
export const PACKAGES = {
  'better-sqlite3': ['store', 'emulators'],
  serialport: ['drivers'],
  '@serialport/stream': ['drivers'],
  '@serialport/bindings-cpp': ['drivers'],
  'node-hid': ['drivers'],
  protobufjs: ['registry/ofd'],
  '@nats-io/transport-node': ['hub'],
  '@nats-io/jetstream': ['hub'],
  '@nats-io/kv': ['hub'],
};

/** Helpers that exist once (src/marking/visible.ts): a function of one of these names is a copy. */
export const BANNED_HELPERS = ['printableBytes', 'printable', 'visible', 'showGs', 'visibleGS'];

/** The layer a file belongs to, or null for files outside the layered tree. */
export function layerOf(root, file) {
  const parts = relative(root, file).split(sep);
  const [top, second] = parts;
  if (top === 'drivers' || top === 'electron' || top === 'emulators') return top;
  if (top === 'test' || top === 'bench') return top;
  if (top !== 'src' || second === undefined) return null;
  if (parts.length === 2) {
    const base = second.replace(/\.(test\.)?ts$/, '');
    if (base === 'cli' || base.startsWith('cli-')) return 'cli';
    return base; // src/config.ts, src/log.ts, src/clock.ts
  }
  if (second === 'server' && (parts[2] ?? '').startsWith('contract')) return 'contract';
  return second;
}

const isTestFile = (file) => /\.test\.tsx?$/.test(file);
/** Test material beside the code: vectors and oracles in a testdata/ folder, for tests and scripts only. */
const inTestdata = (file) => /(^|[\\/])testdata[\\/]/.test(file);

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the one-way layering of docs/architecture.md' },
    schema: [],
    messages: {
      forbidden: "layer '{{from}}' may not import layer '{{to}}' ({{source}}); allowed: {{allowed}}",
      testkit: "production code may not import the test kit ({{source}}): it builds codes for tests, fixtures and benchmarks",
      testdata: "production code may not import test data ({{source}}): a testdata/ folder holds vectors and oracles for tests and scripts",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (from === null) return {};
    const rel = relative(root, file).split(sep).join('/');
    // A unit test beside the code may also use the emulators and the test kit.
    const extra = [...(COMPOSITION_ROOTS.find((r) => r.file === rel)?.may ?? []), ...(isTestFile(file) ? ['emulators'] : [])];
    const allowed = [...(ALLOWED[from] ?? []), ...extra];
    const production = !['cli', 'test', 'bench', 'emulators'].includes(from) && !isTestFile(file) && !inTestdata(file);
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      if (production && /(^|\/)testkit(\.ts)?$/.test(source)) {
        context.report({ node, messageId: 'testkit', data: { source } });
        return;
      }
      if (production && inTestdata(target)) {
        context.report({ node, messageId: 'testdata', data: { source } });
        return;
      }
      const to = layerOf(root, target);
      if (to === null || to === from || allowed.includes('*') || allowed.includes(to)) return;
      // A unit test beside the code may use the shared test helpers (test/helpers/), and only those.
      if (to === 'test' && isTestFile(file) && relative(root, target).split(sep).join('/').startsWith('test/helpers/')) return;
      context.report({ node, messageId: 'forbidden', data: { from, to, source, allowed: allowed.join(', ') || 'none' } });
    }
    return {
      ImportDeclaration(node) { check(node, node.source.value); },
      ExportNamedDeclaration(node) { if (node.source) check(node, node.source.value); },
      ExportAllDeclaration(node) { check(node, node.source.value); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value); },
    };
  },
};

/** The package an import names ('@scope/name' or 'name'), or null for a relative or node: import. */
function packageOf(source) {
  if (source.startsWith('.') || source.startsWith('node:')) return null;
  const parts = source.split('/');
  return source.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export const packagesRule = {
  meta: {
    type: 'problem',
    docs: { description: 'keep database, hardware and codec packages in their layer' },
    schema: [],
    messages: { forbidden: "'{{pkg}}' belongs to {{owners}}; {{where}} may not import it" },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const layer = layerOf(root, file);
    if (layer === null || ['cli', 'test', 'bench'].includes(layer) || isTestFile(file)) return {};
    const rel = relative(root, file).split(sep).join('/');
    function check(node, source, typeOnly) {
      if (typeof source !== 'string' || typeOnly) return;
      const pkg = packageOf(source);
      const owners = pkg === null ? undefined : PACKAGES[pkg];
      if (owners === undefined) return;
      if (owners.some((o) => o === layer || rel.startsWith(`src/${o}/`) || rel.startsWith(`${o}/`))) return;
      context.report({ node, messageId: 'forbidden', data: { pkg, owners: owners.join(', '), where: rel } });
    }
    return {
      ImportDeclaration(node) { check(node, node.source.value, node.importKind === 'type'); },
      ImportExpression(node) { if (node.source.type === 'Literal') check(node, node.source.value, false); },
    };
  },
};

// ---- import cycles ----

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s(?:type\s)?[^'";]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
const importsCache = new Map();

/** Relative imports of a file (type-only ones included: a cycle of types is still a tangle). */
function importsOf(file) {
  let out = importsCache.get(file);
  if (out) return out;
  out = [];
  let text = '';
  try { text = readFileSync(file, 'utf8'); } catch { /* a missing file has no imports */ }
  for (const m of text.matchAll(IMPORT_RE)) {
    const target = resolve(dirname(file), m[1] ?? m[2]);
    if (existsSync(target)) out.push(target);
  }
  importsCache.set(file, out);
  return out;
}

/** A path of imports from `start` back to itself, or null. */
export function findCycle(start, readImports = importsOf) {
  const seen = new Set();
  const stack = [];
  function visit(file) {
    for (const next of readImports(file)) {
      if (next === start) return [...stack, file, next];
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(file);
      const found = visit(next);
      if (found) return found;
      stack.pop();
    }
    return null;
  }
  return visit(start);
}

export const noCycleRule = {
  meta: {
    type: 'problem',
    docs: { description: 'no import cycles between our modules' },
    schema: [],
    messages: { cycle: 'import cycle: {{path}}' },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    if (layerOf(root, file) === null) return {};
    return {
      Program(node) {
        importsCache.delete(file); // the file being linted may have changed since it was read
        const cycle = findCycle(file);
        if (cycle) context.report({ node, messageId: 'cycle', data: { path: cycle.map((f) => relative(root, f).split(sep).join('/')).join(' -> ') } });
      },
    };
  },
};

export default { rules: { layers: layersRule, packages: packagesRule, 'no-cycle': noCycleRule } };
