// A marking system's health stays true without a sale (issue 16, "knowing the truth"): the
// training register asks xTrace first and the Tanba feed second. Both emulators stop, a scan
// finds both failing; they start again and — with no further scan or sale — the core's re-probe
// turns both healthy in GET /api/sync/status and on the manager's sync tab, which says when the
// fallback last failed and when it recovered, with no old error left beside the newer success.
// Real emulators over HTTP, a real core, Debian's Chromium.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { LoginResponse, MarkingHealthView, SyncDashboard } from '../../src/server/contract/index.ts';
import { until } from '../server-harness.ts';
import { apiCall, ensureUiBuilt, launchBrowser, logIn, setUpRegister, startTestCore, TEST_ADMIN, TEST_TUNING, type TestBrowser, type TestCore } from './browser.ts';

const USERS = [
  { name: 'dana', role: 'cashier', pin: '5173' },
  { name: 'marat', role: 'manager', pin: '2968' },
] as const;
const SLOW = { timeout: 60_000 };

describe('marking systems: a failed fallback is asked again and turns healthy', { timeout: 240_000 }, () => {
  let core: TestCore;
  let browser: TestBrowser;
  let manager: Page;
  let admin: string;
  let cashier: string;

  before(async () => {
    await ensureUiBuilt();
    core = await startTestCore({}, { ...TEST_TUNING, markingProbe: { baseMs: 300, maxMs: 1_000 }, pullIntervalMs: 500 });
    browser = await launchBrowser();
    await setUpRegister(core.url, USERS);
    admin = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', TEST_ADMIN)).token;
    cashier = (await apiCall<LoginResponse>(core.url, 'POST', '/api/login', { name: 'dana', pin: '5173' })).token;
    manager = await browser.newPage();
    await manager.goto(core.url);
    await logIn(manager, 'marat', '2968');
    await manager.locator('#manager').waitFor();
  });

  after(async () => {
    await browser?.close();
    await core?.close();
  });

  const marking = async (): Promise<MarkingHealthView[]> => (await apiCall<SyncDashboard>(core.url, 'GET', '/api/sync/status', undefined, admin)).marking ?? [];
  const provider = (list: MarkingHealthView[], kind: string): MarkingHealthView => {
    const h = list.find((x) => x.provider === kind);
    assert.ok(h, `${kind} is on the dashboard: ${JSON.stringify(list)}`);
    return h;
  };

  test('both emulators down: a scan finds xTrace and the Tanba feed failing, with the time of the failure', async () => {
    const first = await marking();
    assert.deepEqual(first.map((h) => h.provider), ['xtrace', 'tanba-feed']);
    await apiCall(core.url, 'POST', '/api/shifts/open', {}, cashier);
    await apiCall(core.url, 'POST', '/api/training/emulators', { registry: 'stopped' }, admin);
    const code = core.core.services.training?.sample('sellable', 1)[0];
    assert.ok(code);
    await apiCall(core.url, 'POST', '/api/checkout/scan', { code, source: 'manual' }, cashier);
    const down = await marking();
    for (const kind of ['xtrace', 'tanba-feed']) {
      const h = provider(down, kind);
      assert.equal(h.state, 'failing', JSON.stringify(h));
      assert.match(h.lastFailureAt ?? '', /^\d{4}-\d\d-\d\dT.*Z$/);
      assert.ok(h.lastError, 'the failure is named');
      assert.equal(h.detail, h.lastError);
    }
    const row = manager.locator('[data-testid="marking-systems"] tr[data-provider="tanba-feed"][data-state="failing"]');
    await row.waitFor(SLOW);
    assert.match(await row.getByTestId('marking-times').innerText(), /Last failed at/);
    await manager.locator('[data-testid="marking-health"]', { hasText: 'tanba-feed' }).waitFor();
    // The header says so too: every marking system down.
    await manager.locator('[data-testid="links"] [data-link="marking"][data-level="down"]').waitFor(SLOW);
  });

  test('the emulators come back: with no scan and no sale, both turn healthy in the API and on the sync tab', async () => {
    const before = provider(await marking(), 'tanba-feed');
    await apiCall(core.url, 'POST', '/api/training/emulators', { registry: 'running' }, admin);
    const healthy = await until('both providers re-probed healthy', async () => {
      const list = await marking();
      return list.every((h) => h.state === 'ok') ? list : undefined;
    }, 30_000, 200);
    const feed = provider(healthy, 'tanba-feed');
    assert.equal(feed.lastError, null, 'no old error beside the newer success');
    assert.equal(feed.detail, 'answering');
    assert.ok(feed.lastSuccessAt !== null && feed.lastFailureAt !== null && feed.lastSuccessAt >= feed.lastFailureAt, JSON.stringify(feed));
    assert.ok((feed.lastFailureAt ?? '') >= (before.lastFailureAt ?? ''), 'the failure time is kept');

    // The sync tab follows through the pushed status (no reload), says when it recovered, and drops the error.
    const row = manager.locator('[data-testid="marking-systems"] tr[data-provider="tanba-feed"][data-state="ok"]');
    await row.waitFor(SLOW);
    const times = await row.getByTestId('marking-times').innerText();
    assert.match(times, /Recovered at .* \(last failed at .*\)/);
    await manager.locator('[data-testid="marking-health"]').waitFor({ state: 'detached', ...SLOW });
    await manager.locator('[data-testid="links"] [data-link="marking"][data-level="ok"]').waitFor(SLOW);
  });
});
