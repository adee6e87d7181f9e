/**
 * Contract of the local-module provider (ЛМ ЧЗ) against its emulator over real HTTP: the status
 * is polled and the module asked only while `ready`; its offline answers (found / verified /
 * realizable false) never refuse, while isBlocked and sold do; sync_error and the 72 h lock reach
 * the health the manager sees; Basic auth refused.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { answerContext, createCodeChecker } from '../src/cache/index.ts';
import { parseCode } from '../src/marking/index.ts';
import { createLocalModuleProvider, type ProviderOutcome } from '../src/registry/marking/index.ts';
import { openDatabase, type Db } from '../src/store/index.ts';
import { onlineFactsOf } from '../src/scan/online.ts';
import { createMarkingChain } from '../src/registry/marking/index.ts';
import { generateDataset, LocalModuleEmulator, LOCAL_MODULE_EMULATOR_LOGIN } from '../emulators/index.ts';
import { testClock } from './helpers/marking.ts';

const dataset = generateDataset({ seed: 17, codes: 2000 });
const { user, password } = LOCAL_MODULE_EMULATOR_LOGIN;
let emu: LocalModuleEmulator;
let db: Db;
const dir = mkdtempSync(join(tmpdir(), 'tanba-lm-'));
const signal = (): AbortSignal => AbortSignal.timeout(5_000);

before(async () => {
  emu = new LocalModuleEmulator({ dataset });
  await emu.start();
  db = openDatabase(join(dir, 'tanba.db'));
});
after(async () => {
  await emu.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const one = (kind: Parameters<typeof dataset.sample>[0]): { code: string; cis: string } => {
  const s = dataset.sample(kind, 1)[0]!;
  return { code: s.code, cis: s.cis };
};

describe('local-module provider', () => {
  test('asked only while ready: initialization and sync_error are not used, and the manager sees them', async () => {
    const p = createLocalModuleProvider({ url: emu.url, user, password, pollMs: 60_000 });
    try {
      emu.status = 'initialization';
      await p.pollStatus();
      const o = await p.check([one('sellable')], { signal: signal() });
      assert.equal(o.kind === 'failed' && o.reason, 'not_ready');
      assert.equal(emu.counters.outChecks, 0);
      assert.equal(p.health().state, 'initialization');
      emu.status = 'sync_error';
      await p.pollStatus();
      assert.equal(p.health().state, 'sync_error');
      assert.match(p.health().detail, /init again/);
      assert.equal((await p.check([one('sellable')], { signal: signal() })).kind, 'failed');
      emu.status = 'ready';
      await p.pollStatus();
      const ok = await p.check([one('sellable')], { signal: signal() });
      assert.equal(ok.kind, 'answered');
      assert.equal(ok.kind === 'answered' && ok.offline, true);
      assert.equal(p.health().state, 'ok');
    } finally {
      emu.status = 'ready';
      await p.close();
    }
  });

  test('locked after 72 h without a sync: not asked, surfaced as locked', async () => {
    const clock = testClock();
    const p = createLocalModuleProvider({ url: emu.url, user, password, clock });
    try {
      emu.lastSync = clock.now().getTime() - 73 * 3_600_000;
      await p.pollStatus();
      assert.equal(p.health().state, 'locked');
      const o = await p.check([one('sellable')], { signal: signal() });
      assert.equal(o.kind === 'failed' && o.reason, 'not_ready');
      assert.match(o.kind === 'failed' ? o.message : '', /72 h/);
    } finally {
      emu.lastSync = Date.now();
      await p.close();
    }
  });

  test('offline answers never refuse on their false flags; blocked and sold do; the verdict says the local module decided', async () => {
    const p = createLocalModuleProvider({ url: emu.url, user, password });
    // Tanba's own cache was never loaded: without the module nothing could be sold.
    const checker = createCodeChecker(db, { feedConfigured: false });
    const codes = { sellable: one('sellable'), unknown: one('unknown'), blocked: one('blocked'), sold: one('sold') };
    try {
      const chain = createMarkingChain([p]);
      const result = await chain.check(Object.values(codes));
      const online = onlineFactsOf(result);
      assert.ok(online !== null && online.offline === true);
      const verdict = (c: { code: string; cis: string }) => checker.check(parseCode(c.code), { operation: 'sale', price: null, inBasket: false, ...answerContext(online, c.cis) });
      for (const c of [codes.sellable, codes.unknown]) {
        const r = verdict(c);
        assert.equal(r.verdict.reason, 'OK_OFFLINE', `${c.cis}: ${r.verdict.message}`);
        assert.equal(r.verdict.offline, true);
        assert.equal(r.verdict.decidedBy, 'local-module');
        assert.equal(r.provider, 'local-module');
        assert.ok(r.requestId);
      }
      assert.equal(verdict(codes.blocked).verdict.reason, 'BLOCKED');
      assert.equal(verdict(codes.sold).verdict.reason, 'WITHDRAWN');
      // Without the module's answer the same code is not checked at all.
      assert.equal(checker.check(parseCode(codes.sellable.code), { operation: 'sale', price: null, inBasket: false }).verdict.reason, 'CACHE_NOT_READY');
      assert.ok(emu.counters.outChecks > 0);
    } finally {
      await p.close();
    }
  });

  test('one code by GET v1, several by POST v2; a wrong password is an auth failure', async () => {
    const p = createLocalModuleProvider({ url: emu.url, user, password });
    const bad = createLocalModuleProvider({ url: emu.url, user, password: 'nope-secret' });
    try {
      const before = emu.counters.outChecks;
      const o: ProviderOutcome = await p.check([one('blocked'), one('sellable')], { signal: signal() });
      assert.equal(o.kind, 'answered');
      assert.equal(emu.counters.outChecks - before, 1);
      const b = await bad.check([one('sellable')], { signal: signal() });
      assert.equal(b.kind === 'failed' && b.reason, 'auth');
      const t = await bad.test();
      assert.equal(t.ok, false);
      assert.doesNotMatch(JSON.stringify(t), /nope-secret/);
      assert.equal((await p.test({ probeCode: one('sellable').code })).ok, true);
    } finally {
      await Promise.all([p.close(), bad.close()]);
    }
  });
});
