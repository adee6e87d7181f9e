// The checkout end to end in headless Chromium against a real core in training mode: the
// in-process OFD emulator over TCP, the marking registry emulator over HTTP, the emulated
// scanner on a pty (socat) and the virtual printer. Nothing is mocked. The codes the cashier
// sells come from a second emulated serial scanner assigned like a real one (the training
// scanner's frames are the technician's Test scans and never reach a basket, issue 16).
//
// (a) a code sent by the virtual serial scanner shows its verdict on the cashier screen;
// (b) a sale completes and shows as delivered on the manager screen;
// (c) stopping the OFD emulator shows the offline banner and a growing queue; restarting it
//     drains the queue;
// plus the basket (remove), the manager override, a return, the technician's raw monitor and
// test print, and role enforcement on the new endpoints.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SerialScannerEmulator } from '../../emulators/scanner/index.ts';
import type { DevicesResponse, LoginResponse, SaleSummary, SalesResponse, SyncDashboard } from '../../src/server/contract/index.ts';
import { apiCall, ensureUiBuilt, fetchFromPage, launchBrowser, logIn, setUpRegister, startTestCore, type TestBrowser, type TestCore } from './browser.ts';

const USERS = [
  { name: 'dana', role: 'cashier', pin: '5173' },
  { name: 'marat', role: 'manager', pin: '2968' },
  { name: 'timur', role: 'technician', pin: '3619' },
] as const;

/** Waits for delivery and emulator restarts: generous, because other test files load the 2 cores. */
const SLOW = { timeout: 90_000 };

