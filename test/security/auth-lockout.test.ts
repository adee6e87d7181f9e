// The login lockout over the real API: wrong PINs count against the account named, from any
// address, with growing delays; the count is in the database, so a restart keeps it; an
// administrator unlocks. Before: the lock was per source address (one user's typos locked every
// user of a shared register) and in memory, and other loopback addresses (127.0.0.2, ...) got
// fresh budgets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness, type Res } from '../server-harness.ts';
import type { AuditResponse, UsersResponse } from '../../src/server/contract/index.ts';

let h: Harness;
let offset = 0;

before(async () => {
  h = await startHarness('sec-lockout', { core: { clock: { now: () => new Date(Date.now() + offset) } } });
  for (const [name, pin] of [['aigerim', '6047'], ['berik', '7152'], ['ghost-free', '9513']] as const) {
    assert.equal((await h.call('POST', '/api/users', h.tokens.admin, { name, role: 'cashier', pin })).status, 201);
  }
});
after(async () => {
  await h?.stop();
});

const login = (name: string, pin: string, from = '127.0.0.1'): Promise<Res<{ token?: string; error?: { code: string } }>> =>
  h.callFrom(from, 'POST', '/api/login', undefined, { name, pin });

async function userId(name: string): Promise<string> {
  const r = await h.call<UsersResponse>('GET', '/api/users', h.tokens.admin);
  const id = r.body.users.find((u) => u.name === name)?.id;
  assert.ok(id);
  return id;
}

test('guesses from many loopback addresses count against the one account they name, and lock no one else', async () => {
  const statuses: number[] = [];
  // The attacker moves to a new source address for every guess.
  for (let i = 0; i < 8; i++) statuses.push((await login('aigerim', String(1000 + i), `127.0.0.${i + 2}`)).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429, 429, 429], 'a new address is no new budget');
  // The same address works for every other account: no cross-account lockout.
  for (const from of ['127.0.0.2', '127.0.0.9', '127.0.0.1']) {
    const other = await login('berik', '7152', from);
    assert.equal(other.status, 200, `berik from ${from}: ${other.text}`);
  }
  const admin = await login('admin', h.pins.admin, '127.0.0.5');
  assert.equal(admin.status, 200, 'the administrator is not locked out by guesses at a cashier');
  // And the right PIN of the locked account waits too, whatever the address.
  assert.equal((await login('aigerim', '6047', '127.0.0.1')).status, 429);
  // Four refused tries in one lock: one audit line, so a flood of tries cannot fill the log.
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=login&limit=100', h.tokens.admin);
  const refused = audit.body.entries.filter((e) => e.outcome === 'denied' && e.userName === 'aigerim' && e.details.reason === 'locked');
  assert.equal(refused.length, 1, JSON.stringify(refused));
});

test('the lock survives a restart of the core (it is in the database)', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await login('berik', String(3000 + i))).status, 401);
  assert.equal((await login('berik', '7152')).status, 429);
  await h.restart();
  assert.equal((await login('berik', '7152')).status, 429, 'still locked after the restart');
  assert.equal((await login('ghost-free', '9513')).status, 200, 'other accounts sign in after the restart');
});

test('the delays grow: 30 s after the 5th wrong PIN, 60 s after the 6th, 120 s after the 7th', async () => {
  const id = await userId('ghost-free');
  assert.equal((await h.call('POST', `/api/users/${id}/unlock`, h.tokens.admin, {})).status, 200);
  for (let i = 0; i < 4; i++) assert.equal((await login('ghost-free', String(4000 + i))).status, 401);
  const waits: (string | null)[] = [];
  for (let i = 0; i < 3; i++) {
    assert.equal((await login('ghost-free', String(5000 + i))).status, 401);
    const locked = await login('ghost-free', '9513');
    assert.equal(locked.status, 429);
    waits.push(locked.headers.get('retry-after'));
    offset += Number(locked.headers.get('retry-after')) * 1000 + 1000;
  }
  assert.deepEqual(waits, ['30', '60', '120']);
  assert.equal((await login('ghost-free', '9513')).status, 200, 'the right PIN after the wait signs in and resets the count');
  assert.equal((await login('ghost-free', '4999')).status, 401, 'the count started again');
});

