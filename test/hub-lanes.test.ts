// Lanes of one store sharing codes through the store's NATS (issue 19), with a real nats-server:
// `tanba sell` on two lanes (CLI subprocesses), two baskets racing for one code, a lane killed
// with a reservation, and a NATS outage whose double sale is reported after it returns.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRegister, type Register } from '../src/register/index.ts';
import { configSchema, type Config } from '../src/config.ts';
import { openDatabase, type Db } from '../src/store/index.ts';
import { cisOf, codeOf, G, NOW, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { startStore, type TestNats } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

function laneConfig(lane: string, nats: TestNats, extra: Record<string, unknown> = {}): Config {
  return configSchema.parse({ store: { name: 'Store 1', id: 'S1', nats: { servers: [nats.url], reservationTtlSeconds: 2, reserveTimeoutMs: 1_000, ...extra } }, register: { id: lane } });
}

interface Lane { reg: Register; db: Db; tmp: TempRegister; close(): Promise<void> }

async function lane(id: string, nats: TestNats, start = true): Promise<Lane> {
  const tmp = await tempRegister();
  const db = openDatabase(tmp.file);
  const t = Date.parse(NOW);
  const reg = createRegister({ config: laneConfig(id, nats), db, dataDir: tmp.dir, clock: { now: () => new Date(t) } });
  if (start) await reg.hub?.start(); else await reg.hub?.connectOnce();
  reg.checkout.openShift('test');
  return { reg, db, tmp, async close() { await reg.hub?.stop(); db.close(); tmp.done(); } };
}

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await fn())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('lanes of a store share codes (store leaf node)', () => {
  let nats: TestNats;
  before(async () => { nats = await startStore('S1'); });
  after(async () => { await nats.done(); });

  test('tanba sell: a code sold on lane L1 is refused on lane L2 with SOLD naming L1 (exit 1)', async () => {
    const l1 = await tempRegister();
    const l2 = await tempRegister();
    try {
      for (const [t, id] of [[l1, 'L1'], [l2, 'L2']] as const) {
        writeFileSync(join(t.dir, 'config.json'), JSON.stringify({ store: { id: 'S1', nats: { servers: [nats.url], reservationTtlSeconds: 2 } }, register: { id } }));
      }
      const tanba = (dir: string, args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_NOW: NOW, TANBA_CONFIG: '' } });
      const code = codeOf(G.water, serial(7));
      const first = tanba(l1.dir, ['sell', '--json', code]);
      assert.equal(first.status, 0, first.stderr);
      const second = tanba(l2.dir, ['sell', '--json', code]);
      assert.equal(second.status, 1, second.stderr);
      const out = JSON.parse(second.stdout) as { ok: boolean; lines: { verdict: { reason: string; lane?: string } }[]; error: { code: string; message: string; reason?: string; lane?: string } };
      assert.equal(out.ok, false);
      assert.equal(out.lines[0]?.verdict.reason, 'SOLD');
      assert.equal(out.lines[0]?.verdict.lane, 'L1');
      assert.equal(out.error.lane, 'L1');
      assert.equal(out.error.reason, 'SOLD');
      assert.match(out.error.message, /lane L1/);
      // Lane L1 itself: its own record says SOLD (no lane named).
      const again = tanba(l1.dir, ['sell', '--json', code]);
      assert.equal(again.status, 1);
      const st = tanba(l2.dir, ['hub', 'status', '--json']);
      assert.equal(st.status, 0, st.stderr);
      const status = JSON.parse(st.stdout) as Record<string, unknown>;
      assert.deepEqual({ store: status.store, register: status.register, connected: status.connected, unguarded: status.unguarded, conflicts: status.conflicts }, { store: 'S1', register: 'L2', connected: true, unguarded: 0, conflicts: 0 });
    } finally {
      l1.done();
      l2.done();
    }
  });

  test('the same code scanned on two lanes at once: one basket gets it, the other names that lane; a cancel frees it', async () => {
    const a = await lane('A1', nats);
    const b = await lane('B1', nats);
    try {
      await until('both lanes connected', () => a.reg.hub!.status().connected && b.reg.hub!.status().connected);
      const code = codeOf(G.water, serial(3));
      const [ra, rb] = await Promise.all([a.reg.checkout.scanGuarded(code), b.reg.checkout.scanGuarded(code)]);
      assert.equal([ra, rb].filter((r) => r.ok).length, 1, 'exactly one basket has it');
      const lost = (ra.ok ? rb : ra) as Extract<typeof ra, { ok: false }>;
      const winner = ra.ok ? a : b;
      const loser = ra.ok ? b : a;
      assert.equal(lost.refusal.verdict.reason, 'ALREADY_IN_BASKET');
      assert.equal(lost.refusal.verdict.lane, winner === a ? 'A1' : 'B1');
      assert.equal(loser.reg.checkout.basket().lines.length, 0);
      winner.reg.checkout.cancelBasket();
      await until('the released code to be reservable', async () => (await loser.reg.checkout.scanGuarded(code)).ok);
      // Sold on the loser now: the winner is refused with SOLD naming it.
      loser.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: loser.reg.checkout.basket().total }] });
      await loser.reg.hub!.settle();
      const r = await winner.reg.checkout.scanGuarded(code);
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.refusal.verdict.reason, 'SOLD');
      assert.equal(!r.ok && r.refusal.verdict.lane, loser === a ? 'A1' : 'B1');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a code returned on the lane that sold it can be sold on another lane', async () => {
    const a = await lane('R1', nats);
    const b = await lane('R2', nats);
    try {
      await until('both lanes connected', () => a.reg.hub!.status().connected && b.reg.hub!.status().connected);
      const code = codeOf(G.water, serial(6));
      assert.equal((await a.reg.checkout.scanGuarded(code)).ok, true);
      const sale = a.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: a.reg.checkout.basket().total }] });
      await a.reg.hub!.settle();
      const refused = await b.reg.checkout.scanGuarded(code);
      assert.equal(!refused.ok && refused.refusal.verdict.reason, 'SOLD');
      a.reg.checkout.returnLines(sale.sale.id, [code]);
      await a.reg.hub!.settle();
      assert.equal((await b.reg.checkout.scanGuarded(code)).ok, true, 'the store knows it was returned');
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a lane killed with a reserved code: the reservation expires (bucket TTL) and another lane gets it', async () => {
    const a = await lane('K1', nats);
    const b = await lane('K2', nats);
    try {
      await until('both lanes connected', () => a.reg.hub!.status().connected && b.reg.hub!.status().connected);
      const code = codeOf(G.water, serial(4));
      assert.equal((await a.reg.checkout.scanGuarded(code)).ok, true);
      // A live lane keeps it past the TTL (refresh every TTL/3).
      await new Promise((r) => setTimeout(r, 3_000));
      const held = await b.reg.checkout.scanGuarded(code);
      assert.equal(!held.ok && held.refusal.verdict.reason, 'ALREADY_IN_BASKET');
      // The lane dies: no release, no refresh.
      await a.reg.hub!.stop();
      await until('the dead lane\'s reservation to expire', async () => (await b.reg.checkout.scanGuarded(code)).ok, 10_000);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a status delta published once at the store reaches every lane; a lane started later catches up from the stream', async () => {
    const a = await lane('D1', nats);
    const b = await lane('D2', nats);
    const late: Lane[] = [];
    try {
      await until('both lanes connected', () => a.reg.hub!.status().connected && b.reg.hub!.status().connected);
      const blocked = codeOf(G.water, serial(9));
      const delta = [{ type: 'delta', from: 'c1' }, { type: 'block', cis: cisOf(G.water, serial(9)) }, { type: 'cursor', cursor: 'c2' }].map((r) => JSON.stringify(r)).join('\n') + '\n';
      assert.equal(a.reg.checkout.scan(blocked).ok, true, 'sellable before the delta');
      a.reg.checkout.cancelBasket();
      const seq = await a.reg.hub!.publishStatus(delta, 'delta-c1-c2');
      const applied = (l: Lane): number => (l.db.prepare("SELECT seq FROM hub_applied WHERE stream = 'TANBA_S1'").get() as { seq: number } | undefined)?.seq ?? 0;
      for (const l of [a, b]) {
        await until(`lane ${l.reg.config().register.id} to apply the delta`, () => applied(l) >= seq);
        const r = l.reg.checkout.scan(blocked);
        assert.equal(!r.ok && r.refusal.verdict.reason, 'BLOCKED');
      }
      late.push(await lane('D3', nats));
      await until('the late lane to catch up', () => applied(late[0]!) >= seq);
      const r = late[0]!.reg.checkout.scan(blocked);
      assert.equal(!r.ok && r.refusal.verdict.reason, 'BLOCKED');
    } finally {
      await a.close();
      await b.close();
      for (const l of late) await l.close();
    }
  });

  test('store NATS stopped: both lanes sell the same code unguarded; after it returns the double sale is reported with both sales', async () => {
    const a = await lane('U1', nats);
    const b = await lane('U2', nats);
    try {
      await until('both lanes connected', () => a.reg.hub!.status().connected && b.reg.hub!.status().connected);
      await nats.stop();
      await until('both lanes to see the outage', () => !a.reg.hub!.status().connected && !b.reg.hub!.status().connected);
      const code = codeOf(G.water, serial(5));
      const sales: string[] = [];
      for (const l of [a, b]) {
        const r = await l.reg.checkout.scanGuarded(code);
        assert.equal(r.ok, true, 'sold on its own cache while the store NATS is down');
        sales.push(l.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: l.reg.checkout.basket().total }] }).sale.id);
        assert.equal(l.reg.hub!.status().unguarded, 1);
      }
      await nats.start();
      await until('both lanes reconnected', () => a.reg.hub!.status().connected && b.reg.hub!.status().connected, 20_000);
      // A running lane reconciles by itself on reconnection (nobody calls reconcile here).
      await until('the double sale to be reported', () => a.reg.hub!.conflicts().length + b.reg.hub!.conflicts().length > 0, 20_000);
      await until('both lanes reconciled', () => a.reg.hub!.status().unguarded + b.reg.hub!.status().unguarded === 0, 20_000);
      const conflicts = [...a.reg.hub!.conflicts(), ...b.reg.hub!.conflicts()];
      assert.equal(conflicts.length, 1, 'reported once');
      const c = conflicts[0]!;
      assert.equal(c.cis.length > 0, true);
      assert.deepEqual(new Set([c.first.saleId, c.second.saleId]), new Set(sales));
      assert.deepEqual(new Set([c.first.register, c.second.register]), new Set(['U1', 'U2']));
      assert.equal(c.first.store, 'S1');
      assert.equal(a.reg.hub!.status().unguarded + b.reg.hub!.status().unguarded, 0);
      // The manager's CLI on the lane that found it lists both sales.
      const finder = a.reg.hub!.conflicts().length > 0 ? a : b;
      writeFileSync(join(finder.tmp.dir, 'config.json'), JSON.stringify({ store: { id: 'S1', nats: { servers: [nats.url], reservationTtlSeconds: 2 } }, register: { id: finder.reg.config().register.id } }));
      const cli = spawnSync(process.execPath, [bin, '--data-dir', finder.tmp.dir, 'hub', 'conflicts', '--json'], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
      assert.equal(cli.status, 0, cli.stderr);
      const listed = (JSON.parse(cli.stdout) as { conflicts: { first: { store: string; register: string; saleId: string; at: string }; second: { register: string; saleId: string } }[] }).conflicts;
      assert.equal(listed.length, 1);
      assert.deepEqual(new Set([listed[0]!.first.saleId, listed[0]!.second.saleId]), new Set(sales));
      assert.match(listed[0]!.first.at, /^2026-03-01T/);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
