/**
 * The marking systems through the `tanba` command: `emulate xtrace | true-api | local-module` as
 * real child processes (first lines, the same seeded dataset as in-process), `check --online
 * [--json]` (the chain, then the cache; "online" in the JSON; without --online nothing changes),
 * `registry test` (a line per provider, exit 1 on a failure, never a secret), and `config show`
 * masking the providers' secrets.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PassThrough, Readable } from 'node:stream';
import { checkCommand } from '../src/cli/check.ts';
import { configShowCommand } from '../src/cli/config.ts';
import { registryTestCommand } from '../src/cli/registry-test.ts';
import { serveCommand } from '../src/cli/serve.ts';
import type { CliContext, Command } from '../src/cli/types.ts';
import { loadConfig } from '../src/config.ts';
import { generateDataset } from '../emulators/index.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'tanba-marking-cli-'));
const children: ChildProcess[] = [];
// The same seed and size as the child emulators: the same codes.
const dataset = generateDataset({ seed: 5, codes: 300 });
const urls: Record<'xtrace' | 'trueApi' | 'lm', string> = { xtrace: '', trueApi: '', lm: '' };
let hostLines: string[] = [];

/** Starts `tanba emulate …`; resolves with its first `lines` stdout lines. */
function emulate(args: string[], lines: number): Promise<string[]> {
  const child = spawn(process.execPath, [bin, 'emulate', ...args, '--seed', '5', '--codes', '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve, reject) => {
    const got: string[] = [];
    createInterface({ input: child.stdout! }).on('line', (l) => {
      got.push(l);
      if (got.length === lines) resolve(got);
    });
    child.once('exit', (code) => reject(new Error(`tanba emulate ${args[0]} exited ${code}: ${err}`)));
  });
}

async function run(cmd: Command, dataDir: string, flags: Record<string, string | boolean>, positionals: string[] = []): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const ctx: CliContext = {
    stdin: Readable.from(['']), stdout, stderr: new PassThrough(), dataDir, env: {},
    config: () => loadConfig(dataDir, {}), logger: () => { throw new Error('no logger'); },
  };
  return { code: await cmd.run(ctx, { flags, positionals }), out };
}

/** A data directory whose config lists these marking systems (not training: an OFD that does not answer). */
function dataDir(name: string, marking: unknown[]): string {
  const d = join(dir, name);
  mkdirSync(d, { recursive: true });
  writeFileSync(join(d, 'config.json'), JSON.stringify({ registry: { ofd: { host: '127.0.0.1', port: 1, deviceId: 1, token: 1 }, marking } }));
  return d;
}

const xtrace = (password = 'tanba-emulator') => ({ kind: 'xtrace', url: urls.xtrace, login: 'tanba', password });
const trueApi = (apiKey = 'tanba-emulator-key') => ({ kind: 'true-api', discoveryUrl: urls.trueApi, apiKey, fiscalDriveNumber: '9999078900012345' });
const lm = (password = 'tanba-emulator') => ({ kind: 'local-module', url: urls.lm, user: 'admin', password });

