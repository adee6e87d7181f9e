// The hub's HTTP routes through real servers (issue 19): a lane's core (`tanba serve`, training
// mode) on a store's real nats-server — GET /api/hub/status, GET /api/hub/conflicts (JSON and
// CSV) with a real cross-lane double sale, POST /api/hub/reconcile, roles — and `tanba hq serve`
// started as a CLI process against a real hub (JSON filters, drill-down, CSV, its viewer token).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { configSchema } from '../src/config.ts';
import { createRegister, type Register } from '../src/register/index.ts';
import { sourceStores } from '../src/hub/index.ts';
import { feedCursor, openDatabase, type Db } from '../src/store/index.ts';
import { startHarness, until, type Harness } from './server-harness.ts';
import { startHub, startStore, type TestNats } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

interface HubStatusBody { configured: boolean; store?: string; register?: string; connected?: boolean; unguarded?: number; conflicts?: number }
interface ConflictBody { conflicts: { cis: string; first: { register: string; saleId: string }; second: { register: string; saleId: string } }[] }

describe('a lane\'s /api/hub routes on a real core and a real store nats-server', () => {
  let hub: TestNats;
  let nats: TestNats;
  let h: Harness;
  let other: { reg: Register; db: Db; dir: string } | null = null;

  before(async () => {
    hub = await startHub();
    nats = await startStore('S1', hub);
    await sourceStores(hub.url, ['S1']);
    h = await startHarness('hub-routes');
    const file = join(h.dir, 'config.json');
    const current = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> : {};
    writeFileSync(file, JSON.stringify({ ...current, store: { ...(current.store as object | undefined), id: 'S1', nats: { servers: [nats.url], feedLeaseSeconds: 1, heartbeatSeconds: 1 } }, register: { id: 'L9' } }));
    await h.restart();
  });

  after(async () => {
    if (other) { await other.reg.hub!.stop(); other.db.close(); rmSync(other.dir, { recursive: true, force: true }); }
    await h.stop();
    await nats.done();
    await hub.done();
  });

  test('GET /api/hub/status: the lane\'s store link for the manager, not for the cashier', async () => {
    const s = await until('the lane connected to its store', async () => {
      const r = await h.call<HubStatusBody>('GET', '/api/hub/status', h.tokens.manager);
      assert.equal(r.status, 200, r.text);
      return r.body.connected === true ? r.body : undefined;
    });
    assert.deepEqual({ configured: s.configured, store: s.store, register: s.register, unguarded: s.unguarded, conflicts: s.conflicts }, { configured: true, store: 'S1', register: 'L9', unguarded: 0, conflicts: 0 });
    assert.equal((await h.call('GET', '/api/hub/status', h.tokens.cashier)).status, 403);
    assert.equal((await h.call('GET', '/api/hub/status')).status, 401);
  });

  test('a code sold on another lane, then sold here while the store NATS was down: GET /api/hub/conflicts lists both sales (JSON, CSV); reconcile is audited', async () => {
    const t = await h.call<{ training: { registry: { url: string } } }>('GET', '/api/training', h.tokens.manager);
    const dir = mkdtempSync(join(tmpdir(), 'tanba-lane-L1-'));
    const db = openDatabase(join(dir, 'tanba.db'));
    const config = configSchema.parse({
      store: { id: 'S1', nats: { servers: [nats.url], feedLeaseSeconds: 1 } }, register: { id: 'L1' },
      registry: { marking: [{ kind: 'tanba-feed', url: t.body.training.registry.url, token: 'tanba-emulator' }] },
    });
    other = { reg: createRegister({ config, db, dataDir: dir }), db, dir };
    await other.reg.hub!.start();
    // Lane L1 has no feed of its own: its cache comes from the store's one download.
    await until('lane L1 to get the store\'s snapshot', () => (feedCursor(db).hasSnapshot ? true : undefined), 30_000);
    const [s] = await h.sample('sellable', 1, 7);
    other.reg.checkout.openShift('L1 cashier');
    const onL1 = await other.reg.checkout.scanGuarded(s!.code, s!.price === null ? { price: 150_000 } : undefined);
    assert.equal(onL1.ok, true, JSON.stringify(onL1));
    const firstSale = other.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: other.reg.checkout.basket().total }] }).sale.id;
    await other.reg.hub!.settle();

    await nats.stop();
    await until('the lane to see the outage', async () => ((await h.call<HubStatusBody>('GET', '/api/hub/status', h.tokens.manager)).body.connected === false ? true : undefined));
    assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
    const scanned = await h.call<{ verdict: { decision: string }; basket: { total: number } }>('POST', '/api/checkout/scan', h.tokens.cashier, { code: s!.code, source: 'wedge', ...(s!.price === null ? { price: 150_000 } : {}) });
    assert.equal(scanned.body.verdict.decision, 'allow', scanned.text);
    const pay = await h.call<{ saleId: string }>('POST', '/api/checkout/pay', h.tokens.cashier, { payments: [{ type: 'cash', amount: scanned.body.basket.total }] });
    assert.equal(pay.status, 201, pay.text);
    const secondSale = pay.body.saleId;
    assert.equal((await h.call<HubStatusBody>('GET', '/api/hub/status', h.tokens.manager)).body.unguarded, 1);

    await nats.start();
    const listed = await until('the conflict to be found', async () => {
      const r = await h.call<ConflictBody>('GET', '/api/hub/conflicts', h.tokens.manager);
      return r.body.conflicts.length > 0 ? r.body.conflicts : undefined;
    }, 30_000);
    assert.equal(listed.length, 1);
    assert.deepEqual([listed[0]!.first.register, listed[0]!.first.saleId, listed[0]!.second.register, listed[0]!.second.saleId], ['L1', firstSale, 'L9', secondSale]);
    const csv = await h.call('GET', '/api/hub/conflicts?format=csv', h.tokens.manager);
    assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
    const rows = csv.text.trim().split(/\r?\n/);
    assert.match(rows[0] ?? '', /^cis,code,store,first_register,first_sale_id/);
    assert.equal(rows.length, 2);
    assert.match(rows[1] ?? '', new RegExp(`,S1,L1,${firstSale},.*,L9,${secondSale},`));
    assert.equal((await h.call('GET', '/api/hub/conflicts', h.tokens.cashier)).status, 403);

    const rec = await h.call<{ configured: boolean; connected: boolean }>('POST', '/api/hub/reconcile', h.tokens.manager, {});
    assert.equal(rec.status, 200, rec.text);
    assert.deepEqual([rec.body.configured, rec.body.connected], [true, true]);
    assert.equal((await h.call<HubStatusBody>('GET', '/api/hub/status', h.tokens.manager)).body.unguarded, 0);
    const audit = await h.call<{ entries?: { action: string }[] } | { action: string }[]>('GET', '/api/audit?limit=50', h.tokens.manager);
    assert.match(audit.text, /hub\.reconcile/);
  });

  test('tanba hq serve (a CLI process): JSON with filters, a register drill-down, CSV, and its viewer token', async () => {
    const child = spawn(process.execPath, [bin, 'hq', 'serve', '--servers', hub.url, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TANBA_HQ_TOKEN: 'hq-view' } });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`hq serve did not start: ${out}`)), 30_000);
        child.stdout.on('data', (d: Buffer) => { out += d.toString(); const m = /view at (http:\/\/\S+)/.exec(out); if (m) { clearTimeout(timer); resolve(m[1]!); } });
        child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`hq serve exited ${code}`)); });
      });
      const get = (path: string, token = 'hq-view'): Promise<Response> => fetch(`${url}${path}`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal((await get('/api/hq/status', 'nope')).status, 401);
      const all = await until('both lanes seen at head office', async () => {
        const s = await (await get('/api/hq/status')).json() as { stores: { id: string; registers: { id: string; documents: number; conflicts: number }[] }[] };
        const regs = s.stores.find((x) => x.id === 'S1')?.registers ?? [];
        return regs.length === 2 && regs.every((r) => r.documents > 0) ? s : undefined;
      }, 30_000);
      assert.deepEqual(all.stores[0]!.registers.map((r) => r.id), ['L1', 'L9']);
      assert.deepEqual((await (await get('/api/hq/status?store=S2')).json() as { stores: unknown[] }).stores, []);
      const problems = await until('the conflict in L9\'s heartbeat', async () => {
        const p = await (await get('/api/hq/status?problems=1')).json() as { stores: { registers: { id: string; conflicts: number }[] }[] };
        const l9 = p.stores.flatMap((x) => x.registers).find((r) => r.id === 'L9');
        return l9 !== undefined && l9.conflicts === 1 ? l9 : undefined;
      }, 30_000);
      assert.equal(problems.conflicts, 1);
      const drill = await (await get('/api/hq/registers/S1/L9')).json() as { documents: { kind: string }[] };
      assert.deepEqual(drill.documents.map((d) => d.kind).filter((k) => k !== 'conflict'), ['sale']);
      assert.equal(drill.documents.some((d) => d.kind === 'conflict'), true, 'the conflict reached head office as a document');
      const csv = await get('/api/hq/status.csv');
      assert.match(csv.headers.get('content-type') ?? '', /text\/csv/);
      const lines = (await csv.text()).trim().split('\r\n');
      assert.deepEqual(lines.slice(1).map((l) => l.split(',').slice(0, 2).join('/')), ['S1/L1', 'S1/L9']);
      assert.match(lines.find((l) => l.startsWith('S1,L9,')) ?? '', /,1,\d+,/, 'L9 shows its conflict');
      // The store's status feed (the snapshot its leading lane published) stays in the store: only documents reach head office.
      const nc = await connect({ servers: [hub.url] });
      try {
        const subjects = Object.keys((await (await jetstreamManager(nc)).streams.info('TANBA_HQ', { subjects_filter: '>' })).state.subjects ?? {});
        assert.equal(subjects.length > 0, true);
        assert.deepEqual(subjects.filter((x) => !x.startsWith('tanba.doc.S1.')), []);
      } finally {
        await nc.close();
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => { if (child.exitCode !== null) r(null); else child.once('exit', r); });
    }
  });
});
