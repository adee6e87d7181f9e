// The local API over real HTTP on loopback: first-run setup, login with rate limiting, roles,
// Host/Origin defences, audit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { startCore, type Core } from '../src/server/main.ts';

let dir: string;
let core: Core;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tanba-api-'));
  core = await startCore({ dataDir: dir, port: 0, env: {}, uiDir: join(dir, 'no-ui') });
});
after(async () => {
  await core.stop();
  rmSync(dir, { recursive: true, force: true });
});

interface Res { status: number; body: Record<string, unknown> }

/** A raw HTTP request so that Host and Origin can be set freely (fetch forbids Host). */
function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest({
      host: '127.0.0.1', port: core.port, method, path,
      headers: { host: `127.0.0.1:${core.port}`, ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}), ...headers },
    }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) as Record<string, unknown> : { text } }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

async function login(name: string, pin: string): Promise<string> {
  const r = await call('POST', '/api/login', { name, pin });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token as string;
}

test('first run: setup creates the administrator once, then is refused', async () => {
  const before = await call('GET', '/api/setup');
  assert.equal(before.body.configured, false);
  assert.equal(before.body.trainingMode, true);
  const bad = await call('POST', '/api/setup', { storeName: 'Дүкен', registerId: 'R1', adminPin: '12' });
  assert.equal(bad.status, 400);
  assert.match((bad.body.error as { message: string }).message, /adminPin/);
  const ok = await call('POST', '/api/setup', { storeName: 'Дүкен №1', registerId: 'KZ-R1', adminPin: '4826' });
  assert.equal(ok.status, 201);
  const again = await call('POST', '/api/setup', { storeName: 'X', registerId: 'R2', adminPin: '9157' });
  assert.equal(again.status, 409);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { store: { name: string }; register: { id: string } };
  assert.equal(config.store.name, 'Дүкен №1');
  assert.equal(config.register.id, 'KZ-R1');
});

test('each role logs in; a cashier calling a technician endpoint gets 403 and it is audited', async () => {
  const admin = await login('admin', '4826');
  for (const [name, role, pin] of [['aigerim', 'cashier', '5173'], ['marat', 'manager', '2968'], ['timur', 'technician', '3619']]) {
    const r = await call('POST', '/api/users', { name, role, pin }, { authorization: `Bearer ${admin}` });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const cashier = await login('aigerim', '5173');
  const me = await call('GET', '/api/me', undefined, { authorization: `Bearer ${cashier}` });
  assert.equal((me.body.user as { role: string }).role, 'cashier');
  const denied = await call('PUT', '/api/config', { log: { level: 'info' } }, { authorization: `Bearer ${cashier}` });
  assert.equal(denied.status, 403);
  const tech = await login('timur', '3619');
  const allowed = await call('PUT', '/api/config', { log: { level: 'info' } }, { authorization: `Bearer ${tech}` });
  assert.equal(allowed.status, 200, JSON.stringify(allowed.body));
  const invalid = await call('PUT', '/api/config', { cache: { offlineLimitHours: 500 } }, { authorization: `Bearer ${tech}` });
  assert.equal(invalid.status, 400);
  const manager = await login('marat', '2968');
  const audit = await call('GET', '/api/audit', undefined, { authorization: `Bearer ${manager}` });
  const entries = audit.body.entries as { action: string; outcome: string; userName: string }[];
  assert.ok(entries.some((e) => e.outcome === 'denied' && e.userName === 'aigerim'), 'the cashier denial is audited');
  assert.ok(entries.some((e) => e.action === 'config.update' && e.outcome === 'ok' && e.userName === 'timur'));
  assert.ok(!JSON.stringify(entries).includes('3619'), 'no PIN in the audit log');
});

test('no session: 401; logout ends the session', async () => {
  assert.equal((await call('GET', '/api/me')).status, 401);
  assert.equal((await call('GET', '/api/me', undefined, { authorization: 'Bearer nonsense' })).status, 401);
  const token = await login('marat', '2968');
  assert.equal((await call('POST', '/api/logout', undefined, { authorization: `Bearer ${token}` })).status, 200);
  assert.equal((await call('GET', '/api/me', undefined, { authorization: `Bearer ${token}` })).status, 401);
});

test('wrong PINs are rate limited', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 7; i++) statuses.push((await call('POST', '/api/login', { name: 'aigerim', pin: '0000' })).status);
  assert.deepEqual(statuses.slice(0, 5), [401, 401, 401, 401, 401]);
  assert.equal(statuses[6], 429);
  // Even the right PIN waits out the lock.
  assert.equal((await call('POST', '/api/login', { name: 'aigerim', pin: '5173' })).status, 429);
});

test('DNS rebinding (foreign Host) and cross-site requests (foreign Origin) are refused', async () => {
  const rebound = await call('GET', '/api/health', undefined, { host: 'evil.example' });
  assert.equal(rebound.status, 421);
  const csrf = await call('POST', '/api/login', { name: 'admin', pin: '4826' }, { origin: 'http://evil.example' });
  assert.equal(csrf.status, 403);
  assert.equal((csrf.body.error as { code: string }).code, 'BAD_ORIGIN');
  const own = await call('GET', '/api/health', undefined, { origin: `http://127.0.0.1:${core.port}` });
  assert.equal(own.status, 200);
  assert.equal(own.body.trainingMode, true);
});
