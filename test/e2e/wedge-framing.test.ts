// The technician's keyboard-wedge scanner settings in headless Chromium against a real core:
// a prefix and suffix saved in the Devices tab frame the till's scans — a burst sent without
// Enter, wrapped in them, becomes one scan of the bare code. Nothing is mocked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { upsertStoreProducts } from '../../src/store/selling.ts';
import type { WedgeFraming } from '../../src/server/contract/index.ts';
import { apiCall, ensureUiBuilt, pageToken, launchBrowser, logIn, openTill, setUpRegister, startTestCore, wedgeScan, type TestBrowser, type TestCore } from './browser.ts';

const BREAD = '4870000000036';

describe('wedge prefix / suffix (training mode)', { timeout: 180_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    const db = openDatabase(join(core.dataDir, 'tanba.db'));
    try {
      upsertStoreProducts(db, [{ barcode: BREAD, title: 'Хлеб белый', titleKk: 'Ақ нан', price: 15_000, weighed: false, ntin: null, vatCategory: null, updatedAt: '2026-03-01T10:00:00.000Z' }]);
    } finally {
      db.close();
    }
    browser = await launchBrowser();
    await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }, { name: 'timur', role: 'technician', pin: '3619' }]);
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  test('the technician saves a prefix and suffix; the till strips them from a burst without Enter', async () => {
    const tech = await browser.newPage();
    await tech.goto(core.url);
    await logIn(tech, 'timur', '3619');
    await tech.locator('#technician').waitFor();
    await tech.locator('#tech-tab-devices').click();
    await tech.locator('#wedge-prefix').fill('~~');
    await tech.locator('#wedge-suffix').fill('##');
    await tech.locator('#wedge-save').click();
    await tech.getByTestId('wedge-message').filter({ hasText: /saved|сохранены|сақталды/ }).waitFor();
    assert.deepEqual(await apiCall<WedgeFraming>(core.url, 'GET', '/api/wedge', undefined, await pageToken(tech) ?? ''), { prefix: '~~', suffix: '##' });

    const till = await browser.newPage();
    await openTill(till, core.url, 'dana', '5173');
    await till.waitForFunction(() => document.activeElement?.id === 'scan-input');
    await wedgeScan(till, `~~${BREAD}##`, null);
    await till.locator('[data-testid="basket"] tbody tr[data-line]').first().waitFor();
    const lines = core.core.services.basket().lines;
    assert.deepEqual(lines.map((l) => [l.code, l.name]), [[BREAD, 'Хлеб белый']], 'one scan of the bare code');
    assert.equal(core.core.services.basket().refusals.length, 0, 'no fragment refused');
  });
});
