/**
 * Builds the web UI into src/ui/dist: the register's pages (index.html, served by the core,
 * src/server/app.ts) and head office's view (hq/index.html, served by `tanba hq serve`,
 * src/hub/hq-web.ts). Two entries of one build share the Preact runtime, the string tables and
 * the styles. Preact with the automatic JSX runtime, compiled by Vite's own transformer (Oxc),
 * so no Babel is needed.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'preact' },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    // Everything ships inside the register: one small bundle, no CDN, no runtime fetches.
    assetsInlineLimit: 8192,
    rolldownOptions: {
      input: {
        register: fileURLToPath(new URL('./index.html', import.meta.url)),
        hq: fileURLToPath(new URL('./hq/index.html', import.meta.url)),
      },
    },
  },
});
