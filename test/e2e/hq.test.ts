// Head office's view (issue 19) in headless Chromium: a real `tanba hq serve` process (the CLI,
// spawned) over a real nats-server hub sourcing two real store leaf nodes, whose lanes (real
// registers on SQLite) sold and refused. The page is the Vite build's hq entry (src/ui/hq). A
// wrong viewer token is refused; the table shows both stores with each register's figures; the
// store filter narrows it (and the address bar keeps it); the CSV downloads the filtered rows;
// a register's drill-down lists the documents that reached head office; the strings follow the
// language switch.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { hqDocuments, hqStatus } from '../../src/hub/index.ts';
import type { HqDocumentView, HqStatusView } from '../../src/server/contract/index.ts';
import { refuseOn, sellOn, startChain, waitFor, type Chain } from '../helpers/hq-chain.ts';
import { ensureUiBuilt, launchBrowser, type TestBrowser } from './browser.ts';

const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
const TOKEN = 'hq-viewer-7Kd2';

/** Starts `tanba hq serve` on a free port; resolves with the process and its URL. */
async function startHqServe(hubUrl: string): Promise<{ child: ChildProcessWithoutNullStreams; url: string }> {
  const child = spawn(process.execPath, [bin, 'hq', 'serve', '--servers', hubUrl, '--port', '0'], { env: { ...process.env, TANBA_HQ_TOKEN: TOKEN } });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`hq serve did not start: ${out}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /view at (http:\/\/\S+)/.exec(out); if (m) { clearTimeout(timer); resolve(m[1]!); } });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hq serve exited ${code}: ${out}`)); });
  });
  return { child, url };
}

/** The rows of the table as "store/register". */
const rowKeys = (page: Page): Promise<string[]> => page.locator('[data-testid="hq-table"] tbody tr[data-register]').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-store')}/${r.getAttribute('data-register')}`));

