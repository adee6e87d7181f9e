/**
 * The till's selling, payment, return and shift screens for scripts/screenshots.ts: the product
 * search with a weighed item and a free price, the quantity change, park and recall, payment
 * with change and an e-receipt contact, the card step, the return dialog and the shift's Z report.
 */
import type { Page } from 'playwright-core';
import type { BasketView } from '../src/server/contract/index.ts';
import { fetchFromPage, wedgeScan } from '../test/e2e/browser.ts';
import { PRODUCTS, TWO_NTINS, USERS, shot, type ShotContext } from './screenshots-kit.ts';

const SLOW = { timeout: 60_000 };

const lineCount = (page: Page, n: number) =>
  page.waitForFunction((want) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === want, n, SLOW);

const scanFieldFocused = (page: Page) => page.waitForFunction(() => document.activeElement?.id === 'scan-input');

/** Opens the product search (F1), types the query and picks the product. */
async function search(page: Page, product: { query: string; barcode: string }): Promise<void> {
  await scanFieldFocused(page);
  await page.keyboard.press('F1');
  await page.locator('#search-dialog').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'search-query');
  await page.fill('#search-query', product.query);
  await page.locator(`#search-dialog button[data-barcode="${product.barcode}"]`).click();
}

/** Sells what the scanner left in the basket and dismisses its refusals, so the next shots start from an empty till. */
export async function clearTill(page: Page): Promise<void> {
  const dismiss = page.locator('[data-testid="refusals"] li button[aria-label="Dismiss"]');
  // The list re-renders on every basket event, so a button may go from under the click: try again.
  for (let i = 0; i < 20 && await dismiss.count() > 0; i++) await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  if (await page.locator('[data-testid="basket"] tbody tr[data-line]').count() === 0) return;
  await scanFieldFocused(page);
  await page.keyboard.press('F2');
  await page.locator('#payment-dialog').waitFor();
  await page.keyboard.press('Enter');
  await lineCount(page, 0);
}

