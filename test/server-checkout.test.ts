// The cashier's and the manager's API over real HTTP, in training mode: a core with its
// in-process OFD emulator (TCP) and marking registry emulator (HTTP) on loopback, a real SQLite
// file, a virtual printer rendering PNGs.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, until, type Harness } from './server-harness.ts';
import type {
  BasketView, CompleteResponse, OverrideResponse, ReceiptResponse, SalesResponse, ScanResponse, SyncDashboard,
} from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-checkout');
  const open = await h.call('POST', '/api/shifts/open', h.tokens.cashier, {});
  assert.equal(open.status, 201, open.text);
});
after(async () => {
  await h.stop();
});

async function scan(code: string, extra: Record<string, unknown> = {}): Promise<ScanResponse> {
  const r = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code, source: 'wedge', ...extra });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

async function cancel(): Promise<void> {
  assert.equal((await h.call('POST', '/api/checkout/cancel', h.tokens.cashier)).status, 200);
}

async function payExact(): Promise<CompleteResponse> {
  const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
  const r = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: basket.total }] });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

test('a full sale in training mode: sellable code -> allow (online) -> pay -> printed receipt -> delivered with a ticket number', async () => {
  await cancel();
  const [s] = await h.sample('sellable', 1);
  assert.ok(s);
  assert.ok(s.code.includes('\x1d') || s.code.length >= 31, 'a marking code as scanned');
  const scanned = await scan(s.code, s.price === null ? { price: 150_000 } : {});
  assert.equal(scanned.verdict.decision, 'allow', JSON.stringify(scanned.verdict));
  assert.equal(scanned.verdict.source, 'online', 'the training registry answered the online check');
  assert.equal(scanned.verdict.code, s.code, 'the verdict carries the code exactly as scanned');
  assert.equal(scanned.verdict.cis, s.cis);
  assert.ok(scanned.verdict.messages.kk && scanned.verdict.messages.en);
  assert.equal(scanned.basket.lines.length, 1);
  assert.equal(scanned.basket.lines[0]?.id, scanned.verdict.lineId);
  const total = scanned.basket.total;
  assert.ok(total > 0);

  // Underpaying is refused and nothing is recorded.
  const short = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: total - 1 }] });
  assert.equal(short.status, 400);
  assert.equal((short.body as { error: { code: string } }).error.code, 'BAD_PAYMENT');

  const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: total + 500 }] });
  assert.equal(paid.status, 201, paid.text);
  const sale = paid.body;
  assert.equal(sale.kind, 'sale');
  assert.equal(sale.training, true);
  assert.equal(sale.receipt.totals.total, total);
  assert.equal(sale.receipt.totals.change, 500);
  assert.equal(sale.receipt.lines[0]?.code, s.code, 'the receipt keeps the code as scanned, GS included');
  assert.equal(sale.basket.lines.length, 0, 'the basket is empty after the sale');
  assert.equal(sale.print.state, 'printed', JSON.stringify(sale.print));
  assert.ok(sale.print.pngUrl);

  const png = await fetch(`${h.base}${sale.print.pngUrl}`, { headers: { authorization: `Bearer ${h.tokens.cashier}` } });
  assert.equal(png.status, 200);
  assert.equal(png.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await png.arrayBuffer());
  assert.equal(bytes.subarray(1, 4).toString(), 'PNG');

  // The sender delivers it to the training OFD over TCP; the manager sees the ticket number.
  const delivered = await until('the sale delivered', async () => {
    const r = await h.call<SalesResponse>('GET', `/api/sales?q=${encodeURIComponent(s.cis)}`, h.tokens.manager);
    assert.equal(r.status, 200, r.text);
    const row = r.body.sales.find((x) => x.id === sale.saleId);
    return row?.delivery.state === 'delivered' ? row : undefined;
  });
  assert.match(delivered.delivery.ticketNumber ?? '', /\d+/);
  assert.equal(delivered.total, total);
  const receipt = await h.call<ReceiptResponse>('GET', `/api/receipts/${sale.saleId}`, h.tokens.cashier);
  assert.equal(receipt.body.receipt.fiscal.state, 'delivered');
  assert.equal(receipt.body.receipt.fiscal.ticketNumber, delivered.delivery.ticketNumber);
  assert.equal(receipt.body.training, true);
  const status = await h.call<SyncDashboard>('GET', '/api/sync/status', h.tokens.manager);
  assert.equal(status.body.trainingMode, true);
  assert.equal(status.body.status.mode, 'online');
  assert.ok(status.body.status.queue.delivered >= 1);
  assert.ok(status.body.status.channels.ofd.lastSuccessAt !== null);
  assert.equal(status.body.cache.state, 'ready', 'the training cache was pulled from the registry emulator');
});

