/**
 * The steps of a whole till day (issue 16), driven through the cashier screen in headless
 * Chromium against a real training core: each step acts as a cashier would (function keys,
 * dialogs, a wedge burst for the marked code) and checks what the core recorded and what the
 * screen says in the page's language. Used by till-day.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { SalesResponse } from '../../src/server/contract/index.ts';
import { translate, type Lang, type MessageKey } from '../../src/ui/shared/i18n.ts';
import { formatMoney } from '../../src/ui/shared/format.ts';
import { apiCall, wedgeScan, type TestCore } from './browser.ts';

/** Barcodes of the store's price list the day sells from. */
export const BREAD = '4870000000036';
export const APPLES = '4870000000012';
/** Bread's list price and 1.255 kg of apples at 899.90 a kg, in tiyn. */
export const BREAD_SUM = 15_000;
export const APPLES_SUM = 112_937;
/** Opening float, the card part of the split payment and the cash taken out, in tiyn. */
export const FLOAT = 500_000;
export const CARD_PART = 100_000;
export const CASH_OUT = 100_000;

const SLOW = { timeout: 30_000 };

/** Everything the steps share. */
export interface Day {
  core: TestCore;
  page: Page;
  lang: Lang;
  adminToken: string;
  /** Where the virtual printer writes each printed job as receipt-NNNN.txt / .png. */
  printerDir: string;
}

/** What was sold: the marked code, its line's sum, the total and the cash part. */
export interface Sold { saleId: string; code: string; codeSum: number; total: number; cash: number }

/** Whitespace made plain: Node's and Chromium's ICU may pick different (narrow) no-break spaces. */
const plain = (s: string): string => s.replace(/\s+/g, ' ').trim();
const t = (day: Day, key: MessageKey, params: Record<string, string | number> = {}): string => plain(translate(day.lang, key, params));
const money = (day: Day, minor: number): string => plain(formatMoney(minor, day.lang));

async function textOf(page: Page, selector: string): Promise<string> {
  return plain(await page.locator(selector).innerText());
}

/** The printed jobs' text so far, oldest first. */
export function printedJobs(day: Day): string[] {
  if (!existsSync(day.printerDir)) return [];
  return readdirSync(day.printerDir).filter((f) => /^receipt-\d+\.txt$/.test(f)).sort().map((f) => readFileSync(join(day.printerDir, f), 'utf8'));
}

