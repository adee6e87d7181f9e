/**
 * The cache puller against the real registry emulator on 127.0.0.1 and a real SQLite cache:
 * full then deltas, full resync on 410 and on CURSOR_GAP, freshness untouched by failures,
 * backoff with jitter, start/stop.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, syncRow, type Db } from '../store/index.ts';
import { createMarkingClient, NO_FAULTS, type MarkingRegistryClient } from '../registry/marking/index.ts';
import { generateDataset, RegistryEmulator } from '../../emulators/index.ts';
import { createCachePuller, type FeedStatus } from './index.ts';

const TOKEN = 'puller-token';
const dir = mkdtempSync(join(tmpdir(), 'tanba-puller-'));
const dbs: Db[] = [];
after(() => { for (const d of dbs) d.close(); rmSync(dir, { recursive: true, force: true }); });
let n = 0;
function freshDb(): Db {
  const db = openDatabase(join(dir, `cache-${++n}.db`));
  dbs.push(db);
  return db;
}

/** A clock the test moves by hand. */
function manualClock(iso: string): { now(): Date; set(iso: string): void } {
  let t = Date.parse(iso);
  return { now: () => new Date(t), set: (v: string) => { t = Date.parse(v); } };
}

function digest(db: Db): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(db.prepare('SELECT cis, status, expires, mrp FROM codes ORDER BY cis').raw().all()));
  h.update(JSON.stringify(db.prepare('SELECT kind, key, batch FROM blocks ORDER BY kind, key, batch').raw().all()));
  h.update(JSON.stringify(db.prepare('SELECT * FROM products ORDER BY gtin').raw().all()));
  return h.digest('hex');
}

function ok(s: FeedStatus): Extract<FeedStatus, { ok: true }> {
  assert.equal(s.ok, true, JSON.stringify(s));
  return s as Extract<FeedStatus, { ok: true }>;
}
function failed(s: FeedStatus): Extract<FeedStatus, { ok: false }> {
  assert.equal(s.ok, false, JSON.stringify(s));
  return s as Extract<FeedStatus, { ok: false }>;
}

