// The header's links tell the truth (issue 16), over real HTTP against a training core with its
// real emulators stopped and started: a scan's online check is the newest word on the marking
// link (both ways, at once); the OFD's reachability is probed while nothing is sent; a sale
// waiting for the OFD is `queued` (API, filter, CSV), not `sending`, and delivered once it is back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, until, type Harness } from './server-harness.ts';
import type { BasketView, CompleteResponse, SalesResponse, ServerEvent, SyncDashboard } from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-links');
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
});
after(async () => {
  await h.stop();
});

const dashboard = async () => (await h.call<SyncDashboard>('GET', '/api/sync/status', h.tokens.cashier)).body;
const emulators = async (body: Record<string, string>) => assert.equal((await h.call('POST', '/api/training/emulators', h.tokens.technician, body)).status, 200);
const scan = async (code: string) => assert.equal((await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code, source: 'wedge' })).status, 200);

test('a scan\'s online check updates the marking link at once, both ways, and the sync event carries it', async () => {
  const codes = await h.sample('sellable', 2, 40);
  const log = await h.events(h.tokens.cashier);
  await emulators({ registry: 'stopped' });
  try {
    const pushed = log.waitFor((e: ServerEvent) => e.type === 'sync' && e.lastCheck?.answered === false, 10_000);
    await scan(codes[0]!.code);
    const d = await dashboard();
    assert.equal(d.lastCheck?.answered, false, 'the scan found no marking system');
    assert.ok(d.lastCheck?.detail, 'with the reason');
    await pushed;
  } finally {
    log.close();
    await emulators({ registry: 'running' });
  }
  await scan(codes[1]!.code);
  const d = await dashboard();
  assert.deepEqual([d.lastCheck?.answered, d.lastCheck?.detail], [true, null], 'answered online again, without waiting for a feed pull');
});

test('the OFD stopped: the probe says unreachable with nothing sent; a sale waits as queued (API, filter, CSV), then is delivered', async () => {
  assert.equal((await until('a first probe', async () => (await dashboard()).ofdProbe ?? undefined)).reachable, true);
  await scan((await h.sample('sellable', 1, 60))[0]!.code);
  await emulators({ ofd: 'stopped' });
  let saleId = '';
  try {
    const probe = await until('the probe sees the OFD down', async () => {
      const p = (await dashboard()).ofdProbe;
      return p && !p.reachable ? p : undefined;
    });
    assert.match(probe.detail ?? '', /ECONNREFUSED/);
    const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
    const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: basket.total }] });
    assert.equal(paid.status, 201, paid.text);
    saleId = paid.body.saleId;
    const sale = await until('the sale shown as queued', async () => {
      const s = (await h.call<SalesResponse>('GET', `/api/sales?q=${saleId}`, h.tokens.manager)).body.sales[0];
      return s?.delivery.state === 'queued' ? s : undefined;
    });
    assert.ok(sale.delivery.lastError, 'with why it waits');
    // It stays queued through the reconnect attempts (never flips to "sending" while the OFD is down).
    for (let i = 0; i < 10; i++) {
      const s = (await h.call<SalesResponse>('GET', `/api/sales?q=${saleId}`, h.tokens.manager)).body.sales[0];
      assert.equal(s?.delivery.state, 'queued', `check ${i}`);
      await new Promise((r) => setTimeout(r, 150));
    }
    const filtered = (await h.call<SalesResponse>('GET', '/api/sales?delivery=queued', h.tokens.manager)).body;
    assert.deepEqual(filtered.sales.map((s) => s.id), [saleId]);
    assert.equal((await h.call<SalesResponse>('GET', '/api/sales?delivery=sending', h.tokens.manager)).body.total, 0);
    const csv = await h.call('GET', '/api/sales.csv', h.tokens.manager);
    const [head, ...rows] = csv.text.replace(/^\ufeff/, '').trim().split('\r\n').map((r) => r.split(','));
    const row = rows.find((r) => r[0] === saleId);
    assert.equal(row?.[head!.indexOf('delivery')], 'queued');
    assert.equal(row?.[head!.indexOf('offline')], 'true');
  } finally {
    await emulators({ ofd: 'running' });
  }
  await until('delivered once the OFD is back', async () => {
    const s = (await h.call<SalesResponse>('GET', `/api/sales?q=${saleId}`, h.tokens.manager)).body.sales[0];
    return s?.delivery.state === 'delivered' ? true : undefined;
  }, 30_000);
  assert.equal((await dashboard()).ofdProbe?.reachable, true);
});
