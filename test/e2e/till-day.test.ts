// A whole till day (issue 16's Shows) in headless Chromium against a real training core (OFD
// emulator, virtual printer, real SQLite), once per language — ru, kk, en — each in its own
// throw-away core: the shift opened with a 5,000.00 float; a marked code by a wedge burst, bread
// from the price list and 1.255 kg of apples; a split payment (1,000.00 by card, the rest in
// cash); the marked item scanned in the return dialog and refunded; the X report printed and
// shown; 1,000.00 taken out; the Z report closing the shift, printed and shown with the split.
// Steps live in day-steps.ts.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openDatabase } from '../../src/store/db.ts';
import { upsertStoreProducts } from '../../src/store/selling.ts';
import type { Lang } from '../../src/ui/shared/i18n.ts';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, setUpRegister, startTestCore, type TestBrowser, type TestCore } from './browser.ts';
import { APPLES, BREAD, cashOut, fillBasket, openShift, paySplit, printedJobs, returnByScan, xReport, zReport, type Day } from './day-steps.ts';

const T = '2026-03-01T10:00:00.000Z';

/** A fresh core with the price list the day sells from; the administrator's token. */
async function storeWithPriceList(core: TestCore): Promise<string> {
  const db = openDatabase(join(core.dataDir, 'tanba.db'));
  try {
    upsertStoreProducts(db, [
      { barcode: APPLES, title: 'Яблоки Апорт', titleKk: 'Алма Апорт', price: 89_990, weighed: true, ntin: null, vatCategory: null, updatedAt: T },
      { barcode: BREAD, title: 'Хлеб белый', titleKk: 'Ақ нан', price: 15_000, weighed: false, ntin: null, vatCategory: null, updatedAt: T },
    ]);
  } finally {
    db.close();
  }
  return setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }]);
}

for (const lang of ['ru', 'kk', 'en'] as const satisfies readonly Lang[]) {
  describe(`a whole till day in ${lang}`, { timeout: 240_000 }, () => {
    let core: TestCore;
    let browser: TestBrowser;
    let day: Day;

    before(async () => {
      await ensureUiBuilt();
      core = await startTestCore();
      browser = await launchBrowser();
      const adminToken = await storeWithPriceList(core);
      const training = await apiCall<{ training: { printer: { outDir: string } } | null }>(core.url, 'GET', '/api/training', undefined, adminToken);
      assert.ok(training.training?.printer.outDir, 'training mode has the virtual printer');
      const page = await browser.newPage();
      await page.goto(core.url);
      await logIn(page, 'dana', '5173');
      await page.locator('#cashier').waitFor();
      await page.locator(`.lang-switch button[lang="${lang}"]`).click();
      await page.locator(`.lang-switch button[lang="${lang}"][aria-pressed="true"]`).waitFor();
      day = { core, page, lang, adminToken, printerDir: training.training.printer.outDir };
    });

    after(async () => {
      await browser?.close();
      await core?.close();
    });

    test('float, marked + unmarked + weighed goods, split payment, a return by scan, X, cash out, Z — printed and on screen', async () => {
      const code = core.core.services.training?.sample('sellable', 1)[0];
      assert.ok(code, 'the training dataset has a sellable code');
      await openShift(day);
      const { codeSum, total } = await fillBasket(day, code);
      const sold = await paySplit(day, code, codeSum, total);
      await returnByScan(day, sold);
      await xReport(day, sold);
      await cashOut(day, sold);
      await zReport(day, sold);
      // The sale's receipt, the return's, the X report, the cash-out slip and the Z report.
      assert.equal(printedJobs(day).length, 5);
    });
  });
}
