// Sync health, cache, devices and maintenance over real HTTP and WebSocket, in training mode:
// stopping the OFD emulator makes the register offline with a growing queue, restarting it
// drains the queue; a feed upload streams into the cache; a test scan travels the emulated pty
// scanner and the real serial driver to a verdict event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, until, type Harness } from './server-harness.ts';
import type {
  BasketView, CacheImportResponse, CacheResponse, CompleteResponse, ConsentsResponse, DiagnosticsBundle, LogsResponse,
  RegistryTestResponse, SalesResponse, ScanResponse, SyncDashboard, TestPrintResponse, TestScanResponse,
} from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-sync');
  const open = await h.call('POST', '/api/shifts/open', h.tokens.cashier, {});
  assert.equal(open.status, 201, open.text);
});
after(async () => {
  await h.stop();
});

async function sell(offset: number, extra: Record<string, unknown> = {}): Promise<CompleteResponse> {
  await h.call('POST', '/api/checkout/cancel', h.tokens.cashier);
  const [s] = await h.sample('sellable', 1, offset);
  assert.ok(s);
  const scan = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code: s.code, ...(s.price === null ? { price: 20_000 } : {}) });
  assert.equal(scan.status, 200, scan.text);
  assert.notEqual(scan.body.verdict.decision, 'refuse', JSON.stringify(scan.body.verdict));
  const basket = (await h.call<BasketView>('GET', '/api/checkout/basket', h.tokens.cashier)).body;
  const paid = await h.call<CompleteResponse>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'card', amount: basket.total }], ...extra });
  assert.equal(paid.status, 201, paid.text);
  return paid.body;
}

async function dashboard(): Promise<SyncDashboard> {
  const r = await h.call<SyncDashboard>('GET', '/api/sync/status', h.tokens.manager);
  assert.equal(r.status, 200, r.text);
  return r.body;
}

test('OFD emulator stopped: offline with a growing queue and offline receipts; restarted: the queue drains', async () => {
  const manager = await h.events(h.tokens.manager);
  try {
    await sell(100);
    await until('online and empty queue', async () => ((await dashboard()).status.queue.depth === 0 ? true : undefined));

    const stop = await h.call('POST', '/api/training/emulators', h.tokens.technician, { ofd: 'stopped' });
    assert.equal(stop.status, 200, stop.text);
    const a = await sell(101);
    assert.equal(a.receipt.fiscal.offline, true, 'printed with the offline mark while the OFD is unreachable');
    assert.equal(a.receipt.fiscal.ticketNumber, null);
    assert.equal(a.print.state, 'printed', 'the printer does not care whether the OFD is up');
    const offline = await until('offline mode', async () => {
      const d = await dashboard();
      return d.status.mode === 'offline' ? d : undefined;
    });
    assert.ok(offline.status.queue.depth >= 1);
    assert.ok(offline.status.timeLeftMs !== null && offline.status.timeLeftMs > 0, 'time left before the offline limit');
    assert.ok(offline.status.channels.ofd.lastError, 'the failure reason is shown');
    assert.equal(offline.training?.ofd.running, false);
    const b = await sell(102);
    const grown = await dashboard();
    assert.ok(grown.status.queue.depth >= 2, `the queue grows: ${grown.status.queue.depth}`);
    assert.ok(grown.status.queue.oldestAgeMs !== null && grown.status.queue.oldestAgeMs >= 0);
    // The manager's screen was told, not only asked.
    await manager.waitFor((e) => e.type === 'sync' && e.status.mode === 'offline');
    await manager.waitFor((e) => e.type === 'delivery' && !e.ok);

    const start = await h.call('POST', '/api/training/emulators', h.tokens.technician, { ofd: 'running' });
    assert.equal(start.status, 200, start.text);
    const drained = await until('the queue drains', async () => {
      const d = await dashboard();
      return d.status.queue.depth === 0 && d.status.mode === 'online' ? d : undefined;
    }, 20_000);
    assert.equal(drained.training?.ofd.running, true);
    const sales = await h.call<SalesResponse>('GET', '/api/sales?limit=50', h.tokens.manager);
    for (const id of [a.saleId, b.saleId]) {
      const row = sales.body.sales.find((s) => s.id === id);
      assert.equal(row?.delivery.state, 'delivered', `sale ${id} delivered after the restart`);
      assert.match(row?.delivery.ticketNumber ?? '', /\d+/);
    }
    // Made while the register knew it was offline: delivered as an offline ticket (protocol 5.2).
    assert.equal(sales.body.sales.find((s) => s.id === b.saleId)?.delivery.offline, true);
    await manager.waitFor((e) => e.type === 'delivery' && e.ok && e.documentId === b.saleId);
    const stats = await h.call<{ deliveriesPerHour: { delivered: number; failed: number }[] }>('GET', '/api/stats', h.tokens.manager);
    const failed = stats.body.deliveriesPerHour.reduce((s, x) => s + x.failed, 0);
    const delivered = stats.body.deliveriesPerHour.reduce((s, x) => s + x.delivered, 0);
    assert.ok(failed >= 1 && delivered >= 3, `deliveries over time: ${delivered} ok, ${failed} failed`);
    // A manager's "sync now" is audited and reports the pass.
    const now = await h.call<{ pass: { delivered: number; remaining: number } }>('POST', '/api/sync/now', h.tokens.manager);
    assert.equal(now.status, 200);
    assert.equal(now.body.pass.remaining, 0);
    const retry = await h.call('POST', '/api/sync/retry/1', h.tokens.manager);
    assert.equal(retry.status, 409, 'a delivered row is not blocked');
  } finally {
    manager.close();
  }
});

