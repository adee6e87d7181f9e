/**
 * The online check through each marking system's emulator on loopback (xTrace, True API, the
 * local module, the Tanba feed), each as a ratio against a bare HTTP request of the same size
 * (same request and answer bytes, a plain node:http server, the same undici client) measured in
 * the same run. Then the scan-to-verdict time at the till (online check + checkout) with one of
 * three True API hosts hanging: its p99 must stay inside the 1.5 s budget.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { importFeed } from '../src/cache/index.ts';
import { configSchema } from '../src/config.ts';
import { createRegister } from '../src/register/index.ts';
import { createMarkingChain, createProvider, type CodeQuery, type ProviderConfig } from '../src/registry/marking/index.ts';
import { onlineCheck } from '../src/scan/online.ts';
import { openDatabase } from '../src/store/index.ts';
import {
  crptRecord, generateDataset, LocalModuleEmulator, LOCAL_MODULE_EMULATOR_LOGIN, offlineRecord, RegistryEmulator, TrueApiEmulator, TRUE_API_EMULATOR_KEY, writeFeedFile,
  XtraceEmulator, xtraceRecord, XTRACE_EMULATOR_LOGIN, type RegistryDataset,
} from '../emulators/index.ts';
import { percentile, report, type Bench } from './lib.ts';

/** A server that answers every request with `size` bytes after reading the body. */
async function bareServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const size = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('size') ?? '0');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(size) });
      res.end('x'.repeat(size));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

async function timeLoop(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < Math.min(50, n); i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push((performance.now() - t0) * 1000);
  }
  return out;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Request and answer bytes of one check of `q` by each provider (as the emulators build them). */
function wireSizes(ds: RegistryDataset, q: CodeQuery): Record<string, [number, number]> {
  const c = ds.codes.get(q.cis)!;
  const env = (codes: unknown[]) => ({ code: 0, description: 'ok', codes, reqId: randomUUID(), reqTimestamp: Date.now() });
  return {
    xtrace: [JSON.stringify({ codes: [q.cis] }).length, JSON.stringify([xtraceRecord(ds, c, q.cis)]).length],
    'true-api': [JSON.stringify({ codes: [q.code] }).length, JSON.stringify(env([crptRecord(ds, c)])).length],
    'local-module': [0, JSON.stringify({ ...env([offlineRecord(ds, c, q.code)]), inst: 'tanba-emulator-inst', version: '1.6.0-emulator' }).length],
    'tanba-feed': [JSON.stringify({ codes: [q.code] }).length, JSON.stringify({ requestId: randomUUID(), checkedAt: new Date().toISOString(), results: [ds.checkOne(q.code)] }).length],
  };
}

async function perProvider(ds: RegistryDataset, n: number): Promise<void> {
  const xtrace = new XtraceEmulator({ dataset: ds });
  const trueApi = new TrueApiEmulator({ dataset: ds, hosts: 1 });
  const lm = new LocalModuleEmulator({ dataset: ds });
  const feed = new RegistryEmulator({ dataset: ds, token: 'bench' });
  const bare = await bareServer();
  await Promise.all([xtrace.start(), trueApi.start(), lm.start(), feed.start()]);
  const agent = new Agent({ keepAliveTimeout: 30_000 });
  const entries: ProviderConfig[] = [
    { kind: 'xtrace', url: xtrace.url, login: XTRACE_EMULATOR_LOGIN.login, password: XTRACE_EMULATOR_LOGIN.password },
    { kind: 'true-api', discoveryUrl: trueApi.url, apiKey: TRUE_API_EMULATOR_KEY },
    { kind: 'local-module', url: lm.url, user: LOCAL_MODULE_EMULATOR_LOGIN.user, password: LOCAL_MODULE_EMULATOR_LOGIN.password },
    { kind: 'tanba-feed', url: feed.url, token: 'bench' },
  ];
  const s = ds.sample('sellable', 1)[0]!;
  const q: CodeQuery = { code: s.code, cis: s.cis };
  const sizes = wireSizes(ds, q);
  try {
    for (const [i, entry] of entries.entries()) {
      const chain = createMarkingChain([createProvider(entry, i)]);
      const [reqBytes, resBytes] = sizes[entry.kind]!;
      const body = 'x'.repeat(reqBytes);
      const bareUs = await timeLoop(n, async () => {
        const r = await request(`${bare.url}/?size=${resBytes}`, { method: reqBytes > 0 ? 'POST' : 'GET', dispatcher: agent, ...(reqBytes > 0 ? { body } : {}) });
        await r.body.text();
      });
      const checkUs = await timeLoop(n, async () => {
        const r = await chain.check([q]);
        if (r.answer === null) throw new Error(`${entry.kind} did not answer: ${JSON.stringify(r.attempts)}`);
      });
      report(`bare HTTP (${entry.kind} size)`, { reqB: reqBytes, resB: resBytes, 'mean_us': mean(bareUs), 'p99_us': percentile(bareUs, 99), ratio: 1 });
      report(`online check ${entry.kind}`, { 'mean_us': mean(checkUs), 'p99_us': percentile(checkUs, 99), ratio: mean(checkUs) / mean(bareUs) });
      await chain.close();
    }
  } finally {
    await agent.close();
    await Promise.all([xtrace.close(), trueApi.close(), lm.close(), feed.close(), bare.close()]);
  }
}

/** Scan to verdict at the till (online check + checkout) with the fastest of three True API hosts hanging. */
async function hangingHost(ds: RegistryDataset, n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-online-'));
  const emu = new TrueApiEmulator({ dataset: ds, hosts: 3, hostFaults: { 0: { hang: true } } });
  await emu.start();
  const db = openDatabase(join(dir, 'tanba.db'));
  try {
    const feedFile = join(dir, 'feed.ndjson');
    writeFeedFile(feedFile, ds);
    await importFeed(db, feedFile, { full: true });
    const config = configSchema.parse({
      registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 1, token: 1 }, marking: [{ kind: 'true-api', discoveryUrl: emu.url, apiKey: TRUE_API_EMULATOR_KEY }] },
    });
    const reg = createRegister({ config, db, dataDir: dir });
    const budgetMs = reg.markingChain!.budgetMs;
    reg.checkout.openShift('bench');
    const codes = ds.sample('sellable', n);
    const ms: number[] = [];
    let online = 0;
    for (const c of codes) {
      const t0 = performance.now();
      const asked = await onlineCheck(reg.markingChain, c.code, { parseOptions: reg.parseOptions });
      const r = reg.checkout.scan(c.code, { online: asked.online });
      ms.push(performance.now() - t0);
      if (r.ok && r.lines[0]?.verdict.source === 'online') online++;
    }
    const p99 = percentile(ms, 99);
    report('scan-to-verdict, 1 of 3 hung', {
      scans: codes.length, online, 'p50_ms': percentile(ms, 50), 'p99_ms': p99, 'max_ms': Math.max(...ms), budget_ms: budgetMs,
      'p99/budget': p99 / budgetMs, inside: p99 <= budgetMs ? 'yes' : 'NO',
    });
    await reg.stop();
  } finally {
    db.close();
    await emu.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = async ({ quick }) => {
  const ds = generateDataset({ seed: 1, codes: quick ? 2_000 : 20_000 });
  await perProvider(ds, quick ? 100 : 2_000);
  await hangingHost(ds, quick ? 50 : 500);
};

export default bench;
