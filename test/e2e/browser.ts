/**
 * End-to-end harness: builds the web UI when it is missing or older than its sources, starts
 * the core in-process on a free port with a temporary data directory, and drives Debian's
 * headless Chromium through playwright-core. Later e2e tests reuse these helpers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startCore, type Core } from '../../src/server/main.ts';
import type { ServiceTuning } from '../../src/server/services.ts';

const root = new URL('../..', import.meta.url).pathname;

/** Where the built UI lives (what the core serves). */
export const UI_DIST = join(root, 'src/ui/dist');

/** The Chromium binary (Debian's package; the tests do not download browsers). */
export const CHROMIUM = process.env.TANBA_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium flags: headless, no sandbox (containers), nothing phoning home. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required',
] as const;

/** Inputs of the UI build: if any is newer than dist/index.html, the build is stale. */
const UI_SOURCES = ['src/ui', 'src/server/contract'];

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === 'dist' || name === 'node_modules') continue;
    const full = join(dir, name);
    const st = statSync(full);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
  }
  return newest;
}

/** True if src/ui/dist (the register's page or head office's) is missing or older than any UI source. */
export function uiBuildIsStale(): boolean {
  const index = join(UI_DIST, 'index.html');
  if (!existsSync(index) || !existsSync(join(UI_DIST, 'hq', 'index.html'))) return true;
  const built = statSync(index).mtimeMs;
  return UI_SOURCES.some((d) => existsSync(join(root, d)) && newestMtime(join(root, d)) > built);
}

/**
 * Builds the UI with Vite if needed. Test files run in parallel, so the build is guarded by a
 * lock directory (mkdir is atomic); whoever waits re-checks freshness after the lock is free.
 */
