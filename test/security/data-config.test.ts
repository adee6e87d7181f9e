// PUT /api/config over real HTTP: strict schema (unknown keys refused, named), size and nesting
// limits, a wrong content type answered clearly; nothing refused reaches config.json. Secrets in
// the configuration (URL credentials, token / password / apiKey keys at any depth) are masked by
// the one masker in /api/config, /api/diagnostics and `tanba config show`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from '../server-harness.ts';

let h: Harness;
type ErrorBody = { error: { code: string; message: string } };
const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
const configFile = (): string => join(h.dir, 'config.json');
const onDisk = (): string => (existsSync(configFile()) ? readFileSync(configFile(), 'utf8') : '');

before(async () => { h = await startHarness('sec-config'); });
after(async () => { await h.stop(); });

test('unknown keys are refused and named; nothing is written', async () => {
  const before = onDisk();
  const r = await h.call<ErrorBody>('PUT', '/api/config', h.tokens.technician, { store: { name: 'X', colour: 'red' }, junk: { a: 1 } });
  assert.equal(r.status, 400, r.text);
  assert.match(r.body.error.message, /unknown configuration keys: store\.colour, junk/);
  assert.equal(onDisk(), before);
});

test('deep nesting and a body above 64 KiB are refused; config.json stays small', async () => {
  let deep: Record<string, unknown> = { x: 1 };
  for (let i = 0; i < 40; i++) deep = { a: deep };
  const d = await h.call<ErrorBody>('PUT', '/api/config', h.tokens.technician, { store: deep });
  assert.equal(d.status, 400, d.text);
  assert.match(d.body.error.message, /nested deeper than 8/);
  const big = await h.call<ErrorBody>('PUT', '/api/config', h.tokens.technician, { store: { name: 'x'.repeat(70_000) } });
  assert.equal(big.status, 400, big.text);
  assert.match(big.body.error.message, /bytes; at most 65536/);
  // The probe: 54 KB of unknown nested keys used to become a 72 MB config.json.
  const junk: Record<string, unknown> = {};
  for (let i = 0; i < 2000; i++) junk[`k${i}`] = { v: i };
  const j = await h.call<ErrorBody>('PUT', '/api/config', h.tokens.technician, { marking: junk });
  assert.equal(j.status, 400);
  assert.match(j.body.error.message, /unknown configuration keys: marking\.k0, .* and 1995 more/);
  assert.ok(onDisk().length < 4096, `config.json is ${onDisk().length} bytes`);
});

test('a wrong content type gets a clear 400/415, never an internal message', async () => {
  for (const [type, body] of [['text/plain', '{"store":{"name":"T"}}'], ['application/x-www-form-urlencoded', 'store=1'], ['application/xml', '<a/>']] as const) {
    const r = await h.call<ErrorBody>('PUT', '/api/config', h.tokens.technician, body, { 'content-type': type });
    assert.ok(r.status === 400 || r.status === 415, `${type}: ${r.status} ${r.text}`);
    assert.doesNotMatch(r.text, /circular|Socket|constructor/i);
    assert.match(r.body.error.message, /application\/json/);
  }
});

test('a valid change is written atomically, 0600, and read back', async () => {
  const r = await h.call('PUT', '/api/config', h.tokens.technician, { store: { name: 'Дүкен №2' } });
  assert.equal(r.status, 200, r.text);
  assert.equal((JSON.parse(onDisk()) as { store: { name: string } }).store.name, 'Дүкен №2');
  assert.equal(statSync(configFile()).mode & 0o777, 0o600);
});

test('credentials in the configuration are masked in /api/config, /api/diagnostics and tanba config show', async () => {
  const url = 'https://bob:s3cr3t-pw@registry.example/api?apikey=K3Y-SECRET&region=kz';
  const put = await h.call('PUT', '/api/config', h.tokens.technician, { registry: { marking: { url, token: 'T0KEN-SECRET' } } });
  assert.equal(put.status, 200, put.text);
  const secrets = /s3cr3t-pw|K3Y-SECRET|T0KEN-SECRET/;
  const cfg = await h.call('GET', '/api/config', h.tokens.technician);
  assert.equal(cfg.status, 200);
  assert.doesNotMatch(cfg.text, secrets);
  assert.match(cfg.text, /bob:\*\*\*@registry\.example/);
  assert.match(cfg.text, /region=kz/);
  const diag = await h.call('GET', '/api/diagnostics', h.tokens.technician);
  assert.equal(diag.status, 200);
  assert.doesNotMatch(diag.text, secrets);
  const cli = spawnSync(process.execPath, [bin, '--data-dir', h.dir, 'config', 'show', '--json'], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
  assert.equal(cli.status, 0, cli.stderr);
  assert.doesNotMatch(cli.stdout, secrets);
  assert.match(cli.stdout, /apikey=\*\*\*/);
  // Restore training mode's empty marking section for the other tests of this file.
  assert.match(onDisk(), /K3Y-SECRET/, 'the file itself keeps the real value');
});
