// Override approval on a second screen, in headless Chromium against a real core (training mode):
// the cashier's screen asks (the override dialog's "ask on the manager's screen"), the manager's
// screen shows the request with the refused code and the reason, the manager approves there, and
// the approved line joins the cashier's basket on the cashier's screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { BasketView, LoginResponse, ScanResponse } from '../../src/server/contract/index.ts';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, setUpRegister, startTestCore, type TestBrowser, type TestCore } from './browser.ts';

const USERS = [
  { name: 'dana', role: 'cashier', pin: '5173' },
  { name: 'marat', role: 'manager', pin: '2968' },
  { name: 'timur', role: 'technician', pin: '3619' },
] as const;

let core: TestCore;
let browser: TestBrowser;

before(async () => {
  await ensureUiBuilt();
  core = await startTestCore();
  browser = await launchBrowser();
  await setUpRegister(core.url, USERS);
});
after(async () => {
  await browser?.close();
  await core?.close();
});

async function open(name: string, pin: string, landing: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(core.url);
  await logIn(page, name, pin);
  await page.locator(landing).waitFor();
  return page;
}

test('asked on the cashier screen, approved on the manager screen: the line joins the cashier basket', { timeout: 180_000 }, async () => {
  const cashierToken = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', { name: 'dana', pin: '5173' })).token;
  const techToken = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', { name: 'timur', pin: '3619' })).token;
  const cashier = await open('dana', '5173', '#cashier');
  const manager = await open('marat', '2968', '#manager');
  await apiCall(core.url, 'POST', '/api/shifts/open', {}, cashierToken);
  // The registry down, an unknown code is a refusal a manager may override.
  await apiCall(core.url, 'POST', '/api/training/emulators', { registry: 'stopped' }, techToken);
  let refusalId: string | null = null;
  for (let i = 0; i < 20 && refusalId === null; i++) {
    const code = core.core.services.training?.sample('unknown', i + 1)[i] as string;
    const r = await apiCall<ScanResponse>(core.url, 'POST', '/api/checkout/scan', { code, source: 'wedge' }, cashierToken);
    if (r.verdict.overridable) refusalId = r.verdict.refusalId ?? null;
  }
  assert.ok(refusalId, 'an overridable refusal');

  await cashier.keyboard.press('F7');
  const dialog = cashier.locator('#override-dialog');
  await dialog.waitFor();
  await dialog.locator('input[name="refusal"]').last().check();
  await dialog.locator('#override-reason').fill('checked the invoice');
  await dialog.locator('#override-ask').click();
  await dialog.getByText(/Отправлено|Sent|Жіберілді/).waitFor();

  const requests = manager.getByTestId('approval-requests');
  await requests.waitFor({ timeout: 30_000 });
  assert.match(await requests.innerText(), /dana: .*checked the invoice/s);
  await requests.getByRole('button', { name: /Подтвердить|Approve|Растау/ }).click();
  await requests.waitFor({ state: 'detached', timeout: 30_000 });

  const basket = await apiCall<BasketView>(core.url, 'GET', '/api/checkout/basket', undefined, cashierToken);
  const line = basket.lines.find((l) => l.override !== null);
  assert.equal(line?.override?.manager, 'marat', 'the approver is the manager\'s own session');
  assert.ok(!basket.refusals.some((r) => r.id === refusalId));
  await cashier.keyboard.press('Escape');
  await cashier.locator(`[data-line-id="${line?.id}"], #cashier >> text=${line?.name ?? ''}`).first().waitFor({ timeout: 30_000 });
});
