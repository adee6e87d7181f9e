/**
 * The manager's and the technician's screens for scripts/screenshots.ts: the sync dashboard
 * during and after an outage, sales, overrides, audit, privacy, an override approval asked from
 * the till; the technician's configuration, devices, test print, cache import and logs.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { USERS, login, shot, type ShotContext } from './screenshots-kit.ts';

/** The manager during the outage (started by the caller), after recovery, sales, overrides and audit. */
export async function managerShots(ctx: ShotContext, manager: Page): Promise<void> {
  await manager.locator('[data-testid="sync-mode"][data-mode="offline"]').waitFor({ timeout: 60_000 });
  await manager.waitForFunction(() => Number(document.querySelector('[data-testid="sync-queue"]')?.textContent) >= 2, undefined, { timeout: 60_000 });
  await shot(ctx, manager, 'manager-sync-offline');
  await ctx.training({ ofd: 'running' });
  await manager.getByTestId('sync-queue').filter({ hasText: /^0$/ }).waitFor({ timeout: 90_000 });
  await manager.locator('[data-testid="chart-deliveries"] svg rect').first().waitFor({ timeout: 30_000 });
  await shot(ctx, manager, 'manager-sync');
  await manager.locator('#manager-tab-sales').click();
  await manager.locator('[data-testid="sales-table"] tbody tr[data-sale]').first().waitFor();
  await shot(ctx, manager, 'manager-sales');
  await manager.locator('#manager-tab-overrides').click();
  await manager.locator('[data-testid="overrides-table"] tr[data-override]').first().waitFor();
  await shot(ctx, manager, 'manager-overrides');
  await manager.locator('#manager-tab-audit').click();
  await manager.locator('[data-testid="audit-table"] tbody tr').first().waitFor();
  await shot(ctx, manager, 'manager-audit');
}

/**
 * The registry down, an unknown code refused; the cashier asks for the override on the manager's
 * screen, which shows the request as a banner; the manager approves there and the line is sold.
 */
export async function approvalShot(ctx: ShotContext, cashier: Page, manager: Page): Promise<void> {
  await ctx.training({ registry: 'stopped' });
  await ctx.send('unknown');
  await cashier.locator('[data-testid="refusals"] li button', { hasText: 'Manager override' }).waitFor({ timeout: 30_000 });
  await cashier.keyboard.press('F7');
  const dialog = cashier.locator('#override-dialog');
  await dialog.waitFor();
  await dialog.locator('input[name="refusal"]').last().check();
  await dialog.locator('#override-reason').fill('Invoice checked at the back office');
  await dialog.locator('#override-ask').click();
  await dialog.getByText(/Sent/).waitFor();
  await manager.locator('#manager-tab-sync').click();
  const requests = manager.getByTestId('approval-requests');
  await requests.waitFor({ timeout: 30_000 });
  await shot(ctx, manager, 'manager-approval');
  await requests.getByRole('button', { name: 'Approve' }).click();
  await requests.waitFor({ state: 'detached', timeout: 30_000 });
  await ctx.training({ registry: 'running' });
  await cashier.keyboard.press('Escape');
  await cashier.locator('#override-dialog').waitFor({ state: 'detached' });
  await cashier.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor({ timeout: 30_000 });
  await cashier.keyboard.press('F2');
  await cashier.locator('#payment-dialog').waitFor();
  await cashier.keyboard.press('Enter');
  await cashier.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor({ state: 'detached', timeout: 30_000 });
}

/** The manager's privacy tab once a sale kept an e-receipt contact (masked), with the purge. */
export async function privacyShot(ctx: ShotContext, manager: Page): Promise<void> {
  await manager.locator('#manager-tab-privacy').click();
  await manager.locator('[data-testid="consents-table"] tbody tr').first().waitFor();
  await shot(ctx, manager, 'manager-privacy');
}

/** The technician: configuration with the registry test, devices, test print, cache import, logs, a field error. */
export async function technicianShots(ctx: ShotContext): Promise<void> {
  const technician = await ctx.browser.newPage();
  await login(technician, ctx.core.url, USERS.technician, '#technician');
  await technician.locator('#cfg-storeName').waitFor();
  await technician.locator('#registry-test').click();
  await technician.getByTestId('registry-test-ofd').waitFor({ timeout: 30_000 });
  await shot(ctx, technician, 'technician-config');
  await technician.locator('#tech-tab-devices').click();
  await technician.locator('tr[data-device="training-scanner"]').waitFor();
  await ctx.send('sellable');
  await ctx.send('withdrawn');
  await technician.locator('[data-testid="raw-frames"] li[data-device]').nth(1).waitFor({ timeout: 30_000 });
  await technician.locator('#test-print').click();
  await technician.getByTestId('test-print-image').waitFor({ timeout: 30_000 });
  await shot(ctx, technician, 'technician-devices');
  await technician.getByTestId('test-print-image').scrollIntoViewIfNeeded();
  await shot(ctx, technician, 'technician-test-print');
  await technician.locator('#tech-tab-cache').click();
  await technician.locator('#cache-file').setInputFiles(join(ctx.core.dataDir, 'training-feed.ndjson'));
  await technician.locator('#cache-full').check();
  await technician.locator('#cache-import').click();
  await technician.getByTestId('cache-message').waitFor({ timeout: 60_000 });
  await shot(ctx, technician, 'technician-cache');
  await technician.locator('#tech-tab-logs').click();
  await technician.locator('[data-testid="logs-table"] tbody tr').first().waitFor();
  await shot(ctx, technician, 'technician-logs');
  await technician.locator('#tech-tab-config').click();
  await technician.locator('#cfg-markingUrl').fill('https://marking.example.kz/api/v1');
  await technician.locator('#cfg-offlineLimitHours').fill('96');
  await technician.locator('#config-save').click();
  await technician.locator('#cfg-offlineLimitHours-error').waitFor();
  await shot(ctx, technician, 'technician-config-error');
}