export async function ensureUiBuilt(): Promise<void> {
  if (!uiBuildIsStale()) return;
  const lock = join(tmpdir(), `tanba-ui-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`);
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than the deadline belongs to a build that died; take it over.
      try { if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true }); } catch { /* gone already */ }
      if (Date.now() > deadline) throw new Error(`timed out waiting for the UI build lock ${lock}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (!uiBuildIsStale()) return;
    const r = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'src/ui/vite.config.ts'], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`the UI build failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** A headless Chromium with its own throw-away profile. */
export interface TestBrowser {
  context: BrowserContext;
  /** A new tab (its own sessionStorage, so its own login) at 1024x768. */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium with a fresh --user-data-dir (removed on close), in `locale` (default en-GB). */
export async function launchBrowser(options: { locale?: string } = {}): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install chromium, or set TANBA_CHROMIUM)`);
  const profile = mkdtempSync(join(tmpdir(), 'tanba-chromium-'));
  let context: BrowserContext;
  try {
    // playwright passes the profile as --user-data-dir itself.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1024, height: 768 },
      locale: options.locale ?? 'en-GB',
      timeout: 60_000,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  const pages: Page[] = [];
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      pages.push(page);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A core on 127.0.0.1 and a free port, with its own temporary data directory. */
export interface TestCore {
  core: Core;
  url: string;
  dataDir: string;
  /** Stops the core (idempotent). */
  stop(): Promise<void>;
  /** Stops the core and removes its data directory. */
  close(): Promise<void>;
}

/**
 * Timings for tests: seconds instead of the protocol's minutes, so an outage and its recovery
 * fit in a test; a small training dataset so the core starts fast.
 */
export const TEST_TUNING: ServiceTuning = {
  ofdReconnectIntervalMs: 500,
  ofdTransactionTimeoutMs: 3000,
  senderBackoff: { baseMs: 200, maxMs: 1500 },
  senderIdleMs: 1000,
  statusPushMs: 1000,
  trainingCodes: 400,
};

/** Starts the core in-process; the environment is empty so no TANBA_* variable leaks in. */
export async function startTestCore(env: NodeJS.ProcessEnv = {}, tuning: ServiceTuning = TEST_TUNING): Promise<TestCore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tanba-e2e-'));
  let core: Core;
  try {
    core = await startCore({ dataDir, host: '127.0.0.1', port: 0, env, uiDir: UI_DIST, tuning, logToStderr: false });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await core.stop();
  };
  return {
    core,
    url: core.url,
    dataDir,
    stop,
    async close() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The session token the page keeps in sessionStorage (null when logged out). */
export async function pageToken(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const raw = sessionStorage.getItem('tanba.session');
    return raw ? (JSON.parse(raw) as { token: string }).token : null;
  });
}

/** Calls the API from inside the page (same origin, the page's own token). */
export async function fetchFromPage(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  return page.evaluate(async ({ method, path, body }) => {
    const raw = sessionStorage.getItem('tanba.session');
    const token = raw ? (JSON.parse(raw) as { token: string }).token : '';
    const res = await fetch(path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
  }, { method, path, body });
}

/** Logs in through the login screen (name, PIN keypad field, submit). */
export async function logIn(page: Page, name: string, pin: string): Promise<void> {
  await page.locator('#login-name').fill(name);
  await page.locator('#login-pin').fill(pin);
  await page.locator('#login-submit').click();
}

/** Logs the cashier in at the till, opens her shift through the API (no float) and shows the till in `lang`. */
export async function tillWithShift(page: Page, url: string, name: string, pin: string, lang: 'ru' | 'kk' | 'en' = 'ru'): Promise<void> {
  await page.goto(url);
  await logIn(page, name, pin);
  await page.locator('#cashier').waitFor();
  const opened = await fetchFromPage(page, 'POST', '/api/shifts/open', {});
  if (opened.status !== 201) throw new Error(`the shift did not open: ${opened.status} ${JSON.stringify(opened.body)}`);
  await page.locator(`.lang-switch button[lang="${lang}"]`).click();
}

/**
 * Opens the till as a cashier: the page at the core, logged in, the shift opened from the
 * keyboard (F8, then Enter on the focused confirm button), the basket ready for scans.
 */
export async function openTill(page: Page, url: string, name: string, pin: string): Promise<void> {
  await page.goto(url);
  await logIn(page, name, pin);
  await page.locator('#cashier').waitFor();
  await page.keyboard.press('F8');
  await page.locator('#shift-dialog').waitFor();
  await page.keyboard.press('Enter');
  await page.getByTestId('shift-closed').waitFor({ state: 'detached' });
}

// US-layout physical keys, as a keyboard-wedge scanner presses them.
const SHIFTED: Record<string, string> = {
  '!': 'Digit1', '@': 'Digit2', '#': 'Digit3', '$': 'Digit4', '%': 'Digit5', '^': 'Digit6', '&': 'Digit7', '*': 'Digit8',
  '(': 'Digit9', ')': 'Digit0', '_': 'Minus', '+': 'Equal', '{': 'BracketLeft', '}': 'BracketRight', '|': 'Backslash',
  ':': 'Semicolon', '"': 'Quote', '<': 'Comma', '>': 'Period', '?': 'Slash', '~': 'Backquote',
};
const PLAIN: Record<string, string> = {
  '-': 'Minus', '=': 'Equal', '[': 'BracketLeft', ']': 'BracketRight', '\\': 'Backslash', ';': 'Semicolon', "'": 'Quote',
  ',': 'Comma', '.': 'Period', '/': 'Slash', '`': 'Backquote', ' ': 'Space',
};

/** One key press as the page sees it. */
export interface KeyPress { key: string; code: string; shiftKey: boolean; ctrlKey: boolean }

/** The US-layout key presses a keyboard-wedge scanner makes for `text` (GS as Ctrl+]). */
export function wedgeKeys(text: string, terminator: 'Enter' | null = 'Enter'): KeyPress[] {
  const keys: KeyPress[] = [];
  for (const ch of text) {
    if (ch === '\x1d') keys.push({ key: ']', code: 'BracketRight', shiftKey: false, ctrlKey: true });
    else if (/^[a-z]$/.test(ch)) keys.push({ key: ch, code: `Key${ch.toUpperCase()}`, shiftKey: false, ctrlKey: false });
    else if (/^[A-Z]$/.test(ch)) keys.push({ key: ch, code: `Key${ch}`, shiftKey: true, ctrlKey: false });
    else if (/^\d$/.test(ch)) keys.push({ key: ch, code: `Digit${ch}`, shiftKey: false, ctrlKey: false });
    else if (SHIFTED[ch]) keys.push({ key: ch, code: SHIFTED[ch], shiftKey: true, ctrlKey: false });
    else if (PLAIN[ch]) keys.push({ key: ch, code: PLAIN[ch], shiftKey: false, ctrlKey: false });
    else throw new Error(`wedgeScan: no US key for ${JSON.stringify(ch)}`);
  }
  if (terminator) keys.push({ key: terminator, code: terminator, shiftKey: false, ctrlKey: false });
  return keys;
}

