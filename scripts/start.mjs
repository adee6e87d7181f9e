#!/usr/bin/env node
// `npm start`: the desktop app where Electron is installed, else the headless core in the
// browser. Electron is an optional dependency: its binary download cannot work everywhere.
// Both run the built JavaScript (scripts/build.mjs, run by `npm ci`); it is rebuilt here only
// when a source file changed since, so an edit shows without a manual build.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { findElectron } from './find-electron.mjs';

const root = new URL('..', import.meta.url).pathname;
const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit' }).status ?? 1;

if (process.env.TANBA_UI_SKIP_BUILD !== '1' && !(existsSync(`${root}src/ui/dist/index.html`) && existsSync(`${root}src/ui/dist/hq/index.html`)) && existsSync(`${root}src/ui/vite.config.ts`)) {
  if (run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'src/ui/vite.config.ts', '--logLevel', 'warn']) !== 0) process.exit(1);
}
const electron = process.env.TANBA_HEADLESS === '1' ? { reason: 'TANBA_HEADLESS=1' } : findElectron();
if ('binary' in electron) {
  if (run(process.execPath, ['scripts/build.mjs', 'electron', '--if-stale']) !== 0) process.exit(1);
  const child = spawn(electron.binary, ['dist/electron/main.cjs', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(`${electron.reason}; starting the headless core instead — open the URL below in a browser.`);
  if (run(process.execPath, ['scripts/build.mjs', 'cli', '--if-stale']) !== 0) process.exit(1);
  const child = spawn(process.execPath, ['dist/cli.mjs', 'serve', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