test('a refused code never reaches payment', async () => {
  await cancel();
  const [sold] = await h.sample('sold', 1);
  assert.ok(sold);
  const r = await scan(sold.code);
  assert.equal(r.verdict.decision, 'refuse');
  assert.equal(r.verdict.reason, 'SOLD');
  assert.equal(r.verdict.lineId, null);
  assert.ok(r.verdict.refusalId);
  assert.equal(r.basket.lines.length, 0);
  assert.equal(r.basket.refusals.length, 1);
  const pay = await h.call('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: 100_000 }] });
  assert.equal(pay.status, 409);
  assert.equal((pay.body as { error: { code: string } }).error.code, 'EMPTY_BASKET');
  // A registry-refused code (sold elsewhere) is not overridable, even with a manager's PIN.
  const o = await h.call('POST', '/api/checkout/override', h.tokens.cashier, { refusalId: r.verdict.refusalId, managerName: 'manager', managerPin: h.pins.manager, reason: 'customer insists' });
  assert.equal(o.status, 409, o.text);
  assert.equal((o.body as { error: { code: string } }).error.code, 'NOT_OVERRIDABLE');
  // A bad body names the field.
  const bad = await h.call('POST', '/api/checkout/scan', h.tokens.cashier, { code: '' });
  assert.equal(bad.status, 400);
  assert.match((bad.body as { error: { message: string } }).error.message, /^code:/);
});

test('override needs the manager\'s name and PIN and a reason; it is audited and the sale goes through', async () => {
  await cancel();
  // With the registry emulator stopped the cache decides; a code it does not know is refused as
  // NOT_FOUND, which a manager may override (the cache may lag behind the registry).
  const stop = await h.call('POST', '/api/training/emulators', h.tokens.technician, { registry: 'stopped' });
  assert.equal(stop.status, 200, stop.text);
  try {
    const [unknown] = await h.sample('unknown', 1).catch(() => [] as { code: string; cis: string; price: null; status: null }[]);
    // The emulator is down, so take an unknown code from the service directly (same dataset).
    const code = unknown?.code ?? h.core.services.training?.sample('unknown', 1)[0];
    assert.ok(code);
    const r = await scan(code);
    assert.equal(r.verdict.decision, 'refuse');
    assert.equal(r.verdict.reason, 'NOT_FOUND');
    assert.equal(r.verdict.source, 'cache');
    assert.equal(r.verdict.overridable, true, JSON.stringify(r.verdict));
    const refusalId = r.verdict.refusalId as string;

    const own = await h.call('POST', '/api/checkout/override', h.tokens.cashier, { refusalId, managerName: 'cashier', managerPin: h.pins.cashier, reason: 'my own approval' });
    assert.equal(own.status, 403, 'a cashier cannot approve with their own PIN');
    assert.equal((own.body as { error: { code: string } }).error.code, 'BAD_PIN');
    const noReason = await h.call('POST', '/api/checkout/override', h.tokens.cashier, { refusalId, managerName: 'manager', managerPin: h.pins.manager, reason: '' });
    assert.equal(noReason.status, 400);
    assert.match((noReason.body as { error: { message: string } }).error.message, /reason/);

    const ok = await h.call<OverrideResponse>('POST', '/api/checkout/override', h.tokens.cashier, { refusalId, managerName: 'manager', managerPin: h.pins.manager, reason: 'new stock, not yet in the cache' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.line.override?.manager, 'manager');
    assert.equal(ok.body.basket.refusals.length, 0);
    let line = ok.body.line;
    if (line.price === null) {
      const priced = await h.call<{ basket: BasketView }>('PUT', `/api/checkout/lines/${line.id}/price`, h.tokens.cashier, { price: 99_900 });
      assert.equal(priced.status, 200, priced.text);
      line = priced.body.basket.lines.find((l) => l.id === line.id) ?? line;
    }
    const sale = await payExact();
    assert.equal(sale.receipt.lines[0]?.override?.reason, 'new stock, not yet in the cache');

    const overrides = await h.call<{ overrides: { saleId: string | null; manager: string; cashier: string }[] }>('GET', '/api/overrides', h.tokens.manager);
    assert.equal(overrides.status, 200);
    assert.ok(overrides.body.overrides.some((o) => o.saleId === sale.saleId && o.manager === 'manager'));
    const audit = await h.call<{ entries: { action: string; outcome: string; details: Record<string, unknown> }[] }>('GET', '/api/audit?action=override', h.tokens.manager);
    const outcomes = audit.body.entries.map((e) => e.outcome);
    assert.ok(outcomes.includes('ok') && outcomes.includes('denied'), `audited: ${outcomes.join(',')}`);
    assert.ok(!JSON.stringify(audit.body).includes(h.pins.manager), 'no PIN in the audit log');
  } finally {
    const start = await h.call('POST', '/api/training/emulators', h.tokens.technician, { registry: 'running' });
    assert.equal(start.status, 200, start.text);
  }
  // The registry answers again.
  const [s] = await h.sample('sellable', 1, 5);
  assert.ok(s);
  const again = await scan(s.code, s.price === null ? { price: 1_000 } : {});
  assert.equal(again.verdict.source, 'online');
  await cancel();
});

test('a cashier gets 403 on manager and technician endpoints', async () => {
  const t = h.tokens.cashier;
  const cases: [string, string, unknown?][] = [
    ['GET', '/api/sales'], ['GET', '/api/sales.csv'], ['GET', '/api/overrides'], ['POST', '/api/sync/now'], ['POST', '/api/sync/retry/1'],
    ['GET', '/api/privacy/consents'], ['POST', '/api/privacy/purge'], ['GET', '/api/stats'],
    ['POST', '/api/cache/resync'], ['GET', '/api/devices'], ['POST', '/api/devices/test-scan', {}], ['POST', '/api/devices/test-print', {}],
    ['POST', '/api/registry/test'], ['GET', '/api/logs'], ['GET', '/api/diagnostics'], ['POST', '/api/training/emulators', { ofd: 'stopped' }],
  ];
  for (const [method, path, body] of cases) {
    const r = await h.call(method, path, t, body);
    assert.equal(r.status, 403, `${method} ${path}: ${r.status} ${r.text}`);
  }
  const upload = await h.call('POST', '/api/cache/import', t, '{"type":"cursor","cursor":"x"}\n', { 'content-type': 'application/x-ndjson' });
  assert.equal(upload.status, 403);
  // The technician may configure but not sell or see the sales list.
  assert.equal((await h.call('POST', '/api/checkout/scan', h.tokens.technician, { code: '4870000000000' })).status, 403);
  assert.equal((await h.call('GET', '/api/sales', h.tokens.technician)).status, 403);
  // The cashier's offline banner reads the sync status.
  assert.equal((await h.call('GET', '/api/sync/status', t)).status, 200);
  // Without a session: 401.
  assert.equal((await h.call('GET', '/api/checkout/basket')).status, 401);
});

test('returns, sales list filters and CSV export', async () => {
  await cancel();
  const codes = await h.sample('sellable', 2, 20);
  for (const c of codes) await scan(c.code, c.price === null ? { price: 12_345 } : {});
  const sale = await payExact();
  assert.equal(sale.receipt.lines.length, 2);
  const first = codes[0] as { code: string; cis: string };
  const ret = await h.call<CompleteResponse>('POST', '/api/checkout/return', h.tokens.cashier, { saleId: sale.saleId, items: [first.code] });
  assert.equal(ret.status, 201, ret.text);
  assert.equal(ret.body.kind, 'return');
  assert.equal(ret.body.receipt.originalDocumentId, sale.saleId);
  const twice = await h.call('POST', '/api/checkout/return', h.tokens.cashier, { saleId: sale.saleId, items: [first.code] });
  assert.equal(twice.status, 409);
  assert.equal((twice.body as { error: { code: string } }).error.code, 'ALREADY_RETURNED');

  const returns = await h.call<SalesResponse>('GET', '/api/sales?kind=return', h.tokens.manager);
  assert.deepEqual(returns.body.sales.map((s) => s.id), [ret.body.saleId]);
  const byCis = await h.call<SalesResponse>('GET', `/api/sales?q=${encodeURIComponent(first.cis)}`, h.tokens.manager);
  assert.deepEqual(new Set(byCis.body.sales.map((s) => s.id)), new Set([sale.saleId, ret.body.saleId]));
  const future = await h.call<SalesResponse>('GET', '/api/sales?from=2999-01-01', h.tokens.manager);
  assert.equal(future.body.total, 0);
  const badDate = await h.call('GET', '/api/sales?from=yesterday', h.tokens.manager);
  assert.equal(badDate.status, 400);
  assert.match((badDate.body as { error: { message: string } }).error.message, /^from:/);
  const detail = await h.call<{ lines: { cis: string | null; returned: boolean }[]; returns: { id: string }[] }>('GET', `/api/sales/${sale.saleId}`, h.tokens.manager);
  assert.equal(detail.status, 200);
  assert.equal(detail.body.lines.find((l) => l.cis === first.cis)?.returned, true);
  assert.deepEqual(detail.body.returns.map((r) => r.id), [ret.body.saleId]);

  const csv = await h.call('GET', '/api/sales.csv', h.tokens.manager);
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type') ?? '', /^text\/csv/);
  assert.match(csv.headers.get('content-disposition') ?? '', /attachment; filename="tanba-sales-/);
  const rows = csv.text.replace(/^\ufeff/, '').trimEnd().split('\r\n');
  const header = (rows[0] as string).split(',');
  assert.equal(header[0], 'document_id');
  const all = await h.call<SalesResponse>('GET', '/api/sales?limit=10000', h.tokens.manager);
  assert.equal(rows.length - 1, all.body.total, 'one CSV row per document');
  const saleRow = rows.find((r) => r.startsWith(sale.saleId))?.split(',') ?? [];
  assert.equal(saleRow[header.indexOf('kind')], 'sale');
  assert.equal(saleRow[header.indexOf('total_tiyn')], String(sale.receipt.totals.total));
  assert.equal(saleRow[header.indexOf('total')], (sale.receipt.totals.total / 100).toFixed(2));
  assert.equal(saleRow[header.indexOf('cashier')], 'cashier');
  const onlyReturns = await h.call('GET', '/api/sales.csv?kind=return', h.tokens.manager);
  const returnRows = onlyReturns.text.replace(/^\ufeff/, '').trimEnd().split('\r\n').slice(1);
  assert.equal(returnRows.length, 1);
  assert.ok(returnRows[0]?.startsWith(ret.body.saleId));
  assert.ok(returnRows[0]?.includes(sale.saleId), 'the return names its original sale');

  const stats = await h.call<{ checksPerHour: { allow: number; refuse: number }[]; refusalsByReason: { reason: string; count: number }[] }>('GET', '/api/stats', h.tokens.manager);
  assert.equal(stats.status, 200);
  const allowed = stats.body.checksPerHour.reduce((s, x) => s + x.allow, 0);
  assert.ok(allowed >= 4, `allowed checks counted: ${allowed}`);
  assert.ok(stats.body.refusalsByReason.some((r) => r.reason === 'SOLD'));
});

test('every basket change is audited: a line removed (the one named, not the first), a refusal dismissed, the basket cancelled', async () => {
  await cancel();
  // Codes no other test here sells.
  const sellable = await h.sample('sellable', 2, 40);
  const [sold] = await h.sample('sold', 1);
  assert.ok(sellable[0] && sellable[1] && sold);
  assert.equal((await scan(sellable[0].code)).verdict.decision, 'allow');
  const second = await scan(sellable[1].code);
  const refused = await scan(sold.code);
  const lineId = second.verdict.lineId;
  assert.ok(lineId && refused.verdict.refusalId);
  const removed = await h.call<{ basket: BasketView }>('DELETE', `/api/checkout/lines/${lineId}`, h.tokens.cashier);
  assert.equal(removed.status, 200, removed.text);
  assert.deepEqual(removed.body.basket.lines.map((l) => l.code), [sellable[0].code], 'the named line left, the first stayed');
  assert.equal((await h.call('DELETE', `/api/checkout/lines/${refused.verdict.refusalId}`, h.tokens.cashier)).status, 200);
  await cancel();
  type Audit = { entries: { action: string; outcome: string; user: string; details: Record<string, unknown> }[] };
  const entries = async (action: string) => (await h.call<Audit>('GET', `/api/audit?action=${action}`, h.tokens.manager)).body.entries;
  const remove = await entries('basket.remove');
  assert.equal(remove[0]?.details.code, sellable[1].code);
  assert.equal(remove[0]?.details.line, lineId);
  assert.equal((await entries('basket.dismiss'))[0]?.details.code, sold.code);
  const cancelled = await entries('basket.cancel');
  assert.equal(cancelled[0]?.details.lines, 1, 'the cancel names what was in the basket');
});
