// ESLint rule `tanba/layers`: imports point one way only (README, "Layout").
// Each file belongs to a layer named by its folder; an import of our own code is allowed only
// when the target layer is the same layer or one the source layer may depend on.
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * Which layers each layer may import (besides itself). Anything not listed is forbidden.
 * `contract` is the typed API shared by server and UI (src/server/contract).
 */
export const ALLOWED = {
  marking: [],
  rules: [],
  drivers: [],
  store: ['marking'],
  registry: ['marking', 'rules', 'store'],
  cache: ['store', 'marking', 'rules', 'drivers'],
  checkout: ['store', 'marking', 'rules', 'drivers', 'cache', 'registry'],
  devices: ['store', 'marking', 'rules', 'drivers'],
  sync: ['store', 'marking', 'rules', 'drivers', 'cache', 'checkout', 'registry'],
  contract: ['marking', 'rules'],
  server: ['store', 'marking', 'rules', 'drivers', 'cache', 'checkout', 'registry', 'sync', 'devices', 'contract', 'config', 'log'],
  ui: ['contract'],
  electron: ['server'],
  config: [],
  log: ['config'],
  cli: ['*'],
  test: ['*'],
  bench: ['*'],
};

/**
 * Narrow exceptions by path: the UI runs the pure keyboard-wedge decoder itself (it sees the
 * key events; the core never does). The decoder has no I/O and imports nothing of ours.
 */
export const PATH_EXCEPTIONS = [{ from: 'ui', to: 'drivers/scanner/wedge/' }];

/** The layer a file belongs to, or null for files outside the layered tree. */
export function layerOf(root, file) {
  const parts = relative(root, file).split(sep);
  const [top, second] = parts;
  if (top === 'drivers') return 'drivers';
  if (top === 'electron') return 'electron';
  if (top === 'test' || top === 'bench') return top;
  if (top !== 'src' || second === undefined) return null;
  if (parts.length === 2) {
    const base = second.replace(/\.(test\.)?ts$/, '');
    if (base === 'cli' || base.startsWith('cli-')) return 'cli';
    return base; // src/config.ts, src/log.ts
  }
  if (second === 'server' && parts[2] === 'contract') return 'contract';
  if (second === 'server' && (parts[2] ?? '').startsWith('contract')) return 'contract';
  return second;
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the one-way layering of DESIGN.md' },
    schema: [],
    messages: {
      forbidden: "layer '{{from}}' may not import layer '{{to}}' ({{source}}); allowed: {{allowed}}",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(root, file);
    if (from === null) return {};
    const allowed = ALLOWED[from] ?? [];
    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      const to = layerOf(root, target);
      if (to === null || to === from || allowed.includes('*') || allowed.includes(to)) return;
      const rel = relative(root, target).split(sep).join('/');
      if (PATH_EXCEPTIONS.some((e) => e.from === from && rel.startsWith(e.to))) return;
      // A unit test beside the code may use the shared test helpers (test/helpers/), and only those.
      if (to === 'test' && file.endsWith('.test.ts') && rel.startsWith('test/helpers/')) return;
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

export default { rules: { layers: layersRule } };
