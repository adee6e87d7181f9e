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
import { apiCall, ensureUiBuilt, launchBrowser, startTestCore } from '../test/e2e/browser.ts';
import { USERS, login, scanner, seedProducts, shot, type ShotContext } from './screenshots-kit.ts';
import { clearTill, loginTilesShot, ntinShot, paymentShots, returnShot, sellingShots, shiftShots } from './screenshots-till.ts';
import { approvalShot, managerShots, privacyShot, technicianShots } from './screenshots-back-office.ts';

const root = new URL('..', import.meta.url).pathname;
const outArg = process.argv.indexOf('--out');
const outDir = resolve(outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1] as string : join(root, 'docs/screenshots'));

/** The first-run wizard, the login, the administrator's chooser and users (one per role). */
async function setupShots(ctx: Pick<ShotContext, 'outDir'>, page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('#setup-store-name').fill('Magnum — Almaty, Abay 10');
  await page.locator('#setup-store-address').fill('Abay Ave 10, Almaty');
  await page.locator('#setup-register-id').fill('KASSA-3');
  await shot(ctx, page, 'setup');
  await page.locator('#setup-next').click();
  await page.locator('#setup-admin-name').fill('Aigul');
  await page.locator('#setup-pin').fill('864209');
  await page.locator('#setup-pin2').fill('864209');
  await page.locator('#setup-finish').click();
  await page.locator('#login-name').waitFor();
  await page.locator('#login-pin').fill('8642');
  await shot(ctx, page, 'login');
  await page.locator('#login-pin').fill('864209');
  await page.locator('#login-submit').click();
  await page.locator('#chooser').waitFor();
  await shot(ctx, page, 'admin-chooser');

  await page.locator('#choose-users').click();
  for (const u of Object.values(USERS)) {
    await page.locator('#user-name').fill(u.name);
    await page.locator('#user-role').selectOption(u.role);
    await page.locator('#user-pin').fill(u.pin);
    await page.locator('#user-create').click();
    await page.locator(`tr[data-user="${u.name}"]`).waitFor();
  }
  await shot(ctx, page, 'users');
}

/** Pays the open basket: F2 (cash) or F3 (card) opens the payment dialog; Enter confirms cash, a card needs the terminal's approval chosen. */
async function pay(page: Page, key: 'F2' | 'F3'): Promise<void> {
  await page.keyboard.press(key);
  await page.locator('#payment-dialog').waitFor();
  if (key === 'F3') await page.locator('#pay-confirm').click();
  else await page.keyboard.press('Enter');
}

