// Head office (issue 19) with real nats-server processes: a hub and two store leaf nodes (own
// JetStream domains), two lanes each. Every lane's documents reach the hub's TANBA_HQ through
// stream sourcing; with the hub down the stores buffer and drain after, exactly once and in order
// per register; a resend after a "crash" is de-duplicated; `tanba hq status --json` shows them;
// `tanba hq serve` answers its JSON/CSV routes and serves the built page (the page itself runs
// in Chromium in test/e2e/hq.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegister, type Register } from '../src/register/index.ts';
import { configSchema } from '../src/config.ts';
import { hqDocuments, hqStatus, sourceStores, startHqWeb } from '../src/hub/index.ts';
import { openDatabase, type Db } from '../src/store/index.ts';
import { codeOf, G, NOW, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { startHub, startStore, type TestNats } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

interface Lane { store: string; id: string; reg: Register; db: Db; tmp: TempRegister; sales: string[]; next: number }

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    let ok: boolean;
    try { ok = await fn(); } catch { ok = false; }
    if (ok) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('head office: a hub sourcing two stores, two lanes each', () => {
  let hub: TestNats;
  const stores = new Map<string, TestNats>();
  const lanes: Lane[] = [];

  before(async () => {
    hub = await startHub();
    for (const s of ['S1', 'S2']) stores.set(s, await startStore(s, hub));
    await sourceStores(hub.url, ['S1', 'S2']);
    for (const [store, nats] of stores) {
      for (const id of ['L1', 'L2']) {
        const tmp = await tempRegister();
        const db = openDatabase(tmp.file);
        const t = Date.parse(NOW);
        let tick = 0;
        const config = configSchema.parse({ store: { id: store, nats: { servers: [nats.url], heartbeatSeconds: 1 } }, register: { id } });
        // Each document a distinct time, so the order is visible.
        const reg = createRegister({ config, db, dataDir: tmp.dir, clock: { now: () => new Date(t + tick++ * 1000) } });
        await reg.hub!.start();
        reg.checkout.openShift('test');
        lanes.push({ store, id, reg, db, tmp, sales: [], next: id === 'L1' ? 0 : 10 });
      }
    }
    await until('every lane connected', () => lanes.every((l) => l.reg.hub!.status().connected));
  });

  after(async () => {
    for (const l of lanes) { await l.reg.hub!.stop(); l.db.close(); l.tmp.done(); }
    for (const s of stores.values()) await s.done();
    await hub.done();
  });

  async function sell(l: Lane, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = await l.reg.checkout.scanGuarded(codeOf(G.water, serial(l.next++)));
      assert.equal(r.ok, true);
      l.sales.push(l.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: l.reg.checkout.basket().total }] }).sale.id);
    }
    await l.reg.hub!.settle();
  }

  const docsAtHub = async (l: Lane): Promise<string[]> => (await hqDocuments({ servers: [hub.url] }, l.store, l.id)).filter((d) => d.kind === 'sale').map((d) => d.id);

  test('each lane\'s sales reach the hub, in order; heartbeats show every store and register', async () => {
    for (const l of lanes) await sell(l, 2);
    for (const l of lanes) await until(`${l.store}/${l.id} documents at the hub`, async () => (await docsAtHub(l)).length === 2);
    for (const l of lanes) assert.deepEqual(await docsAtHub(l), l.sales);
    await until('heartbeats from all four lanes', async () => {
      const s = await hqStatus({ servers: [hub.url] });
      return s.stores.length === 2 && s.stores.every((st) => st.registers.length === 2 && st.registers.every((r) => r.lastSeen !== null));
    });
  });

  test('hub down (the stores\' WAN cut): sales continue and buffer at the store; after it returns they arrive exactly once, in order', async () => {
    await hub.stop();
    for (const l of lanes) await sell(l, 3);
    for (const l of lanes) assert.equal(l.reg.hub!.status().queue, 0, 'the store stream took them (the leaf is up)');
    await hub.start();
    for (const l of lanes) await until(`${l.store}/${l.id} to drain to the hub`, async () => (await docsAtHub(l)).length === 5, 60_000);
    for (const l of lanes) assert.deepEqual(await docsAtHub(l), l.sales, 'exactly once, in order per register');
  });

  test('a resend after a crash (the queue not marked sent) is not a second record', async () => {
    const l = lanes[0]!;
    l.db.prepare('UPDATE hub_outbox SET published_at = NULL').run();
    const r = await l.reg.hub!.reconcile();
    assert.equal(r.published >= 5, true);
    await new Promise((res) => setTimeout(res, 1_500));
    assert.deepEqual(await docsAtHub(l), l.sales);
    // A shift close is a document too, after the sales of its shift.
    l.reg.checkout.closeShift();
    await l.reg.hub!.settle();
    await until('the shift close at the hub', async () => (await hqDocuments({ servers: [hub.url] }, l.store, l.id)).some((d) => d.kind === 'shift_close'));
    const kinds = (await hqDocuments({ servers: [hub.url] }, l.store, l.id)).map((d) => d.kind);
    assert.deepEqual(kinds, [...l.sales.map(() => 'sale'), 'shift_close']);
  });

  test('tanba hq publish: a catalogue update reaches every lane of both stores once, applied with a journal entry', async () => {
    const dir = lanes[0]!.tmp.dir;
    const file = `${dir}/update.json`;
    writeFileSync(file, JSON.stringify({ kind: 'catalogue', id: 'cat-1', products: [{ gtin: G.water, name: 'Вода 0.5 л (HQ)', group: 'water', price: 26000, unit: 'pcs' }] }));
    const r = spawnSync(process.execPath, [bin, 'hq', 'publish', '--servers', hub.url, file], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const price = (l: Lane): number | undefined => (l.db.prepare('SELECT price FROM products WHERE gtin = ?').get(G.water) as { price: number } | undefined)?.price;
    for (const l of lanes) await until(`${l.store}/${l.id} to apply the catalogue`, () => price(l) === 26000, 60_000);
    for (const l of lanes) {
      const entries = l.db.prepare("SELECT ref FROM journal WHERE kind = 'hq_update'").all() as { ref: string }[];
      assert.deepEqual(entries.map((e) => e.ref), ['cat-1'], 'applied once, audited');
    }
    const bad = spawnSync(process.execPath, [bin, 'hq', 'publish', '--servers', hub.url, '-'], { encoding: 'utf8', input: '{"kind":"catalogue","id":"x","products":[{"gtin":"1"}]}' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /products\.0\.gtin/);
  });

  test('tanba hq status --json --servers URL prints every store and register', async () => {
    const r = spawnSync(process.execPath, [bin, 'hq', 'status', '--json', '--servers', hub.url], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { stores: { id: string; registers: { id: string; queue: number | null; lastSeen: string | null; documents: number; unguarded: number; conflicts: number }[] }[] };
    assert.deepEqual(out.stores.map((s) => [s.id, s.registers.map((x) => x.id)]), [['S1', ['L1', 'L2']], ['S2', ['L1', 'L2']]]);
    for (const s of out.stores) {
      for (const x of s.registers) {
        assert.equal(typeof x.queue, 'number');
        assert.match(x.lastSeen ?? '', /^2026-03-01T/);
        assert.equal(x.documents >= 5, true);
        assert.equal(x.unguarded, 0);
        assert.equal(x.conflicts, 0);
      }
    }
    const bad = spawnSync(process.execPath, [bin, 'hq', 'status', '--json'], { encoding: 'utf8', env: { ...process.env, TANBA_HQ_SERVERS: '' } });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--servers/);
  });

  test('hq serve: stores list with filters, a register drill-down, CSV; a viewer token is required when set', async () => {
    const web = await startHqWeb({ servers: [hub.url], host: '127.0.0.1', port: 0, token: 'view-1' });
    try {
      const get = (path: string, token = 'view-1'): Promise<Response> => fetch(`${web.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await get('/api/hq/status', 'wrong')).status, 401);
      const all = await (await get('/api/hq/status')).json() as { stores: { id: string; registers: { id: string }[] }[] };
      assert.deepEqual(all.stores.map((s) => s.id), ['S1', 'S2']);
      const s2 = await (await get('/api/hq/status?store=S2')).json() as { stores: { id: string }[] };
      assert.deepEqual(s2.stores.map((s) => s.id), ['S2']);
      // No OFD in these registers: their sales wait for the registry, so each one is a problem.
      const problems = await (await get('/api/hq/status?problems=1')).json() as { stores: { registers: { queue: number }[] }[] };
      assert.equal(problems.stores.flatMap((s) => s.registers).length, 4);
      assert.equal(problems.stores.flatMap((s) => s.registers).every((r) => r.queue > 0), true);
      // The lanes' clock is fixed at NOW (2026-03-01): silent for more than an hour, not for 100,000.
      const silent = await (await get('/api/hq/status?silent=1')).json() as { stores: { registers: unknown[] }[] };
      assert.equal(silent.stores.flatMap((s) => s.registers).length, 4);
      const recent = await (await get('/api/hq/status?silent=100000')).json() as { stores: unknown[] };
      assert.deepEqual(recent.stores, []);
      const csv = await (await get('/api/hq/status.csv?store=S1')).text();
      const lines = csv.trim().split('\r\n');
      assert.match(lines[0] ?? '', /^store,register,last_seen_utc,queue/);
      assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 2).join('/')), ['S1/L1', 'S1/L2']);
      const drill = await (await get('/api/hq/registers/S1/L2')).json() as { documents: { id: string; kind: string }[] };
      assert.deepEqual(drill.documents.filter((d) => d.kind === 'sale').map((d) => d.id), lanes.find((l) => l.store === 'S1' && l.id === 'L2')!.sales);
      // A page at a time, newest first: the last document alone, then everything before it.
      type Page = { documents: { id: string }[]; total: number; older: number | null };
      const newest = await (await get('/api/hq/registers/S1/L2?limit=1')).json() as Page;
      assert.equal(newest.total, drill.documents.length);
      assert.deepEqual(newest.documents.map((d) => d.id), [drill.documents.at(-1)!.id]);
      assert.notEqual(newest.older, null);
      const rest = await (await get(`/api/hq/registers/S1/L2?before=${newest.older}`)).json() as Page;
      assert.deepEqual([...rest.documents, ...newest.documents].map((d) => d.id), drill.documents.map((d) => d.id));
      assert.equal(rest.older, null);
      // The ids become a subject filter: a wildcard is refused, not widened to every register.
      for (const bad of ['/api/hq/registers/S1/%3E', '/api/hq/registers/*/L2', '/api/hq/registers/S1/L2?limit=0', '/api/hq/registers/S1/L2?before=x']) {
        const r = await get(bad);
        assert.equal(r.status, 400, bad);
        assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'BAD_INPUT');
      }
      assert.equal((await fetch(`${web.url}/api/hq/session`)).status, 401, 'no token: refused');
      assert.deepEqual(await (await get('/api/hq/session')).json(), { role: 'viewer', tokenRequired: true });
    } finally {
      await web.stop();
    }
  });

  test('hq serve: the built page (src/ui/dist/hq) at / and at a register\'s path, its assets, without the token; a clear 503 when it is not built', async () => {
    const ui = mkdtempSync(join(tmpdir(), 'tanba-hq-ui-'));
    mkdirSync(join(ui, 'hq'));
    mkdirSync(join(ui, 'assets'));
    writeFileSync(join(ui, 'hq', 'index.html'), '<!doctype html><title>hq page</title><script type="module" src="/assets/hq-1.js"></script>');
    writeFileSync(join(ui, 'assets', 'hq-1.js'), 'console.log("hq")');
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>the register</title>');
    const web = await startHqWeb({ servers: [hub.url], host: '127.0.0.1', port: 0, token: 'view-1', uiDir: ui });
    const missing = await startHqWeb({ servers: [hub.url], host: '127.0.0.1', port: 0, uiDir: join(ui, 'nothing') });
    try {
      for (const path of ['/', '/?store=S1', '/register/S1/L2']) {
        const r = await fetch(`${web.url}${path}`);
        assert.equal(r.status, 200, path);
        assert.match(r.headers.get('content-type') ?? '', /text\/html/);
        assert.match(await r.text(), /<title>hq page<\/title>/);
      }
      const js = await fetch(`${web.url}/assets/hq-1.js`);
      assert.equal(js.status, 200);
      assert.match(js.headers.get('content-type') ?? '', /javascript/);
      assert.equal((await fetch(`${web.url}/api/hq/status`)).status, 401, 'the data still wants the token');
      for (const path of ['/%61pi/hq/status', '/%61pi/hq/session', '/api/hq/registers/S1/L2', '/nothing']) assert.equal((await fetch(`${web.url}${path}`)).status, 401, `${path} without the token`);
      assert.equal((await fetch(`${web.url}/index.html`, { headers: { authorization: 'Bearer view-1' } })).status, 404, 'the register\'s page is not head office\'s');
      const none = await fetch(`${missing.url}/`);
      assert.equal(none.status, 503);
      assert.match(await none.text(), /npm run build:ui/);
      assert.equal((await fetch(`${missing.url}/api/hq/status`)).status, 200, 'the JSON routes work without the page');
      const dead = await startHqWeb({ servers: ['nats://127.0.0.1:1'], host: '127.0.0.1', port: 0, uiDir: ui });
      try {
        const r = await fetch(`${dead.url}/api/hq/status`);
        assert.equal(r.status, 503);
        assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'HUB_UNREACHABLE');
      } finally {
        await dead.stop();
      }
    } finally {
      await web.stop();
      await missing.stop();
      rmSync(ui, { recursive: true, force: true });
    }
  });
});
