// Returns at the till (issue 16) in headless Chromium against a real training core: the sale is
// found by scanning one of its items in the return dialog (a wedge burst, GS as Ctrl+]), that
// line comes ticked, the refund is taken in cash although the sale was paid by card; then, with
// the store's manager-approval flag on, the sale is picked from today's list, the line already
// returned cannot be ticked, and the return needs the manager's name and PIN — in Kazakh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { BasketView, CompleteResponse, ReturnSalesResponse, SalesResponse } from '../../src/server/contract/index.ts';
import { apiCall, ensureUiBuilt, fetchFromPage, launchBrowser, logIn, setUpRegister, startTestCore, wedgeScan, type TestBrowser, type TestCore } from './browser.ts';

const SLOW = { timeout: 60_000 };

describe('till: returns', { timeout: 300_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let page: Page;
  let adminToken: string;
  let sale: CompleteResponse;
  let codes: string[];

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    browser = await launchBrowser();
    adminToken = await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }, { name: 'Marat', role: 'manager', pin: '2968' }]);
    page = await browser.newPage();
    await page.goto(core.url);
    await logIn(page, 'dana', '5173');
    await page.locator('#cashier').waitFor();
    assert.equal((await fetchFromPage(page, 'POST', '/api/shifts/open', {})).status, 201);
    codes = core.core.services.training?.sample('sellable', 2) ?? [];
    assert.equal(codes.length, 2);
    for (const code of codes) assert.equal((await fetchFromPage(page, 'POST', '/api/checkout/scan', { code, source: 'wedge' })).status, 200);
    const basket = (await fetchFromPage(page, 'GET', '/api/checkout/basket')).body as BasketView;
    const paid = await fetchFromPage(page, 'POST', '/api/checkout/pay', { payments: [{ type: 'card', amount: basket.total }] });
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    sale = paid.body as CompleteResponse;
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  const lineOf = (code: string) => sale.receipt.lines.find((l) => l.code === code);

  test('an item scanned in the return dialog finds its sale and ticks its line; the refund is taken in cash', async () => {
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await page.keyboard.press('F4');
    await page.locator('#return-dialog').waitFor();
    // Today's list is there before anything is typed.
    await page.locator(`#return-dialog .return-found-sale[data-sale-id="${sale.saleId}"]`).waitFor(SLOW);
    await page.locator('#return-find').focus();
    await wedgeScan(page, codes[0] as string);
    await page.getByTestId('return-lines').waitFor(SLOW);
    assert.equal(await page.locator('#return-sale').inputValue(), sale.saleId);
    const boxes = page.locator('[data-testid="return-lines"] input[type="checkbox"]');
    assert.equal(await boxes.count(), 2);
    assert.deepEqual(await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked)), sale.receipt.lines.map((l) => l.code === codes[0]));
    assert.match(await page.getByTestId('return-selected').innerText(), /To return: 1 · /);
    await page.locator('#return-refund-cash').check();
    await page.locator('#return-confirm').click();
    await page.locator('#return-dialog').waitFor({ state: 'detached', ...SLOW });
    await page.getByTestId('cashier-status').filter({ hasText: /Return completed: / }).waitFor();
    const returns = await apiCall<SalesResponse>(core.url, 'GET', '/api/sales?kind=return', undefined, adminToken);
    assert.equal(returns.sales.length, 1);
    assert.deepEqual(returns.sales[0]?.payments.map((p) => [p.type, p.amount]), [['cash', lineOf(codes[0] as string)?.sum]]);
  });

  test('with approval required (kk): the sale picked from today\'s list, the returned line locked, the manager\'s name and PIN asked', async () => {
    await apiCall(core.url, 'PUT', '/api/config', { returns: { requireApproval: true } }, adminToken);
    await page.locator('.lang-switch button[lang="kk"]').click();
    await page.keyboard.press('F4');
    await page.locator('#return-dialog').waitFor();
    const pick = page.locator(`#return-dialog .return-found-sale[data-sale-id="${sale.saleId}"]`);
    await pick.waitFor(SLOW);
    assert.match(await pick.innerText(), new RegExp(`^Чек ${sale.receipt.printedDocumentNumber} · `));
    await pick.click();
    const returned = page.locator(`[data-testid="return-lines"] .return-line[data-line-id] input:disabled`);
    assert.equal(await returned.count(), 1, 'the line returned before cannot be ticked');
    await page.locator('[data-testid="return-lines"] input:not(:disabled)').check();
    await page.getByTestId('return-approval').waitFor();
    await page.locator('#return-confirm').click();
    assert.equal(await page.locator('#return-dialog [role="alert"]').innerText(), 'Менеджердің аты мен PIN-ін енгізіңіз');
    await page.locator('#return-manager').fill('marat');
    await page.locator('#return-pin').fill('1111');
    await page.locator('#return-confirm').click();
    await page.locator('#return-dialog [role="alert"]').filter({ hasText: 'Менеджердің аты немесе PIN-коды қате' }).waitFor();
    assert.equal(await page.locator('#return-pin').inputValue(), '', 'a refused PIN is cleared');
    await page.locator('#return-pin').fill('2968');
    await page.locator('#return-confirm').click();
    await page.locator('#return-dialog').waitFor({ state: 'detached', ...SLOW });
    const left = (await fetchFromPage(page, 'GET', `/api/checkout/returns/sales?q=${encodeURIComponent(codes[1] as string)}`)).body as ReturnSalesResponse;
    assert.deepEqual(left.sales[0]?.lines.map((l) => l.returned), [true, true]);
    const returns = await apiCall<SalesResponse>(core.url, 'GET', '/api/sales?kind=return', undefined, adminToken);
    // Refund as paid: the sale was all card.
    assert.deepEqual(returns.sales.map((s) => s.payments[0]?.type).sort(), ['card', 'cash']);
    await page.locator('.lang-switch button[lang="en"]').click();
  });
});