test('parallel guesses at one account: at most 5 PINs are checked before the lock', async () => {
  assert.equal((await h.call('POST', '/api/users', h.tokens.admin, { name: 'parallel', role: 'cashier', pin: '8062' })).status, 201);
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login('parallel', String(8100 + i), `127.0.0.${(i % 9) + 2}`)));
  const statuses = results.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 401 || s === 429), statuses.join(','));
  assert.ok(statuses.filter((s) => s === 401).length <= 5, `checked: ${statuses.filter((s) => s === 401).length}`);
});

test('a name no user has locks the same way (the answers do not tell which names exist)', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) statuses.push((await login('nobody-here', String(6000 + i))).status);
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
});

test('the administrator unlocks an account (audited); nobody else may', async () => {
  const id = await userId('aigerim');
  // Earlier tests moved the clock past aigerim's lock: one more wrong PIN locks again (longer).
  assert.equal((await login('aigerim', '1999', '127.0.0.4')).status, 401);
  const list = await h.call<UsersResponse>('GET', '/api/users', h.tokens.admin);
  const before = list.body.users.find((u) => u.name === 'aigerim');
  assert.ok(before?.lockedUntil, 'the users list shows the lock');
  assert.ok((before?.failedPins ?? 0) >= 5);
  for (const role of ['cashier', 'manager', 'technician'] as const) {
    assert.equal((await h.call('POST', `/api/users/${id}/unlock`, h.tokens[role], {})).status, 403, role);
  }
  assert.equal((await login('aigerim', '6047')).status, 429);
  const r = await h.call<{ user: { lockedUntil: string | null; failedPins: number } }>('POST', `/api/users/${id}/unlock`, h.tokens.admin, {});
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.body.user.lockedUntil, r.body.user.failedPins], [null, 0]);
  assert.equal((await login('aigerim', '6047')).status, 200);
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=user.unlock', h.tokens.admin);
  assert.ok(audit.body.entries.some((e) => e.outcome === 'ok' && e.details.name === 'aigerim' && e.userName === 'admin'));
  const failed = await h.call<AuditResponse>('GET', '/api/audit?action=login&limit=100', h.tokens.admin);
  assert.ok(failed.body.entries.some((e) => e.outcome === 'failed' && e.userName === 'aigerim' && e.remote === '127.0.0.4'), 'each wrong PIN is audited with its address');
  assert.ok(failed.body.entries.some((e) => e.outcome === 'denied' && e.details.reason === 'locked'), 'refusals while locked are audited');
});

test('the only administrator locked out by guesses: `tanba user unlock` (whoever holds the data files) lets them back in', async () => {
  for (let i = 0; i < 5; i++) assert.equal((await login('admin', String(7100 + i), '127.0.0.7')).status, 401);
  assert.equal((await login('admin', h.pins.admin)).status, 429);
  const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
  const tanba = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
  const r = tanba(['--data-dir', h.dir, 'user', 'unlock', 'admin', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { ok: true, user: 'admin', cleared: 1 });
  const admin = await login('admin', h.pins.admin);
  assert.equal(admin.status, 200, admin.text);
  h.tokens.admin = admin.body.token as string;
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=user.unlock', h.tokens.admin);
  assert.ok(audit.body.entries.some((e) => e.userName === 'cli' && e.details.name === 'admin'));
  assert.equal(tanba(['--data-dir', h.dir, 'user', 'unlock', 'nobody']).status, 1);
  const empty = mkdtempSync(join(tmpdir(), 'tanba-sec-unlock-'));
  try {
    const missing = tanba(['--data-dir', empty, 'user', 'unlock', 'admin']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no register database/);
    assert.equal(existsSync(join(empty, 'tanba.db')), false, 'nothing was created');
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});
