// Refused scans at the till (issue 16) in headless Chromium at 1024×768 against a real training
// core, in Russian: a refused code names its product (as the product search finds it by the
// code's GTIN); the same code refused twice is one entry (×2); at most three entries, compact,
// and the basket's line stays on screen below them.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ProductSearchResponse } from '../../src/server/contract/index.ts';
import { ensureUiBuilt, fetchFromPage, launchBrowser, setUpRegister, startTestCore, tillWithShift, wedgeScan, type TestBrowser, type TestCore } from './browser.ts';
import type { TrainingSampleKind } from '../../src/register/training.ts';

const SLOW = { timeout: 60_000 };

describe('till: refusals', { timeout: 300_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let page: Page;

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    browser = await launchBrowser();
    await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }]);
    page = await browser.newPage();
    await tillWithShift(page, core.url, 'dana', '5173');
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  const sample = (kind: TrainingSampleKind): string => {
    const code = core.core.services.training?.sample(kind, 1)[0];
    assert.ok(code, `a ${kind} code`);
    return code;
  };
  const refused = async (code: string) => {
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await wedgeScan(page, code);
    await page.locator(`[data-testid="verdict"][data-decision="refuse"][data-code="${code.replace(/["\\]/g, '\\$&')}"]`).waitFor(SLOW);
  };

  test('named, one entry per code, three at most, the basket in view', async () => {
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await wedgeScan(page, sample('sellable'));
    await page.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor(SLOW);

    const blocked = sample('blocked');
    const gtin = /^01(\d{14})/.exec(blocked)?.[1];
    assert.ok(gtin);
    const found = (await fetchFromPage(page, 'GET', `/api/products?q=${gtin}`)).body as ProductSearchResponse;
    const name = found.products[0]?.title;
    assert.ok(name, 'the search finds the blocked code\'s product by its GTIN');

    await refused(sample('withdrawn'));
    await refused(blocked);
    assert.equal(await page.locator('[data-testid="verdict"] .verdict-name').innerText(), ` — ${name}`, 'the verdict names the product');
    await refused(sample('expired'));
    await refused(blocked);
    await refused(sample('not_introduced'));

    const entries = page.locator('[data-testid="refusals"] li');
    assert.equal(await entries.count(), 3, 'the newest three codes');
    const mine = page.locator(`[data-testid="refusals"] li[data-code="${blocked.replace(/["\\]/g, '\\$&')}"]`);
    assert.equal(await mine.count(), 1, 'the code refused twice is one entry');
    assert.equal(await mine.getByTestId('refusal-name').innerText(), name);
    assert.equal((await mine.getByTestId('refusal-count').innerText()).trim(), '×2');
    assert.match(await page.getByTestId('refusals-more').innerText(), /1/);
    for (let i = 0; i < 3; i++) {
      const box = await entries.nth(i).boundingBox();
      assert.ok(box && box.height <= 48, `entry ${i} is compact: ${box?.height} px`);
    }
    // A repair note inside the red verdict takes the verdict's own (light) text colour.
    const repaired = page.locator('[data-testid="verdict"] [data-testid="repaired"]');
    if (await repaired.count() > 0) {
      const [note, card] = await Promise.all([repaired.evaluate((e) => getComputedStyle(e).color), page.getByTestId('verdict').evaluate((e) => getComputedStyle(e).color)]);
      assert.equal(note, card, 'the repaired note is readable on the red card');
    }
    const line = await page.locator('[data-testid="basket"] tbody tr[data-line] .line-name').first().boundingBox();
    assert.ok(line && line.y + line.height <= 768, `the basket's line (its name) is on screen at 1024×768: ${JSON.stringify(line)}`);
  });
});
