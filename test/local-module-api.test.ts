/**
 * Tanba serving the local-module API (`tanba serve --lm-port`), queried by a small client written
 * from the local module's published description alone — plain fetch and JSON, none of Tanba's
 * types — as another till would: status, outCheck v1 and v2, the black-list decision (isBlocked,
 * sold), this store's own sale showing as sold, freshness mapped to the module's statuses, and
 * Basic auth failures.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFeed } from '../src/cache/index.ts';
import { fixedClock } from '../src/clock.ts';
import { startCore, type Core } from '../src/server/main.ts';
import { openDatabase } from '../src/store/index.ts';
import { generateDataset, writeFeedFile } from '../emulators/index.ts';

// ---- the other till's client: only what the local module's description says ----
interface LmCode { cis: string; isBlocked?: boolean; sold?: boolean; found?: boolean; valid?: boolean }
interface LmEnvelope { code: number; description?: string; codes: LmCode[]; reqId: string; reqTimestamp: number; inst: string; version: string }

function lmClient(base: string, user: string, password: string) {
  const auth = { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
  return {
    async status(): Promise<{ http: number; body: Record<string, unknown> }> {
      const r = await fetch(`${base}/api/v1/status`, { headers: auth });
      return { http: r.status, body: await r.json() as Record<string, unknown> };
    },
    async outCheck(cis: string): Promise<{ http: number; body: LmEnvelope; headers: Headers }> {
      const r = await fetch(`${base}/api/v1/cis/outCheck?cis=${encodeURIComponent(cis)}`, { headers: auth });
      return { http: r.status, body: await r.json() as LmEnvelope, headers: r.headers };
    },
    async outCheckMany(list: string[]): Promise<{ results: LmEnvelope[] }> {
      const r = await fetch(`${base}/api/v2/cis/outCheck`, { method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify({ cis_list: list.map((cis) => ({ cis })) }) });
      assert.equal(r.status, 200);
      return await r.json() as { results: LmEnvelope[] };
    },
  };
}

/** An offline local-module answer decides on isBlocked and sold only. */
function mayISell(c: LmCode | undefined): 'sell' | 'blocked' | 'sold' {
  if (c?.isBlocked === true) return 'blocked';
  if (c?.sold === true) return 'sold';
  return 'sell';
}
// ---- end of the client ----

const USER = 'till';
const PASSWORD = 'lm-pass-42';
const dataset = generateDataset({ seed: 21, codes: 800 });
const dir = mkdtempSync(join(tmpdir(), 'tanba-lm-api-'));
const SYNCED = new Date().toISOString();
let core: Core;

async function start(dataDir: string, clockAt?: string): Promise<Core> {
  return startCore({
    dataDir, port: 0, lmPort: 0, env: {}, uiDir: join(dataDir, 'no-ui'), logToStderr: false,
    ...(clockAt ? { clock: fixedClock(clockAt) } : {}),
    tuning: { ofdTransactionTimeoutMs: 300, ofdReconnectIntervalMs: 60_000, statusPushMs: 60_000 },
  });
}

before(async () => {
  writeFileSync(join(dir, 'config.json'), JSON.stringify({
    registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 3, token: 1 } },
    localModule: { user: USER, password: PASSWORD },
  }));
  const feed = join(dir, 'feed.ndjson');
  writeFeedFile(feed, dataset);
  const db = openDatabase(join(dir, 'tanba.db'));
  await importFeed(db, feed, { full: true, clock: fixedClock(SYNCED) });
  db.close();
  core = await start(dir);
});
after(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('Tanba as a local module', () => {
  test('status: ready from a fresh cache, in the module\'s shape', async () => {
    const lm = lmClient(core.localModule!.url, USER, PASSWORD);
    const s = await lm.status();
    assert.equal(s.http, 200);
    assert.equal(s.body.status, 'ready');
    assert.equal(s.body.operationMode, 'active');
    assert.equal(typeof s.body.version, 'string');
    assert.equal(s.body.lastSync, Date.parse(SYNCED));
    const rep = s.body.replicationStatus as Record<string, { localDocCount: number }>;
    assert.equal(rep.cis?.localDocCount, dataset.codes.size);
  });

  test('outCheck v1 and v2 answer in the envelope; blocked and sold refuse, the rest sells; GS survives URL encoding', async () => {
    const lm = lmClient(core.localModule!.url, USER, PASSWORD);
    const sellable = dataset.sample('sellable', 1)[0]!;
    assert.ok(sellable.code.includes('\u001d'));
    const one = await lm.outCheck(sellable.code);
    assert.equal(one.http, 200);
    assert.equal(one.body.code, 0);
    assert.equal(one.body.codes[0]?.cis, sellable.cis);
    assert.match(one.body.reqId, /^[0-9a-f-]{36}$/);
    assert.equal(typeof one.body.reqTimestamp, 'number');
    assert.ok(one.body.inst && one.body.version);
    assert.equal(mayISell(one.body.codes[0]), 'sell');
    const blocked = dataset.sample('blocked', 1)[0]!;
    const sold = dataset.sample('sold', 1)[0]!;
    const many = await lm.outCheckMany([blocked.code, sold.code, sellable.code]);
    assert.equal(many.results.length, 3);
    assert.deepEqual(many.results.map((e) => mayISell(e.codes[0])), ['blocked', 'sold', 'sell']);
  });

  test('a code this store just sold answers sold to the other till', async () => {
    const lm = lmClient(core.localModule!.url, USER, PASSWORD);
    const code = dataset.sample('sellable', 1, { offset: 5 })[0]!;
    assert.equal(mayISell((await lm.outCheck(code.code)).body.codes[0]), 'sell');
    const checkout = core.services.checkout;
    checkout.openShift('Ann');
    const r = checkout.scan(code.code);
    assert.ok(r.ok, JSON.stringify(r));
    checkout.completeSale({ payments: [{ type: 'cash', amount: r.lines[0]!.sum! }] });
    assert.equal(mayISell((await lm.outCheck(code.code)).body.codes[0]), 'sold');
  });

  test('Basic auth: no header, a wrong password and a wrong user get 401 with a Basic challenge', async () => {
    const base = core.localModule!.url;
    const bare = await fetch(`${base}/api/v1/status`);
    assert.equal(bare.status, 401);
    assert.match(bare.headers.get('www-authenticate') ?? '', /^Basic /);
    assert.equal((await lmClient(base, USER, 'nope').status()).http, 401);
    assert.equal((await lmClient(base, 'other', PASSWORD).status()).http, 401);
    assert.equal((await lmClient(base, USER, PASSWORD).outCheck('x')).http, 200);
  });

  test('past the offline limit the module says sync_error', async () => {
    const late = mkdtempSync(join(tmpdir(), 'tanba-lm-api-late-'));
    try {
      writeFileSync(join(late, 'config.json'), JSON.stringify({ registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 3, token: 1 } }, localModule: { user: USER, password: PASSWORD } }));
      const feed = join(late, 'feed.ndjson');
      writeFeedFile(feed, dataset);
      const db = openDatabase(join(late, 'tanba.db'));
      await importFeed(db, feed, { full: true, clock: fixedClock('2026-01-01T00:00:00.000Z') });
      db.close();
      const stale = await start(late, '2026-01-05T00:00:00.000Z');
      try {
        assert.equal((await lmClient(stale.localModule!.url, USER, PASSWORD).status()).body.status, 'sync_error');
      } finally {
        await stale.stop();
      }
    } finally {
      rmSync(late, { recursive: true, force: true });
    }
  });
});
