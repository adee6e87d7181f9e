// The desktop shell's policy, tested without an Electron binary: window and session options meet
// Electron's security checklist, the preload exposes exactly the declared surface, the builder
// configuration unpacks every native module, and `npm start` falls back to the headless core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { spawn } from 'node:child_process';
import { contentSecurityPolicy, isAllowedPermission, isAllowedUrl, shellOptions, windowOptions } from './options.ts';
// @ts-expect-error -- a plain .mjs script without types
import { findElectron } from '../scripts/find-electron.mjs';
import { CHANNELS, createPreloadApi, PRELOAD_API_KEYS, type IpcLike } from './preload-api.ts';

const root = new URL('..', import.meta.url).pathname;
const core = 'http://127.0.0.1:8420';

test('window options meet the security checklist', () => {
  const o = windowOptions('/app/preload.js', { kiosk: false });
  const w = o.webPreferences;
  assert.equal(w.contextIsolation, true);
  assert.equal(w.sandbox, true);
  assert.equal(w.nodeIntegration, false);
  assert.equal(w.nodeIntegrationInWorker, false);
  assert.equal(w.nodeIntegrationInSubFrames, false);
  assert.equal(w.webSecurity, true);
  assert.equal(w.allowRunningInsecureContent, false);
  assert.equal(w.webviewTag, false);
  assert.equal(w.experimentalFeatures, false);
  assert.equal(w.preload, '/app/preload.js');
  assert.match(w.partition, /^persist:/);
  assert.equal(o.kiosk, false);
  assert.equal(windowOptions('/p', { kiosk: true }).kiosk, true);
  assert.ok(o.minWidth <= 1024 && o.minHeight <= 768, 'usable at 1024x768');
});

test('the CSP allows only our own origin, no eval, no inline script, no remote content', () => {
  const csp = contentSecurityPolicy(core);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-eval|unsafe-inline|\*|https:/);
  assert.match(csp, /connect-src 'self' ws:\/\/127\.0\.0\.1:8420/);
  assert.match(csp, /object-src 'none'/);
  assert.match(csp, /frame-ancestors 'none'/);
});

test('navigation and new windows are limited to the core, permissions denied but the camera', () => {
  assert.equal(isAllowedUrl(`${core}/#/cashier`, core), true);
  assert.equal(isAllowedUrl('http://127.0.0.1:9999/', core), false);
  assert.equal(isAllowedUrl('https://evil.example/', core), false);
  assert.equal(isAllowedUrl('javascript:alert(1)', core), false);
  assert.equal(isAllowedUrl('not a url', core), false);
  assert.equal(isAllowedPermission('media', `${core}/`, core, ['video']), true);
  assert.equal(isAllowedPermission('media', `${core}/`, core, ['audio']), false);
  assert.equal(isAllowedPermission('media', 'https://evil.example/', core, ['video']), false);
  for (const p of ['geolocation', 'notifications', 'midi', 'hid', 'serial', 'usb', 'openExternal', 'clipboard-read']) {
    assert.equal(isAllowedPermission(p, `${core}/`, core), false, p);
  }
});

test('shell options come from flags and environment, with a checked port', () => {
  assert.deepEqual(shellOptions(['--kiosk', '--port=9000'], {}), { kiosk: true, startOnLogin: false, port: 9000 });
  assert.deepEqual(shellOptions(['--start-on-login'], { TANBA_KIOSK: '1' }), { kiosk: true, startOnLogin: true, port: 0 });
  assert.throws(() => shellOptions(['--port=70000'], {}), /--port must be 0\.\.65535/);
});

