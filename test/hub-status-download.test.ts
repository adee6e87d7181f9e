// One status download per store (issue 19), with a real nats-server (store leaf node) and the
// registry emulator over HTTP: lanes with store.nats do not download the feed themselves; the lane
// holding the store's download lock fetches it once and publishes it (a snapshot in several
// parts), every lane applies it, a late lane catches up from the stream, and when the leader
// stops another lane takes the download over. The emulator's request counters are the proof.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, headers } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { RegistryEmulator } from '../emulators/registry/index.ts';
import { configSchema } from '../src/config.ts';
import { FEED_HEADERS } from '../src/hub/index.ts';
import { createRegister, type Register } from '../src/register/index.ts';
import { feedCursor, openDatabase, type Db } from '../src/store/index.ts';
import { startStore, type TestNats } from './helpers/nats.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const execFileP = promisify(execFile);

interface Lane { id: string; reg: Register; db: Db; dir: string; downloads: number; stopped: boolean }

async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    let ok: boolean;
    try { ok = await fn(); } catch { ok = false; }
    if (ok) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('one status download per store', () => {
  let nats: TestNats;
  let emu: RegistryEmulator;
  const lanes: Lane[] = [];

  async function lane(id: string): Promise<Lane> {
    const dir = mkdtempSync(join(tmpdir(), `tanba-lane-${id}-`));
    const db = openDatabase(join(dir, 'tanba.db'));
    const config = configSchema.parse({
      store: { id: 'S1', nats: { servers: [nats.url], feedLeaseSeconds: 1 } }, register: { id },
      registry: { marking: [{ kind: 'tanba-feed', url: emu.url }] },
    });
    const l: Lane = { id, reg: null as unknown as Register, db, dir, downloads: 0, stopped: false };
    // Every download this lane made (as the store's leader) that reached the registry.
    l.reg = createRegister({ config, db, dataDir: dir, tuning: { pullIntervalMs: 300 }, onFeedStatus: (s) => { if (s.ok) l.downloads++; } });
    await l.reg.hub!.start();
    lanes.push(l);
    return l;
  }
  const cursorOf = (l: Lane): string | null => feedCursor(l.db).cursor;
  const codesOf = (l: Lane): number => (l.db.prepare('SELECT count(*) AS n FROM codes').get() as { n: number }).n;
  const live = (): Lane[] => lanes.filter((l) => !l.stopped);
  const feedRequests = (): number => emu.counters.snapshots + emu.counters.deltas;

  before(async () => {
    nats = await startStore('S1');
    // Enough codes for a snapshot bigger than one NATS message part (512 KiB).
    emu = new RegistryEmulator({ codes: 6_000, token: null, seed: 19 });
    await emu.start();
  });

  after(async () => {
    for (const l of lanes) { if (!l.stopped) await l.reg.hub!.stop(); l.db.close(); rmSync(l.dir, { recursive: true, force: true }); }
    await emu.close();
    await nats.done();
  });

  test('two lanes: the snapshot is downloaded once (in parts) and both caches get it; a change reaches both as one delta', async () => {
    const [a, b] = [await lane('L1'), await lane('L2')];
    assert.equal(a.reg.puller?.running, false, 'a lane of a store runs no puller of its own');
    await until('both lanes to hold the snapshot', () => [a, b].every((l) => cursorOf(l) === emu.dataset.cursor()));
    assert.equal(emu.counters.snapshots, 1, 'one snapshot download for the store');
    assert.equal(codesOf(a), emu.dataset.stats().codes);
    assert.equal(codesOf(b), codesOf(a));
    const nc = await connect({ servers: [nats.url] });
    try {
      const info = await (await jetstreamManager(nc)).streams.info('TANBA_S1', { subjects_filter: 'tanba.status.S1' });
      assert.equal((info.state.subjects?.['tanba.status.S1'] ?? 0) >= 2, true, 'the snapshot was published in parts');
    } finally {
      await nc.close();
    }
    const leaders = [a, b].filter((l) => l.reg.hub!.leadsDownload());
    assert.equal(leaders.length, 1, 'exactly one lane leads the download');
    const follower = leaders[0] === a ? b : a;
    assert.equal(await follower.reg.hub!.statusDownloader(), leaders[0]!.id, 'any lane can tell which lane downloads');
    writeFileSync(join(follower.dir, 'config.json'), JSON.stringify({ store: { id: 'S1', nats: { servers: [nats.url] } }, register: { id: follower.id } }));
    // Not spawnSync: the lanes of this process must keep renewing the lock meanwhile.
    const cli = await execFileP(process.execPath, [bin, '--data-dir', follower.dir, 'hub', 'status', '--json'], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
    assert.equal((JSON.parse(cli.stdout) as { statusDownloadBy: string | null }).statusDownloadBy, leaders[0]!.id, `tanba hub status names the downloading lane: ${cli.stdout} ${cli.stderr}`);
    const before = feedRequests();
    emu.dataset.mutate(20);
    await until('both lanes to apply the delta', () => [a, b].every((l) => cursorOf(l) === emu.dataset.cursor()));
    assert.equal(codesOf(a), emu.dataset.stats().codes);
    assert.equal(codesOf(b), codesOf(a));
    assert.equal(emu.counters.snapshots, 1);
    assert.equal(feedRequests() > before, true);
    assert.equal(follower.downloads, 0, 'the other lane never asked the registry');
    // The manager's "resync" on the lane that does not lead says who does; it does not download.
    const asked = await follower.reg.puller!.pullOnce();
    assert.equal(asked.ok, false);
    assert.match(!asked.ok ? asked.error : '', /another lane of the store leads/);
  });

  test('a lane started later catches up from the store stream, not from the registry', async () => {
    const snapshots = emu.counters.snapshots;
    const late = await lane('L3');
    await until('the late lane to catch up', () => cursorOf(late) === emu.dataset.cursor());
    assert.equal(codesOf(late), emu.dataset.stats().codes);
    assert.equal(emu.counters.snapshots, snapshots, 'no snapshot for the late lane');
    assert.equal(late.downloads, 0);
  });

  test('the leading lane stops: another lane takes the download over and every lane keeps up; every request came from the leader of the moment', async () => {
    const leader = live().find((l) => l.reg.hub!.leadsDownload())!;
    await leader.reg.hub!.stop();
    leader.stopped = true;
    await until('another lane to lead', () => live().some((l) => l.reg.hub!.leadsDownload()));
    emu.dataset.mutate(10);
    await until('the remaining lanes to apply the next delta', () => live().every((l) => cursorOf(l) === emu.dataset.cursor()));
    assert.equal(emu.counters.snapshots, 1, 'the new leader continued from the store cursor');
    for (const l of live()) await l.reg.hub!.stop();
    for (const l of live()) l.stopped = true;
    assert.equal(lanes.reduce((n, l) => n + l.downloads, 0), feedRequests(), 'each feed request was one lane\'s download, none a second lane\'s');
    assert.equal(lanes.filter((l) => l.downloads > 0).length, 2, 'the first leader, then its successor');
  });
});

describe('a feed left half-published (its leader died mid-way)', () => {
  test('the lanes skip it: the next leader waits it out, publishes the next delta, and every lane applies that', async () => {
    const nats = await startStore('S2');
    const emu = new RegistryEmulator({ codes: 200, token: null, seed: 7 });
    await emu.start();
    const dir = mkdtempSync(join(tmpdir(), 'tanba-lane-M1-'));
    const db = openDatabase(join(dir, 'tanba.db'));
    const config = configSchema.parse({
      store: { id: 'S2', nats: { servers: [nats.url], feedLeaseSeconds: 1 } }, register: { id: 'M1' },
      registry: { marking: [{ kind: 'tanba-feed', url: emu.url }] },
    });
    const reg = createRegister({ config, db, dataDir: dir, tuning: { pullIntervalMs: 300 } });
    const nc = await connect({ servers: [nats.url] });
    try {
      await reg.hub!.start();
      await until('the snapshot', () => feedCursor(db).cursor === emu.dataset.cursor());
      // Part 1 of a feed whose other parts never come.
      const h = headers();
      h.set(FEED_HEADERS.id, 'dead-leader');
      h.set(FEED_HEADERS.part, '1');
      h.set(FEED_HEADERS.kind, 'delta');
      const orphan = (await jetstream(nc).publish('tanba.status.S2', `{"type":"delta","from":"${feedCursor(db).cursor}"}\n`, { headers: h })).seq;
      emu.dataset.mutate(5);
      await until('the next delta, past the half-published feed', () => feedCursor(db).cursor === emu.dataset.cursor(), 30_000);
      const applied = (db.prepare("SELECT seq FROM hub_applied WHERE stream = 'TANBA_S2'").get() as { seq: number }).seq;
      assert.equal(applied > orphan, true, 'the applied sequence moved past it');
      assert.equal(emu.counters.snapshots, 1);
    } finally {
      await nc.close();
      await reg.hub!.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
      await emu.close();
      await nats.done();
    }
  });
});

describe('the store stream always holds a base (its messages age out)', () => {
  test('a lane started after the first snapshot aged out of a short max-age stream catches up from the stream; one restarted after its position aged out too; never from the registry', async () => {
    const nats = await startStore('S3');
    const emu = new RegistryEmulator({ codes: 300, token: null, seed: 23 });
    await emu.start();
    const maxAgeMs = 4_000;
    const opened: { reg: Register; db: Db; dir: string; downloads: number }[] = [];
    const start = (id: string, dir = mkdtempSync(join(tmpdir(), `tanba-lane-${id}-`))): (typeof opened)[number] => {
      const db = openDatabase(join(dir, 'tanba.db'));
      const config = configSchema.parse({
        store: { id: 'S3', nats: { servers: [nats.url], feedLeaseSeconds: 1 } }, register: { id },
        registry: { marking: [{ kind: 'tanba-feed', url: emu.url }] },
      });
      const l = { reg: null as unknown as Register, db, dir, downloads: 0 };
      l.reg = createRegister({ config, db, dataDir: dir, tuning: { pullIntervalMs: 300, storeStreamMaxAgeMs: maxAgeMs }, onFeedStatus: (s) => { if (s.ok) l.downloads++; } });
      opened.push(l);
      return l;
    };
    const nc = await connect({ servers: [nats.url] });
    try {
      const jsm = await jetstreamManager(nc);
      const leader = start('A1');
      await leader.reg.hub!.start();
      await until('the first snapshot', () => feedCursor(leader.db).cursor === emu.dataset.cursor());
      const firstBase = JSON.parse((await jsm.streams.getMessage('TANBA_S3', { last_by_subj: 'tanba.status.S3.base' }))!.string()) as { seq: number };
      // A lane that was there, then away longer than the stream keeps messages.
      const away = start('A2');
      await away.reg.hub!.start();
      await until('the second lane', () => feedCursor(away.db).cursor === emu.dataset.cursor());
      await away.reg.hub!.stop();
      away.db.close();
      // Deltas keep coming while the first snapshot ages out of the stream.
      const snapshots = emu.counters.snapshots;
      const end = Date.now() + maxAgeMs * 2;
      while (Date.now() < end) {
        emu.dataset.mutate(3);
        await new Promise((r) => setTimeout(r, 500));
      }
      await until('the first snapshot to age out', async () => (await jsm.streams.getMessage('TANBA_S3', { seq: firstBase.seq }).catch(() => null)) === null);
      const info = await jsm.streams.info('TANBA_S3');
      assert.equal(info.config.max_age, maxAgeMs * 1_000_000, 'the stream keeps messages for the configured max age');
      assert.equal(info.state.first_seq > firstBase.seq, true);
      assert.equal(emu.counters.snapshots > snapshots, true, 'the leader republished a snapshot before the base aged out');
      const appliedBefore = (db: Db): number => (db.prepare("SELECT seq FROM hub_applied WHERE stream = 'TANBA_S3'").get() as { seq: number }).seq;
      const late = start('A3');
      await late.reg.hub!.start();
      const back = start('A2', away.dir);
      assert.equal(appliedBefore(back.db) + 1 < info.state.first_seq, true, 'what the returning lane would read next is gone');
      await back.reg.hub!.start();
      emu.dataset.mutate(2);
      await until('the late and the returning lane to catch up', () => [late, back, leader].every((l) => feedCursor(l.db).cursor === emu.dataset.cursor()));
      for (const l of [late, back]) {
        assert.equal((l.db.prepare('SELECT count(*) AS n FROM codes').get() as { n: number }).n, emu.dataset.stats().codes);
        assert.equal(l.downloads, 0, 'caught up from the stream, never from the registry');
        assert.equal(l.reg.hub!.leadsDownload(), false);
      }
      assert.equal(leader.reg.hub!.leadsDownload(), true, 'no lane gave the lead up');
      // Stopped first: a download in flight has reached the registry but not yet been reported.
      for (const l of opened) await l.reg.hub!.stop();
      assert.equal(opened.reduce((n, l) => n + l.downloads, 0), emu.counters.snapshots + emu.counters.deltas, 'every registry request was the leader\'s');
    } finally {
      await nc.close();
      for (const l of opened) { await l.reg.hub!.stop(); if (l.db.open) l.db.close(); }
      for (const dir of new Set(opened.map((l) => l.dir))) rmSync(dir, { recursive: true, force: true });
      await emu.close();
      await nats.done();
    }
  });
});