before(async () => {
  const [x, t, l] = await Promise.all([
    emulate(['xtrace', '--dump-codes', '1'], 2),
    emulate(['true-api', '--hosts', '3', '--hang-host', '1'], 4),
    emulate(['local-module'], 1),
  ]);
  urls.xtrace = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(x[0]!)?.[1] ?? '';
  urls.trueApi = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(t[0]!)?.[1] ?? '';
  urls.lm = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(l[0]!)?.[1] ?? '';
  hostLines = t.slice(1);
  // The dumped code is the in-process dataset's first sellable code: one seeded dataset.
  assert.equal((JSON.parse(x[1]!) as { code: string }).code, dataset.sample('sellable', 1)[0]!.code);
});
after(() => {
  for (const c of children) c.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('marking systems through the CLI', () => {
  test('each emulator prints its URL first; True API one line per check host', () => {
    assert.ok(urls.xtrace && urls.trueApi && urls.lm, JSON.stringify(urls));
    assert.equal(hostLines.length, 3);
    hostLines.forEach((l, i) => assert.match(l, new RegExp(`^host ${i + 1}: http://127\\.0\\.0\\.1:\\d+$`)));
  });

  test('check --online --json adds "online" and who decided; without --online the output is as before', async () => {
    const d = dataDir('online', [xtrace(), trueApi()]);
    const code = dataset.sample('sellable', 1, { offset: 2 })[0]!.code;
    const r = await run(checkCommand, d, { online: true, json: true }, [code]);
    assert.equal(r.code, 0);
    const j = JSON.parse(r.out) as { verdict: { reason: string; source: string; decidedBy: string }; online: { provider: string; answered: boolean; requestId: string; ms: number } };
    assert.equal(j.online.provider, 'xtrace');
    assert.equal(j.online.answered, true);
    assert.match(j.online.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(typeof j.online.ms, 'number');
    assert.deepEqual([j.verdict.reason, j.verdict.source, j.verdict.decidedBy], ['OK', 'online', 'xtrace']);
    const plain = JSON.parse((await run(checkCommand, d, { json: true }, [code])).out) as Record<string, unknown> & { verdict: Record<string, unknown> };
    assert.equal('online' in plain, false);
    assert.equal('decidedBy' in plain.verdict, false);
    assert.equal(plain.verdict.reason, 'CACHE_NOT_READY');
  });

  test('check --online: a refused login falls through to True API past its hanging host; nothing answering says why', async () => {
    const code = dataset.sample('blocked', 1)[0]!.code;
    const through = JSON.parse((await run(checkCommand, dataDir('fallthrough', [xtrace('wrong'), trueApi()]), { online: true, json: true }, [code])).out) as {
      verdict: { reason: string; decidedBy: string }; online: { provider: string; answered: boolean };
    };
    assert.deepEqual([through.online.provider, through.online.answered, through.verdict.reason, through.verdict.decidedBy], ['true-api', true, 'BLOCKED', 'true-api']);
    const none = JSON.parse((await run(checkCommand, dataDir('none', [xtrace('wrong')]), { online: true, json: true }, [code])).out) as {
      verdict: { source: string; decidedBy: string }; online: { provider: string; answered: boolean; reason: string };
    };
    assert.deepEqual(none.online.answered, false);
    assert.equal(none.online.reason, 'auth');
    assert.equal(none.online.provider, 'xtrace');
    assert.equal(none.verdict.decidedBy, 'none');
    const text = await run(checkCommand, dataDir('text', [xtrace()]), { online: true }, [code]);
    assert.match(text.out, /\[online: xtrace answered in \d+ ms/);
  });

  test('registry test: a line per provider, the True API hosts ranked, exit 1 when one fails, no secrets', async () => {
    const good = await run(registryTestCommand, dataDir('rt-good', [xtrace(), trueApi(), lm()]), {});
    assert.equal(good.code, 0, good.out);
    assert.match(good.out, /^OK +xtrace +http:\/\/127/m);
    assert.match(good.out, /^OK +true-api +http:\/\/127/m);
    assert.match(good.out, /^OK +local-module +http:\/\/127/m);
    assert.match(good.out, /host 1: .*usable, avgTimeMs 75/);
    const bad = await run(registryTestCommand, dataDir('rt-bad', [xtrace(), lm('secret-wrong-pw')]), { json: true });
    assert.equal(bad.code, 1);
    const j = JSON.parse(bad.out) as { ok: boolean; providers: { provider: string; ok: boolean; detail: string }[] };
    assert.equal(j.ok, false);
    assert.deepEqual(j.providers.map((p) => [p.provider, p.ok]), [['xtrace', true], ['local-module', false]]);
    assert.match(j.providers[1]!.detail, /401/);
    assert.doesNotMatch(bad.out, /secret-wrong-pw|tanba-emulator/);
    const none = await run(registryTestCommand, dataDir('rt-none', []), {});
    assert.equal(none.code, 1);
  });

  test('serve --lm-port without localModule credentials is refused, naming them', async () => {
    await assert.rejects(run(serveCommand, dataDir('lm-no-creds', []), { 'lm-port': '0', port: '0' }), /localModule\.user and localModule\.password/);
  });

  test('config show masks every provider secret', async () => {
    const d = dataDir('show', [xtrace('pw-one'), trueApi('key-two'), lm('pw-three'), { kind: 'tanba-feed', url: 'https://hq.example.kz/', token: 'tok-four' }]);
    const r = await run(configShowCommand, d, { json: true });
    assert.doesNotMatch(r.out, /pw-one|key-two|pw-three|tok-four/);
    assert.match(r.out, /"apiKey":"\*\*\*"/);
  });
});
