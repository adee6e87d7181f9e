/**
 * Scan-to-screen latency: from the moment the bytes of a code are written to a virtual serial
 * scanner (a pty, assigned to the register as a scanner device through the API) to the moment
 * the cashier screen in headless Chromium has rendered its verdict (a MutationObserver on the
 * verdict panel, then the next animation frame — the frame that shows it). Both clocks are
 * epoch-based (`performance.timeOrigin + performance.now()`) on the same machine.
 *
 * The whole path runs for real: pty → serial driver → device manager → checkout (cache lookup,
 * online check within its budget against the training registry emulator, rules) → WebSocket →
 * Preact render. Printed beside baselines measured in the same run:
 * - the API round trip of the same kind of scan without the browser or the scanner
 *   (POST /api/checkout/scan from this process);
 * - the wire time of the same bytes at 115200 and 9600 baud (a real scanner's serial link).
 */
import { performance } from 'node:perf_hooks';
import type { Page } from 'playwright-core';
import { SerialScannerEmulator } from '../emulators/scanner/index.ts';
import { code as randomCode, rng } from '../test/fixtures/scanner/codes.ts';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, setUpRegister, startTestCore } from '../test/e2e/browser.ts';
import { percentile, report, type Bench } from './lib.ts';

const USERS = [
  { name: 'dana', role: 'cashier', pin: '5173' },
  { name: 'timur', role: 'technician', pin: '3619' },
] as const;

/** Epoch milliseconds with sub-millisecond resolution (comparable with the page's). */
const epochNow = (): number => performance.timeOrigin + performance.now();

/**
 * The observer installed in the page: one pending wait at a time, keyed by the code as scanned.
 * Plain JavaScript text, because the bench runs under tsx, whose transform decorates functions
 * with helpers that do not exist in the page.
 */
const PROBE = `
window.__tanbaBenchWait = (code) => new Promise((resolve) => {
  const matches = () => {
    const el = document.querySelector('[data-testid="verdict"]');
    return el !== null && el.getAttribute('data-code') === code && ['allow', 'warn', 'refuse'].includes(el.getAttribute('data-decision') || '');
  };
  const done = () => requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now()));
  if (matches()) return done();
  const observer = new MutationObserver(() => {
    if (!matches()) return;
    observer.disconnect();
    done();
  });
  observer.observe(document.querySelector('#cashier') || document.body, { subtree: true, childList: true, attributes: true, characterData: true });
});
`;

async function installProbe(page: Page): Promise<void> {
  await page.evaluate(PROBE);
}

const bench: Bench = async ({ quick }) => {
  const samples = quick ? 15 : 200;
  const r = rng(2024);
  const fresh = (): string => randomCode(r);

  await ensureUiBuilt();
  const core = await startTestCore();
  const browser = await launchBrowser();
  const emu = new SerialScannerEmulator({ terminator: 'cr' });
  try {
    const admin = await setUpRegister(core.url, USERS);
    const cashierToken = (await apiCall<{ token: string }>(core.url, 'POST', '/api/login', { name: 'dana', pin: '5173' })).token;
    await apiCall(core.url, 'POST', '/api/shifts/open', {}, cashierToken);
    await emu.start();
    await apiCall(core.url, 'POST', '/api/devices', {
      id: 'bench-scanner', role: 'scanner', transport: 'serial', path: emu.path, baudRate: 115200, framing: { terminator: 'cr', idleMs: 50 },
    }, admin);

    const page = await browser.newPage();
    await page.goto(core.url);
    await logIn(page, 'dana', '5173');
    await page.locator('#cashier').waitFor();
    await page.locator('[data-testid="connection"][data-core="connected"]').waitFor();
    await installProbe(page);

    /** One scan through the pty; returns ms from the first byte written to the verdict's frame. */
    const throughScreen = async (code: string): Promise<number> => {
      const shown = page.evaluate(`window.__tanbaBenchWait(${JSON.stringify(code)})`) as Promise<number>;
      // The probe is armed inside the evaluate before it awaits; a second round trip makes sure it is in place.
      await page.evaluate('true');
      const t0 = epochNow();
      await emu.send(code);
      return (await shown) - t0;
    };
    // The device opens asynchronously after assignment: wait until a scan gets through (warm-up too).
    const warm = Date.now() + 60_000;
    for (let ok = 0; ok < 3;) {
      if (Date.now() > warm) throw new Error('the bench scanner never delivered a verdict to the page');
      const got = await Promise.race([throughScreen(fresh()), new Promise<null>((res) => setTimeout(() => res(null), 3000))]);
      if (got !== null) ok++;
    }

    const screen: number[] = [];
    const api: number[] = [];
    const sent: string[] = [];
    for (let i = 0; i < samples; i++) {
      // Keep the basket small so every sample renders the same amount (a cashier's basket, not 200 lines).
      if (i % 10 === 0) await apiCall(core.url, 'POST', '/api/checkout/cancel', {}, cashierToken);
      const c = fresh();
      sent.push(c);
      screen.push(await throughScreen(c));
      const a = fresh();
      const t0 = epochNow();
      await apiCall(core.url, 'POST', '/api/checkout/scan', { code: a, source: 'manual' }, cashierToken);
      api.push(epochNow() - t0);
    }
    const meanBytes = sent.reduce((n, c) => n + Buffer.byteLength(c) + 1, 0) / sent.length;
    const wire115 = (meanBytes * 10 * 1000) / 115200;
    const wire96 = (meanBytes * 10 * 1000) / 9600;
    const apiP50 = percentile(api, 50);
    report('API scan round trip (baseline)', { n: api.length, p50_ms: apiP50, p99_ms: percentile(api, 99) });
    const p50 = percentile(screen, 50);
    const p99 = percentile(screen, 99);
    report('scan-to-screen (pty→Chromium)', {
      n: screen.length, p50_ms: p50, p99_ms: p99, x_api_p50: p50 / apiP50, x_api_p99: p99 / percentile(api, 99),
      wire_115200_ms: wire115, wire_9600_ms: wire96, 'p50/wire9600': p50 / wire96,
    });
  } finally {
    await browser.close();
    await emu.close().catch(() => undefined);
    await core.close();
  }
};

export default bench;
