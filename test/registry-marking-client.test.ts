/**
 * The marking-system client against the real emulator on 127.0.0.1 (port 0): online check
 * answers, authentication, the loopback-only rule for plain HTTP, TLS with a CA made at test
 * time, the 1.5 s budget, and how each fault is classified (transient or permanent).
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMarkingClient, isLoopbackHost, parseRetryAfter, MarkingConfigError, NO_FAULTS, type CheckOutcome, type MarkingRegistryClient } from '../src/registry/marking/index.ts';
import { RegistryEmulator, generateDataset } from '../emulators/index.ts';

const TOKEN = 'test-token';
const dir = mkdtempSync(join(tmpdir(), 'tanba-registry-client-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function expectFailure(o: CheckOutcome): Exclude<CheckOutcome, { kind: 'answered' }> {
  assert.notEqual(o.kind, 'answered', `expected a failure, got an answer`);
  return o as Exclude<CheckOutcome, { kind: 'answered' }>;
}

describe('online check against the emulator', () => {
  let emu: RegistryEmulator;
  let client: MarkingRegistryClient;
  before(async () => {
    emu = new RegistryEmulator({ seed: 11, codes: 3000, token: TOKEN });
    await emu.start();
    client = createMarkingClient({ url: emu.url, token: TOKEN });
  });
  after(async () => {
    client.close();
    await emu.close();
  });

  test('answers with the facts the rules need, keyed by CIS, for codes as scanned and bare CIS', async () => {
    const ds = emu.dataset;
    const sellable = ds.sample('sellable', 2);
    const sold = ds.sample('sold', 1);
    const blocked = ds.sample('blocked', 1);
    const unknown = ds.sample('unknown', 1);
    assert.equal(sellable.length, 2);
    const s0 = sellable[0]!, s1 = sellable[1]!, so = sold[0]!, bl = blocked[0]!, un = unknown[0]!;
    assert.ok(s0.code.includes('\u001d'), 'sampled codes are as scanned, GS kept');
    const codes = [s0.code, s1.cis, so.code, bl.code, un.code, 'not a marking code'];
    const o = await client.check(codes);
    assert.equal(o.kind, 'answered', JSON.stringify(o));
    if (o.kind !== 'answered') return;
    assert.match(o.requestId, /^[0-9a-f-]{36}$/);
    assert.ok(Math.abs(Date.parse(o.checkedAt) - Date.now()) < 60_000, 'checkedAt is a current UTC time');
    assert.match(o.checkedAt, /Z$/);
    assert.deepEqual(o.unresolved, ['not a marking code']);
    const f0 = o.facts.get(s0.cis);
    assert.ok(f0);
    assert.equal(f0.found, true);
    assert.equal(f0.status, 'in_circulation');
    assert.equal(f0.blocked, false);
    assert.equal(f0.group, s0.group);
    assert.equal(f0.expires, s0.expires);
    assert.equal(f0.mrp, s0.mrp);
    assert.equal(f0.minPrice, s0.minPrice);
    assert.equal(f0.soldHere, false, 'the registry does not know this store\'s sales');
    assert.equal(o.facts.get(s1.cis)?.status, 'in_circulation');
    assert.equal(o.facts.get(so.cis)?.status, 'sold');
    const fb = o.facts.get(bl.cis);
    assert.equal(fb?.blocked, true);
    assert.equal(fb?.blockedBy, bl.blockedBy);
    const fu = o.facts.get(un.cis);
    assert.equal(fu?.found, false);
    assert.equal(fu?.status, null);
  });

  test('a lost separator (no GS) and an AIM prefix still resolve to the CIS', async () => {
    const s = emu.dataset.sample('sellable', 1, { offset: 5 })[0]!;
    const o = await client.check([`]d2${s.code}`, s.code.replaceAll('\u001d', '')]);
    assert.equal(o.kind, 'answered');
    if (o.kind !== 'answered') return;
    assert.equal(o.facts.size, 1);
    assert.equal(o.facts.get(s.cis)?.found, true);
  });

  test('without a token or with a wrong one: 401, a permanent error', async () => {
    for (const c of [createMarkingClient({ url: emu.url }), createMarkingClient({ url: emu.url, token: 'wrong' })]) {
      const f = expectFailure(await c.check(['x']));
      assert.equal(f.kind, 'error');
      assert.equal(f.status, 401);
      assert.equal(f.transient, false);
      assert.match(f.reason, /token/);
      c.close();
    }
  });

  test('raw protocol: 401 carries WWW-Authenticate, a bad body 400 names the field, /health needs no token', async () => {
    const r401 = await fetch(`${emu.url}/check`, { method: 'POST', body: '{"codes":["a"]}' });
    assert.equal(r401.status, 401);
    assert.match(r401.headers.get('www-authenticate') ?? '', /^Bearer/);
    const r400 = await fetch(`${emu.url}/check`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"codes":[]}' });
    assert.equal(r400.status, 400);
    const body = await r400.json() as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'bad_request');
    assert.match(body.error.message, /codes/);
    const health = await fetch(`${emu.url}/health`);
    assert.equal(health.status, 200);
  });

  test('more than 100 codes: refused by the client before sending', async () => {
    const f = expectFailure(await client.check(Array.from({ length: 101 }, (_, i) => String(i))));
    assert.equal(f.kind, 'error');
    assert.equal(f.transient, false);
    assert.match(f.reason, /100/);
  });

  test('latency 3 s: the check gives up at its 1.5 s budget with kind timeout', async () => {
    emu.setFaults({ ...NO_FAULTS, latencyMs: 3000 });
    try {
      const code = emu.dataset.sample('sellable', 1)[0]!.code;
      const f = expectFailure(await client.check([code]));
      assert.equal(f.kind, 'timeout');
      assert.equal(f.transient, true);
      assert.match(f.reason, /1500 ms/);
      // Within budget when the budget is larger than the latency: answered.
      emu.setFaults({ latencyMs: 100 });
      const ok = await client.check([code], { timeoutMs: 5000 });
      assert.equal(ok.kind, 'answered');
    } finally {
      emu.setFaults(NO_FAULTS);
    }
  });

  test('faults are classified: 503, 429 (with Retry-After), drop, lost answer -> transient; garbled body -> transient error', async () => {
    const code = emu.dataset.sample('sellable', 1)[0]!.code;
    const cases: { faults: Partial<typeof NO_FAULTS>; kind: string; status: number | null; counter: keyof RegistryEmulator['counters'] }[] = [
      { faults: { status5xxRate: 1 }, kind: 'unavailable', status: 503, counter: 'status5xx' },
      { faults: { status429Rate: 1, retryAfterSeconds: 7 }, kind: 'unavailable', status: 429, counter: 'status429' },
      { faults: { dropRate: 1 }, kind: 'unavailable', status: null, counter: 'dropped' },
      { faults: { lostResponseRate: 1 }, kind: 'unavailable', status: null, counter: 'lost' },
      { faults: { malformedRate: 1 }, kind: 'error', status: 200, counter: 'malformed' },
    ];
    try {
      for (const c of cases) {
        emu.setFaults({ ...NO_FAULTS, ...c.faults });
        const before = emu.counters[c.counter];
        const f = expectFailure(await client.check([code]));
        assert.equal(f.kind, c.kind, `${JSON.stringify(c.faults)}: ${f.reason}`);
        assert.equal(f.transient, true, JSON.stringify(c.faults));
        assert.equal(f.status, c.status, JSON.stringify(c.faults));
        assert.equal(emu.counters[c.counter], before + 1, `the emulator injected ${c.counter}`);
        if (c.status === 429) assert.equal(f.retryAfterMs, 7000);
      }
      // Faults scoped to the feed leave the check alone.
      emu.setFaults({ ...NO_FAULTS, status5xxRate: 1, scope: 'feed' });
      assert.equal((await client.check([code])).kind, 'answered');
    } finally {
      emu.setFaults(NO_FAULTS);
    }
    // And after the faults the same client answers again (no poisoned kept-alive socket).
    assert.equal((await client.check([code])).kind, 'answered');
  });

  test('runtime faults over HTTP: POST /admin/faults validates and applies', async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const bad = await fetch(`${emu.url}/admin/faults`, { method: 'POST', headers: auth, body: '{"dropRate":2}' });
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { error: { message: string } }).error.message, /dropRate/);
    const ok = await fetch(`${emu.url}/admin/faults`, { method: 'POST', headers: auth, body: '{"status5xxRate":1,"scope":"check"}' });
    assert.equal(ok.status, 200);
    try {
      const f = expectFailure(await client.check(['x']));
      assert.equal(f.status, 503);
    } finally {
      await fetch(`${emu.url}/admin/faults`, { method: 'POST', headers: auth, body: JSON.stringify(NO_FAULTS) });
    }
    assert.equal((await client.check(['x'])).kind, 'answered');
  });

  test('GET /admin/sample gives sellable codes as scanned (GS kept) for other tests', async () => {
    const res = await fetch(`${emu.url}/admin/sample?status=sellable&n=3&group=medicines`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    const body = await res.json() as { codes: { code: string; cis: string; group: string; status: string; blockedBy: string | null }[] };
    assert.equal(body.codes.length, 3);
    for (const c of body.codes) {
      assert.equal(c.group, 'medicines');
      assert.equal(c.status, 'in_circulation');
      assert.equal(c.blockedBy, null);
      assert.ok(c.code.startsWith(`${c.cis}\u001d17`), 'medicines carry (17) after the CIS');
    }
    const bad = await fetch(`${emu.url}/admin/sample?status=nope`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(bad.status, 400);
  });
});

describe('connection rules', () => {
  test('plain http:// only to loopback; a clear error otherwise', () => {
    for (const url of ['http://10.0.0.5:8080/', 'http://registry.example.kz/', 'http://192.168.1.10/', 'http://[2001:db8::1]/']) {
      assert.throws(() => createMarkingClient({ url }), (err: unknown) => err instanceof MarkingConfigError && /plain http/.test(err.message) && /loopback|127/.test(err.message), url);
    }
    for (const url of ['http://127.0.0.1:1/', 'http://127.8.9.10:1/', 'http://localhost:1/', 'http://[::1]:1/', 'https://registry.example.kz/api/']) {
      createMarkingClient({ url }).close();
    }
    assert.throws(() => createMarkingClient({ url: 'ftp://127.0.0.1/' }), MarkingConfigError);
    assert.throws(() => createMarkingClient({ url: 'not a url' }), /not a valid URL/);
    assert.throws(() => createMarkingClient({ url: 'https://x.kz/', caFile: join(dir, 'missing.pem') }), /caFile/);
    assert.equal(isLoopbackHost('127.0.0.1'), true);
    assert.equal(isLoopbackHost('[::1]'), true);
    assert.equal(isLoopbackHost('128.0.0.1'), false);
    assert.equal(isLoopbackHost('localhost.evil.com'), false);
  });

  test('Retry-After in seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('3'), 3000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now), 10_000);
    assert.equal(parseRetryAfter('soon'), null);
    assert.equal(parseRetryAfter(undefined), null);
  });

  test('connection refused: unavailable, transient', async () => {
    // A port that was free a moment ago and is closed now.
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    const c = createMarkingClient({ url: `http://127.0.0.1:${port}`, token: TOKEN });
    const f = expectFailure(await c.check(['x']));
    assert.equal(f.kind, 'unavailable');
    assert.equal(f.transient, true);
    assert.match(f.reason, /ECONNREFUSED/);
    c.close();
  });

  const openssl = spawnSync('openssl', ['version']).status === 0;
  test('TLS: trusted with the configured CA file, refused (permanent) without it', { skip: openssl ? false : 'openssl CLI not found: cannot make a test CA' }, async () => {
    const p = (n: string): string => join(dir, n);
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    execFileSync('openssl', ['req', '-x509', ...ec, '-keyout', p('ca.key'), '-out', p('ca.pem'), '-days', '2', '-subj', '/CN=Tanba Test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], { stdio: 'ignore' });
    execFileSync('openssl', ['req', ...ec, '-keyout', p('srv.key'), '-out', p('srv.csr'), '-subj', '/CN=localhost'], { stdio: 'ignore' });
    writeFileSync(p('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
    execFileSync('openssl', ['x509', '-req', '-in', p('srv.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial',
      '-out', p('srv.pem'), '-days', '2', '-extfile', p('ext.cnf')], { stdio: 'ignore' });
    const { readFileSync } = await import('node:fs');
    const emu = new RegistryEmulator({ dataset: generateDataset({ seed: 2, codes: 200 }), token: TOKEN, tls: { key: readFileSync(p('srv.key')), cert: readFileSync(p('srv.pem')) } });
    const url = await emu.start();
    assert.match(url, /^https:\/\/127\.0\.0\.1:\d+$/);
    try {
      const code = emu.dataset.sample('sellable', 1)[0]!.code;
      const trusted = createMarkingClient({ url, token: TOKEN, caFile: p('ca.pem') });
      const o = await trusted.check([code]);
      assert.equal(o.kind, 'answered', JSON.stringify(o));
      const feed = await trusted.openFeed({ kind: 'snapshot' });
      assert.equal(feed.kind, 'stream');
      if (feed.kind === 'stream') feed.body.destroy();
      trusted.close();
      const untrusted = createMarkingClient({ url, token: TOKEN });
      const f = expectFailure(await untrusted.check([code]));
      assert.equal(f.kind, 'error');
      assert.equal(f.transient, false, 'a certificate that does not verify is a setup problem, not a blip');
      assert.match(f.reason, /TLS/);
      untrusted.close();
      // The CA file must hold a certificate.
      assert.throws(() => createMarkingClient({ url, caFile: p('ext.cnf') }), /no PEM certificate/);
    } finally {
      await emu.close();
    }
  });
});

describe('dataset', () => {
  test('deterministic for a seed; valid GTINs, KZ serials from CSET 82, group layouts; mixed statuses and blocks', () => {
    const a = generateDataset({ seed: 5, codes: 2000, today: '2026-03-01', epoch: 'e1' });
    const b = generateDataset({ seed: 5, codes: 2000, today: '2026-03-01', epoch: 'e1' });
    const c = generateDataset({ seed: 6, codes: 2000, today: '2026-03-01', epoch: 'e1' });
    const la = [...a.snapshotLines()], lb = [...b.snapshotLines()], lc = [...c.snapshotLines()];
    assert.deepEqual(la, lb);
    assert.notDeepEqual(la, lc);
    const cset = new Set('!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz');
    const statuses = new Map<string, number>();
    const groups = new Set<string>();
    let expired = 0;
    for (const code of a.codes.values()) {
      const gtin = code.gtin;
      assert.match(gtin, /^0487\d{10}$/);
      let sum = 0;
      for (let i = 0; i < 13; i++) sum += Number(gtin[i]) * (i % 2 === 0 ? 3 : 1);
      assert.equal((10 - (sum % 10)) % 10, Number(gtin[13]), `check digit of ${gtin}`);
      const serial = code.cis.slice(18);
      assert.equal(serial[0], '3', 'issued in Kazakhstan');
      assert.equal(serial.length, code.group === 'tobacco' ? 7 : 13);
      for (const ch of serial) assert.ok(cset.has(ch), `serial character ${ch}`);
      assert.ok(code.code.startsWith(`${code.cis}\u001d`));
      const shown = code.code.replaceAll('\u001d', '<GS>');
      if (code.group === 'tobacco') assert.match(shown, /<GS>8005\d{6}<GS>93.{4}$/);
      if (code.group === 'shoes') assert.match(shown, /<GS>91.{4}<GS>92.{44}$/);
      statuses.set(code.status, (statuses.get(code.status) ?? 0) + 1);
      groups.add(code.group);
      if (code.expires !== null && code.expires < '2026-03-01') expired++;
    }
    assert.equal(statuses.size, 4, 'all four statuses occur');
    assert.equal(groups.size, 8, 'every emulated group occurs');
    assert.ok(expired > 0, 'some codes are expired');
    const kinds = new Set([...a.blocks.values()].map((bl) => bl.kind));
    assert.deepEqual([...kinds].sort(), ['batch', 'code', 'gtin']);
    assert.ok([...a.products.values()].some((p) => p.ai), 'some products are AI-made');
    assert.ok(a.sample('above_mrp', 1, { today: '2026-03-01' }).length === 1);
    assert.ok(a.sample('expired', 1, { today: '2026-03-01' }).length === 1);
    // Unknown codes are valid but not in the dataset, and asking for them changes nothing.
    const unknown = a.sample('unknown', 20);
    for (const u of unknown) assert.equal(a.codes.has(u.cis), false);
    assert.deepEqual([...a.snapshotLines()], lb);
  });

  test('deltas: changes after a cursor, 410 for a foreign or forgotten cursor', () => {
    const d = generateDataset({ seed: 9, codes: 500, epoch: 'ep' });
    const c0 = d.cursor();
    assert.equal(c0, 'ep.0');
    d.mutate(30);
    const lines = d.deltaLines(c0);
    assert.ok(lines);
    assert.equal(lines.length, 32, 'header + 30 changes + cursor');
    assert.deepEqual(JSON.parse(lines[0]!), { type: 'delta', from: 'ep.0' });
    assert.deepEqual(JSON.parse(lines[31]!), { type: 'cursor', cursor: 'ep.30' });
    assert.equal(d.deltaLines('ep.30')?.length, 2, 'an empty delta still closes with the cursor');
    assert.equal(d.deltaLines('other.0'), null);
    assert.equal(d.deltaLines('ep.31'), null, 'a cursor from the future');
    d.compact();
    assert.equal(d.deltaLines(c0), null);
    assert.equal(d.deltaLines('ep.30')?.length, 2);
  });
});
