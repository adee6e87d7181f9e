// Every sale whose receipt printed offline shows as offline (issue 16, "offline flag right"):
// with the OFD emulator down, two sales are made. The first was already on its way to the OFD when
// the link failed, the second queued behind it. Both receipts print with the offline mark, and the
// manager's sales tab, GET /api/sales, the CSV export and a reprint say "offline" for both —
// while they wait, and still after the OFD came back and took them. A real core, the training
// OFD emulator over TCP, Debian's Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { BasketView, CompleteResponse, LoginResponse, SaleDetailResponse, SalesResponse } from '../../src/server/contract/index.ts';
import { getOutboxByDocument, openDatabase } from '../../src/store/index.ts';
import { until } from '../server-harness.ts';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, setUpRegister, startTestCore, TEST_ADMIN, type TestBrowser, type TestCore } from './browser.ts';

const USERS = [
  { name: 'dana', role: 'cashier', pin: '5173' },
  { name: 'marat', role: 'manager', pin: '2968' },
] as const;
const SLOW = { timeout: 60_000 };

describe('sales made while the OFD is down are offline everywhere', { timeout: 300_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let manager: Page;
  let admin: string;
  let cashier: string;
  let managerToken: string;
  const sold: CompleteResponse[] = [];

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore();
    browser = await launchBrowser();
    await setUpRegister(core.url, USERS);
    admin = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', TEST_ADMIN)).token;
    cashier = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', { name: 'dana', pin: '5173' })).token;
    managerToken = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', { name: 'marat', pin: '2968' })).token;
    manager = await browser.newPage();
    await manager.goto(core.url);
    await logIn(manager, 'marat', '2968');
    await manager.locator('#manager').waitFor();
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  async function sell(code: string): Promise<CompleteResponse> {
    await apiCall(core.url, 'POST', '/api/checkout/scan', { code, source: 'manual' }, cashier);
    const basket = await apiCall<BasketView>(core.url, 'GET', '/api/checkout/basket', undefined, cashier);
    return apiCall<CompleteResponse>(core.url, 'POST', '/api/checkout/pay', { payments: [{ type: 'cash', amount: basket.total }] }, cashier);
  }

  /** The offline column of the CSV export, by document id. */
  async function csvOffline(): Promise<Map<string, string>> {
    const res = await fetch(new URL('/api/sales.csv?sep=semicolon', core.url), { headers: { authorization: `Bearer ${managerToken}` } });
    assert.equal(res.status, 200);
    const [head, ...rows] = (await res.text()).replace(/^\ufeff/, '').trim().split('\r\n').map((l) => l.split(';'));
    const col = (head as string[]).indexOf('offline');
    return new Map(rows.map((r) => [r[0] as string, r[col] as string]));
  }

  /** Every place the manager looks says offline for both sales. */
  async function allSayOffline(when: string, delivery: string | null): Promise<void> {
    const api = await apiCall<SalesResponse>(core.url, 'GET', '/api/sales?kind=sale', undefined, managerToken);
    const csv = await csvOffline();
    for (const s of sold) {
      const row = api.sales.find((x) => x.id === s.saleId);
      assert.equal(row?.delivery.offline, true, `${when}: API offline for ${s.saleId} (${JSON.stringify(row?.delivery)})`);
      assert.equal(csv.get(s.saleId), 'true', `${when}: CSV offline for ${s.saleId}`);
      const detail = await apiCall<SaleDetailResponse>(core.url, 'GET', `/api/sales/${s.saleId}`, undefined, managerToken);
      assert.equal(detail.receipt.fiscal.offline, true, `${when}: a reprint carries the offline mark as the original did`);
      await manager.locator('#manager-tab-sales').click();
      await manager.locator('#sales-apply').click();
      const tr = manager.locator(`tr[data-sale="${s.saleId}"]${delivery ? `[data-delivery="${delivery}"]` : ''}`);
      await tr.waitFor(SLOW);
      await tr.getByTestId('sale-offline').waitFor();
      // The sale's own dialog says it too.
      await tr.locator('button.link').click();
      await manager.locator('#sale-dialog').getByTestId('sale-detail-offline').waitFor();
      await manager.keyboard.press('Escape');
      await manager.locator('#sale-dialog').waitFor({ state: 'detached' });
    }
  }

  test('OFD down: both receipts print offline, and the sales tab, the API and the CSV say offline for both', async () => {
    await apiCall(core.url, 'POST', '/api/shifts/open', {}, cashier);
    const codes = core.core.services.training?.sample('sellable', 2) ?? [];
    assert.equal(codes.length, 2);
    await apiCall(core.url, 'POST', '/api/training/emulators', { ofd: 'stopped' }, admin);
    for (const code of codes) sold.push(await sell(code));
    for (const s of sold) {
      assert.equal(s.receipt.fiscal.offline, true, 'printed with the offline mark');
      assert.ok(s.receipt.fiscal.offlineTicketNumber, 'and its offline ticket number');
    }
    // The second sale queued behind an undelivered one: an offline ticket from its commit on.
    const db = openDatabase(`${core.dataDir}/tanba.db`);
    try {
      assert.equal(getOutboxByDocument(db, sold[1]!.saleId)?.offline, true, 'the queued sale is an offline document before its first send');
    } finally {
      db.close();
    }
    await allSayOffline('while queued', null);
  });

  test('the OFD comes back and takes both: they still show as offline, as printed', async () => {
    await apiCall(core.url, 'POST', '/api/training/emulators', { ofd: 'running' }, admin);
    await until('both delivered', async () => {
      const api = await apiCall<SalesResponse>(core.url, 'GET', '/api/sales?kind=sale', undefined, managerToken);
      return sold.every((s) => api.sales.find((x) => x.id === s.saleId)?.delivery.state === 'delivered') ? true : undefined;
    }, 90_000, 250);
    await allSayOffline('after delivery', 'delivered');
  });
});
