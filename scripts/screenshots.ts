/**
 * Saves a PNG of every screen of the web UI (1024x768) to docs/screenshots/, for the README.
 * Starts a throw-away core in training mode (temporary data directory; the in-process OFD and
 * marking registry emulators, the emulated pty scanner and the virtual printer), walks through
 * the first-run wizard, creates one user per role, sells through the real checkout and
 * photographs each screen in headless Chromium.
 *
 *   node --import tsx scripts/screenshots.ts [--out docs/screenshots]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, startTestCore, type TestCore } from '../test/e2e/browser.ts';

const root = new URL('..', import.meta.url).pathname;
const outArg = process.argv.indexOf('--out');
const outDir = resolve(outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1] as string : join(root, 'docs/screenshots'));

const USERS = [
  { name: 'Dana', role: 'cashier', pin: '5173' },
  { name: 'Marat', role: 'manager', pin: '2968' },
  { name: 'Timur', role: 'technician', pin: '3619' },
] as const;

async function shot(page: Page, name: string): Promise<void> {
  // Let fonts, transitions and the live connection settle so the picture is what people see.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(file);
}

/** Sends codes of the training dataset through the emulated scanner's pty, one by one. */
function scanner(core: TestCore, token: string) {
  const used = new Map<string, number>();
  return async (kind: 'sellable' | 'withdrawn' | 'unknown' | 'expired'): Promise<string> => {
    const n = used.get(kind) ?? 0;
    used.set(kind, n + 1);
    const code = core.core.services.training?.sample(kind, n + 1)[n];
    if (!code) throw new Error(`no ${kind} code in the training dataset`);
    await apiCall(core.url, 'POST', '/api/devices/test-scan', { code }, token);
    return code;
  };
}