/** Waits until the virtual printer has written more than `seen` jobs and the newest matches `pattern`. */
async function waitPrinted(day: Day, seen: number, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + SLOW.timeout;
  for (;;) {
    const jobs = printedJobs(day);
    const fresh = jobs.slice(seen).find((j) => pattern.test(j));
    if (fresh !== undefined) return fresh;
    if (Date.now() > deadline) throw new Error(`no printed job matching ${pattern} after job ${seen}; newest: ${jobs.at(-1)?.slice(0, 200) ?? 'none'}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function atScanField(page: Page): Promise<void> {
  await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
}

/** F8, the opening float typed, confirmed: the shift is open. */
export async function openShift(day: Day): Promise<void> {
  const { page } = day;
  await page.getByTestId('shift-closed').waitFor();
  await page.keyboard.press('F8');
  await page.locator('#shift-dialog').waitFor();
  assert.match(await textOf(page, '#shift-dialog'), new RegExp(t(day, 'shift.open')), 'the dialog speaks the page\'s language');
  await page.locator('#shift-float').fill(String(FLOAT / 100));
  await page.locator('#shift-confirm').click();
  await page.getByTestId('shift-closed').waitFor({ state: 'detached', ...SLOW });
  await atScanField(page);
}

const rows = (page: Page) => page.locator('[data-testid="basket"] tbody tr[data-line]');

async function waitRows(page: Page, n: number): Promise<void> {
  await page.waitForFunction((want) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === want, n, SLOW);
}

/** F1, the product found by part of its name, an optional quantity, added. */
async function addFromList(day: Day, query: string, barcode: string, quantity?: string): Promise<void> {
  const { page } = day;
  await atScanField(page);
  await page.keyboard.press('F1');
  await page.locator('#search-dialog').waitFor();
  await page.waitForFunction(() => document.activeElement?.id === 'search-query');
  await page.fill('#search-query', query);
  await page.locator(`#search-dialog button[data-barcode="${barcode}"]`).click();
  if (quantity !== undefined) await page.fill('#search-quantity', quantity);
  assert.equal(await textOf(page, '#search-add'), t(day, 'search.add'));
  await page.locator('#search-add').click();
  await page.locator('#search-dialog').waitFor({ state: 'detached' });
}

/** A marked code by a wedge burst, bread from the price list, 1.255 kg of apples: three lines. */
export async function fillBasket(day: Day, code: string): Promise<{ codeSum: number; total: number }> {
  const { page, core } = day;
  await atScanField(page);
  await wedgeScan(page, code);
  await waitRows(page, 1);
  await addFromList(day, 'хлеб', BREAD);
  await waitRows(page, 2);
  await addFromList(day, 'апорт', APPLES, '1,255');
  await waitRows(page, 3);
  const basket = core.core.services.basket();
  const marked = basket.lines.find((l) => l.code === code);
  const codeSum = marked?.sum;
  assert.ok(typeof codeSum === 'number' && codeSum > 0, 'the marked code is a line with a price');
  assert.equal(basket.lines.find((l) => l.name === 'Хлеб белый')?.sum, BREAD_SUM);
  const apples = basket.lines.find((l) => l.name === 'Яблоки Апорт');
  assert.deepEqual([apples?.quantityMilli, apples?.sum], [1255, APPLES_SUM], '1.255 kg at 899.90');
  assert.equal(basket.total, codeSum + BREAD_SUM + APPLES_SUM);
  assert.equal(await textOf(page, '[data-testid="total"]'), money(day, basket.total), 'the total on screen');
  assert.match(plain(await rows(page).nth(2).innerText()), /1[,.]255/, 'the weighed line shows its kg');
  return { codeSum, total: basket.total };
}

/** F2, part by card and the rest in cash, no change; the sale is recorded with both payments. */
export async function paySplit(day: Day, code: string, codeSum: number, total: number): Promise<Sold> {
  const { page } = day;
  const cash = total - CARD_PART;
  await atScanField(page);
  await page.keyboard.press('F2');
  await page.locator('#payment-dialog').waitFor();
  assert.match(await textOf(page, '#payment-dialog'), new RegExp(escape(t(day, 'pay.title', { total: money(day, total) }))));
  await page.fill('#pay-card-amount', (CARD_PART / 100).toFixed(2));
  await page.fill('#pay-cash-given', (cash / 100).toFixed(2));
  assert.equal(await textOf(page, '[data-testid="pay-change"]'), t(day, 'pay.change', { change: money(day, 0) }));
  const printed = printedJobs(day).length;
  await page.locator('#pay-confirm').click();
  await page.locator('#payment-dialog').waitFor({ state: 'detached', ...SLOW });
  await waitRows(page, 0);
  const saleId = plain(await page.getByTestId('last-sale-id').innerText());
  const sales = await apiCall<SalesResponse>(day.core.url, 'GET', '/api/sales?kind=sale', undefined, day.adminToken);
  const sale = sales.sales.find((s) => s.id === saleId);
  assert.ok(sale, `sale ${saleId} is recorded`);
  assert.equal(sale.total, total);
  assert.deepEqual(sale.payments.map((p) => [p.type, p.amount]), [['card', CARD_PART], ['cash', cash]]);
  await waitPrinted(day, printed, /\S/);
  return { saleId, code, codeSum, total, cash };
}

/** F4, the marked item scanned in the return dialog's find field finds the sale and ticks its line; refunded as paid (cash: a split sale). */
export async function returnByScan(day: Day, sold: Sold): Promise<void> {
  const { page } = day;
  await atScanField(page);
  await page.keyboard.press('F4');
  await page.locator('#return-dialog').waitFor();
  // The dialog opens empty with today's sales listed, the last sale first, and no lines: the scan finds the sale and shows them.
  assert.equal(await page.locator('#return-sale').inputValue(), '');
  const today = page.locator('#return-dialog .return-found-sale');
  await today.first().waitFor(SLOW);
  assert.equal(await today.first().getAttribute('data-sale-id'), sold.saleId, 'the last sale heads today\'s list');
  assert.equal(await page.getByTestId('return-lines').count(), 0);
  await page.locator('#return-find').focus();
  await wedgeScan(page, sold.code);
  await page.getByTestId('return-lines').waitFor(SLOW);
  assert.equal(await page.locator('#return-sale').inputValue(), sold.saleId);
  const boxes = page.locator('[data-testid="return-lines"] input[type="checkbox"]');
  assert.deepEqual(await boxes.evaluateAll((els) => els.map((e) => (e as HTMLInputElement).checked)), [true, false, false], 'only the scanned line is ticked');
  const printed = printedJobs(day).length;
  await page.locator('#return-confirm').click();
  await page.locator('#return-dialog').waitFor({ state: 'detached', ...SLOW });
  await page.getByTestId('cashier-status').filter({ hasText: t(day, 'return.done', { total: '' }).replace(/:?\s*$/, '') }).waitFor(SLOW);
  assert.equal(await textOf(page, '[data-testid="cashier-status"]'), t(day, 'return.done', { total: money(day, sold.codeSum) }));
  const returns = await apiCall<SalesResponse>(day.core.url, 'GET', '/api/sales?kind=return', undefined, day.adminToken);
  assert.equal(returns.sales.length, 1);
  assert.deepEqual(returns.sales[0]?.payments.map((p) => [p.type, p.amount]), [['cash', sold.codeSum]]);
  await waitPrinted(day, printed, /\S/);
}

/** The figures of the report on screen, each as shown. */
async function figures(day: Day, kind: 'x' | 'z'): Promise<Record<string, string>> {
  const report = day.page.locator(`[data-testid="shift-report"][data-kind="${kind}"]`);
  await report.waitFor(SLOW);
  const pairs = await report.locator('tr[data-figure]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-figure') ?? '', e.querySelector('td')?.textContent ?? '']));
  return Object.fromEntries(pairs.map(([k, v]) => [k as string, plain(v as string)]));
}

