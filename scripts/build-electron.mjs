#!/usr/bin/env node
// Bundles the shell (main, preload, core entry, headless serve entry) into dist/electron as
// CommonJS with esbuild. npm dependencies stay external: electron-builder installs them (and
// rebuilds the native ones for Electron's ABI).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/**
 * Modules find data files next to themselves with `new URL('./x', import.meta.url)`. In the
 * bundle each module's import.meta.url becomes the URL its source file would have inside the
 * packaged app (dist/electron is two levels below the app root, which keeps src/, drivers/).
 */
const importMetaUrlPlugin = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx)$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const rel = relative(root, args.path).split('\\').join('/');
      const expr = `require('node:url').pathToFileURL(require('node:path').join(__dirname, '..', '..', ${JSON.stringify(rel)})).href`;
      return { contents: source.split('import.meta.url').join(expr), loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
    });
  },
};

await build({
  absWorkingDir: root,
  entryPoints: {
    main: 'electron/main.ts',
    preload: 'electron/preload.ts',
    'core-entry': 'electron/core-entry.ts',
    serve: 'electron/serve-entry.ts',
  },
  outdir: 'dist/electron',
  // The package is "type": "module"; the bundles are CommonJS.
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  packages: 'external',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  plugins: [importMetaUrlPlugin],
});
console.log('dist/electron: main.cjs preload.cjs core-entry.cjs serve.cjs');
