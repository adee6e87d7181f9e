// The packaged shell driven by Playwright's Electron support. Runs only where an Electron binary
// is installed (it cannot be downloaded here: these tests skip with the reason). To run them:
//   npm install electron            # with its binary (no ELECTRON_SKIP_BINARY_DOWNLOAD)
//   npm run build:ui && npm run build:electron
//   npm test -- test/electron
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
// @ts-expect-error -- a plain .mjs script without types
import { findElectron } from '../../scripts/find-electron.mjs';
import { PRELOAD_API_KEYS } from '../../electron/preload-api.ts';

const root = new URL('../..', import.meta.url).pathname;
const found = findElectron() as { binary: string } | { reason: string };
const skip = 'binary' in found ? false : `no Electron binary: ${found.reason}`;

let app: ElectronApplication | undefined;
let page: Page | undefined;
let dataDir = '';

before(async () => {
  if (skip) return;
  for (const script of ['build:ui', 'build:electron']) {
    const r = spawnSync('npm', ['run', script], { cwd: root, stdio: 'inherit' });
    assert.equal(r.status, 0, `npm run ${script}`);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'tanba-electron-'));
  app = await _electron.launch({
    executablePath: (found as { binary: string }).binary,
    args: [join(root, 'dist/electron/main.cjs'), '--port=0'],
    env: { ...process.env, TANBA_DATA_DIR: dataDir },
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

after(async () => {
  await app?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the window shows the core on loopback, with no Node in the page', { skip }, async () => {
  assert.match(page?.url() ?? '', /^http:\/\/127\.0\.0\.1:\d+\//);
  assert.equal(await page?.evaluate(() => typeof (globalThis as { require?: unknown }).require), 'undefined');
  assert.equal(await page?.evaluate(() => typeof (globalThis as { process?: unknown }).process), 'undefined');
});

test('the preload exposes exactly the declared surface', { skip }, async () => {
  const keys = await page?.evaluate(() => Object.keys((globalThis as unknown as { tanba: object }).tanba).sort());
  assert.deepEqual(keys, [...PRELOAD_API_KEYS].sort());
});

test('navigation away from the core and new windows are refused', { skip }, async () => {
  const before = page?.url();
  await page?.evaluate(() => { location.href = 'https://example.invalid/'; });
  await page?.waitForTimeout(500);
  assert.equal(page?.url(), before);
  const opened = await page?.evaluate(() => window.open('https://example.invalid/') === null);
  assert.equal(opened, true);
});