describe('head office\'s view in Chromium over a real hub and two stores', { timeout: 240_000 }, () => {
  let chain: Chain;
  let hq: { child: ChildProcessWithoutNullStreams; url: string };
  let browser: TestBrowser;

  before(async () => {
    await ensureUiBuilt();
    chain = await startChain({ S1: ['L1', 'L2'], S2: ['L1'] });
    await sellOn(chain.lane('S1', 'L1'), 2);
    await sellOn(chain.lane('S1', 'L2'), 1);
    await sellOn(chain.lane('S2', 'L1'), 3);
    assert.equal(await refuseOn(chain.lane('S1', 'L2')), 'BLOCKED');
    // Every register's documents and a heartbeat that counts the refusal, at the hub.
    await waitFor('the chain at head office', async () => {
      // Typed as the page's contract: a drift between src/hub/hq.ts and src/server/contract/hq.ts is a compile error.
      const s: HqStatusView = await hqStatus({ servers: [chain.hub.url] });
      const regs = s.stores.flatMap((st) => st.registers.map((r) => ({ ...r, store: st.id })));
      return regs.length === 3 && regs.every((r) => r.documents === chain.lane(r.store, r.id).sales.length)
        && (regs.find((r) => r.store === 'S1' && r.id === 'L2')?.refusalsLastHour.BLOCKED ?? 0) > 0;
    }, 60_000);
    hq = await startHqServe(chain.hub.url);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    if (hq) {
      hq.child.kill('SIGTERM');
      await new Promise((r) => { if (hq.child.exitCode !== null) r(null); else hq.child.once('exit', r); });
    }
    await chain?.done();
  });

  test('a wrong token is refused; the viewer\'s shows both stores, filters, downloads the CSV and drills down to a register', async () => {
    const page = await browser.newPage();
    await page.goto(hq.url);
    await page.locator('#hq-login').waitFor();
    // Not head office's viewer: a register's session token, say.
    await page.locator('#hq-token').fill('a-register-manager-token');
    await page.locator('#hq-login-submit').click();
    await page.getByTestId('hq-refused').waitFor();
    assert.equal(await page.getByTestId('hq-table').count(), 0, 'no figures for a refused token');
    assert.equal((await fetch(`${hq.url}/api/hq/status`, { headers: { authorization: 'Bearer a-register-manager-token' } })).status, 401);

    await page.locator('#hq-token').fill(TOKEN);
    await page.locator('#hq-login-submit').click();
    await page.getByTestId('hq-table').waitFor();
    await waitFor('three rows', async () => (await rowKeys(page)).length === 3, 15_000);
    assert.deepEqual(await rowKeys(page), ['S1/L1', 'S1/L2', 'S2/L1']);
    const cell = (store: string, reg: string, col: string) => page.locator(`tr[data-store="${store}"][data-register="${reg}"] td[data-col="${col}"]`).innerText();
    assert.equal(await cell('S2', 'L1', 'documents'), '3');
    assert.equal(await cell('S1', 'L1', 'documents'), '2');
    // No OFD behind these lanes: their sales wait for the registry, and the queue says so.
    assert.equal(Number(await cell('S1', 'L1', 'queue')) > 0, true);
    assert.match(await cell('S1', 'L2', 'refusals'), /BLOCKED \d/);
    assert.equal(await cell('S1', 'L1', 'refusals'), 'none');
    assert.equal(await cell('S1', 'L1', 'conflicts'), '0');
    assert.notEqual(await cell('S1', 'L1', 'lastSeen'), 'never');

    // The filter: only store S2; the address keeps it.
    await page.locator('#hq-filter-store').fill('S2');
    await page.locator('#hq-filter-apply').click();
    await waitFor('the filtered table', async () => (await rowKeys(page)).join() === 'S2/L1', 15_000);
    assert.equal(new URL(page.url()).search, '?store=S2');

    // The CSV: the filtered rows, as the browser saves them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#hq-csv').click()]);
    assert.equal(download.suggestedFilename(), 'tanba-hq-status.csv');
    const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n');
    assert.match(csv[0] ?? '', /^store,register,last_seen_utc,queue,oldest_undelivered_utc,hours_left,unguarded,conflicts,documents,refusals_last_hour$/);
    assert.deepEqual(csv.slice(1).map((l) => l.split(',').slice(0, 2).join('/')), ['S2/L1']);
    assert.equal(csv[1]!.split(',')[8], '3');

    // Drill-down: S2's lane, its three sales in order.
    await page.locator('tr[data-store="S2"][data-register="L1"] a').click();
    await page.locator('#hq-register').waitFor();
    assert.equal(new URL(page.url()).pathname, '/register/S2/L1');
    await waitFor('the documents', async () => (await page.locator('[data-testid="hq-documents"] tbody tr[data-kind]').count()) === 3, 15_000);
    const ids = await page.locator('[data-testid="hq-documents"] tbody tr[data-kind="sale"] code').allInnerTexts();
    assert.deepEqual(ids, chain.lane('S2', 'L1').sales);
    const atHub: HqDocumentView[] = await hqDocuments({ servers: [chain.hub.url] }, 'S2', 'L1');
    assert.deepEqual(ids, atHub.map((d) => d.id));
    assert.equal(await page.locator('[data-tile="documents"] .tile-value').innerText(), '3');

    // The language switch, then Back to the filtered overview.
    await page.locator('.lang-switch button[lang="kk"]').click();
    await page.getByText('Бас кеңсеге жеткен құжаттар').waitFor();
    await page.goBack();
    await waitFor('back at the filtered overview', async () => (await rowKeys(page)).join() === 'S2/L1', 15_000);
    assert.equal(await page.locator('#hq-filter-store').inputValue(), 'S2');

    // A link to a register opens it directly (the server answers the path with the page); the token is kept for the tab.
    await page.goto(`${hq.url}/register/S1/L2`);
    await page.locator('#hq-register').waitFor();
    await page.locator('[data-tile="refusals"]').getByText(/BLOCKED/).waitFor();
  });
});