/**
 * Types `text` the way a keyboard-wedge scanner does: one burst of key events (Shift held for
 * upper case and symbols, GS as Ctrl+], then Enter) delivered to the focused element. The burst
 * is dispatched inside the page in one go: a scanner types a key every few milliseconds, and
 * one CDP round trip per key (Playwright's keyboard) stretches that to human speed on a loaded
 * machine, which the decoder rightly takes for typing.
 */
export async function wedgeScan(page: Page, text: string, terminator: 'Enter' | null = 'Enter', options: BurstOptions = {}): Promise<void> {
  await wedgeBurst(page, wedgeKeys(text, terminator), options);
}

/** `blur`: take the focus off whatever has it first (the page body gets the keys), in the same task as the burst. */
export interface BurstOptions { blur?: boolean }

/** Dispatches prepared key presses (e.g. as a Russian layout types them) as one burst, like {@link wedgeScan}. */
export async function wedgeBurst(page: Page, keys: readonly KeyPress[], options: BurstOptions = {}): Promise<void> {
  // Plain JavaScript text: tsx would wrap a TypeScript function with helpers the page lacks.
  const blur = options.blur ? 'if (document.activeElement) document.activeElement.blur();' : '';
  await page.evaluate(`${blur}(${WEDGE_BURST_SCRIPT})(${JSON.stringify(keys)})`);
}

const WEDGE_BURST_SCRIPT = `function (keys) {
  var target = document.activeElement || document.body;
  function fire(type, k) {
    target.dispatchEvent(new KeyboardEvent(type, { key: k.key, code: k.code, shiftKey: k.shiftKey, ctrlKey: k.ctrlKey, bubbles: true, cancelable: true, composed: true }));
  }
  var shift = { key: 'Shift', code: 'ShiftLeft', shiftKey: true, ctrlKey: false };
  var ctrl = { key: 'Control', code: 'ControlLeft', shiftKey: false, ctrlKey: true };
  keys.forEach(function (k) {
    if (k.shiftKey) fire('keydown', shift);
    if (k.ctrlKey) fire('keydown', ctrl);
    fire('keydown', k);
    fire('keyup', k);
    if (k.ctrlKey) fire('keyup', { key: 'Control', code: 'ControlLeft', shiftKey: false, ctrlKey: false });
    if (k.shiftKey) fire('keyup', { key: 'Shift', code: 'ShiftLeft', shiftKey: false, ctrlKey: false });
  });
}`;

/** Calls the API from the test process (not the page): JSON in and out, 2xx or it throws with the error body. */
export async function apiCall<T>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(new URL(path, baseUrl), { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The administrator {@link setUpRegister} creates. */
export const TEST_ADMIN = { name: 'aigul', pin: '864209' } as const;

/**
 * Runs the first-run setup through the API (the wizard has its own test) and creates the
 * users; returns the administrator's token.
 */
export async function setUpRegister(baseUrl: string, users: ReadonlyArray<{ name: string; role: string; pin: string }>): Promise<string> {
  await apiCall(baseUrl, 'POST', '/api/setup', { storeName: 'Magnum Almaty 12', storeAddress: 'Abay Ave 10, Almaty', registerId: 'KASSA-3', adminName: TEST_ADMIN.name, adminPin: TEST_ADMIN.pin, languages: ['ru', 'kk'] });
  const { token } = await apiCall<{ token: string }>(baseUrl, 'POST', '/api/login', TEST_ADMIN);
  for (const u of users) await apiCall(baseUrl, 'POST', '/api/users', u, token);
  return token;
}
