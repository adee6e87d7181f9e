// E-receipt contact capture at the till (issue 16) in headless Chromium against a real training
// core, in Russian: a malformed phone and a contact without the customer's consent are named and
// block the payment; with consent the sale stores the contact, which the manager's privacy list
// shows (masked) for that sale. A sale with no contact stores none.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ConsentsResponse } from '../../src/server/contract/index.ts';
import { apiCall, ensureUiBuilt, launchBrowser, setUpRegister, startTestCore, tillWithShift, wedgeScan, type TestBrowser, type TestCore } from './browser.ts';

const SLOW = { timeout: 60_000 };

describe('till: e-receipt contact with consent', { timeout: 300_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let page: Page;
  let adminToken: string;

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    browser = await launchBrowser();
    adminToken = await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }]);
    page = await browser.newPage();
    await tillWithShift(page, core.url, 'dana', '5173');
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  const consents = () => apiCall<ConsentsResponse>(core.url, 'GET', '/api/privacy/consents', undefined, adminToken);

  test('the contact is checked, needs the consent tick, and is stored with the sale', async () => {
    const [first, second] = core.core.services.training?.sample('sellable', 2) ?? [];
    assert.ok(first && second);
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await wedgeScan(page, first);
    await page.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor(SLOW);
    await page.keyboard.press('F2');
    await page.locator('#payment-dialog').waitFor();
    await page.locator('#ereceipt-phone').fill('12345');
    assert.equal(await page.getByTestId('ereceipt-problem').innerText(), 'В номере телефона от 10 до 15 цифр');
    assert.equal(await page.locator('#pay-confirm').isDisabled(), true);
    await page.locator('#ereceipt-phone').fill('+7 701 123-45-67');
    assert.equal(await page.getByTestId('ereceipt-problem').innerText(), 'Отметьте согласие покупателя или сотрите контакт');
    assert.equal(await page.locator('#pay-confirm').isDisabled(), true);
    await page.locator('#ereceipt-consent').check();
    assert.equal(await page.getByTestId('ereceipt-problem').count(), 0);
    await page.locator('#pay-confirm').click();
    await page.locator('#payment-dialog').waitFor({ state: 'detached', ...SLOW });
    const saleId = (await page.getByTestId('last-sale-id').innerText()).trim();
    const stored = (await consents()).consents;
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.saleId, saleId);
    assert.match(stored[0]?.phone ?? '', /67$/, 'the phone as typed, spaces and dashes dropped, masked');
    assert.ok(!(stored[0]?.phone ?? '').includes('123'), 'masked on the manager\'s list');

    // The next sale without a contact stores none (the fields start empty).
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await wedgeScan(page, second);
    await page.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor(SLOW);
    await page.keyboard.press('F2');
    await page.locator('#payment-dialog').waitFor();
    assert.equal(await page.locator('#ereceipt-phone').inputValue(), '');
    await page.locator('#pay-confirm').click();
    await page.locator('#payment-dialog').waitFor({ state: 'detached', ...SLOW });
    assert.equal((await consents()).consents.length, 1);
    await page.locator('.lang-switch button[lang="en"]').click();
  });
});
