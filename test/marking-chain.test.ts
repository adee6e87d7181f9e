/**
 * The configured chain through the register, as the till uses it: `registry.marking` as a list
 * (and the old single object), the budget held across providers (a hanging True API host: the
 * cache decides and the verdict says so), and the provider, request id and time kept with the
 * sale line and in the fiscal payload.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importFeed } from '../src/cache/index.ts';
import { configSchema, loadConfig, markingProviders, ConfigError, type Config } from '../src/config.ts';
import { createRegister, type Register } from '../src/register/index.ts';
import { onlineCheck } from '../src/scan/online.ts';
import { parseTicketPayload } from '../src/sync/index.ts';
import { createStatusBoard } from '../src/status/index.ts';
import { getOutboxByDocument, getSaleLines, openDatabase, type Db } from '../src/store/index.ts';
import {
  generateDataset, startTraining, LocalModuleEmulator, LOCAL_MODULE_EMULATOR_LOGIN, TrueApiEmulator, TRUE_API_EMULATOR_KEY, writeFeedFile, XtraceEmulator, XTRACE_EMULATOR_LOGIN,
} from '../emulators/index.ts';

const dataset = generateDataset({ seed: 18, codes: 1500 });
const dir = mkdtempSync(join(tmpdir(), 'tanba-chain-'));
const feedFile = join(dir, 'feed.ndjson');
let xtrace: XtraceEmulator;
let trueApi: TrueApiEmulator;
let lm: LocalModuleEmulator;
let n = 0;

before(async () => {
  writeFeedFile(feedFile, dataset);
  xtrace = new XtraceEmulator({ dataset });
  trueApi = new TrueApiEmulator({ dataset, hosts: 1, hostFaults: { 0: { hang: true } } });
  lm = new LocalModuleEmulator({ dataset });
  await Promise.all([xtrace.start(), trueApi.start(), lm.start()]);
});
after(async () => {
  await Promise.all([xtrace.close(), trueApi.close(), lm.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** A register (not training: an OFD that does not answer) with the cache loaded from the same dataset. */
async function register(marking: unknown, onlineCheckMs = 1_500): Promise<{ reg: Register; db: Db; close(): Promise<void> }> {
  const dataDir = join(dir, `reg-${++n}`);
  const db = openDatabase(join(dir, `reg-${n}.db`));
  await importFeed(db, feedFile, { full: true });
  const config: Config = configSchema.parse({ registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 7, token: 1 }, marking } });
  const reg = createRegister({ config, db, dataDir, tuning: { onlineCheckMs } });
  return { reg, db, async close() { await reg.stop(); db.close(); } };
}

const sellable = (offset = 0) => dataset.sample('sellable', 1, { offset })[0]!;

describe('the marking chain at the till', () => {
  test('xtrace answers: the line keeps provider, request id and time; the fiscal payload carries them', async () => {
    const { reg, db, close } = await register([
      { kind: 'xtrace', url: xtrace.url, login: XTRACE_EMULATOR_LOGIN.login, password: XTRACE_EMULATOR_LOGIN.password },
    ]);
    try {
      const code = sellable(3);
      const { online, report } = await onlineCheck(reg.markingChain, code.code, { parseOptions: reg.parseOptions });
      assert.equal(report.answered, true);
      assert.equal(report.provider, 'xtrace');
      reg.checkout.openShift('Ann');
      const r = reg.checkout.scan(code.code, { online });
      assert.ok(r.ok, JSON.stringify(r));
      const line = r.lines[0]!;
      assert.equal(line.verdict.reason, 'OK');
      assert.equal(line.verdict.decidedBy, 'xtrace');
      const doc = reg.checkout.completeSale({ payments: [{ type: 'cash', amount: line.sum! }] });
      const [saved] = getSaleLines(db, doc.sale.id);
      assert.equal(saved?.checkSource, 'online');
      assert.equal(saved?.checkProvider, 'xtrace');
      assert.equal(saved?.requestId, report.answered ? report.requestId : null);
      assert.match(saved?.requestTime ?? '', /Z$/);
      const payload = getOutboxByDocument(db, doc.sale.id)?.payload as { items: { check: { provider: string; requestId: string; requestTime: string } }[] };
      assert.equal(payload.items[0]?.check.provider, 'xtrace');
      assert.equal(payload.items[0]?.check.requestId, saved?.requestId);
      // The sender's schema keeps them (src/sync/ticket.ts).
      assert.equal(parseTicketPayload(payload).items[0]?.check?.provider, 'xtrace');
    } finally {
      await close();
    }
  });

  test('the budget is held across providers: a hanging True API host leaves the local module no time, and the cache decides', async () => {
    const { reg, close } = await register([
      { kind: 'true-api', discoveryUrl: trueApi.url, apiKey: TRUE_API_EMULATOR_KEY },
      { kind: 'local-module', url: lm.url, user: LOCAL_MODULE_EMULATOR_LOGIN.user, password: LOCAL_MODULE_EMULATOR_LOGIN.password },
    ], 400);
    try {
      const code = sellable(4);
      const { online, report } = await onlineCheck(reg.markingChain, code.code, { parseOptions: reg.parseOptions });
      assert.equal(online, null);
      assert.deepEqual({ answered: report.answered, reason: report.answered ? null : report.reason }, { answered: false, reason: 'timeout' });
      assert.equal(trueApi.hosts[0]!.server.counters.hung, 1);
      assert.equal(lm.counters.outChecks, 0);
      reg.checkout.openShift('Ann');
      const r = reg.checkout.scan(code.code, { online });
      assert.ok(r.ok);
      assert.equal(r.lines[0]!.verdict.reason, 'OK_OFFLINE');
      assert.equal(r.lines[0]!.verdict.decidedBy, 'cache');
      assert.equal(r.lines[0]!.check.provider, null);
    } finally {
      await close();
    }
  });

  test('an offline local module decides when the online check fails fast (a refused key)', async () => {
    const { reg, close } = await register([
      { kind: 'true-api', discoveryUrl: trueApi.url, apiKey: 'wrong-key' },
      { kind: 'local-module', url: lm.url, user: LOCAL_MODULE_EMULATOR_LOGIN.user, password: LOCAL_MODULE_EMULATOR_LOGIN.password },
    ]);
    try {
      const blocked = dataset.sample('blocked', 1)[0]!;
      const { online, report } = await onlineCheck(reg.markingChain, blocked.code, { parseOptions: reg.parseOptions });
      assert.equal(report.provider, 'local-module');
      assert.equal(online?.offline, true);
      reg.checkout.openShift('Ann');
      const r = reg.checkout.scan(blocked.code, { online });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.refusal.verdict.reason, 'BLOCKED');
      assert.equal(!r.ok && r.refusal.verdict.decidedBy, 'local-module');
    } finally {
      await close();
    }
  });
});

