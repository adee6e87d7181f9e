// A lane cut off from its store's NATS longer than store.nats.feedFallbackSeconds pulls the status
// feed from the registry itself (its cache keeps moving instead of ageing towards the offline
// limit), and goes back to the store's feeds when the NATS returns: it rebases on a snapshot the
// leader downloads after its own pulls (its cursor never goes back), and from then on the store
// downloads once again. Real nats-server (stopped and started on the same port and data), the
// registry emulator over HTTP; its request counters and the lanes' cursors are the proof.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryEmulator } from '../emulators/registry/index.ts';
import { configSchema } from '../src/config.ts';
import { createRegister, type Register } from '../src/register/index.ts';
import { feedCursor, openDatabase, type Db } from '../src/store/index.ts';
import { startStore, type TestNats } from './helpers/nats.ts';

interface Lane { id: string; reg: Register; db: Db; dir: string; downloads: number; cursors: number[] }

async function until(what: string, fn: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a lane cut off from the store\'s NATS pulls the feed itself, then returns to the store\'s feeds', () => {
  let nats: TestNats;
  let emu: RegistryEmulator;
  const lanes: Lane[] = [];
  let sampler: NodeJS.Timeout;
  // The emulator's cursor is <epoch>.<seq>: its sequence orders a lane's states.
  const seqOf = (cursor: string | null): number => (cursor === null ? -1 : Number(cursor.split('.').at(-1)));

  before(async () => {
    nats = await startStore('S4');
    emu = new RegistryEmulator({ codes: 300, token: null, seed: 41 });
    await emu.start();
    for (const id of ['F1', 'F2']) {
      const dir = mkdtempSync(join(tmpdir(), `tanba-lane-${id}-`));
      const db = openDatabase(join(dir, 'tanba.db'));
      const config = configSchema.parse({
        store: { id: 'S4', nats: { servers: [nats.url], feedLeaseSeconds: 1, feedFallbackSeconds: 1 } }, register: { id },
        registry: { marking: [{ kind: 'tanba-feed', url: emu.url }] },
      });
      const l: Lane = { id, reg: null as unknown as Register, db, dir, downloads: 0, cursors: [] };
      l.reg = createRegister({ config, db, dataDir: dir, tuning: { pullIntervalMs: 300 }, onFeedStatus: (s) => { if (s.ok) l.downloads++; } });
      await l.reg.start();
      lanes.push(l);
    }
    // Every state each lane's cache goes through, to show it never goes back.
    sampler = setInterval(() => {
      for (const l of lanes) {
        const seq = seqOf(feedCursor(l.db).cursor);
        if (seq !== l.cursors.at(-1)) l.cursors.push(seq);
      }
    }, 20);
  });

  after(async () => {
    clearInterval(sampler);
    for (const l of lanes) { await l.reg.stop(); l.db.close(); rmSync(l.dir, { recursive: true, force: true }); }
    await emu.close();
    await nats.done();
  });

  const atRegistry = (): boolean => lanes.every((l) => feedCursor(l.db).cursor === emu.dataset.cursor());
  const requests = (): number => emu.counters.snapshots + emu.counters.deltas;
  const offStream = (l: Lane): number => (l.db.prepare("SELECT seq FROM hub_applied WHERE stream = 'TANBA_S4:off-stream'").get() as { seq: number } | undefined)?.seq ?? 0;

  test('NATS stopped: past the grace period each lane pulls the feed itself and gets the registry\'s new entries', async () => {
    await until('both lanes on the store\'s snapshot', atRegistry);
    assert.deepEqual(lanes.map((l) => l.reg.puller!.running), [false, false], 'no lane pulls by itself while the store\'s NATS answers');
    const before = lanes.map((l) => l.downloads);
    await nats.stop();
    await until('both lanes to see the outage', () => lanes.every((l) => !l.reg.hub!.status().connected));
    await until('both lanes to fall back on their own pulls', () => lanes.every((l) => l.reg.puller!.running), 10_000);
    emu.dataset.mutate(6);
    await until('both caches to get the new entries from the registry', atRegistry);
    lanes.forEach((l, i) => assert.equal(l.downloads > before[i]!, true, `${l.id} pulled the feed itself`));
    lanes.forEach((l) => assert.equal(offStream(l), 1, 'the lane knows its cache left the store\'s feeds'));
    lanes.forEach((l) => assert.equal(l.reg.hub!.status().pullsFeedItself, true, 'hub status says so'));
  });

  test('NATS back: both lanes return to the store\'s feeds (rebased on a snapshot after their own pulls, never going back), and the store downloads once again', async () => {
    const snapshots = emu.counters.snapshots;
    await nats.start();
    await until('both lanes back on the store\'s feeds', () => lanes.every((l) => l.reg.hub!.status().connected && !l.reg.puller!.running && offStream(l) === 0), 30_000);
    assert.equal(emu.counters.snapshots > snapshots, true, 'the leader downloaded a snapshot for the lanes that pulled by themselves');
    lanes.forEach((l) => assert.equal(l.reg.hub!.status().pullsFeedItself, false));
    assert.equal(emu.counters.snapshots - snapshots <= lanes.length, true, 'at most one per returning lane');
    emu.dataset.mutate(4);
    await until('both lanes to apply the next delta from the stream', atRegistry);
    // From now on one lane downloads for the store, the other only applies.
    const counts = lanes.map((l) => l.downloads);
    const asked = requests();
    for (let i = 0; i < 4; i++) {
      emu.dataset.mutate(2);
      await new Promise((r) => setTimeout(r, 400));
    }
    await until('both lanes to follow', atRegistry);
    assert.equal(lanes.filter((l) => l.reg.hub!.leadsDownload()).length, 1);
    // Stopped first: a download in flight has reached the registry but not yet been reported.
    for (const l of lanes) await l.reg.hub!.stop();
    const made = lanes.map((l, i) => l.downloads - counts[i]!);
    assert.equal(made.filter((n) => n > 0).length, 1, `only the leader downloads: ${made.join(', ')}`);
    assert.equal(made.reduce((a, b) => a + b, 0), requests() - asked, 'each registry request was the leader\'s');
    for (const l of lanes) {
      assert.deepEqual(l.cursors, [...l.cursors].sort((a, b) => a - b), `${l.id}'s cache never went back: ${l.cursors.join(' ')}`);
      assert.equal((l.db.prepare('SELECT count(*) AS n FROM codes').get() as { n: number }).n, emu.dataset.stats().codes);
    }
  });
});
