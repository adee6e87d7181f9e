/**
 * The status feed over HTTP into a real SQLite cache (importFeed): the snapshot over HTTP gives
 * the same cache as the same feed from a file; deltas apply; an unknown cursor is 410 Gone; a
 * broken transfer (lost half-way, garbled, cut at a line boundary) never changes the cache.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { openDatabase, type Db } from '../src/store/index.ts';
import { importFeed, feedRecordSchema, FeedError } from '../src/cache/index.ts';
import { createMarkingClient, requireClosingCursor, NO_FAULTS, FeedTransferError, type MarkingRegistryClient, type FeedOpened } from '../src/registry/marking/index.ts';
import { RegistryEmulator, generateDataset, writeFeedFile } from '../emulators/index.ts';

const TOKEN = 'feed-token';
const dir = mkdtempSync(join(tmpdir(), 'tanba-registry-feed-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let dbCount = 0;
const dbs: Db[] = [];
after(() => { for (const d of dbs) d.close(); });

function freshDb(): Db {
  const db = openDatabase(join(dir, `cache-${++dbCount}.db`));
  dbs.push(db);
  return db;
}

/** A digest of everything the live cache holds. */
function cacheDigest(db: Db): { codes: number; digest: string } {
  const h = createHash('sha256');
  const codes = db.prepare('SELECT cis, status, expires, mrp FROM codes ORDER BY cis').raw().all();
  for (const table of [codes,
    db.prepare('SELECT kind, key, batch FROM blocks ORDER BY kind, key, batch').raw().all(),
    db.prepare('SELECT * FROM products ORDER BY gtin').raw().all()]) h.update(JSON.stringify(table));
  return { codes: codes.length, digest: h.digest('hex') };
}

function cursorOf(db: Db): string | null {
  return (db.prepare("SELECT cursor FROM cache_sync WHERE channel = 'feed'").pluck().get() as string | undefined) ?? null;
}

function stream(o: FeedOpened): Readable {
  assert.equal(o.kind, 'stream', JSON.stringify(o));
  return (o as { body: Readable }).body;
}

