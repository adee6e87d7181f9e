// The header tells the truth (issue 16), in headless Chromium against a real training core whose
// OFD and marking registry emulators are stopped and started: the header's summary never says
// all is well with a link down; the OFD link goes down with nothing being sent (the core probes
// it); a scan's own outcome moves the marking link at once, both ways; a sale waiting for the
// OFD is "queued" on the manager's sales list; the sync tab names a failure's cause in Kazakh,
// with the raw detail under it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, openTill, setUpRegister, startTestCore, TEST_TUNING, wedgeScan, type TestBrowser, type TestCore } from './browser.ts';
import { MESSAGES } from '../../src/ui/shared/i18n.ts';

const SLOW = { timeout: 60_000 };

describe('the header and the manager see the links as they are', { timeout: 300_000 }, () => {
  let core: TestCore;
  let cashierBrowser: TestBrowser;
  let managerBrowser: TestBrowser;
  let cashier: Page;
  let manager: Page;
  let adminToken: string;
  let next = 0;
  const sellable = (): string => {
    next++;
    const code = core.core.services.training?.sample('sellable', next)[next - 1];
    assert.ok(code, `the training dataset has sellable code #${next}`);
    return code;
  };
  const link = (name: string) => cashier.locator(`[data-testid="links"] li[data-link="${name}"]`);
  const summary = () => cashier.getByTestId('connection');
  const emulators = (body: Record<string, string>) => apiCall(core.url, 'POST', '/api/training/emulators', body, adminToken);

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore({}, { ...TEST_TUNING, ofdProbeMs: 1_000 });
    adminToken = await setUpRegister(core.url, [{ name: 'dana', role: 'cashier', pin: '5173' }, { name: 'marat', role: 'manager', pin: '2968' }]);
    // Two browsers: each keeps its own session (a persistent profile shares the token).
    cashierBrowser = await launchBrowser();
    managerBrowser = await launchBrowser();
    cashier = await cashierBrowser.newPage();
    await openTill(cashier, core.url, 'dana', '5173');
    manager = await managerBrowser.newPage();
    await manager.goto(core.url);
    await logIn(manager, 'marat', '2968');
    await manager.locator('#manager').waitFor();
  });

  after(async () => {
    await emulators({ ofd: 'running', registry: 'running' }).catch(() => undefined);
    await cashierBrowser?.close();
    await managerBrowser?.close();
    await core?.close();
  });

  test('OFD and registry down: the summary and the links say so, the sale is queued, the cause is named in kk; back up: all green', async () => {
    await summary().and(cashier.locator('[data-level="ok"]')).waitFor(SLOW);
    assert.equal(await summary().innerText(), '● All links work');
    await emulators({ ofd: 'stopped', registry: 'stopped' });
    // Nothing is sent, nothing scanned: the probe alone takes the OFD link down, and the summary with it.
    await link('ofd').and(cashier.locator('[data-level="down"]')).waitFor(SLOW);
    assert.match(await link('ofd').innerText(), /OFD: unreachable/);
    await summary().and(cashier.locator('[data-level="down"]')).waitFor();
    assert.match(await summary().innerText(), /^✕ Not working: OFD/);
    assert.doesNotMatch(await summary().innerText(), /Connected|All links work/);

    // A scan with the registry down is checked from the cache, and the marking link follows at once.
    const before = await cashier.locator('[data-testid="basket"] tbody tr[data-line]').count();
    await wedgeScan(cashier, sellable());
    await cashier.waitForFunction((n) => document.querySelectorAll('[data-testid="basket"] tbody tr[data-line]').length === n + 1, before, SLOW);
    await link('marking').and(cashier.locator('[data-level="down"]')).waitFor({ timeout: 5_000 });
    assert.match(await link('marking').innerText(), /Marking system: unreachable: checking from the cache/);
    assert.match(await summary().innerText(), /Not working: OFD, Marking system/);

    // The sale waits for the OFD: queued on the till, the manager's sales list and its filter.
    await cashier.keyboard.press('F2');
    await cashier.locator('#payment-dialog').waitFor();
    await cashier.keyboard.press('Enter');
    await cashier.getByTestId('last-sale-fiscal').filter({ hasText: /^(Queued: the OFD cannot be reached|Recorded offline)/ }).waitFor(SLOW);
    await manager.locator('#manager-tab-sales').click();
    const queued = manager.locator('tr[data-sale][data-delivery="queued"]');
    await queued.first().waitFor(SLOW);
    assert.match(await queued.first().innerText(), /queued/);
    assert.equal(await manager.locator('tr[data-sale][data-delivery="sending"]').count(), 0, 'nothing shown as sending while the OFD is down');

    // The sync tab in Kazakh: the OFD's failure named (connection refused), the raw text under it.
    await manager.locator('.lang-switch button[lang="kk"]').click();
    await manager.locator('#manager-tab-sync').click();
    const ofdError = manager.locator('[data-testid="ofd-error"] .failure[data-failure="refused"]');
    await ofdError.waitFor(SLOW);
    assert.equal(await ofdError.locator('.failure-reason').innerText(), MESSAGES.kk['failure.refused']);
    assert.match(await ofdError.locator('.failure-raw').innerText(), /ECONNREFUSED/);
    // Its header says the same in Kazakh.
    assert.match(await manager.getByTestId('connection').innerText(), /^✕ Жұмыс істемейді: ОФД/);

    await emulators({ ofd: 'running', registry: 'running' });
    // The next scan is answered online: the marking link is up at once, not at the next feed pull
    // (a fallback system the scan did not need may say "not answering" until its re-probe: then green).
    await wedgeScan(cashier, sellable());
    await cashier.locator('[data-testid="links"] li[data-link="marking"]:not([data-level="down"])').waitFor({ timeout: 5_000 });
    await link('marking').and(cashier.locator('[data-level="ok"]')).waitFor({ timeout: 90_000 });
    await link('ofd').and(cashier.locator('[data-level="ok"]')).waitFor({ timeout: 90_000 });
    await summary().and(cashier.locator('[data-level="ok"]')).waitFor(SLOW);
    await manager.locator('#manager-tab-sales').click();
    await manager.locator('tr[data-sale][data-delivery="delivered"]').first().waitFor(SLOW);
    assert.equal(await manager.locator('tr[data-sale][data-delivery="queued"]').count(), 0, 'delivered once the OFD is back');
    await manager.locator('.lang-switch button[lang="en"]').click();
  });
});