describe('training mode', () => {
  test('the training register asks the xTrace emulator first, through the real provider', async () => {
    const dataDir = join(dir, 'training');
    const training = await startTraining(dataDir, { codes: 300, scanner: false });
    const db = openDatabase(join(dataDir, 'tanba.db'));
    const reg = createRegister({ config: configSchema.parse({}), db, dataDir, training });
    try {
      assert.deepEqual(reg.markingChain?.providers.map((p) => p.kind), ['xtrace', 'tanba-feed']);
      const code = training.control.sample('sellable', 1)[0]!;
      const { report } = await onlineCheck(reg.markingChain, code, { parseOptions: reg.parseOptions });
      assert.equal(report.answered && report.provider, 'xtrace');
      await training.control.stopRegistry();
      const down = await onlineCheck(reg.markingChain, code, { parseOptions: reg.parseOptions });
      assert.equal(down.report.answered, false);
      assert.equal(training.control.status().markingSystems?.[0]?.running, false);
    } finally {
      await reg.stop();
      db.close();
      await training.close();
    }
  });
});

describe('the manager sees the local module', () => {
  test('sync_error and the 72 h lock reach the dashboard', async () => {
    const { reg, close } = await register([
      { kind: 'local-module', url: lm.url, user: LOCAL_MODULE_EMULATOR_LOGIN.user, password: LOCAL_MODULE_EMULATOR_LOGIN.password },
    ]);
    const board = createStatusBoard({ register: reg, training: () => null, lastFeed: () => null, push: () => undefined });
    try {
      lm.status = 'sync_error';
      await onlineCheck(reg.markingChain, sellable(6).code, { parseOptions: reg.parseOptions });
      assert.deepEqual(board.dashboard().marking?.map((h) => [h.provider, h.state]), [['local-module', 'sync_error']]);
      lm.status = 'ready';
      lm.lastSync = Date.now() - 80 * 3_600_000;
      await (reg.markingChain!.providers[0] as unknown as { pollStatus(): Promise<void> }).pollStatus();
      const h = board.dashboard().marking?.[0];
      assert.equal(h?.state, 'locked');
      assert.match(h?.detail ?? '', /72 h/);
    } finally {
      lm.status = 'ready';
      lm.lastSync = Date.now();
      board.stop();
      await close();
    }
  });
});

describe('registry.marking configuration', () => {
  test('the old single object and TANBA_MARKING_URL / _TOKEN still make a tanba-feed entry', () => {
    const old = configSchema.parse({ registry: { marking: { url: 'https://hq.example.kz/', token: 't0k' } } });
    assert.deepEqual(markingProviders(old), [{ kind: 'tanba-feed', url: 'https://hq.example.kz/', token: 't0k' }]);
    const d = join(dir, 'cfg');
    const list = [{ kind: 'xtrace', url: 'https://prod.markirovka.kz', apiKey: 'k' }];
    const file = join(dir, 'cfg.json');
    writeFileSync(file, JSON.stringify({ registry: { marking: list } }));
    const env = { TANBA_CONFIG: file, TANBA_MARKING_URL: 'https://hq.example.kz/', TANBA_MARKING_TOKEN: 'env-token' };
    assert.deepEqual(markingProviders(loadConfig(d, env)).map((e) => e.kind), ['xtrace', 'tanba-feed']);
    assert.deepEqual(markingProviders(loadConfig(d, { TANBA_MARKING_URL: 'https://hq.example.kz/' })), [{ kind: 'tanba-feed', url: 'https://hq.example.kz/' }]);
  });

  test('a bad entry is refused naming what is wrong', () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ registry: { marking: [{ kind: 'xtrace', url: 'https://prod.markirovka.kz', login: 'x' }] } }));
    assert.throws(() => loadConfig(join(dir, 'bad'), { TANBA_CONFIG: file }), (e: unknown) => e instanceof ConfigError && /registry\.marking/.test(e.message) && /password|apiKey/.test(e.message));
    writeFileSync(file, JSON.stringify({ registry: { marking: [{ kind: 'true-api', discoveryUrl: 'https://cdn.crpt.ru' }] } }));
    assert.throws(() => loadConfig(join(dir, 'bad'), { TANBA_CONFIG: file }), (e: unknown) => e instanceof ConfigError && /apiKey/.test(e.message));
  });
});