/** The cashier: shift closed, basket, refusal, manager override, receipt, Kazakh. */
async function cashierShots(ctx: ShotContext, cashier: Page): Promise<void> {
  await login(cashier, ctx.core.url, USERS.cashier, '#cashier');
  await cashier.getByTestId('shift-closed').waitFor();
  await shot(ctx, cashier, 'cashier-shift-closed');
  await cashier.keyboard.press('F8');
  await cashier.locator('#shift-dialog').waitFor();
  await cashier.locator('#shift-float').fill('5000');
  await shot(ctx, cashier, 'cashier-shift-open');
  await cashier.locator('#shift-confirm').click();
  await cashier.getByTestId('shift-closed').waitFor({ state: 'detached' });
  for (let i = 0; i < 3; i++) {
    await ctx.send('sellable');
    await cashier.waitForFunction((n) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === n, i + 1, { timeout: 30_000 });
  }
  await cashier.locator('[data-testid="verdict"][data-decision="allow"]').waitFor();
  await shot(ctx, cashier, 'cashier');
  await ctx.send('withdrawn');
  await cashier.locator('[data-testid="verdict"][data-decision="refuse"]').waitFor({ timeout: 30_000 });
  await shot(ctx, cashier, 'cashier-refuse');
  await cashier.locator('[data-testid="refusals"] li button[aria-label="Dismiss"]').click();

  // The registry is unreachable and the code is not in the cache: a refusal a manager may override.
  await ctx.training({ registry: 'stopped' });
  await ctx.send('unknown');
  await cashier.locator('[data-testid="refusals"] li button', { hasText: 'Manager override' }).waitFor({ timeout: 30_000 });
  await cashier.keyboard.press('F7');
  await cashier.locator('#override-dialog').waitFor();
  await cashier.locator('#override-manager').fill(USERS.manager.name);
  await cashier.locator('#override-pin').fill(USERS.manager.pin);
  await cashier.locator('#override-reason').fill('Paper invoice checked; registry down');
  await shot(ctx, cashier, 'cashier-override');
  await cashier.locator('#override-confirm').click();
  await cashier.locator('#override-dialog').waitFor({ state: 'detached' });
  await ctx.training({ registry: 'running' });

  await pay(cashier, 'F2');
  await cashier.getByTestId('last-sale-fiscal').filter({ hasText: /Delivered to the OFD/ }).waitFor({ timeout: 60_000 });
  await cashier.locator('#show-receipt').waitFor({ timeout: 30_000 });
  await cashier.keyboard.press('F10');
  await cashier.getByTestId('receipt-image').waitFor({ timeout: 30_000 });
  await shot(ctx, cashier, 'cashier-receipt');
  await cashier.keyboard.press('Escape');

  await ctx.send('sellable');
  await cashier.locator('.lang-switch button', { hasText: 'KK' }).click();
  await cashier.locator('[data-testid="verdict"][data-decision="allow"]').waitFor({ timeout: 30_000 });
  await shot(ctx, cashier, 'cashier-allow-kk');
  await cashier.locator('.lang-switch button', { hasText: 'EN' }).click();
  await pay(cashier, 'F3');
  await cashier.getByTestId('cashier-status').filter({ hasText: /Sale completed: / }).waitFor({ timeout: 30_000 });

  // A refused call for the audit log to show.
  await cashier.evaluate(async () => {
    const raw = sessionStorage.getItem('tanba.session');
    const token = raw ? (JSON.parse(raw) as { token: string }).token : '';
    await fetch('/api/config', { headers: { authorization: `Bearer ${token}` } });
  });
}

/** An outage: the OFD emulator stops, two sales queue up, the cashier sees the offline banner. */
async function outage(ctx: ShotContext, cashier: Page, manager: Page): Promise<void> {
  await login(manager, ctx.core.url, USERS.manager, '#manager');
  await ctx.training({ ofd: 'stopped' });
  for (let i = 0; i < 2; i++) {
    await ctx.send('sellable');
    await cashier.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor({ timeout: 30_000 });
    const previous = (await cashier.getByTestId('last-sale-id').innerText()).trim();
    await pay(cashier, 'F2');
    await cashier.waitForFunction((prev) => document.querySelector('[data-testid="last-sale-id"]')?.textContent?.trim() !== prev, previous, { timeout: 30_000 });
  }
  await ctx.send('sellable');
  await cashier.getByTestId('offline-banner').waitFor({ timeout: 60_000 });
  await shot(ctx, cashier, 'cashier-offline');
}

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await ensureUiBuilt();
  const core = await startTestCore();
  const browser = await launchBrowser();
  try {
    seedProducts(core);
    await setupShots({ outDir }, await browser.newPage(), core.url);
    const techToken = (await apiCall<{ token: string }>(core.url, 'POST', '/api/login', USERS.technician)).token;
    const counter = await scanner(core, techToken);
    const ctx: ShotContext = {
      core, browser, outDir,
      send: counter.send,
      training: (body) => apiCall(core.url, 'POST', '/api/training/emulators', body, techToken),
    };
    const cashier = await browser.newPage();
    await cashierShots(ctx, cashier);
    const manager = await browser.newPage();
    await outage(ctx, cashier, manager);
    await managerShots(ctx, manager);
    await technicianShots(ctx);
    // The outage's last scan went to the till: sold and dismissed.
    await clearTill(cashier);
    await ntinShot(ctx, cashier);
    await clearTill(cashier);
    await sellingShots(ctx, cashier);
    const code = await paymentShots(ctx, cashier);
    await returnShot(ctx, cashier, code);
    await approvalShot(ctx, cashier, manager);
    await privacyShot(ctx, manager);
    await shiftShots(ctx, cashier);
    await loginTilesShot(ctx);
    await counter.stop();
  } finally {
    await browser.close();
    await core.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
