/**
 * Saves PNGs of head office's view (`tanba hq serve`, src/ui/hq) to docs/screenshots/: a real
 * hub and three real store leaf nodes (nats-server), six lanes (real registers on SQLite) that
 * sell and refuse, and the view served over them, photographed in headless Chromium at 1280x800.
 *
 *   node --import tsx scripts/screenshots-hq.ts [--out docs/screenshots]
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { hqStatus, startHqWeb } from '../src/hub/index.ts';
import { ensureUiBuilt, launchBrowser } from '../test/e2e/browser.ts';
import { refuseOn, sellOn, sellSerial, startChain, waitFor } from '../test/helpers/hq-chain.ts';
import { shot } from './screenshots-kit.ts';

const root = new URL('..', import.meta.url).pathname;
const outArg = process.argv.indexOf('--out');
const outDir = resolve(outArg > 0 && process.argv[outArg + 1] ? process.argv[outArg + 1] as string : join(root, 'docs/screenshots'));
const TOKEN = 'hq-screenshots';

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  await ensureUiBuilt();
  const chain = await startChain({ 'ALA-01': ['L1', 'L2', 'L3'], 'ALA-02': ['L1', 'L2'], 'AST-01': ['L1'] });
  const browser = await launchBrowser();
  const web = await startHqWeb({ servers: [chain.hub.url], host: '127.0.0.1', port: 0, token: TOKEN });
  try {
    const plan: [string, string, number, number][] = [['ALA-01', 'L1', 4, 1], ['ALA-01', 'L2', 2, 0], ['ALA-01', 'L3', 1, 2], ['ALA-02', 'L1', 3, 0], ['ALA-02', 'L2', 1, 0], ['AST-01', 'L1', 5, 1]];
    for (const [store, id, sales, refusals] of plan) {
      await sellOn(chain.lane(store, id), sales);
      for (let i = 0; i < refusals; i++) await refuseOn(chain.lane(store, id));
    }
    // A cross-lane conflict: ALA-02's NATS stops, its L2 sells (unguarded) the bottle L1 sold; it returns.
    const [l1, l2] = [chain.lane('ALA-02', 'L1'), chain.lane('ALA-02', 'L2')];
    const ala02 = chain.stores.get('ALA-02')!;
    await ala02.stop();
    await waitFor('ALA-02/L2 to see the outage', () => !l2.reg.hub!.status().connected);
    await sellSerial(l2, l1.next - 1);
    await ala02.start();
    await waitFor('the conflict found', () => l2.reg.hub!.status().conflicts > 0, 60_000);
    await waitFor('every lane at head office', async () => {
      const s = await hqStatus({ servers: [chain.hub.url] });
      const regs = s.stores.flatMap((st) => st.registers.map((r) => ({ ...r, store: st.id })));
      return regs.length === plan.length && regs.every((r) => r.documents >= chain.lane(r.store, r.id).sales.length && r.lastSeen !== null)
        && regs.some((r) => r.conflicts > 0)
        && plan.every(([store, id, , n]) => Object.values(regs.find((r) => r.store === store && r.id === id)?.refusalsLastHour ?? {}).reduce((a, b) => a + b, 0) === n);
    }, 60_000);

    const page = await browser.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(web.url);
    await page.locator('.lang-switch button[lang="en"]').click();
    await page.locator('#hq-token').fill('not-the-viewer-token');
    await page.locator('#hq-login-submit').click();
    await page.getByTestId('hq-refused').waitFor();
    await shot({ outDir }, page, 'hq-login-refused');
    await page.locator('#hq-token').fill(TOKEN);
    await page.locator('#hq-login-submit').click();
    await page.locator(`tr[data-register]`).nth(plan.length - 1).waitFor();
    await shot({ outDir }, page, 'hq-overview');
    await page.locator('.lang-switch button[lang="ru"]').click();
    await page.locator('#hq-filter-store').fill('ALA');
    await page.locator('#hq-filter-apply').click();
    await page.waitForFunction(() => document.querySelectorAll('tr[data-register]').length === 5);
    await shot({ outDir }, page, 'hq-overview-filter-ru');
    await page.locator('.lang-switch button[lang="kk"]').click();
    await page.locator('tr[data-store="AST-01"]').waitFor({ state: 'detached' });
    await page.locator('tr[data-store="ALA-01"][data-register="L1"] a').click();
    await page.locator('#hq-register [data-tile="refusals"]').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="hq-documents"] tbody tr[data-kind]').length === 4);
    await shot({ outDir }, page, 'hq-register-kk');
  } finally {
    await web.stop();
    await browser.close();
    await chain.done();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
