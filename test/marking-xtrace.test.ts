/**
 * Contract of the xTrace provider (Kazakhstan's ИС МПТ) against its emulator over real HTTP(S):
 * every status mapped to the verdict the rules give, login and refresh before and after expiry,
 * the Accept header, batches, the 307 from private/codes, credentials refused, and TLS with a CA.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { decide, type CodeFacts } from '../src/rules/index.ts';
import { createXtraceProvider, XTRACE_PATHS, type MarkingProvider, type ProviderOutcome } from '../src/registry/marking/index.ts';
import { generateDataset, XtraceEmulator, xtraceStatusOf, XTRACE_EMULATOR_LOGIN, type EmulatedCode } from '../emulators/index.ts';
import { HAVE_OPENSSL, makeTestCert, testClock } from './helpers/marking.ts';

const { login, password, apiKey } = XTRACE_EMULATOR_LOGIN;
const dataset = generateDataset({ seed: 15, codes: 3000 });
const today = dataset.today;
let emu: XtraceEmulator;
const dir = mkdtempSync(join(tmpdir(), 'tanba-xtrace-'));
const signal = (): AbortSignal => AbortSignal.timeout(5_000);

function codesWhere(fn: (c: EmulatedCode) => boolean, n = 1): EmulatedCode[] {
  return [...dataset.codes.values()].filter(fn).slice(0, n);
}

async function ask(p: MarkingProvider, codes: readonly EmulatedCode[]): Promise<Extract<ProviderOutcome, { kind: 'answered' }>> {
  const o = await p.check(codes.map((c) => ({ code: c.code, cis: c.cis })), { signal: signal() });
  assert.equal(o.kind, 'answered', JSON.stringify(o));
  return o as Extract<ProviderOutcome, { kind: 'answered' }>;
}

function verdictOf(facts: CodeFacts | undefined): string {
  return decide({ operation: 'sale', codeValid: true, facts: facts ?? null, source: 'online', freshness: 'ready', today, price: null, inBasket: false, group: null }).reason;
}

before(async () => {
  emu = new XtraceEmulator({ dataset, maxCodes: 100 });
  await emu.start();
});
after(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('xtrace provider', () => {
  test('every status maps to the verdict the facts file gives; an absent code is not found; expirationDate expires', async () => {
    const clean = (c: EmulatedCode): boolean => dataset.blockedBy(c) === null && (c.expires === null || c.expires >= today);
    const byStatus = new Map<string, EmulatedCode>();
    for (const c of dataset.codes.values()) {
      if (clean(c) && !byStatus.has(xtraceStatusOf(c))) byStatus.set(xtraceStatusOf(c), c);
    }
    assert.deepEqual([...byStatus.keys()].sort(), ['APPLIED', 'INTRODUCED', 'RECEIVED', 'WITHDRAWN', 'WRITTEN_OFF']);
    const expired = codesWhere((c) => c.status === 'in_circulation' && c.expires !== null && c.expires < today)[0]!;
    const unknown = dataset.sample('unknown', 1)[0]!;
    const p = createXtraceProvider({ url: emu.url, login, password });
    try {
      const all = [...byStatus.values(), expired];
      const o = await ask(p, [...all, { ...expired, cis: unknown.cis, code: unknown.code }]);
      const expect: Record<string, string> = { INTRODUCED: 'OK', WITHDRAWN: 'WITHDRAWN', WRITTEN_OFF: 'WITHDRAWN', RECEIVED: 'NOT_INTRODUCED', APPLIED: 'NOT_INTRODUCED' };
      for (const [status, c] of byStatus) assert.equal(verdictOf(o.facts.get(c.cis)), expect[status], `${status} ${c.cis}`);
      assert.equal(o.facts.get(expired.cis)?.expires, expired.expires);
      assert.equal(verdictOf(o.facts.get(expired.cis)), 'EXPIRED');
      assert.equal(o.facts.get(unknown.cis)?.found, false);
      assert.equal(verdictOf(o.facts.get(unknown.cis)), 'NOT_FOUND');
      assert.equal(o.provider, 'xtrace');
      assert.match(o.requestId ?? '', /^[0-9a-f-]{36}$/);
      // A status this client does not know is never sold on a guess.
      const odd = codesWhere((c) => clean(c) && c.status === 'in_circulation')[0]!;
      emu.setRecord(odd.cis, { status: 'SUSPENDED' });
      assert.equal(verdictOf((await ask(p, [odd])).facts.get(odd.cis)), 'NOT_INTRODUCED');
      emu.setRecord(odd.cis, null);
      assert.equal((await ask(p, [odd])).facts.get(odd.cis)?.found, false);
    } finally {
      emu.clearRecords();
      await p.close();
    }
  });

  test('logs in once, refreshes before the 30 min expire, and after a 401 mid-run refreshes and repeats the request', async () => {
    const clock = testClock();
    const p = createXtraceProvider({ url: emu.url, login, password, clock });
    const code = codesWhere((c) => c.status === 'in_circulation')[0]!;
    const base = { ...emu.counters };
    try {
      await ask(p, [code]);
      await ask(p, [code]);
      assert.equal(emu.counters.logins - base.logins, 1);
      assert.equal(emu.counters.refreshes - base.refreshes, 0);
      clock.advance(26 * 60_000); // less than 5 min of the token's 30 left: refresh first
      await ask(p, [code]);
      assert.equal(emu.counters.refreshes - base.refreshes, 1);
      assert.equal(emu.counters.logins - base.logins, 1);
      emu.expireTokens(); // the server forgets the token early: the next call gets 401
      const unauthorized = emu.counters.unauthorized;
      const o = await ask(p, [code]);
      assert.equal(o.facts.get(code.cis)?.status, 'in_circulation');
      assert.equal(emu.counters.unauthorized - unauthorized, 1);
      assert.equal(emu.counters.refreshes - base.refreshes, 2);
      assert.equal(p.counters.retriesAfter401, 1);
    } finally {
      await p.close();
    }
  });

  test('Accept: the platform answers a narrow Accept with an empty 406; the provider always sends */*', async () => {
    const token = (await (await request(`${emu.url}${XTRACE_PATHS.authenticate}`, {
      method: 'POST', headers: { accept: '*/*', 'content-type': 'application/json' }, body: JSON.stringify({ login, password }),
    })).body.json()) as { accessToken: string };
    const narrow = await request(`${emu.url}${XTRACE_PATHS.publicCodes}`, {
      method: 'POST', headers: { accept: 'application/json', authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' }, body: '{"codes":["x"]}',
    });
    assert.equal(narrow.statusCode, 406);
    assert.equal(await narrow.body.text(), '');
    const before406 = emu.counters.notAcceptable;
    const p = createXtraceProvider({ url: emu.url, login, password });
    await ask(p, codesWhere(() => true, 3));
    assert.equal(emu.counters.notAcceptable, before406);
    await p.close();
  });

  test('batches: no more codes per request than the server takes; one over the limit is an error, not an answer', async () => {
    const small = new XtraceEmulator({ dataset, maxCodes: 2 });
    await small.start();
    try {
      const codes = codesWhere((c) => c.status === 'in_circulation', 5);
      const p = createXtraceProvider({ url: small.url, login, password, maxCodesPerRequest: 2 });
      const o = await ask(p, codes);
      assert.equal(o.facts.size, 5);
      assert.ok([...o.facts.values()].every((f) => f.found));
      assert.equal(small.counters.codeRequests, 3);
      const greedy = createXtraceProvider({ url: small.url, login, password });
      const bad = await greedy.check(codes.map((c) => ({ code: c.code, cis: c.cis })), { signal: signal() });
      assert.equal(bad.kind, 'failed');
      assert.equal(bad.kind === 'failed' && bad.reason, 'error');
      await Promise.all([p.close(), greedy.close()]);
    } finally {
      await small.close();
    }
  });

  test('the 307 from private/codes is followed to public/codes with the same body and token', async () => {
    const p = createXtraceProvider({ url: emu.url, login, password, codesPath: XTRACE_PATHS.privateCodes });
    const redirects = emu.counters.redirects;
    const code = codesWhere((c) => c.status === 'sold')[0]!;
    const o = await ask(p, [code]);
    assert.equal(o.facts.get(code.cis)?.status, 'withdrawn');
    assert.equal(emu.counters.redirects - redirects, 1);
    await p.close();
  });

  test('credentials: a wrong password is an auth failure that never shows the password; an API key needs no login', async () => {
    const p = createXtraceProvider({ url: emu.url, login, password: 'wrong-secret-123' });
    const code = codesWhere(() => true)[0]!;
    const o = await p.check([{ code: code.code, cis: code.cis }], { signal: signal() });
    assert.equal(o.kind, 'failed');
    if (o.kind === 'failed') {
      assert.equal(o.reason, 'auth');
      assert.equal(o.transient, false);
      assert.doesNotMatch(o.message, /wrong-secret-123/);
    }
    const t = await p.test({ probeCode: code.cis });
    assert.equal(t.ok, false);
    assert.match(t.detail, /auth FAILED/);
    assert.doesNotMatch(JSON.stringify(t), /wrong-secret-123/);
    await p.close();
    const logins = emu.counters.logins;
    const k = createXtraceProvider({ url: emu.url, apiKey });
    await ask(k, [code]);
    assert.equal(emu.counters.logins, logins);
    assert.equal((await k.test({ probeCode: code.cis })).ok, true);
    await k.close();
    assert.throws(() => createXtraceProvider({ url: emu.url, login }), /needs "login" and "password", or "apiKey"/);
    assert.throws(() => createXtraceProvider({ url: 'http://10.0.0.1/', apiKey }), /refusing plain http/);
  });

  test('HTTPS: trusted with the configured CA, a TLS error without it', { skip: HAVE_OPENSSL ? false : 'openssl CLI not found' }, async () => {
    const { caFile, key, cert } = makeTestCert(dir);
    const tls = new XtraceEmulator({ dataset, tls: { key, cert } });
    const url = await tls.start();
    assert.match(url, /^https:/);
    try {
      const code = codesWhere((c) => c.status === 'in_circulation')[0]!;
      const trusted = createXtraceProvider({ url, login, password, caFile });
      assert.equal((await ask(trusted, [code])).facts.get(code.cis)?.status, 'in_circulation');
      const untrusted = createXtraceProvider({ url, login, password });
      const o = await untrusted.check([{ code: code.code, cis: code.cis }], { signal: signal() });
      assert.equal(o.kind === 'failed' && o.reason, 'error');
      assert.match(o.kind === 'failed' ? o.message : '', /TLS/);
      await Promise.all([trusted.close(), untrusted.close()]);
    } finally {
      await tls.close();
    }
  });
});
