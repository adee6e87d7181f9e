/**
 * Builds the web UI into src/ui/dist, which the core serves (src/server/app.ts). Preact with
 * the automatic JSX runtime, compiled by Vite's own transformer (Oxc), so no Babel is needed.
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
  },
});
