// A small chain for head office's view (the e2e test and the screenshots): a real hub and one
// real store leaf node per store (nats-server processes, helpers/nats.ts), lanes that are real
// registers on SQLite files selling through their hub links. Each lane's clock starts at NOW and
// ticks a second per reading, so its heartbeats and documents have distinct times.
import { createRegister, type Register } from '../../src/register/index.ts';
import { configSchema } from '../../src/config.ts';
import { sourceStores } from '../../src/hub/index.ts';
import { openDatabase, recordCheck, type Db } from '../../src/store/index.ts';
import { codeOf, G, NOW, serial, tempRegister, type TempRegister } from './checkout-fixtures.ts';
import { startHub, startStore, type TestNats } from './nats.ts';

/** One lane of a store. */
export interface ChainLane { store: string; id: string; reg: Register; db: Db; tmp: TempRegister; sales: string[]; next: number }

/** The running chain; `done()` stops every lane and server and removes their files. */
export interface Chain { hub: TestNats; stores: Map<string, TestNats>; lanes: ChainLane[]; lane(store: string, id: string): ChainLane; done(): Promise<void> }

/** Polls until `fn` is true (or throws after `ms`). */
export async function waitFor(what: string, fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    let ok: boolean;
    try { ok = await fn(); } catch { ok = false; }
    if (ok) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Starts a hub sourcing `stores` (store id → its lanes' ids), every lane connected and with an open shift. */
export async function startChain(stores: Record<string, readonly string[]>): Promise<Chain> {
  const hub = await startHub();
  const stores_ = new Map<string, TestNats>();
  const lanes: ChainLane[] = [];
  const done = async (): Promise<void> => {
    for (const l of lanes) { await l.reg.hub?.stop(); l.db.close(); l.tmp.done(); }
    for (const s of stores_.values()) await s.done();
    await hub.done();
  };
  try {
    for (const store of Object.keys(stores)) stores_.set(store, await startStore(store, hub));
    await sourceStores(hub.url, Object.keys(stores));
    for (const [store, ids] of Object.entries(stores)) {
      for (const id of ids) {
        const tmp = await tempRegister({ codes: 100 });
        const db = openDatabase(tmp.file);
        const t = Date.parse(NOW);
        let tick = 0;
        const config = configSchema.parse({ store: { id: store, nats: { servers: [stores_.get(store)!.url], heartbeatSeconds: 1 } }, register: { id } });
        const reg = createRegister({ config, db, dataDir: tmp.dir, clock: { now: () => new Date(t + tick++ * 1000) } });
        await reg.hub!.start();
        reg.checkout.openShift('test');
        // Distinct serials per lane of the chain (the feed has 100 codes of water: ten lanes, ten sales each).
        lanes.push({ store, id, reg, db, tmp, sales: [], next: lanes.length * 10 });
      }
    }
    await waitFor('every lane connected', () => lanes.every((l) => l.reg.hub!.status().connected));
  } catch (err) {
    await done();
    throw err;
  }
  const lane = (store: string, id: string): ChainLane => {
    const l = lanes.find((x) => x.store === store && x.id === id);
    if (!l) throw new Error(`no lane ${store}/${id}`);
    return l;
  };
  return { hub, stores: stores_, lanes, lane, done };
}

/** Sells `n` bottles of water on a lane (one sale each), paid in cash; waits until they left for the store. */
export async function sellOn(l: ChainLane, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await l.reg.checkout.scanGuarded(codeOf(G.water, serial(l.next++)));
    if (!r.ok) throw new Error(`lane ${l.store}/${l.id}: the sale was refused: ${JSON.stringify(r)}`);
    l.sales.push(l.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: l.reg.checkout.basket().total }] }).sale.id);
  }
  await l.reg.hub!.settle();
}

/** Sells the water bottle of serial number `n` on a lane (any lane's, for a double sale); the sale's id. */
export async function sellSerial(l: ChainLane, n: number): Promise<string> {
  const r = await l.reg.checkout.scanGuarded(codeOf(G.water, serial(n)));
  if (!r.ok) throw new Error(`lane ${l.store}/${l.id}: the sale was refused: ${JSON.stringify(r)}`);
  const id = l.reg.checkout.completeSale({ payments: [{ type: 'cash', amount: l.reg.checkout.basket().total }] }).sale.id;
  l.sales.push(id);
  return id;
}

/**
 * Scans the feed's blocked code on a lane and logs the refusal in the register's check log as the
 * scan flow does (src/scan/scan.ts: `recordCheck` after `scanGuarded`), so its next heartbeat
 * counts it under its reason.
 */
export async function refuseOn(l: ChainLane): Promise<string> {
  const r = await l.reg.checkout.scanGuarded(codeOf(G.blocked, serial(0)));
  if (r.ok) throw new Error(`lane ${l.store}/${l.id}: the blocked code was accepted`);
  const v = r.refusal.verdict;
  recordCheck(l.db, { at: l.reg.clock.now().toISOString(), decision: v.decision, reason: v.reason, source: v.source, cis: r.refusal.cis, scanSource: 'wedge' });
  return v.reason;
}