describe('cache puller', () => {
  let emu: RegistryEmulator;
  let client: MarkingRegistryClient;
  before(async () => {
    emu = new RegistryEmulator({ dataset: generateDataset({ seed: 31, codes: 3000 }), token: TOKEN });
    await emu.start();
    client = createMarkingClient({ url: emu.url, token: TOKEN });
  });
  after(async () => {
    client.close();
    await emu.close();
  });

  test('never synced -> full snapshot; then deltas from the stored cursor; the cache matches the registry', async () => {
    const db = freshDb();
    const clock = manualClock('2026-05-01T08:00:00.000Z');
    const events: FeedStatus[] = [];
    const puller = createCachePuller({ db, client, clock, onStatus: (s) => events.push(s) });
    const first = ok(await puller.pullOnce());
    assert.equal(first.kind, 'full');
    assert.equal(first.resync, null);
    assert.equal(first.cursor, emu.dataset.cursor());
    assert.equal(syncRow(db)?.last_sync_at, '2026-05-01T08:00:00.000Z');
    emu.dataset.mutate(25);
    clock.set('2026-05-01T08:05:00.000Z');
    const second = ok(await puller.pullOnce());
    assert.equal(second.kind, 'delta');
    assert.equal(second.records, 25);
    assert.equal(syncRow(db)?.cursor, emu.dataset.cursor());
    assert.equal(syncRow(db)?.last_sync_at, '2026-05-01T08:05:00.000Z');
    assert.equal(syncRow(db)?.last_kind, 'delta');
    // Same content as a fresh full import of the registry now.
    const other = freshDb();
    ok(await createCachePuller({ db: other, client }).pullOnce());
    assert.equal(digest(db), digest(other));
    assert.deepEqual(events.map((e) => e.ok && e.kind), ['full', 'delta']);
  });

  test('a cursor the registry forgot (410) -> full resync, reported as such', async () => {
    const db = freshDb();
    const puller = createCachePuller({ db, client });
    ok(await puller.pullOnce());
    emu.dataset.mutate(5);
    emu.dataset.compact();
    const s = ok(await puller.pullOnce());
    assert.equal(s.kind, 'full');
    assert.match(s.resync ?? '', /no longer has changes/);
    assert.equal(syncRow(db)?.cursor, emu.dataset.cursor());
    assert.equal(syncRow(db)?.last_kind, 'full');
  });

  test('a delta that does not start at the stored cursor (CURSOR_GAP) -> full resync', async () => {
    const db = freshDb();
    const c0 = emu.dataset.cursor();
    ok(await createCachePuller({ db, client }).pullOnce());
    emu.dataset.mutate(4);
    ok(await createCachePuller({ db, client }).pullOnce());
    assert.notEqual(syncRow(db)?.cursor, c0);
    // A registry that answers deltas from a stale cursor (say, a replica lagging behind): the
    // real emulator behind a client that always asks from c0.
    const lagging = { openFeed: (req: Parameters<MarkingRegistryClient['openFeed']>[0], o?: { signal?: AbortSignal }) => client.openFeed(req.kind === 'delta' ? { kind: 'delta', from: c0 } : req, o) };
    emu.dataset.mutate(4);
    const s = ok(await createCachePuller({ db, client: lagging }).pullOnce());
    assert.equal(s.kind, 'full');
    assert.match(s.resync ?? '', /CURSOR_GAP|starts at cursor/);
    assert.equal(syncRow(db)?.cursor, emu.dataset.cursor());
  });

  test('failures never advance freshness or touch the cache; transient vs permanent', async () => {
    const db = freshDb();
    const clock = manualClock('2026-05-02T10:00:00.000Z');
    const puller = createCachePuller({ db, client, clock });
    ok(await puller.pullOnce());
    const kept = digest(db);
    const cursor = syncRow(db)?.cursor;
    emu.dataset.mutate(10);
    clock.set('2026-05-02T11:00:00.000Z');
    const faults = [
      { f: { status5xxRate: 1 }, transient: true },
      { f: { status429Rate: 1, retryAfterSeconds: 4 }, transient: true },
      { f: { dropRate: 1 }, transient: true },
      { f: { lostResponseRate: 1 }, transient: true },
      { f: { malformedRate: 1 }, transient: true },
    ];
    try {
      for (const { f, transient } of faults) {
        emu.setFaults({ ...NO_FAULTS, ...f, scope: 'feed' });
        const s = failed(await puller.pullOnce());
        assert.equal(s.transient, transient, `${JSON.stringify(f)}: ${s.error}`);
        assert.equal(s.attempt, 'delta');
        assert.equal(s.nextAttemptInMs, null, 'not scheduled: pullOnce outside start()');
        if ('retryAfterSeconds' in f) assert.equal(s.retryAfterMs, 4000);
        assert.equal(syncRow(db)?.last_sync_at, '2026-05-02T10:00:00.000Z', `${JSON.stringify(f)}: freshness unchanged`);
        assert.equal(syncRow(db)?.cursor, cursor);
        assert.equal(digest(db), kept);
        assert.equal(db.prepare('SELECT count(*) FROM cache_import').pluck().get(), 0, 'nothing left staged');
      }
      // A full snapshot that breaks off mid-way: the previous cache stays in force.
      emu.dataset.compact();
      emu.setFaults({ ...NO_FAULTS, lostResponseRate: 1, scope: 'feed' });
      const s = failed(await puller.pullOnce());
      assert.equal(s.attempt, 'full');
      assert.equal(s.transient, true);
      assert.equal(digest(db), kept);
      assert.equal(syncRow(db)?.last_sync_at, '2026-05-02T10:00:00.000Z');
    } finally {
      emu.setFaults(NO_FAULTS);
    }
    const wrongToken = createMarkingClient({ url: emu.url, token: 'nope' });
    const denied = failed(await createCachePuller({ db, client: wrongToken }).pullOnce());
    assert.equal(denied.transient, false);
    assert.match(denied.error, /401/);
    wrongToken.close();
    // Recovery: the next clean pull resyncs and advances freshness.
    const back = ok(await puller.pullOnce());
    assert.equal(back.kind, 'full');
    assert.equal(syncRow(db)?.last_sync_at, '2026-05-02T11:00:00.000Z');
  });

  test('two pullOnce() at once share one pull', async () => {
    const db = freshDb();
    const puller = createCachePuller({ db, client });
    const [a, b] = await Promise.all([puller.pullOnce(), puller.pullOnce()]);
    assert.equal(a, b);
    ok(a);
  });

  test('start(): failures back off exponentially with jitter (Retry-After honoured), success resumes the interval; stop() is clean', async () => {
    const db = freshDb();
    const events: FeedStatus[] = [];
    let resolveOk: () => void = () => undefined;
    const succeeded = new Promise<void>((r) => { resolveOk = r; });
    const puller = createCachePuller({
      db, client, intervalMs: 60_000, retryBaseMs: 20, maxBackoffMs: 80, random: () => 0.5,
      onStatus: (s) => {
        events.push(s);
        if (!s.ok && events.length === 5) emu.setFaults(NO_FAULTS);
        if (s.ok) resolveOk();
      },
    });
    emu.setFaults({ ...NO_FAULTS, status5xxRate: 1, scope: 'feed' });
    try {
      puller.start();
      puller.start(); // idempotent
      assert.equal(puller.running, true);
      await succeeded;
    } finally {
      emu.setFaults(NO_FAULTS);
      await puller.stop();
    }
    assert.equal(puller.running, false);
    const fails = events.filter((e): e is Extract<FeedStatus, { ok: false }> => !e.ok);
    assert.equal(fails.length, 5);
    // cap = 20 * 2^(k-1) limited to 80; wait = cap/2 + cap/2 * 0.5.
    assert.deepEqual(fails.map((f) => f.nextAttemptInMs), [15, 30, 60, 60, 60]);
    assert.equal(events[5]?.ok, true);
    assert.equal(puller.failures, 0);

    // Retry-After beats the computed backoff.
    emu.setFaults({ ...NO_FAULTS, status429Rate: 1, retryAfterSeconds: 3, scope: 'feed' });
    let stopped: Promise<void> = Promise.resolve();
    const got = new Promise<FeedStatus>((r) => {
      const p = createCachePuller({ db: freshDb(), client, retryBaseMs: 10, random: () => 0.5, onStatus: (s) => { r(s); stopped = p.stop(); } });
      p.start();
    });
    try {
      const s = failed(await got);
      assert.equal(s.nextAttemptInMs, 3000);
    } finally {
      emu.setFaults(NO_FAULTS);
      await stopped;
    }
  });
});