test('the preload exposes exactly the declared surface and leaks no ipcRenderer', () => {
  const sent: unknown[][] = [];
  const listeners = new Map<string, (event: unknown, ...args: unknown[]) => void>();
  const ipc: IpcLike = {
    send: (...args) => { sent.push(args); },
    on: (channel, l) => { listeners.set(channel, l); return ipc; },
    removeListener: (channel) => { listeners.delete(channel); return ipc; },
  };
  const api = createPreloadApi(ipc, '1.2.3');
  assert.deepEqual(Object.keys(api).sort(), [...PRELOAD_API_KEYS].sort());
  assert.ok(Object.isFrozen(api));
  for (const value of Object.values(api)) assert.ok(typeof value === 'string' || typeof value === 'function');
  const urls: string[] = [];
  const off = api.onCoreRestarted((url) => urls.push(url));
  listeners.get(CHANNELS.coreRestarted)?.({ sender: 'secret' }, 'http://127.0.0.1:5000/');
  listeners.get(CHANNELS.coreRestarted)?.({}, { not: 'a url' });
  assert.deepEqual(urls, ['http://127.0.0.1:5000/'], 'only strings pass, the event object never does');
  off();
  assert.equal(listeners.size, 0);
  api.quit();
  assert.deepEqual(sent, [[CHANNELS.quit]]);
  // The real preload hands exactly this object to contextBridge and nothing else.
  const preload = readFileSync(join(root, 'electron/preload.ts'), 'utf8');
  assert.equal((preload.match(/exposeInMainWorld/g) ?? []).length, 1);
  assert.match(preload, /exposeInMainWorld\('tanba', createPreloadApi\(ipcRenderer/);
});

/** Every native addon (.node) a runtime dependency ships. */
function nativeAddons(): string[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 6 || !existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full, depth + 1);
      else if (name.endsWith('.node')) out.push(relative(root, full));
    }
  };
  for (const dep of Object.keys(pkg.dependencies)) walk(join(root, 'node_modules', dep), 0);
  walk(join(root, 'node_modules', '@serialport', 'bindings-cpp'), 0);
  return out;
}

/** Minimal glob match for the asarUnpack patterns (** and *). */
function globMatch(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.split('**/').join('\u0000').split('**').join('\u0001').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').split('\u0000').join('(?:.*/)?').split('\u0001').join('.*')}$`);
  return re.test(path);
}

test('the builder configuration unpacks every native module from the asar and targets deb, AppImage, NSIS', () => {
  const yml = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
  const unpack = [...yml.matchAll(/^\s+- "?([^"\n]+)"?$/gm)].map((m) => m[1] as string).filter((p) => p.includes('node_modules') || p.includes('.node'));
  assert.ok(unpack.length > 0, 'asarUnpack patterns present');
  const addons = nativeAddons();
  assert.ok(addons.some((a) => a.includes('better_sqlite3.node')), `better-sqlite3 addon found among ${addons.length}`);
  for (const addon of addons) assert.ok(unpack.some((p) => globMatch(p, addon)), `${addon} is unpacked`);
  assert.match(yml, /target: \[deb, AppImage\]/);
  assert.match(yml, /target: \[nsis\]/);
  assert.match(yml, /npmRebuild: true/);
  assert.match(yml, /afterInstall: packaging\/linux\/after-install\.sh/);
  const after = readFileSync(join(root, 'packaging/linux/after-install.sh'), 'utf8');
  assert.match(after, /60-tanba\.rules/);
  assert.match(after, /tanba\.service/);
  const unit = readFileSync(join(root, 'packaging/linux/tanba.service'), 'utf8');
  assert.match(unit, /ELECTRON_RUN_AS_NODE=1/);
  assert.match(unit, /serve\.cjs/);
});

test('npm start falls back to `tanba serve` with a clear message when Electron cannot run', async (t) => {
  const found = findElectron();
  if ('binary' in found) {
    t.skip('an Electron binary is installed here: npm start would open the desktop app');
    return;
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'tanba-start-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['scripts/start.mjs', '--port', '0'], {
    cwd: root,
    env: { ...process.env, TANBA_DATA_DIR: dataDir, TANBA_UI_SKIP_BUILD: '1' },
  });
  let out = '';
  const running = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000);
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      if (/Tanba is running at http:\/\/127\.0\.0\.1:\d+\//.test(out)) { clearTimeout(timer); resolve(true); }
    });
    child.on('exit', () => { clearTimeout(timer); resolve(false); });
  });
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  assert.ok(running, `core started: ${out}`);
  assert.match(out, /starting the headless core instead/);
  assert.ok(out.includes(found.reason), `the reason is named: ${found.reason}`);
  assert.match(out, /TRAINING MODE/);
});