describe('status feed over HTTP into the cache', () => {
  let emu: RegistryEmulator;
  let client: MarkingRegistryClient;
  before(async () => {
    emu = new RegistryEmulator({ dataset: generateDataset({ seed: 21, codes: 5000 }), token: TOKEN });
    await emu.start();
    client = createMarkingClient({ url: emu.url, token: TOKEN });
  });
  after(async () => {
    client.close();
    await emu.close();
  });

  test('every line the emulator serves is a valid feed record', async () => {
    const o = await client.openFeed({ kind: 'snapshot' });
    const text = (await Readable.from(stream(o)).toArray()).map((b: Buffer) => b.toString()).join('');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines.length, emu.dataset.codes.size + emu.dataset.products.size + emu.dataset.blocks.size + emu.dataset.aggregates.size + 2);
    for (const l of lines) assert.equal(feedRecordSchema.safeParse(JSON.parse(l)).success, true, l);
    assert.deepEqual(JSON.parse(lines[0]!), { type: 'snapshot' });
    assert.equal((JSON.parse(lines[lines.length - 1]!) as { type: string }).type, 'cursor');
  });

  test('snapshot over HTTP == the same feed from a file (writeFeedFile)', async () => {
    const file = join(dir, 'feed.ndjson');
    const written = writeFeedFile(file, emu.dataset);
    assert.ok(written.bytes > 100_000);
    const viaFile = freshDb();
    await importFeed(viaFile, file, { full: true });
    const viaHttp = freshDb();
    const r = await importFeed(viaHttp, stream(await client.openFeed({ kind: 'snapshot' })), { full: true });
    assert.equal(r.codes, emu.dataset.codes.size);
    assert.equal(r.cursor, emu.dataset.cursor());
    assert.deepEqual(cacheDigest(viaHttp), cacheDigest(viaFile));
    assert.equal(cacheDigest(viaHttp).codes, 5000);
    // The HTTP body is byte for byte the file.
    const body = Buffer.concat(await stream(await client.openFeed({ kind: 'snapshot' })).toArray() as Buffer[]);
    assert.ok(body.equals(readFileSync(file)));
  });

  test('delta after changes: applied on top; an empty delta keeps the cache and moves nothing', async () => {
    const db = freshDb();
    await importFeed(db, stream(await client.openFeed({ kind: 'snapshot' })), { full: true });
    const before = cursorOf(db) as string;
    const res = await fetch(`${emu.url}/admin/mutate`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"count":40}' });
    assert.equal(res.status, 200);
    const r = await importFeed(db, stream(await client.openFeed({ kind: 'delta', from: before })));
    assert.equal(r.kind, 'delta');
    assert.equal(r.from, before);
    assert.equal(r.records, 40);
    assert.equal(cursorOf(db), emu.dataset.cursor());
    // The cache now equals a fresh snapshot of the changed registry.
    const fresh = freshDb();
    await importFeed(fresh, stream(await client.openFeed({ kind: 'snapshot' })), { full: true });
    assert.deepEqual(cacheDigest(db), cacheDigest(fresh));
    const empty = await importFeed(db, stream(await client.openFeed({ kind: 'delta', from: cursorOf(db) as string })));
    assert.equal(empty.records, 0);
  });

  test('an unknown or forgotten cursor: 410 -> gone', async () => {
    const foreign = await client.openFeed({ kind: 'delta', from: 'zz.1' });
    assert.equal(foreign.kind, 'gone');
    const c = emu.dataset.cursor();
    emu.dataset.mutate(1);
    emu.dataset.compact();
    const old = await client.openFeed({ kind: 'delta', from: c });
    assert.equal(old.kind, 'gone');
    if (old.kind === 'gone') assert.match(old.reason, /cursor_gone/);
  });

  test('feed faults: 503/429 transient, 401 permanent; lost half-way and garbled bodies never touch the cache', async () => {
    const db = freshDb();
    await importFeed(db, stream(await client.openFeed({ kind: 'snapshot' })), { full: true });
    const kept = cacheDigest(db);
    const cursor = cursorOf(db);
    try {
      emu.setFaults({ ...NO_FAULTS, status5xxRate: 1, scope: 'feed' });
      const f5 = await client.openFeed({ kind: 'snapshot' });
      assert.deepEqual([f5.kind, f5.kind === 'failed' && f5.transient, f5.kind === 'failed' && f5.status], ['failed', true, 503]);
      emu.setFaults({ ...NO_FAULTS, status429Rate: 1, retryAfterSeconds: 3 });
      const f4 = await client.openFeed({ kind: 'snapshot' });
      assert.equal(f4.kind === 'failed' && f4.retryAfterMs, 3000);
      const noToken = createMarkingClient({ url: emu.url });
      const f1 = await noToken.openFeed({ kind: 'snapshot' });
      assert.deepEqual([f1.kind, f1.kind === 'failed' && f1.transient, f1.kind === 'failed' && f1.status], ['failed', false, 401]);
      noToken.close();

      emu.dataset.mutate(5);
      for (const fault of [{ lostResponseRate: 1 }, { malformedRate: 1 }]) {
        emu.setFaults({ ...NO_FAULTS, ...fault });
        const o = await client.openFeed({ kind: 'snapshot' });
        await assert.rejects(importFeed(db, stream(o), { full: true }), JSON.stringify(fault));
        assert.deepEqual(cacheDigest(db), kept, `${JSON.stringify(fault)}: cache unchanged`);
        assert.equal(cursorOf(db), cursor, `${JSON.stringify(fault)}: cursor unchanged`);
      }
      emu.setFaults({ ...NO_FAULTS, dropRate: 1 });
      const dropped = await client.openFeed({ kind: 'snapshot' });
      assert.deepEqual([dropped.kind, dropped.kind === 'failed' && dropped.transient], ['failed', true]);
    } finally {
      emu.setFaults(NO_FAULTS);
    }
    // And the next clean delta applies.
    const r = await importFeed(db, stream(await client.openFeed({ kind: 'delta', from: cursor as string })));
    assert.equal(r.records, 5);
  });

  test('a snapshot cut off at a line boundary is refused (the guard), so it cannot replace the cache', async () => {
    const db = freshDb();
    await importFeed(db, stream(await client.openFeed({ kind: 'snapshot' })), { full: true });
    const kept = cacheDigest(db);
    const lines = [...emu.dataset.snapshotLines()];
    const cut = lines.slice(0, Math.floor(lines.length / 2)).map((l) => `${l}\n`);
    const guarded = Readable.from(cut).pipe(requireClosingCursor());
    await assert.rejects(importFeed(db, guarded, { full: true }), (err: unknown) => err instanceof FeedTransferError && /closing/.test(err.message));
    assert.deepEqual(cacheDigest(db), kept);
    // A whole feed passes the guard unchanged.
    const whole = Readable.from(lines.map((l) => `${l}\n`)).pipe(requireClosingCursor());
    const r = await importFeed(db, whole, { full: true });
    assert.equal(r.codes, emu.dataset.codes.size);
  });

  test('a delta from a cursor the cache is not at: the importer says CURSOR_GAP', async () => {
    const db = freshDb();
    const c0 = emu.dataset.cursor();
    await importFeed(db, stream(await client.openFeed({ kind: 'snapshot' })), { full: true });
    emu.dataset.mutate(3);
    const c1 = emu.dataset.cursor();
    await importFeed(db, stream(await client.openFeed({ kind: 'delta', from: c0 })));
    assert.equal(cursorOf(db), c1);
    emu.dataset.mutate(3);
    await assert.rejects(importFeed(db, stream(await client.openFeed({ kind: 'delta', from: c0 }))),
      (err: unknown) => err instanceof FeedError && err.code === 'CURSOR_GAP');
    assert.equal(cursorOf(db), c1);
  });
});
