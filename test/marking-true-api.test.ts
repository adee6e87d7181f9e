/**
 * Contract of the True API provider (Russia's online check) against its emulator over real HTTP:
 * discovery and ranking by health check, failover past a blocked, a hanging and a 5xx host,
 * "retry the same host" (5000), 429, a refused key, emergency mode (203) and the answer after it
 * (204), the 6 h refresh and the 15 min block, reqId / reqTimestamp, and CRPT's refusal order.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type CodeFacts } from '../src/rules/index.ts';
import { createTrueApiProvider, type CodeQuery, type ProviderOutcome } from '../src/registry/marking/index.ts';
import { generateDataset, TrueApiEmulator, TRUE_API_EMULATOR_KEY, type EmulatedCode, type TrueApiEmulatorOptions } from '../emulators/index.ts';
import { testClock } from './helpers/marking.ts';

const dataset = generateDataset({ seed: 16, codes: 2000 });
const today = dataset.today;
const apiKey = TRUE_API_EMULATOR_KEY;
const emulators: TrueApiEmulator[] = [];

async function emulator(options: TrueApiEmulatorOptions = {}): Promise<TrueApiEmulator> {
  const emu = new TrueApiEmulator({ dataset, ...options });
  await emu.start();
  emulators.push(emu);
  return emu;
}

const sellable = (n = 1): EmulatedCode[] => dataset.sample('sellable', n).map((s) => dataset.codes.get(s.cis)!);
const q = (c: { code: string; cis: string }): CodeQuery => ({ code: c.code, cis: c.cis });
const budget = (ms = 1_500): { signal: AbortSignal; deadline: number } => ({ signal: AbortSignal.timeout(ms), deadline: performance.now() + ms });

function answered(o: ProviderOutcome): Extract<ProviderOutcome, { kind: 'answered' }> {
  assert.equal(o.kind, 'answered', JSON.stringify(o));
  return o as Extract<ProviderOutcome, { kind: 'answered' }>;
}

function reason(facts: CodeFacts | undefined, price: number | null = null): string {
  return decide({ operation: 'sale', codeValid: true, facts: facts ?? null, source: 'online', freshness: 'ready', today, price, inBasket: false, group: facts?.group ?? null }).reason;
}

after(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

describe('true-api provider', () => {
  let emu: TrueApiEmulator;
  before(async () => {
    emu = await emulator({ hosts: 3 });
  });

  test('discovery lists the hosts and ranks them by health check; the fastest answers; reqId and reqTimestamp are kept', async () => {
    const p = createTrueApiProvider({ discoveryUrl: emu.url, apiKey, fiscalDriveNumber: '9999078900012345' });
    try {
      const code = sellable()[0]!;
      const o = answered(await p.check([q(code)], budget()));
      assert.equal(reason(o.facts.get(code.cis)), 'OK');
      assert.match(o.requestId ?? '', /^[0-9a-f-]{36}$/);
      assert.match(o.requestTime ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.deepEqual(p.hostViews().map((h) => h.avgTimeMs), [50, 75, 100]);
      assert.deepEqual(emu.hosts.map((h) => h.counters.checks), [1, 0, 0]);
      assert.equal(emu.counters.discoveries, 1);
    } finally {
      await p.close();
    }
  });

  test('failover within the budget: a blocked host is skipped, a hanging and a 5xx host are tried and blocked for 15 min', async () => {
    const e = await emulator({
      hosts: 4,
      hostBehaviour: { 0: { avgTimeMs: 10, healthDown: true }, 1: { avgTimeMs: 20 }, 2: { avgTimeMs: 30 }, 3: { avgTimeMs: 40 } },
      hostFaults: { 1: { hang: true }, 2: { status5xxRate: 1 } },
    });
    const clock = testClock();
    const p = createTrueApiProvider({ discoveryUrl: e.url, apiKey, clock });
    try {
      const code = sellable()[0]!;
      const tried = (): number[] => e.hosts.map((h) => p.counters.checks.get(h.url) ?? 0);
      const o = answered(await p.check([q(code)], budget(1_500)));
      assert.equal(o.facts.get(code.cis)?.status, 'in_circulation');
      assert.deepEqual(tried(), [0, 1, 1, 1]);
      assert.equal(e.hosts[1]!.server.counters.hung, 1);
      assert.equal(e.hosts[2]!.server.counters.status5xx, 1);
      const views = p.hostViews();
      assert.equal(views[0]?.host, e.hosts[3]!.url, 'the only usable host ranks first');
      assert.ok(views.filter((v) => v.blockedUntil !== null).length === 2, JSON.stringify(views));
      // The next scan goes straight to the good host.
      answered(await p.check([q(code)], budget()));
      assert.deepEqual(tried(), [0, 1, 1, 2]);
      // 15 minutes later the blocks are over: the hanging host (now fixed) is tried again first.
      e.hosts[1]!.server.setFaults({ hang: false });
      clock.advance(15 * 60_000 + 1);
      answered(await p.check([q(code)], budget()));
      assert.equal(tried()[1], 2);
      assert.equal(e.hosts[1]!.counters.checks, 1, 'answered this time');
    } finally {
      await p.close();
    }
  });

  test('a 5xx with body code 5000 is retried on the same host; a 429 goes to the next host', async () => {
    const e = await emulator({ hosts: 2, hostBehaviour: { 0: { retrySameHost: 1 } } });
    const p = createTrueApiProvider({ discoveryUrl: e.url, apiKey });
    try {
      const code = sellable()[0]!;
      answered(await p.check([q(code)], budget()));
      assert.deepEqual(e.hosts.map((h) => h.counters.checks), [2, 0]);
      assert.equal(p.hostViews()[0]?.blockedUntil, null);
      e.hosts[0]!.server.setFaults({ status429Rate: 1 });
      answered(await p.check([q(code)], budget()));
      assert.equal(e.hosts[1]!.counters.checks, 1);
      assert.equal(e.hosts[0]!.server.counters.status429, 1);
      assert.notEqual(p.hostViews().find((h) => h.host === e.hosts[0]!.url)?.blockedUntil, null);
    } finally {
      await p.close();
    }
  });

  test('a refused key is an auth failure at discovery, quickly, and never shows the key', async () => {
    const p = createTrueApiProvider({ discoveryUrl: emu.url, apiKey: 'not-the-key-777' });
    try {
      const o = await p.check([q(sellable()[0]!)], budget());
      assert.equal(o.kind, 'failed');
      if (o.kind === 'failed') {
        assert.equal(o.reason, 'auth');
        assert.doesNotMatch(o.message, /not-the-key-777/);
      }
      const t = await p.test();
      assert.equal(t.ok, false);
      assert.match(t.detail, /discovery FAILED: auth/);
    } finally {
      await p.close();
    }
  });

  test('emergency mode (203) is its own failure; the answer right after it (envelope 204) is valid', async () => {
    const e = await emulator({ hosts: 1, hostBehaviour: { 0: { emergency: true } } });
    const p = createTrueApiProvider({ discoveryUrl: e.url, apiKey });
    try {
      const code = sellable()[0]!;
      const o = await p.check([q(code)], budget());
      assert.equal(o.kind === 'failed' && o.reason, 'emergency');
      // Emergency is not the host's fault: it is not blocked.
      assert.equal(p.hostViews()[0]?.blockedUntil, null);
      e.hosts[0]!.behaviour.emergency = false;
      e.hosts[0]!.behaviour.afterEmergency = true;
      assert.equal(answered(await p.check([q(code)], budget())).facts.get(code.cis)?.status, 'in_circulation');
    } finally {
      await p.close();
    }
  });

  test('the host list is loaded again after 6 h (in the background); one bad host never aborts loading it', async () => {
    const clock = testClock();
    const e = await emulator({ hosts: 3, hostBehaviour: { 2: { healthDown: true } } });
    const p = createTrueApiProvider({ discoveryUrl: e.url, apiKey, clock });
    try {
      const code = sellable()[0]!;
      answered(await p.check([q(code)], budget()));
      assert.equal(e.counters.discoveries, 1);
      assert.equal(p.hostViews().filter((h) => h.usable).length, 2);
      clock.advance(6 * 3_600_000);
      answered(await p.check([q(code)], budget()));
      await p.test();
      assert.ok(e.counters.discoveries >= 2, `discoveries ${e.counters.discoveries}`);
      const t = await p.test();
      assert.equal(t.ok, true, t.detail);
      assert.equal(t.hosts?.length, 3);
      assert.match(t.detail, /hosts: .*50 ms.*75 ms.*unusable/);
    } finally {
      await p.close();
    }
  });

  test('decisions follow CRPT order: the first failing flag gives the reason; price rules per group', async () => {
    const p = createTrueApiProvider({ discoveryUrl: emu.url, apiKey });
    const codes = sellable(12);
    const cases: [Record<string, unknown>, string, number | null][] = [
      [{ valid: false, found: false, isBlocked: true }, 'INVALID_CODE', null],
      [{ found: false, isBlocked: true }, 'NOT_FOUND', null],
      [{ utilised: false, verified: false, isBlocked: true }, 'NOT_INTRODUCED', null],
      [{ verified: false, isBlocked: true, sold: true }, 'NOT_GENUINE', null],
      [{ isBlocked: true, sold: true }, 'BLOCKED', null],
      [{ sold: true, realizable: false }, 'WITHDRAWN', null],
      [{ realizable: false }, 'NOT_INTRODUCED', null],
      [{ realizable: false, grayZone: true, groupIds: [3] }, 'OK', null],
      [{ groupIds: [3], mrp: 20_000, smp: 15_000 }, 'PRICE_ABOVE_MRP', 25_000],
      [{ groupIds: [3], mrp: 20_000, smp: 15_000 }, 'PRICE_BELOW_MIN', 10_000],
      [{ groupIds: [13], mrp: 8_000 }, 'PRICE_BELOW_MIN', 7_000],
      [{ expireDate: '2001-01-01T00:00:00.000Z', groupIds: [8] }, 'EXPIRED', null],
    ];
    try {
      cases.forEach(([fields], i) => emu.setRecord(codes[i]!.cis, fields));
      const o = answered(await p.check(codes.map(q), budget()));
      cases.forEach(([fields, want, price], i) => {
        assert.equal(reason(o.facts.get(codes[i]!.cis), price), want, JSON.stringify(fields));
      });
    } finally {
      await p.close();
    }
  });
});
