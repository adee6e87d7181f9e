// Head office on a 3-node hub cluster (docs/hub.md "A hub cluster"): real nats-server processes
// with the configs `tanba hub run --hub --name --cluster-port --route` writes, routed together,
// and a store leaf node with a remote listing every hub node's leaf port. TANBA_HQ is created
// with 3 replicas; a lane's documents reach it; after the stream's leader is killed, documents
// published later still reach TANBA_HQ and `tanba hq status --json` answers from a survivor.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { createRegister, type Register } from '../src/register/index.ts';
import { configSchema } from '../src/config.ts';
import { HQ_HB_STREAM, HQ_STREAM, hqDocuments, hubServerConfig, sourceStores, startNatsServer, storeServerConfig, storeStream, writeServerConfig, type NatsServerProcess } from '../src/hub/index.ts';
import { openDatabase, type Db } from '../src/store/index.ts';
import { codeOf, G, NOW, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { freePort } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    let ok: boolean;
    try { ok = await fn(); } catch { ok = false; }
    if (ok) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('hub run --hub --name --cluster-port --route: a cluster node config; cluster flags without --hub are refused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-hubcluster-'));
  try {
    const run = (...a: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [bin, '--data-dir', dir, 'hub', 'run', ...a, '--print-config'], { encoding: 'utf8' });
    const node = run('--hub', '--name', 'hq2', '--cluster-port', '6333', '--route', 'nats://hq1.example:6333', '--route', 'nats://hq3.example:6333', '--leaf-port', '7999');
    assert.equal(node.status, 0, String(node.stderr));
    assert.match(String(node.stdout), /^server_name: "hq2"$/m);
    assert.match(String(node.stdout), /domain: "hub"/);
    assert.match(String(node.stdout), /leafnodes \{ listen: "0\.0\.0\.0:7999" \}/);
    assert.match(String(node.stdout), /cluster \{ name: "tanba-hub", listen: "0\.0\.0\.0:6333", routes: \["nats:\/\/hq1\.example:6333", "nats:\/\/hq3\.example:6333"\] \}/);
    // The single node stays exactly as it was.
    const single = run('--hub');
    assert.equal(single.status, 0, String(single.stderr));
    assert.match(String(single.stdout), /^server_name: "tanba-hub"$/m);
    assert.doesNotMatch(String(single.stdout), /cluster \{/);
    const noName = run('--hub', '--cluster-port', '6333');
    assert.equal(noName.status, 2);
    assert.match(String(noName.stderr), /--name N/);
    const noPort = run('--hub', '--name', 'hq1', '--route', 'nats://hq2:6333');
    assert.equal(noPort.status, 2);
    assert.match(String(noPort.stderr), /--cluster-port P/);
    const badRoute = run('--hub', '--name', 'hq1', '--cluster-port', '6333', '--route', 'hq2:6333');
    assert.equal(badRoute.status, 2);
    assert.match(String(badRoute.stderr), /--route must be nats:\/\/HOST:PORT.*'hq2:6333'/);
    const badReplicas = run('--hub', '--replicas', '9');
    assert.equal(badReplicas.status, 2);
    assert.match(String(badReplicas.stderr), /--replicas must be between 1 and 5/);
    const storeWithRoute = run('--store', 'S1', '--route', 'nats://hq2:6333');
    assert.equal(storeWithRoute.status, 2);
    assert.match(String(storeWithRoute.stderr), /--route is for a hub node: add --hub/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('three `tanba hub run --hub --name --cluster-port --route` processes form a cluster; --stores creates TANBA_HQ with 3 replicas by default', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-hubcluster-run-'));
  const places = await Promise.all(['hq1', 'hq2', 'hq3'].map(async (name) => ({ name, port: await freePort(), leafPort: await freePort(), clusterPort: await freePort() })));
  const children: ChildProcess[] = [];
  try {
    const started = places.map((p, i) => {
      const routes = places.filter((o) => o !== p).flatMap((o) => ['--route', `nats://127.0.0.1:${o.clusterPort}`]);
      const child = spawn(process.execPath, [bin, '--data-dir', join(dir, p.name), 'hub', 'run', '--hub', '--name', p.name, '--port', String(p.port), '--leaf-port', String(p.leafPort), '--cluster-port', String(p.clusterPort), ...routes, ...(i === 0 ? ['--stores', 'C9'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      return new Promise<void>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`${p.name} did not start: ${out}`)), 150_000);
        child.stdout!.on('data', (d: Buffer) => { out += d.toString(); if (/nats-server running/.test(out)) { clearTimeout(timer); resolve(); } });
        child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${p.name} exited ${code}: ${out}`)); });
      });
    });
    await Promise.all(started);
    const nc = await connect({ servers: [`nats://127.0.0.1:${places[2]!.port}`], timeout: 3_000 });
    try {
      const info = await (await jetstreamManager(nc, { timeout: 10_000 })).streams.info(HQ_STREAM);
      assert.equal(info.config.num_replicas, 3);
      assert.deepEqual(info.config.sources?.map((x) => x.name), [storeStream('C9')]);
    } finally {
      await nc.close();
    }
    for (const c of children) {
      const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
      c.kill('SIGTERM');
      assert.equal(await exited, 0);
    }
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

interface HubNode { name: string; url: string; leafUrl: string; proc: NatsServerProcess | null }

describe('a 3-node hub cluster: TANBA_HQ with 3 replicas survives the loss of its leader', () => {
  const dirs: string[] = [];
  const nodes: HubNode[] = [];
  let store: NatsServerProcess;
  let storeUrl: string;
  let reg: Register;
  let db: Db;
  let tmp: TempRegister;
  const sales: string[] = [];
  let next = 0;

  before(async () => {
    const places = await Promise.all(['hq1', 'hq2', 'hq3'].map(async (name) => ({ name, port: await freePort(), leafPort: await freePort(), clusterPort: await freePort(), dir: mkdtempSync(join(tmpdir(), `tanba-${name}-`)) })));
    for (const p of places) {
      dirs.push(p.dir);
      const routes = places.filter((o) => o !== p).map((o) => `nats://127.0.0.1:${o.clusterPort}`);
      const file = writeServerConfig(p.dir, `hub-${p.name}.conf`, hubServerConfig({ dir: p.dir, host: '127.0.0.1', port: p.port, leafPort: p.leafPort, cluster: { name: p.name, port: p.clusterPort, routes } }));
      nodes.push({ name: p.name, url: `nats://127.0.0.1:${p.port}`, leafUrl: `nats-leaf://127.0.0.1:${p.leafPort}`, proc: startNatsServer(file, { supervise: false }) });
    }
    for (const n of nodes) await n.proc!.ready();
    const storeDir = mkdtempSync(join(tmpdir(), 'tanba-store-C1-'));
    dirs.push(storeDir);
    const storePort = await freePort();
    storeUrl = `nats://127.0.0.1:${storePort}`;
    store = startNatsServer(writeServerConfig(storeDir, 'store-C1.conf', storeServerConfig('C1', { dir: storeDir, host: '127.0.0.1', port: storePort }, nodes.map((n) => n.leafUrl))), { supervise: false });
    await store.ready();
    // The JetStream meta leader is elected a little after the nodes say "ready": retry until then.
    await until('the hub cluster to create TANBA_HQ with 3 replicas', async () => { await sourceStores(nodes[0]!.url, ['C1'], 3); return true; }, 90_000);
    tmp = await tempRegister();
    db = openDatabase(tmp.file);
    const t = Date.parse(NOW);
    let tick = 0;
    const config = configSchema.parse({ store: { id: 'C1', nats: { servers: [storeUrl], heartbeatSeconds: 1 } }, register: { id: 'L1' } });
    reg = createRegister({ config, db, dataDir: tmp.dir, clock: { now: () => new Date(t + tick++ * 1000) } });
    await reg.hub!.start();
    reg.checkout.openShift('test');
    await until('the lane connected', () => reg.hub!.status().connected);
  });

  after(async () => {
    await reg.hub!.stop();
    db.close();
    tmp.done();
    await store.stop();
    for (const n of nodes) await n.proc?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function sell(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const r = await reg.checkout.scanGuarded(codeOf(G.water, serial(next++)));
      assert.equal(r.ok, true);
      sales.push(reg.checkout.completeSale({ payments: [{ type: 'cash', amount: reg.checkout.basket().total }] }).sale.id);
    }
    await reg.hub!.settle();
  }

  const alive = (): HubNode[] => nodes.filter((n) => n.proc !== null);
  const docsAt = async (n: HubNode): Promise<string[]> => (await hqDocuments({ servers: [n.url] }, 'C1', 'L1')).filter((d) => d.kind === 'sale').map((d) => d.id);
  /** The sales on node `n` once `count` arrived (retried: right after a node is lost the cluster re-elects its leaders). */
  async function docsOnceArrived(n: HubNode, count: number): Promise<string[]> {
    let last: string[] = [];
    await until(`${count} documents on ${n.name}`, async () => { last = await docsAt(n); return last.length >= count; }, 90_000);
    return last;
  }

  async function hqInfo(url: string, stream = HQ_STREAM): Promise<{ replicas: number; leader: string | undefined; peers: string[] }> {
    const nc = await connect({ servers: [url], timeout: 3_000, reconnect: false });
    try {
      const info = await (await jetstreamManager(nc, { timeout: 5_000 })).streams.info(stream);
      return { replicas: info.config.num_replicas, leader: info.cluster?.leader, peers: (info.cluster?.replicas ?? []).map((r) => r.name) };
    } finally {
      await nc.close();
    }
  }

  test('TANBA_HQ is created with 3 replicas, one on each hub node', async () => {
    const info = await hqInfo(nodes[1]!.url);
    assert.equal(info.replicas, 3);
    assert.ok(info.leader !== undefined, 'a stream leader');
    assert.deepEqual([info.leader!, ...info.peers].sort(), ['hq1', 'hq2', 'hq3']);
    assert.equal((await hqInfo(nodes[2]!.url, HQ_HB_STREAM)).replicas, 3, 'the heartbeats too');
  });

  test("a lane's documents reach the hub; with the stream leader killed, later documents still do and hq status answers", async () => {
    await sell(2);
    for (const n of nodes) assert.deepEqual(await docsOnceArrived(n, 2), sales, `the first documents on ${n.name}`);
    const leaderName = (await hqInfo(nodes[0]!.url)).leader;
    const leader = nodes.find((n) => n.name === leaderName);
    assert.ok(leader, `the leader ${leaderName} is one of ours`);
    await leader.proc!.stop();
    leader.proc = null;
    const survivor = alive()[0]!;
    await until('a new TANBA_HQ leader', async () => { const l = (await hqInfo(survivor.url)).leader; return l !== undefined && l !== leaderName; });
    await sell(3);
    for (const n of alive()) assert.deepEqual(await docsOnceArrived(n, 5), sales, `the documents sold after the kill, exactly once and in order, on ${n.name}`);
    let r = spawnSync(process.execPath, [bin, 'hq', 'status', '--json', '--servers', survivor.url], { encoding: 'utf8' });
    // Its first request may still meet the JetStream meta leader's re-election: a few tries.
    for (let i = 0; i < 5 && r.status !== 0; i++) r = spawnSync(process.execPath, [bin, 'hq', 'status', '--json', '--servers', survivor.url], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { stores: { id: string; registers: { id: string; documents: number }[] }[] };
    assert.deepEqual(out.stores.map((s) => [s.id, s.registers.map((x) => [x.id, x.documents])]), [['C1', [['L1', 5]]]]);
  });
});