describe('checkout end to end (training mode)', { timeout: 420_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let cashier: Page;
  let manager: Page;
  let technician: Page;
  let techToken: string;
  /** A serial scanner on a pty, assigned through the API as a technician assigns a real one. */
  let scanner: SerialScannerEmulator;

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    browser = await launchBrowser();
    await setUpRegister(core.url, USERS);
    techToken = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', { name: 'timur', pin: '3619' })).token;
    scanner = new SerialScannerEmulator({ link: join(mkdtempSync(join(tmpdir(), 'tanba-e2e-scanner-')), 'scanner.pty'), terminator: 'cr' });
    await scanner.start();
    await apiCall(core.url, 'POST', '/api/devices', { id: 'serial-scanner', role: 'scanner', transport: 'serial', path: scanner.path, framing: { terminator: 'cr', idleMs: 50 } }, techToken);
    for (let i = 0; ; i++) {
      const d = await apiCall<DevicesResponse>(core.url, 'GET', '/api/devices', undefined, techToken);
      if (d.devices.find((x) => x.config.id === 'serial-scanner')?.health?.state === 'connected') break;
      assert.ok(i < 200, 'the emulated serial scanner connects');
      await new Promise((r) => setTimeout(r, 100));
    }
    const open = async (name: string, pin: string, landing: string) => {
      const page = await browser.newPage();
      await page.goto(core.url);
      await logIn(page, name, pin);
      await page.locator(landing).waitFor();
      await page.locator('[data-testid="connection"][data-core="connected"]').waitFor();
      return page;
    };
    cashier = await open('dana', '5173', '#cashier');
    manager = await open('marat', '2968', '#manager');
    technician = await open('timur', '3619', '#technician');
  });

  after(async () => {
    await browser?.close();
    await core?.close();
    await scanner?.close();
  });

  /**
   * The emulated serial scanner sends the code over its pty, as a real scanner would.
   * Each call takes the next unused code of that kind from the training dataset (a sold code is
   * not sellable twice).
   */
  const used = new Map<string, number>();
  async function scannerSends(kind: 'sellable' | 'withdrawn' | 'unknown'): Promise<string> {
    const n = used.get(kind) ?? 0;
    used.set(kind, n + 1);
    const code = core.core.services.training?.sample(kind, n + 1)[n];
    assert.ok(code, `the training dataset has a ${kind} code #${n + 1}`);
    await scanner.send(code);
    return code;
  }

  async function dashboard(): Promise<SyncDashboard> {
    return apiCall<SyncDashboard>(core.url, 'GET', '/api/sync/status', undefined, techToken);
  }

  test('the cashier opens the shift from the keyboard', async () => {
    await cashier.getByTestId('shift-closed').waitFor();
    await cashier.keyboard.press('F8');
    await cashier.locator('#shift-dialog').waitFor();
    // The confirm button has the focus: Enter opens the shift.
    await cashier.keyboard.press('Enter');
    await cashier.getByTestId('shift-closed').waitFor({ state: 'detached' });
    await cashier.getByTestId('cashier-status').filter({ hasText: /Shift \d+ is open/ }).waitFor();
    await cashier.waitForFunction(() => document.activeElement?.id === 'scan-input');
  });

  test('(a) a code sent by the virtual serial scanner shows its verdict on the cashier screen', async () => {
    await technician.locator('#tech-tab-devices').click();
    await technician.locator('tr[data-device="training-scanner"]').waitFor();
    const code = await scannerSends('sellable');
    assert.ok(code.includes('\x1d'), 'a GS1 code with its GS separator');
    const verdict = cashier.locator('[data-testid="verdict"][data-decision="allow"]');
    await verdict.waitFor(SLOW);
    assert.match(await verdict.innerText(), /Can be sold/);
    assert.match(await verdict.innerText(), /serial-scanner/, 'the verdict names the scanner it came from');
    // The code on screen is the code as scanned, GS shown as a mark.
    const shown = await cashier.getByTestId('verdict-code').innerText();
    assert.equal(shown.replace(/\s/g, ''), code.replaceAll('\x1d', 'GS').replace(/\s/g, ''));
    await cashier.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor();
    assert.equal(await cashier.locator('[data-testid="basket"] tbody tr[data-line]').count(), 1);
    assert.notEqual(await cashier.getByTestId('total').innerText(), '', 'a total is shown');
    // The technician's raw monitor saw the same bytes, GS visible in text and hex.
    const frame = technician.locator('[data-testid="raw-frames"] li[data-device="serial-scanner"]').first();
    await frame.waitFor();
    assert.match(await frame.getByTestId('raw-text').innerText(), /GS/);
    assert.match(await frame.getByTestId('raw-hex').innerText(), /\b1d\b/);
  });

  test('a technician\'s Test scan shows its verdict on the technician\'s screen and never lands in the live cashier\'s basket', async () => {
    const rows = cashier.locator('[data-testid="basket"] tbody tr[data-line]');
    const before = await rows.count();
    assert.ok(before > 0, 'the cashier has goods in the basket');
    await technician.locator('#test-scan-kind').selectOption('sellable');
    await technician.locator('#test-scan-send').click();
    const verdict = technician.locator('[data-testid="test-scan-verdict"][data-decision="allow"]');
    await verdict.waitFor(SLOW);
    assert.match(await verdict.innerText(), /Can be sold/);
    assert.match(await technician.getByTestId('test-scan-parsed').innerText(), /GTIN \d{14}/, 'the parsed code is shown');
    // The answer comes only after the frame was decided: by now it would be in the basket.
    const basket = await fetchFromPage(cashier, 'GET', '/api/checkout/basket');
    assert.equal(basket.status, 200);
    assert.equal((basket.body as { lines: unknown[] }).lines.length, before, 'the core\'s basket is unchanged');
    assert.equal(await rows.count(), before, 'the cashier\'s basket is unchanged');
    assert.equal(await cashier.locator('[data-testid="verdict"]').filter({ hasText: 'training-scanner' }).count(), 0, 'no verdict of the test scan on the till');
  });

  test('the add form asks a printer only for its port and baud; a scanner also for its code ending and pause', async () => {
    await technician.locator('#device-add').click();
    await technician.locator('#device-dialog').waitFor();
    assert.equal(await technician.locator('#dev-terminator').count(), 1, 'a scanner has a code ending');
    await technician.locator('#dev-role').selectOption('printer');
    await technician.locator('#dev-terminator').waitFor({ state: 'detached' });
    assert.equal(await technician.locator('#dev-idleMs').count(), 0, 'no end-of-code pause for a printer');
    assert.equal(await technician.locator('#dev-path').count(), 1, 'the port is asked');
    await technician.keyboard.press('Escape');
    await technician.locator('#device-dialog').waitFor({ state: 'detached' });
  });

  test('a withdrawn code is refused in red with the reason, and no manager may override it', async () => {
    await scannerSends('withdrawn');
    const verdict = cashier.locator('[data-testid="verdict"][data-decision="refuse"]');
    await verdict.waitFor(SLOW);
    assert.equal(await verdict.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(179, 38, 30)');
    assert.ok((await cashier.getByTestId('verdict-reason').innerText()).length > 5, 'a plain reason is shown');
    await cashier.getByTestId('refusals').waitFor();
    assert.equal(await cashier.locator('[data-testid="basket"] tbody tr[data-line]').count(), 1, 'the refusal is not in the basket');
    await cashier.keyboard.press('F7');
    await cashier.getByTestId('override-none').waitFor();
    await cashier.keyboard.press('Escape');
    await cashier.locator('#override-dialog').waitFor({ state: 'detached' });
    // The cashier dismisses the refusal; the basket is unchanged.
    await cashier.locator('[data-testid="refusals"] li button[aria-label="Dismiss"]').click();
    await cashier.getByTestId('refusals').waitFor({ state: 'detached' });
  });

  test('registry unreachable, code not in the cache: a manager overrides the refusal with their name, PIN and a reason', async () => {
    await apiCall(core.url, 'POST', '/api/training/emulators', { registry: 'stopped' }, techToken);
    try {
      await scannerSends('unknown');
      await cashier.locator('[data-testid="verdict"][data-decision="refuse"]').waitFor(SLOW);
      await cashier.locator('[data-testid="refusals"] li button', { hasText: 'Manager override' }).waitFor();
      await cashier.keyboard.press('F7');
      await cashier.locator('#override-dialog').waitFor();
      await cashier.locator('#override-manager').fill('marat');
      await cashier.locator('#override-pin').fill('5173');
      await cashier.locator('#override-reason').fill('Checked the paper invoice');
      await cashier.locator('#override-confirm').click();
      // The cashier's PIN under the manager's name is refused, and said so.
      await cashier.locator('#override-dialog [role="alert"]', { hasText: 'Wrong manager name or PIN' }).waitFor();
      await cashier.locator('#override-pin').fill('2968');
      await cashier.locator('#override-confirm').click();
      await cashier.locator('#override-dialog').waitFor({ state: 'detached' });
      await cashier.locator('[data-testid="basket"] tbody tr[data-line]').nth(1).waitFor();
      assert.match(await cashier.getByTestId('basket').innerText(), /allowed by marat/);
      // The manager's overrides log has it, with the reason.
      await manager.locator('#manager-tab-overrides').click();
      await manager.locator('[data-testid="overrides-table"] tr[data-override]', { hasText: 'Checked the paper invoice' }).waitFor(SLOW);
    } finally {
      await apiCall(core.url, 'POST', '/api/training/emulators', { registry: 'running' }, techToken);
    }
  });

  test('a basket line is removed with the keyboard (arrow to select, Delete)', async () => {
    const rows = cashier.locator('[data-testid="basket"] tbody tr[data-line]');
    const before = await rows.count();
    await scannerSends('sellable');
    await cashier.waitForFunction((n) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === n + 1, before, SLOW);
    // The newest line is selected; Delete with an empty scan field removes it.
    await cashier.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await cashier.keyboard.press('Delete');
    await cashier.waitForFunction((n) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === n, before);
  });

  let saleId = '';

  test('(b) a sale completes (F2) and shows as delivered on the manager screen', async () => {
    await cashier.keyboard.press('F2');
    // Payment is its own step: the dialog opens, Enter confirms.
    await cashier.locator('#payment-dialog').waitFor();
    await cashier.keyboard.press('Enter');
    const last = cashier.getByTestId('last-sale');
    await last.waitFor(SLOW);
    saleId = (await cashier.getByTestId('last-sale-id').innerText()).trim();
    assert.match(saleId, /\S{8,}/);
    assert.equal(await cashier.locator('[data-testid="basket"] tbody tr[data-line]').count(), 0, 'the basket is empty after the sale');
    // The cashier sees the delivery too (the `delivery` event), and the printed receipt.
    await cashier.getByTestId('last-sale-fiscal').filter({ hasText: /Delivered to the OFD/ }).waitFor(SLOW);
    await cashier.locator('#show-receipt').waitFor(SLOW);
    await cashier.keyboard.press('F10');
    const img = cashier.getByTestId('receipt-image');
    await img.waitFor(SLOW);
    assert.ok(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth > 100), 'the rendered receipt is an image');
    await cashier.keyboard.press('Escape');

    await manager.locator('#manager-tab-sales').click();
    const row = manager.locator(`tr[data-sale="${saleId}"]`);
    await row.waitFor(SLOW);
    await manager.locator(`tr[data-sale="${saleId}"][data-delivery="delivered"]`).waitFor(SLOW);
    assert.match(await row.innerText(), /dana/);
    // The same through the API the screen uses.
    const sales = await fetchFromPage(manager, 'GET', '/api/sales?kind=sale');
    const found = (sales.body as SalesResponse).sales.find((s: SaleSummary) => s.id === saleId);
    assert.equal(found?.delivery.state, 'delivered');
    assert.ok(found?.delivery.ticketNumber, 'the OFD gave a ticket number');
    // The filter is applied by the server: returns only -> the sale is not listed.
    await manager.locator('#sales-kind').selectOption('return');
    await manager.locator('#sales-apply').click();
    await row.waitFor({ state: 'detached' });
    await manager.locator('#sales-kind').selectOption('');
    await manager.locator('#sales-apply').click();
    await row.waitFor();
  });

  test('the manager dashboard shows the delivery: empty queue, last delivery, charts', async () => {
    await manager.locator('#manager-tab-sync').click();
    await manager.getByTestId('sync-queue').filter({ hasText: /^0$/ }).waitFor(SLOW);
    await manager.locator('[data-testid="sync-mode"][data-mode="online"]').waitFor(SLOW);
    assert.notEqual((await manager.getByTestId('sync-last-delivery').innerText()).trim(), '—');
    await manager.locator('[data-testid="chart-checks"] svg rect').first().waitFor(SLOW);
    await manager.locator('[data-testid="chart-deliveries"] svg rect').first().waitFor(SLOW);
  });

  test('(c) stopping the OFD emulator: offline banner and a growing queue; restarting it drains the queue', async () => {
    await technician.locator('#tech-tab-config').click();
    await technician.locator('[data-testid="training-ofd"][data-running="true"]').waitFor(SLOW);
    await technician.locator('#training-ofd-toggle').click();
    await technician.locator('[data-testid="training-ofd"][data-running="false"]').waitFor(SLOW);

    // Two sales while the OFD is away: the cashier does not wait, the records queue up.
    for (let i = 1; i <= 2; i++) {
      const lines = cashier.locator('[data-testid="basket"] tbody tr[data-line]');
      await scannerSends('sellable');
      await lines.first().waitFor(SLOW);
      const previous = (await cashier.getByTestId('last-sale-id').innerText()).trim();
      await cashier.keyboard.press('F3');
      // Card is its own step: the dialog opens, Enter completes nothing, the terminal's approval is chosen on purpose.
      await cashier.locator('#payment-dialog').waitFor();
      await cashier.keyboard.press('Enter');
      await cashier.getByTestId('pay-card-hint').waitFor();
      assert.equal(await cashier.locator('#payment-dialog').count(), 1, 'Enter did not record a card sale');
      await cashier.locator('#pay-confirm').click();
      await cashier.waitForFunction((prev) => {
        const id = document.querySelector('[data-testid="last-sale-id"]')?.textContent?.trim();
        return id !== undefined && id !== prev;
      }, previous, SLOW);
      await manager.waitForFunction((n) => Number(document.querySelector('[data-testid="sync-queue"]')?.textContent) >= n, i, SLOW);
    }
    const banner = cashier.getByTestId('offline-banner');
    await banner.waitFor(SLOW);
    assert.match(await banner.innerText(), /Offline: [2-9]\d* waiting for the OFD · status cache .+ old · .+ left before the offline limit/);
    await manager.locator('[data-testid="sync-mode"][data-mode="offline"]').waitFor(SLOW);
    const status = await dashboard();
    assert.ok(status.status.queue.depth >= 2, `queue depth ${status.status.queue.depth}`);
    assert.equal(status.status.mode, 'offline');

    await technician.locator('#training-ofd-toggle').click();
    await technician.locator('[data-testid="training-ofd"][data-running="true"]').waitFor(SLOW);
    // The sender retries by itself; the manager may also press "Deliver now".
    await manager.locator('#sync-now').click();
    await manager.getByTestId('sync-queue').filter({ hasText: /^0$/ }).waitFor(SLOW);
    await banner.waitFor({ state: 'detached', ...SLOW });
    await manager.locator('[data-testid="sync-mode"][data-mode="online"]').waitFor(SLOW);
    const drained = await dashboard();
    assert.equal(drained.status.queue.depth, 0);
  });

  test('a return against the first sale, scanned in the return dialog', async () => {
    // The sale's codes come from the manager's sale detail (the cashier scans them from the goods).
    const detail = await fetchFromPage(manager, 'GET', `/api/sales/${saleId}`);
    const codes = (detail.body as { lines: { code: string | null }[] }).lines.map((l) => l.code).filter((c): c is string => c !== null);
    assert.ok(codes.length >= 1);
    await cashier.keyboard.press('F4');
    await cashier.locator('#return-dialog').waitFor();
    await cashier.locator('#return-sale').fill(saleId);
    await cashier.locator('#return-code').fill(codes[0] as string);
    await cashier.locator('#return-code').press('Enter');
    await cashier.getByTestId('return-items').waitFor();
    await cashier.locator('#return-confirm').click();
    await cashier.locator('#return-dialog').waitFor({ state: 'detached', ...SLOW });
    await cashier.getByTestId('cashier-status').filter({ hasText: /Return completed: / }).waitFor();
    // Returning the same item again is refused, and said so.
    await cashier.keyboard.press('F4');
    await cashier.locator('#return-sale').fill(saleId);
    await cashier.locator('#return-code').fill(codes[0] as string);
    await cashier.locator('#return-confirm').click();
    await cashier.locator('#return-dialog [role="alert"]').waitFor();
    await cashier.keyboard.press('Escape');
  });

  test('the technician prints a test receipt and sees the rendered image', async () => {
    await technician.locator('#tech-tab-devices').click();
    await technician.locator('#test-print').click();
    const img = technician.getByTestId('test-print-image');
    await img.waitFor(SLOW);
    assert.ok(await img.evaluate((el) => (el as HTMLImageElement).naturalHeight > 100));
  });

  test('role enforcement on the new endpoints: a cashier calling technician and manager endpoints gets 403', async () => {
    for (const [method, path] of [['GET', '/api/devices'], ['POST', '/api/devices/test-scan'], ['POST', '/api/training/emulators'], ['GET', '/api/diagnostics'], ['GET', '/api/sales']] as const) {
      const res = await fetchFromPage(cashier, method, path, method === 'POST' ? {} : undefined);
      assert.equal(res.status, 403, `${method} ${path}`);
      assert.equal((res.body as { error: { code: string } }).error.code, 'FORBIDDEN');
    }
    // The OFD emulator was not stopped by the refused call.
    const training = await apiCall<{ training: { ofd: { running: boolean } } }>(core.url, 'GET', '/api/training', undefined, techToken);
    assert.equal(training.training.ofd.running, true);
  });
});
