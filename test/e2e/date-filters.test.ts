// The manager's date filters in the UI language's format (issue 16), in headless Chromium launched
// in en-US and in en-GB (Chromium's <input type=date> follows the browser locale: mm/dd/yyyy under
// en-US whatever the UI language): the English UI shows and takes dd/mm/yyyy in both locales,
// Russian and Kazakh dd.mm.yyyy; a typed date filters the sales (the query carries the ISO date
// and the table follows); a text that is no date is marked and explained, not sent.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { BasketView, SaleSummary } from '../../src/server/contract/index.ts';
import { MESSAGES } from '../../src/ui/shared/i18n.ts';
import { ensureUiBuilt, fetchFromPage, launchBrowser, logIn, setUpRegister, startTestCore, type TestBrowser, type TestCore } from './browser.ts';

const SLOW = { timeout: 60_000 };

for (const locale of ['en-US', 'en-GB'] as const) {
  describe(`date filters in Chromium launched in ${locale}`, { timeout: 240_000 }, () => {
    let core: TestCore;
    let browser: TestBrowser;
    let page: Page;
    let sale: SaleSummary;

    before(async () => {
      await ensureUiBuilt();
      core = await startTestCore();
      browser = await launchBrowser({ locale });
      await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }, { name: 'marat', role: 'manager', pin: '2968' }]);
      // One sale, made today by the cashier.
      const till = await browser.newPage();
      await till.goto(core.url);
      await logIn(till, 'dana', '5173');
      await till.locator('#cashier').waitFor();
      assert.equal((await fetchFromPage(till, 'POST', '/api/shifts/open', {})).status, 201);
      const code = core.core.services.training?.sample('sellable', 1)[0];
      assert.equal((await fetchFromPage(till, 'POST', '/api/checkout/scan', { code, source: 'wedge' })).status, 200);
      const basket = (await fetchFromPage(till, 'GET', '/api/checkout/basket')).body as BasketView;
      assert.equal((await fetchFromPage(till, 'POST', '/api/checkout/pay', { payments: [{ type: 'cash', amount: basket.total }] })).status, 201);
      await till.close();
      page = await browser.newPage();
      await page.goto(core.url);
      await logIn(page, 'marat', '2968');
      await page.locator('#manager').waitFor();
      assert.equal(await page.evaluate(() => navigator.language), locale, 'the browser runs in the locale under test');
      await page.locator('#manager-tab-sales').click();
      await page.locator('[data-testid="sales-table"] tbody tr[data-sale]').first().waitFor(SLOW);
      sale = ((await fetchFromPage(page, 'GET', '/api/sales')).body as { sales: SaleSummary[] }).sales[0] as SaleSummary;
    });

    after(async () => {
      await browser?.close();
      await core?.close();
    });

    const rows = () => page.locator('[data-testid="sales-table"] tbody tr[data-sale]');
    /** Applies the filter and returns the query the page sent. */
    async function apply(): Promise<URLSearchParams> {
      const request = page.waitForRequest((r) => r.url().includes('/api/sales?'));
      await page.locator('#sales-apply').click();
      return new URL((await request).url()).searchParams;
    }
    const day = (iso: string, offsetDays: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const dmy = (iso: string, sep: string) => iso.split('-').reverse().join(sep);

    test('English UI: dd/mm/yyyy shown and accepted; Russian and Kazakh: dd.mm.yyyy', async () => {
      await page.locator('.lang-switch button[lang="en"]').click();
      const today = sale.createdAt.slice(0, 10);
      const tomorrow = day(today, 1);
      assert.equal(await page.locator('#sales-from').getAttribute('placeholder'), 'DD/MM/YYYY');
      await page.fill('#sales-from', dmy(tomorrow, '/'));
      let query = await apply();
      assert.equal(query.get('from'), tomorrow, 'the typed day/month/year is the query\'s ISO date');
      await page.getByText(MESSAGES.en['sales.empty']).waitFor(SLOW);
      await page.fill('#sales-from', dmy(today, '/'));
      await page.fill('#sales-to', dmy(today, '/'));
      query = await apply();
      assert.deepEqual([query.get('from'), query.get('to')], [today, today]);
      await rows().first().waitFor(SLOW);
      assert.equal(await rows().count(), 1);
      assert.equal(await page.inputValue('#sales-from'), dmy(today, '/'), 'shown day first, as typed');

      for (const lang of ['ru', 'kk'] as const) {
        await page.locator(`.lang-switch button[lang="${lang}"]`).click();
        await page.waitForFunction((l) => document.documentElement.lang.startsWith(l), lang);
        assert.equal(await page.inputValue('#sales-from'), dmy(today, '.'), `${lang}: the same date, dd.mm.yyyy`);
        assert.equal(await page.locator('#sales-to').getAttribute('placeholder'), MESSAGES[lang]['date.placeholder']);
      }
      await page.fill('#sales-to', dmy(tomorrow, '.'));
      query = await apply();
      assert.equal(query.get('to'), tomorrow);
    });

    test('a text that is no date (31.02, or month first) is marked and explained, and the last good date stays in force', async () => {
      await page.locator('.lang-switch button[lang="en"]').click();
      // The field shows its date in the new language's form once the switch has rendered.
      await page.waitForFunction(() => /^\d{2}\/\d{2}\/\d{4}$/.test((document.querySelector('#sales-to') as HTMLInputElement | null)?.value ?? ''));
      const before = await page.inputValue('#sales-to');
      const yesterday = day(sale.createdAt.slice(0, 10), -1);
      for (const [i, bad] of ['31/02/2026', '12/31/2026'].entries()) {
        await page.fill('#sales-to', bad);
        assert.equal(await page.locator('#sales-to').getAttribute('aria-invalid'), 'true', bad);
        assert.match(await page.locator('#sales-to-error').innerText(), /day\/month\/year, like 31\/12\/2026/);
        // Another filter changed and applied: the bad text is not sent, the last good date is.
        await page.fill('#sales-from', dmy(day(yesterday, -i), '/'));
        const query = await apply();
        assert.equal(query.get('to'), before.split('/').reverse().join('-'), `${bad} is not sent`);
      }
      await page.fill('#sales-to', '');
      assert.equal(await page.locator('#sales-to-error').count(), 0);
      assert.equal((await apply()).get('to'), null, 'an empty field is no bound');
    });
  });
}