test('cache import upload streams into the cache; a bad line answers 400 naming the line and changes nothing', async () => {
  const before = await h.call<CacheResponse>('GET', '/api/cache', h.tokens.technician);
  assert.equal(before.status, 200);
  const cursor = before.body.stats.cursor as string;
  assert.ok(cursor);
  const codesBefore = before.body.stats.codes;
  const good = [
    JSON.stringify({ type: 'delta', from: cursor }),
    JSON.stringify({ type: 'product', gtin: '04870000000017', name: 'Тест өнім', group: 'dairy', price: 45_000 }),
    JSON.stringify({ type: 'code', cis: '010487000000001721TESTCODE01', gtin: '04870000000017', status: 'in_circulation' }),
  ];
  const bad = [...good, '{"type":"code","cis":"0104870000000017215BAD","status":"lost"}', JSON.stringify({ type: 'cursor', cursor: 'test-1' })].join('\n');
  const tech = await h.events(h.tokens.technician);
  try {
    const r = await h.call('POST', '/api/cache/import', h.tokens.technician, `${bad}\n`, { 'content-type': 'application/x-ndjson' });
    assert.equal(r.status, 400, r.text);
    const err = (r.body as { error: { code: string; message: string } }).error;
    assert.equal(err.code, 'BAD_RECORD');
    assert.match(err.message, /line 4/);
    const after = await h.call<CacheResponse>('GET', '/api/cache', h.tokens.technician);
    assert.equal(after.body.stats.codes, codesBefore);
    assert.equal(after.body.stats.cursor, cursor, 'the live cache and its cursor are untouched');
    await tech.waitFor((e) => e.type === 'cache-import' && e.phase === 'failed');

    const ok = await h.call<CacheImportResponse>('POST', '/api/cache/import', h.tokens.technician, `${[...good, JSON.stringify({ type: 'cursor', cursor: 'test-2' })].join('\n')}\n`, { 'content-type': 'application/x-ndjson' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.body.result.kind, 'delta');
    assert.equal(ok.body.result.codes, 1);
    assert.equal(ok.body.stats.codes, codesBefore + 1);
    assert.equal(ok.body.stats.cursor, 'test-2');
    await tech.waitFor((e) => e.type === 'cache-import' && e.phase === 'done');
    const wrongType = await h.call('POST', '/api/cache/import', h.tokens.technician, { not: 'a feed' });
    assert.equal(wrongType.status, 415);
  } finally {
    tech.close();
  }
  // Put the cache back in step with the registry (a full resync).
  const resync = await h.call<{ ok: boolean; kind: string }>('POST', '/api/cache/resync', h.tokens.technician);
  assert.equal(resync.status, 200, resync.text);
  assert.equal(resync.body.ok, true);
  assert.equal(resync.body.kind, 'full', 'the registry does not know our cursor: full snapshot');
});

test('a test scan goes through the emulated pty scanner to a verdict for the technician, never into the basket; raw bytes reach only technicians', async () => {
  const devices = await h.call<{ devices: { config: { id: string }; emulated: boolean; health: { state: string } | null }[] }>('GET', '/api/devices', h.tokens.technician);
  assert.equal(devices.status, 200, devices.text);
  const emulated = devices.body.devices.find((d) => d.emulated);
  assert.ok(emulated, 'the training scanner is assigned');
  await until('the emulated scanner connected', async () => {
    const d = await h.call<{ devices: { emulated: boolean; health: { state: string } | null }[] }>('GET', '/api/devices', h.tokens.technician);
    return d.body.devices.find((x) => x.emulated)?.health?.state === 'connected' ? true : undefined;
  });
  await h.call('POST', '/api/checkout/cancel', h.tokens.cashier);
  const tech = await h.events(h.tokens.technician);
  const cashier = await h.events(h.tokens.cashier);
  try {
    const r = await h.call<TestScanResponse>('POST', '/api/devices/test-scan', h.tokens.technician, { kind: 'sellable' });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.code.includes('\x1d'), 'a GS1 code with a group separator');
    // The frame came back through the driver and was decided for the technician (issue 16).
    assert.equal(r.body.result.received, r.body.code, 'the driver delivered the code exactly as sent');
    assert.equal(r.body.result.verdict.decision, 'allow');
    assert.equal(r.body.result.parsed.ok, true);
    const raw = await tech.waitFor((e) => e.type === 'device-raw' && e.deviceId === 'training-scanner');
    assert.ok(raw.type === 'device-raw' && raw.text.includes('<GS>'), 'GS shown in the printable form');
    assert.ok(raw.type === 'device-raw' && raw.hex.split(' ').includes('1d'));
    assert.ok(!cashier.events.some((e) => e.type === 'device-raw'), 'a cashier gets no raw device bytes');
    const typed = await h.call<TestScanResponse>('POST', '/api/devices/test-scan', h.tokens.technician, { code: '4870000000013' });
    assert.equal(typed.status, 200);
    assert.equal(typed.body.result.received, '4870000000013');
    assert.ok(!cashier.events.some((e) => e.type === 'verdict' || e.type === 'basket'), 'no verdict or basket change reached the cashier');
    const basket = await h.call<{ lines: unknown[]; refusals: unknown[] }>('GET', '/api/checkout/basket', h.tokens.cashier);
    assert.equal(basket.status, 200, basket.text);
    assert.equal(basket.body.lines.length, 0, 'a test scan never lands in the basket');
  } finally {
    tech.close();
    cashier.close();
    await h.call('POST', '/api/checkout/cancel', h.tokens.cashier);
  }
  const print = await h.call<TestPrintResponse>('POST', '/api/devices/test-print', h.tokens.technician, { languages: ['kk', 'ru'] });
  assert.equal(print.status, 200, print.text);
  assert.equal(print.body.printed, true);
  assert.match(print.body.image ?? '', /^data:image\/png;base64,iVBOR/);
  assert.match(print.body.text ?? '', /БИН/, 'the rendered receipt as text');
});