/** The cash/card split a report must show after the sale and the return (and the cash out, when taken). */
function expectFigures(day: Day, sold: Sold, cashOut: number): Record<string, string> {
  return {
    sales: money(day, sold.total), cashSales: money(day, sold.cash), cardSales: money(day, CARD_PART),
    returns: money(day, sold.codeSum), cashRefunds: money(day, sold.codeSum), cardRefunds: money(day, 0),
    net: money(day, sold.total - sold.codeSum), float: money(day, FLOAT), deposits: money(day, 0), withdrawals: money(day, cashOut),
    inDrawer: money(day, FLOAT + sold.cash - sold.codeSum - cashOut),
  };
}

/**
 * The printed report (in the store's languages, ru / kk here) shows these sums as text. Lines
 * with Kazakh-only letters are printed as raster images, so the cash lines cannot be read back.
 */
function assertPrintedSums(job: string, sums: readonly number[]): void {
  const text = plain(job);
  for (const sum of sums) {
    const printed = plain(formatMoney(sum, 'ru')).replace(/\s*₸$/, '');
    assert.ok(text.includes(printed), `the printed report shows ${printed}:\n${job}`);
  }
}

const X_PRINTED = /X-ОТЧЁТ|X-ЕСЕП|X REPORT/;
const Z_PRINTED = /Z-ОТЧЁТ|Z-ЕСЕП|Z REPORT/;
/** A cash slip's amount line (its title has Kazakh letters, which print as a picture). */
const CASH_SLIP_PRINTED = /Сумма \/ Сомасы|Сумма \/ Amount|Сомасы \/ Amount/;

/** F8 on an open shift: the X report printed and shown with the split. The dialog stays open. */
export async function xReport(day: Day, sold: Sold): Promise<void> {
  const { page } = day;
  await atScanField(page);
  await page.keyboard.press('F8');
  await page.locator('#shift-dialog').waitFor();
  const printed = printedJobs(day).length;
  await page.locator('#shift-x-print').click();
  const info = t(day, 'shift.printed', { state: t(day, 'print.printed') });
  await page.getByTestId('shift-info').filter({ hasText: info }).waitFor(SLOW);
  assert.match(await textOf(page, '[data-testid="shift-report"] h3'), new RegExp(`^${escape(t(day, 'shift.xTitle', { n: 1 }))}$`));
  assert.deepEqual(await figures(day, 'x'), expectFigures(day, sold, 0));
  assertPrintedSums(await waitPrinted(day, printed, X_PRINTED), [sold.total, CARD_PART]);
}

/** In the open shift dialog: cash taken out of the drawer; the report follows. */
export async function cashOut(day: Day, sold: Sold): Promise<void> {
  const { page } = day;
  const printed = printedJobs(day).length;
  await page.locator('#shift-cash-amount').fill(String(CASH_OUT / 100));
  await page.locator('#shift-cash-out').click();
  const drawer = FLOAT + sold.cash - sold.codeSum - CASH_OUT;
  const said = t(day, 'shift.cashDone', { what: t(day, 'shift.cashOut'), amount: money(day, CASH_OUT), drawer: money(day, drawer) });
  await page.waitForFunction((want) => (document.querySelector('[data-testid="shift-info"]')?.textContent ?? '').replace(/\s+/g, ' ').trim() === want, said, SLOW);
  assert.deepEqual(await figures(day, 'x'), expectFigures(day, sold, CASH_OUT));
  // The slip with the amount taken out (its Kazakh lines, the drawer's among them, print as pictures).
  assertPrintedSums(await waitPrinted(day, printed, CASH_SLIP_PRINTED), [CASH_OUT]);
}

/** The close: the Z report printed and shown with the split; the till shows the shift closed. */
export async function zReport(day: Day, sold: Sold): Promise<void> {
  const { page } = day;
  const printed = printedJobs(day).length;
  await page.locator('#shift-confirm').click();
  assert.deepEqual(await figures(day, 'z'), expectFigures(day, sold, CASH_OUT));
  assert.equal(await textOf(page, '[data-testid="shift-report"] h3'), t(day, 'shift.zTitle', { n: 1 }));
  await page.getByTestId('shift-info').filter({ hasText: t(day, 'shift.printed', { state: t(day, 'print.printed') }) }).waitFor(SLOW);
  assertPrintedSums(await waitPrinted(day, printed, Z_PRINTED), [sold.total, CARD_PART, CASH_OUT]);
  await page.locator('#shift-done').click();
  await page.locator('#shift-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('shift-closed').waitFor(SLOW);
  assert.equal(day.core.core.services.basket().shift, null, 'the core has no open shift');
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
