// The NTIN pick in headless Chromium against a real core (training mode, real SQLite file): a
// barcode the National Catalogue lists under two NTINs opens the dialog by itself; Escape
// cancels it (the banner stays and reopens it); the pick is applied to the basket line and
// remembered for the barcode, so the next scan of it opens nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { catalogBarcode, openDatabase, storeCatalogAnswer } from '../../src/store/index.ts';
import type { BasketView } from '../../src/server/contract/index.ts';
import { ensureUiBuilt, fetchFromPage, launchBrowser, logIn, setUpRegister, startTestCore, type TestBrowser, type TestCore } from './browser.ts';

const TWO = '4870001000011';
const KEY = `0${TWO}`;
const WHITE = '0200000000028';
const GREY = '0200000000035';

describe('NTIN choice in the cashier screen', { timeout: 180_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let cashier: Page;

  const withDb = <T>(fn: (db: ReturnType<typeof openDatabase>) => T): T => {
    const db = openDatabase(join(core.dataDir, 'tanba.db'));
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    browser = await launchBrowser();
    await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }]);
    const at = new Date().toISOString();
    const product = (ntin: string, title: string, titleKk: string) => ({
      ntin, title, titleKk, measureUnitCode: '796', vatCategory: null, isMarked: false, isSocial: true, price: null, source: 'import' as const, fetchedAt: at,
    });
    withDb((db) => storeCatalogAnswer(db, KEY, [product(WHITE, 'Хлеб белый', 'Ақ нан'), product(GREY, 'Хлеб серый', 'Сұр нан')], { source: 'import', fetchedAt: at }));
    cashier = await browser.newPage();
    await cashier.goto(core.url);
    await logIn(cashier, 'dana', '5173');
    await cashier.locator('#cashier').waitFor();
    await cashier.locator('[data-testid="connection"][data-core="connected"]').waitFor();
    assert.equal((await fetchFromPage(cashier, 'POST', '/api/shifts/open', {})).status, 201);
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  const scanTwo = async (): Promise<BasketView> => {
    const r = await fetchFromPage(cashier, 'POST', '/api/checkout/scan', { code: TWO, source: 'manual', price: 30_000 });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return (r.body as { basket: BasketView }).basket;
  };

  test('the dialog opens by itself, Escape cancels it, the banner reopens it, the pick is applied and remembered', async () => {
    await scanTwo();
    const dialog = cashier.locator('#ntin-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.locator('h2').innerText(), 'Choose the catalogue code (NTIN)');
    assert.deepEqual(await dialog.locator('input[name="ntin"]').evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)), [WHITE, GREY]);
    assert.match(await dialog.innerText(), /Хлеб белый[\s\S]*Хлеб серый/);

    await cashier.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await cashier.getByTestId('ntin-waiting').waitFor();
    assert.equal(withDb((db) => catalogBarcode(db, KEY)?.chosenNtin ?? null), null, 'Escape chose nothing');

    await cashier.locator('#ntin-open').click();
    await dialog.waitFor();
    await dialog.locator(`input[value="${GREY}"]`).check();
    await cashier.locator('#ntin-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await cashier.getByTestId('ntin-waiting').waitFor({ state: 'detached' });
    await cashier.getByTestId('cashier-status').filter({ hasText: `Catalogue code ${GREY} chosen` }).waitFor();
    await cashier.locator('#cashier').filter({ hasText: 'Хлеб серый' }).waitFor();
    assert.equal(withDb((db) => catalogBarcode(db, KEY)?.chosenNtin ?? null), GREY, 'remembered for the barcode in this store');

    const basket = (await fetchFromPage(cashier, 'GET', '/api/checkout/basket')).body as BasketView;
    assert.deepEqual(basket.lines.map((l) => [l.ntin, l.ntinCandidates ?? null]), [[GREY, null]]);
    assert.equal((await fetchFromPage(cashier, 'POST', '/api/checkout/pay', { payments: [{ type: 'cash', amount: basket.total }] })).status, 201);

    // The next scan of the barcode uses the pick: no dialog, no banner.
    const next = await scanTwo();
    assert.deepEqual(next.lines.map((l) => l.ntin), [GREY]);
    await cashier.locator('#cashier').filter({ hasText: 'Хлеб серый' }).waitFor();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await cashier.locator('#ntin-dialog').count(), 0);
    assert.equal(await cashier.getByTestId('ntin-waiting').count(), 0);
  });
});