/** Product search with weighed goods and a free price, the quantity change (F5), park and recall. */
export async function sellingShots(ctx: ShotContext, page: Page): Promise<void> {
  await search(page, PRODUCTS.apples);
  await page.fill('#search-quantity', '1,255');
  await shot(ctx, page, 'cashier-search-weighed');
  await page.keyboard.press('Enter');
  await page.locator('#search-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 1);

  await search(page, PRODUCTS.bag);
  await page.fill('#search-price', '25');
  await shot(ctx, page, 'cashier-search-free-price');
  await page.locator('#search-add').click();
  await page.locator('#search-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 2);

  await search(page, PRODUCTS.bread);
  await page.locator('#search-add').click();
  await page.locator('#search-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 3);

  await page.locator('[data-testid="basket"] tbody tr[data-line]').filter({ hasText: 'Пакет майка' }).click();
  await page.keyboard.press('F5');
  await page.locator('#quantity-dialog').waitFor();
  await page.fill('#quantity-input', '3');
  await shot(ctx, page, 'cashier-quantity');
  await page.keyboard.press('Enter');
  await page.locator('#quantity-dialog').waitFor({ state: 'detached' });

  // Park this basket, ring up a marked item meanwhile, park that too: the dialog lists both.
  await page.locator('#parked').click();
  await page.locator('#park-basket').click();
  await page.locator('#parked-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 0);
  await ctx.send('sellable');
  await lineCount(page, 1);
  await page.locator('#parked').click();
  await page.locator('#parked-dialog button[data-parked]').first().waitFor();
  await shot(ctx, page, 'cashier-parked');
  await page.locator('#park-basket').click();
  await page.locator('#parked-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 0);
  await page.locator('#parked').click();
  await page.locator('#parked-dialog button[data-parked]').filter({ hasText: 'Яблоки Апорт' }).click();
  await page.locator('#parked-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 3);
}

/** Cash with change and an e-receipt contact (the recalled basket), then a card sale with its approval code. */
export async function paymentShots(ctx: ShotContext, page: Page): Promise<string> {
  await scanFieldFocused(page);
  await page.keyboard.press('F2');
  await page.locator('#payment-dialog').waitFor();
  await page.fill('#pay-cash-given', '10000');
  await page.getByTestId('pay-change').waitFor();
  await page.locator('#ereceipt-phone').fill('+7 701 123-45-67');
  await page.locator('#ereceipt-consent').check();
  await shot(ctx, page, 'cashier-payment');
  await page.locator('#pay-confirm').click();
  await page.locator('#payment-dialog').waitFor({ state: 'detached', ...SLOW });
  await lineCount(page, 0);

  // The parked marked item, sold by card: the item the return dialog will find.
  await page.locator('#parked').click();
  await page.locator('#parked-dialog button[data-parked]').first().click();
  await page.locator('#parked-dialog').waitFor({ state: 'detached' });
  await lineCount(page, 1);
  const code = ((await fetchFromPage(page, 'GET', '/api/checkout/basket')).body as BasketView).lines[0]?.code;
  if (!code) throw new Error('the recalled basket has no marked line');
  await scanFieldFocused(page);
  await page.keyboard.press('F3');
  await page.locator('#payment-dialog').waitFor();
  await page.fill('#pay-card-auth', '654321');
  await shot(ctx, page, 'cashier-card');
  await page.locator('#pay-confirm').click();
  await page.locator('#payment-dialog').waitFor({ state: 'detached', ...SLOW });
  await lineCount(page, 0);
  return code;
}

/** The return dialog: today's sales, then the sale found by scanning one of its items, that line ticked, refund in cash. */
export async function returnShot(ctx: ShotContext, page: Page, code: string): Promise<void> {
  await scanFieldFocused(page);
  await page.keyboard.press('F4');
  await page.locator('#return-dialog').waitFor();
  // F4 opens the dialog empty with today's sales listed ("Today" lists them again).
  await page.locator('#return-today').click();
  await page.locator('#return-dialog .return-found-sale').first().waitFor(SLOW);
  await shot(ctx, page, 'cashier-return-today');
  await page.locator('#return-find').focus();
  await wedgeScan(page, code);
  await page.getByTestId('return-lines').waitFor(SLOW);
  await page.locator('#return-refund-cash').check();
  await page.getByTestId('return-selected').waitFor();
  await shot(ctx, page, 'cashier-return');
  await page.locator('#return-confirm').click();
  await page.locator('#return-dialog').waitFor({ state: 'detached', ...SLOW });
  await page.getByTestId('cashier-status').filter({ hasText: /Return completed: / }).waitFor();
}

/** The shift dialog: cash in, the X report on screen, then the close with the Z report's cash/card split. */
export async function shiftShots(ctx: ShotContext, page: Page): Promise<void> {
  await scanFieldFocused(page);
  await page.keyboard.press('F8');
  await page.locator('#shift-dialog').waitFor();
  await page.locator('#shift-cash-amount').fill('1000');
  await page.locator('#shift-cash-reason').fill('Change for the drawer');
  await page.locator('#shift-cash-in').click();
  await page.getByTestId('shift-info').filter({ hasText: /^Cash in: / }).waitFor(SLOW);
  await page.locator('#shift-x').click();
  await page.locator('[data-testid="shift-report"][data-kind="x"]').waitFor(SLOW);
  await shot(ctx, page, 'cashier-shift-x');
  await page.locator('#shift-confirm').click();
  await page.locator('[data-testid="shift-report"][data-kind="z"]').waitFor(SLOW);
  await page.getByTestId('shift-info').filter({ hasText: /^Report printed: / }).waitFor(SLOW);
  await shot(ctx, page, 'cashier-shift-z');
  await page.locator('#shift-done').click();
  await page.locator('#shift-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('shift-closed').waitFor(SLOW);
}

/** The login screen once users exist: a tile per user (not the administrator), the cashier's picked. */
export async function loginTilesShot(ctx: ShotContext): Promise<void> {
  const page = await ctx.browser.newPage();
  await page.goto(ctx.core.url);
  const tiles = page.getByTestId('user-tiles');
  await tiles.waitFor();
  await tiles.locator(`[data-name="${USERS.cashier.name}"]`).click();
  await page.locator('#login-pin').fill(USERS.cashier.pin.slice(0, 2));
  await shot(ctx, page, 'login-tiles');
  await page.close();
}

/** A barcode typed with its price that the catalogue lists under two NTINs: the choice opens by itself. */
export async function ntinShot(ctx: ShotContext, page: Page): Promise<void> {
  const scanned = await fetchFromPage(page, 'POST', '/api/checkout/scan', { code: TWO_NTINS.barcode, source: 'manual', price: 30_000 });
  if (scanned.status !== 200) throw new Error(`the two-NTIN scan: HTTP ${scanned.status} ${JSON.stringify(scanned.body)}`);
  const dialog = page.locator('#ntin-dialog');
  await dialog.waitFor(SLOW);
  await dialog.locator(`input[value="${TWO_NTINS.rye}"]`).check();
  await shot(ctx, page, 'cashier-ntin');
  await page.locator('#ntin-confirm').click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByTestId('ntin-waiting').waitFor({ state: 'detached' });
}