test('registry test, logs and a diagnostics bundle without secrets', async () => {
  const t = await h.call<RegistryTestResponse>('POST', '/api/registry/test', h.tokens.technician);
  assert.equal(t.status, 200, t.text);
  assert.equal(t.body.trainingMode, true);
  assert.equal(t.body.ofd.ok, true, t.body.ofd.detail);
  assert.match(t.body.ofd.detail, /COMMAND_INFO/);
  assert.equal(t.body.marking.ok, true, t.body.marking.detail);
  // 2.0.3: what the OFD says about the point of sale (Kazakh address, position) reaches the technician.
  assert.deepEqual(t.body.ofdRegInfo?.pointOfSale, { title: 'Tanba OFD emulator', address: 'Алматы, ул. Абая, 1', addressKz: 'Алматы, Абай к-сі, 1', latitude: 43.238949, longitude: 76.889709 });
  assert.deepEqual(t.body.ofdRegInfo?.organisation, { title: 'Training organisation', address: 'Алматы, ул. Абая, 1', addressKz: 'Алматы, Абай көшесі, 1', inn: '000000000000' });
  assert.ok(!Number.isNaN(Date.parse(t.body.ofdRegInfo?.receivedAt ?? '')));
  const logs = await h.call<LogsResponse>('GET', '/api/logs?limit=200', h.tokens.technician);
  assert.equal(logs.status, 200);
  assert.ok(logs.body.lines.some((l) => l.msg === 'services started'));
  assert.ok(logs.body.lines.some((l) => l.msg === 'delivered to the OFD'));
  const warn = await h.call<LogsResponse>('GET', '/api/logs?level=warn', h.tokens.technician);
  assert.ok(warn.body.lines.every((l) => l.level === 'warn' || l.level === 'error' || l.level === 'fatal'));
  const badLevel = await h.call('GET', '/api/logs?level=loud', h.tokens.technician);
  assert.equal(badLevel.status, 400);

  // A secret in the configuration must not leave in the bundle.
  const cfg = await h.call('PUT', '/api/config', h.tokens.technician, { registry: { marking: { url: 'https://registry.example.kz/', token: 'SECRET-TOKEN-123' } } });
  assert.equal(cfg.status, 200, cfg.text);
  const d = await h.call<DiagnosticsBundle>('GET', '/api/diagnostics', h.tokens.technician);
  assert.equal(d.status, 200, d.text);
  assert.match(d.headers.get('content-disposition') ?? '', /attachment; filename="tanba-diagnostics-/);
  assert.ok(!d.text.includes('SECRET-TOKEN-123'), 'no secrets in the diagnostics bundle');
  assert.ok(!d.text.includes(h.pins.manager));
  assert.equal(d.body.trainingMode, true);
  assert.match(d.body.versions.sqlite, /^3\./);
  assert.ok(d.body.devices.some((x) => x.emulated));
  assert.equal(typeof d.body.sync.queue.depth, 'number');
  assert.ok(d.body.cache.stats.codes > 0);
  assert.ok(d.body.logs.length > 0);
  assert.deepEqual(d.body.ofdRegInfo, t.body.ofdRegInfo, 'the bundle carries the OFD registration data too');
});

test('privacy: consents are listed masked, withdrawn and purged (audited)', async () => {
  const sale = await sell(130, { contact: { phone: '+77011234567', consent: true } });
  assert.equal(sale.receipt.eReceipt, true);
  const list = await h.call<ConsentsResponse>('GET', '/api/privacy/consents', h.tokens.manager);
  assert.equal(list.status, 200);
  const c = list.body.consents.find((x) => x.saleId === sale.saleId);
  assert.ok(c);
  assert.ok(!list.text.includes('+77011234567'), 'the manager sees the phone masked');
  assert.match(c.phone ?? '', /^\+770\*+67$/);
  const w = await h.call<{ purged: number }>('POST', `/api/privacy/consents/${c.id}/withdraw`, h.tokens.manager);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.purged, 1);
  const after = await h.call<ConsentsResponse>('GET', '/api/privacy/consents', h.tokens.manager);
  assert.ok(!after.body.consents.some((x) => x.id === c.id));
  assert.equal((await h.call('POST', `/api/privacy/consents/${c.id}/withdraw`, h.tokens.manager)).status, 404);
  const purge = await h.call('POST', '/api/privacy/purge', h.tokens.manager);
  assert.equal(purge.status, 200);
  const audit = await h.call<{ entries: { action: string }[] }>('GET', '/api/audit', h.tokens.manager);
  assert.ok(audit.body.entries.some((e) => e.action === 'privacy.withdraw'));
  assert.ok(audit.body.entries.some((e) => e.action === 'privacy.purge'));
});
