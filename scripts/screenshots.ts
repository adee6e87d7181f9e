/**
 * Saves a PNG of every screen of the web UI (1024x768) to docs/screenshots/, for the README.
 * Starts a throw-away core (temporary data directory), walks through the first-run wizard,
 * creates one user per role and photographs each screen in headless Chromium.
 *
 *   node --import tsx scripts/screenshots.ts [--out docs/screenshots]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { ensureUiBuilt, launchBrowser, logIn, startTestCore } from '../test/e2e/browser.ts';

const root = new URL('..', import.meta.url).pathname;
const outArg = process.argv.indexOf('--out');
const outDir = resolve(outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1] as string : join(root, 'docs/screenshots'));

const USERS = [
  { name: 'Dana', role: 'cashier', pin: '1111' },
  { name: 'Marat', role: 'manager', pin: '2222' },
  { name: 'Timur', role: 'technician', pin: '3333' },
] as const;

async function shot(page: Page, name: string): Promise<void> {
  // Let fonts, transitions and the live connection settle so the picture is what people see.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(250);
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  console.log(file);
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

    const cashier = await browser.newPage();
    await cashier.goto(core.url);
    await logIn(cashier, 'Dana', '1111');
    await cashier.locator('#cashier').waitFor();
    await cashier.getByTestId('connection').filter({ hasText: 'Connected' }).waitFor();
    await shot(cashier, 'cashier');
    const at = new Date().toISOString();
    core.core.server.broadcast({ type: 'verdict', decision: 'refuse', reason: 'status.withdrawn', message: 'This code was withdrawn from circulation (sold or written off). Do not sell; call the manager.', code: '0104600439931256215Qbag!\x1d93Zjqw', at });
    await cashier.locator('[data-decision="refuse"]').waitFor();
    await shot(cashier, 'cashier-refuse');
    core.core.server.broadcast({ type: 'verdict', decision: 'allow', reason: 'ok', message: 'In circulation; the cache is 2 h old.', code: '0104600439931256215Xy7#k\x1d93AbCd', at });
    await cashier.locator('.lang-switch button', { hasText: 'KK' }).click();
    await cashier.locator('[data-decision="allow"]').waitFor();
    await shot(cashier, 'cashier-allow-kk');
    await cashier.locator('.lang-switch button', { hasText: 'EN' }).click();

    // A refused call for the audit log to show.
    await cashier.evaluate(async () => {
      const raw = sessionStorage.getItem('tanba.session');
      const token = raw ? (JSON.parse(raw) as { token: string }).token : '';
      await fetch('/api/config', { headers: { authorization: `Bearer ${token}` } });
    });

    const technician = await browser.newPage();
    await technician.goto(core.url);
    await logIn(technician, 'Timur', '3333');
    await technician.locator('#cfg-storeName').waitFor();
    await shot(technician, 'technician-config');
    await technician.locator('#cfg-markingUrl').fill('https://marking.example.kz/api/v1');
    await technician.locator('#cfg-offlineLimitHours').fill('96');
    await technician.locator('#config-save').click();
    await technician.locator('#cfg-offlineLimitHours-error').waitFor();
    await shot(technician, 'technician-config-error');

    const manager = await browser.newPage();
    await manager.goto(core.url);
    await logIn(manager, 'Marat', '2222');
    await manager.locator('#manager').waitFor();
    await shot(manager, 'manager-sync');
    await manager.locator('#manager-tab-audit').click();
    await manager.locator('[data-testid="audit-table"] tbody tr').first().waitFor();
    await shot(manager, 'manager-audit');
  } finally {
    await browser.close();
    await core.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