async function login(page: Page, url: string, name: string, pin: string, landing: string): Promise<void> {
  await page.goto(url);
  await logIn(page, name, pin);
  await page.locator(landing).waitFor();
  await page.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await ensureUiBuilt();
  const core = await startTestCore();
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(core.url);
    await page.locator('#setup-store-name').fill('Magnum — Almaty, Abay 10');
    await page.locator('#setup-store-address').fill('Abay Ave 10, Almaty');
    await page.locator('#setup-register-id').fill('KASSA-3');
    await shot(page, 'setup');
    await page.locator('#setup-next').click();
    await page.locator('#setup-admin-name').fill('Aigul');
    await page.locator('#setup-pin').fill('864209');
    await page.locator('#setup-pin2').fill('864209');
    await page.locator('#setup-finish').click();
    await page.locator('#login-name').waitFor();
    await page.locator('#login-pin').fill('8642');
    await shot(page, 'login');
    await page.locator('#login-pin').fill('864209');
    await page.locator('#login-submit').click();
    await page.locator('#chooser').waitFor();
    await shot(page, 'admin-chooser');

    await page.locator('#choose-users').click();
    for (const u of USERS) {
      await page.locator('#user-name').fill(u.name);
      await page.locator('#user-role').selectOption(u.role);
      await page.locator('#user-pin').fill(u.pin);
      await page.locator('#user-create').click();
      await page.locator(`tr[data-user="${u.name}"]`).waitFor();
    }
    await shot(page, 'users');

    const techToken = (await apiCall<{ token: string }>(core.url, 'POST', '/api/login', { name: 'Timur', pin: '3619' })).token;
    const send = scanner(core, techToken);
    const training = (body: Record<string, string>) => apiCall(core.url, 'POST', '/api/training/emulators', body, techToken);

    // --- cashier ---
    const cashier = await browser.newPage();
    await login(cashier, core.url, 'Dana', '5173', '#cashier');
    await cashier.getByTestId('shift-closed').waitFor();
    await shot(cashier, 'cashier-shift-closed');
    await cashier.keyboard.press('F8');
    await cashier.locator('#shift-dialog').waitFor();
    await cashier.keyboard.press('Enter');
    await cashier.getByTestId('shift-closed').waitFor({ state: 'detached' });
    for (let i = 0; i < 3; i++) {
      await send('sellable');
      await cashier.waitForFunction((n) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === n, i + 1, { timeout: 30_000 });
    }
    await cashier.locator('[data-testid="verdict"][data-decision="allow"]').waitFor();
    await shot(cashier, 'cashier');
    await send('withdrawn');
    await cashier.locator('[data-testid="verdict"][data-decision="refuse"]').waitFor({ timeout: 30_000 });
    await shot(cashier, 'cashier-refuse');
    await cashier.locator('[data-testid="refusals"] li button[aria-label="Dismiss"]').click();

    // The registry is unreachable and the code is not in the cache: a refusal a manager may override.
    await training({ registry: 'stopped' });
    await send('unknown');
    await cashier.locator('[data-testid="refusals"] li button', { hasText: 'Manager override' }).waitFor({ timeout: 30_000 });
    await cashier.keyboard.press('F7');
    await cashier.locator('#override-dialog').waitFor();
    await cashier.locator('#override-manager').fill('Marat');
    await cashier.locator('#override-pin').fill('2968');
    await cashier.locator('#override-reason').fill('Paper invoice checked; registry down');
    await shot(cashier, 'cashier-override');
    await cashier.locator('#override-confirm').click();
    await cashier.locator('#override-dialog').waitFor({ state: 'detached' });
    await training({ registry: 'running' });

    await cashier.keyboard.press('F2');

    // Payment is its own step: the dialog opens, Enter confirms.

    await cashier.locator('#payment-dialog').waitFor();

    await cashier.keyboard.press('Enter');
    await cashier.getByTestId('last-sale-fiscal').filter({ hasText: /Delivered to the OFD/ }).waitFor({ timeout: 60_000 });
    await cashier.locator('#show-receipt').waitFor({ timeout: 30_000 });
    await cashier.keyboard.press('F10');
    await cashier.getByTestId('receipt-image').waitFor({ timeout: 30_000 });
    await shot(cashier, 'cashier-receipt');
    await cashier.keyboard.press('Escape');

    await send('sellable');
    await cashier.locator('.lang-switch button', { hasText: 'KK' }).click();
    await cashier.locator('[data-testid="verdict"][data-decision="allow"]').waitFor({ timeout: 30_000 });
    await shot(cashier, 'cashier-allow-kk');
    await cashier.locator('.lang-switch button', { hasText: 'EN' }).click();
    await cashier.keyboard.press('F3');
    // Payment is its own step: the dialog opens, Enter confirms.
    await cashier.locator('#payment-dialog').waitFor();
    await cashier.keyboard.press('Enter');
    await cashier.getByTestId('cashier-status').filter({ hasText: /Sale completed: / }).waitFor({ timeout: 30_000 });

    // A refused call for the audit log to show.
    await cashier.evaluate(async () => {
      const raw = sessionStorage.getItem('tanba.session');
      const token = raw ? (JSON.parse(raw) as { token: string }).token : '';
      await fetch('/api/config', { headers: { authorization: `Bearer ${token}` } });
    });

    // --- an outage: the OFD emulator stops, two sales queue up ---
    const manager = await browser.newPage();
    await login(manager, core.url, 'Marat', '2968', '#manager');
    await training({ ofd: 'stopped' });
    for (let i = 0; i < 2; i++) {
      await send('sellable');
      await cashier.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor({ timeout: 30_000 });
      const previous = (await cashier.getByTestId('last-sale-id').innerText()).trim();
      await cashier.keyboard.press('F2');
      // Payment is its own step: the dialog opens, Enter confirms.
      await cashier.locator('#payment-dialog').waitFor();
      await cashier.keyboard.press('Enter');
      await cashier.waitForFunction((prev) => document.querySelector('[data-testid="last-sale-id"]')?.textContent?.trim() !== prev, previous, { timeout: 30_000 });
    }
    await send('sellable');
    await cashier.getByTestId('offline-banner').waitFor({ timeout: 60_000 });
    await shot(cashier, 'cashier-offline');
    await manager.locator('[data-testid="sync-mode"][data-mode="offline"]').waitFor({ timeout: 60_000 });
    await manager.waitForFunction(() => Number(document.querySelector('[data-testid="sync-queue"]')?.textContent) >= 2, undefined, { timeout: 60_000 });
    await shot(manager, 'manager-sync-offline');
    await training({ ofd: 'running' });
    await manager.getByTestId('sync-queue').filter({ hasText: /^0$/ }).waitFor({ timeout: 90_000 });
    await manager.locator('[data-testid="chart-deliveries"] svg rect').first().waitFor({ timeout: 30_000 });
    await shot(manager, 'manager-sync');
    await manager.locator('#manager-tab-sales').click();
    await manager.locator('[data-testid="sales-table"] tbody tr[data-sale]').first().waitFor();
    await shot(manager, 'manager-sales');
    await manager.locator('#manager-tab-overrides').click();
    await manager.locator('[data-testid="overrides-table"] tr[data-override]').first().waitFor();
    await shot(manager, 'manager-overrides');
    await manager.locator('#manager-tab-audit').click();
    await manager.locator('[data-testid="audit-table"] tbody tr').first().waitFor();
    await shot(manager, 'manager-audit');
    await manager.locator('#manager-tab-privacy').click();
    await manager.getByTestId('consents-table').waitFor();
    await shot(manager, 'manager-privacy');

    // --- technician ---
    const technician = await browser.newPage();
    await login(technician, core.url, 'Timur', '3333', '#technician');
    await technician.locator('#cfg-storeName').waitFor();
    await technician.locator('#registry-test').click();
    await technician.getByTestId('registry-test-ofd').waitFor({ timeout: 30_000 });
    await shot(technician, 'technician-config');
    await technician.locator('#tech-tab-devices').click();
    await technician.locator('tr[data-device="training-scanner"]').waitFor();
    await send('sellable');
    await send('withdrawn');
    await technician.locator('[data-testid="raw-frames"] li[data-device]').nth(1).waitFor({ timeout: 30_000 });
    await technician.locator('#test-print').click();
    await technician.getByTestId('test-print-image').waitFor({ timeout: 30_000 });
    await shot(technician, 'technician-devices');
    await technician.getByTestId('test-print-image').scrollIntoViewIfNeeded();
    await shot(technician, 'technician-test-print');
    await technician.locator('#tech-tab-cache').click();
    await technician.locator('#cache-file').setInputFiles(join(core.dataDir, 'training-feed.ndjson'));
    await technician.locator('#cache-full').check();
    await technician.locator('#cache-import').click();
    await technician.getByTestId('cache-message').waitFor({ timeout: 60_000 });
    await shot(technician, 'technician-cache');
    await technician.locator('#tech-tab-logs').click();
    await technician.locator('[data-testid="logs-table"] tbody tr').first().waitFor();
    await shot(technician, 'technician-logs');
    await technician.locator('#tech-tab-config').click();
    await technician.locator('#cfg-markingUrl').fill('https://marking.example.kz/api/v1');
    await technician.locator('#cfg-offlineLimitHours').fill('96');
    await technician.locator('#config-save').click();
    await technician.locator('#cfg-offlineLimitHours-error').waitFor();
    await shot(technician, 'technician-config-error');
  } finally {
    await browser.close();
    await core.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
