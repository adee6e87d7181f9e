// Override approvals over the real API: the approval names the approver (name + PIN), wrong PINs
// are limited per approver and per asking user with growing locks, and every failure is audited.
// Before: POST /api/checkout/override tried a bare PIN against every manager and admin with no
// limit (276 guesses a minute from a cashier session) and a hit named the manager.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../server-harness.ts';
import type { AuditResponse, OverrideResponse, ScanResponse } from '../../src/server/contract/index.ts';

let h: Harness;
/** The core's clock runs with the wall clock plus this offset, so a test can step past a lock. */
let offset = 0;
const users = { aigul: '6042', bolat: '7315', dana: '8504' };
const tokens: Record<string, string> = {};
let unknownUsed = 0;

before(async () => {
  h = await startHarness('sec-override', { core: { clock: { now: () => new Date(Date.now() + offset) } } });
  for (const [name, role] of [['aigul', 'manager'], ['bolat', 'manager'], ['dana', 'cashier']] as const) {
    const r = await h.call('POST', '/api/users', h.tokens.admin, { name, role, pin: users[name] });
    assert.equal(r.status, 201, r.text);
  }
  const login = await h.call<{ token: string }>('POST', '/api/login', undefined, { name: 'dana', pin: users.dana });
  assert.equal(login.status, 200, login.text);
  tokens.dana = login.body.token;
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
  // The cache decides while the registry is down: an unknown code is an overridable refusal.
  assert.equal((await h.call('POST', '/api/training/emulators', h.tokens.technician, { registry: 'stopped' })).status, 200);
});
after(async () => {
  await h?.stop();
});

/** Scans a code the registry does not know: a refusal a manager may override (codes of a blocked GTIN are skipped). */
async function refusal(): Promise<string> {
  for (let tries = 0; tries < 20; tries++) {
    const code = h.core.services.training?.sample('unknown', unknownUsed + 1)[unknownUsed];
    unknownUsed++;
    assert.ok(code);
    const r = await h.call<ScanResponse>('POST', '/api/checkout/scan', h.tokens.cashier, { code, source: 'wedge' });
    assert.equal(r.status, 200, r.text);
    if (r.body.verdict.overridable) return r.body.verdict.refusalId as string;
  }
  throw new Error('no overridable refusal among 20 unknown codes');
}

function approve(token: string, refusalId: string, managerName: string, managerPin: string) {
  return h.call<OverrideResponse & { error?: { code: string; message: string } }>('POST', '/api/checkout/override', token, { refusalId, managerName, managerPin, reason: 'checked the invoice' });
}

/** The administrator unlocks a user (their wrong PINs and failed approvals are forgotten). */
async function unlock(name: string): Promise<void> {
  const list = await h.call<{ users: { id: string; name: string }[] }>('GET', '/api/users', h.tokens.admin);
  const id = list.body.users.find((u) => u.name === name)?.id;
  assert.ok(id, name);
  assert.equal((await h.call('POST', `/api/users/${id}/unlock`, h.tokens.admin, {})).status, 200);
}

/** Each test starts with nobody locked. */
async function unlockAll(): Promise<void> {
  for (const name of ['aigul', 'bolat', 'dana', 'admin', 'manager', 'cashier']) await unlock(name);
}

test('the old request shape (a bare PIN) is refused with a 400 naming the missing field', async () => {
  const id = await refusal();
  const r = await h.call<{ error: { code: string; message: string } }>('POST', '/api/checkout/override', h.tokens.cashier, { refusalId: id, managerPin: h.pins.manager, reason: 'customer insists' });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.body.error.code, 'INVALID_REQUEST');
  assert.match(r.body.error.message, /^managerName: required/);
});

test('an approval names its approver: the right PIN under another name is refused; the line records who approved', async () => {
  await unlockAll();
  const id = await refusal();
  const wrongName = await approve(h.tokens.cashier, id, 'bolat', users.aigul);
  assert.equal(wrongName.status, 403, wrongName.text);
  assert.equal(wrongName.body.error?.code, 'BAD_PIN');
  assert.doesNotMatch(wrongName.text, /aigul/, 'a refusal names nobody');
  const ok = await approve(h.tokens.cashier, id, 'aigul', users.aigul);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.line.override?.manager, 'aigul');
  // A cashier, even with their own right PIN, is not an approver.
  const own = await approve(h.tokens.cashier, await refusal(), 'dana', users.dana);
  assert.equal(own.status, 403);
});

test('a disabled manager\'s right PIN approves nothing', async () => {
  await unlockAll();
  const list = await h.call<{ users: { id: string; name: string }[] }>('GET', '/api/users', h.tokens.admin);
  const bolat = list.body.users.find((u) => u.name === 'bolat')?.id as string;
  assert.equal((await h.call('POST', `/api/users/${bolat}/disable`, h.tokens.admin, {})).status, 200);
  const id = await refusal();
  const r = await approve(h.tokens.cashier, id, 'bolat', users.bolat);
  assert.equal(r.status, 403, r.text);
  assert.equal(r.body.error?.code, 'BAD_PIN');
  assert.equal((await h.call('POST', `/api/users/${bolat}/enable`, h.tokens.admin, {})).status, 200);
  assert.equal((await approve(h.tokens.cashier, id, 'bolat', users.bolat)).status, 200);
});

test('guessing one manager\'s PIN: 5 wrong PINs lock the approver (login too), with growing delays; every failure is audited', async () => {
  await unlockAll();
  const id = await refusal();
  const statuses: number[] = [];
  for (const pin of ['1000', '1001', '1002', '1003', '1004']) statuses.push((await approve(h.tokens.cashier, id, 'manager', pin)).status);
  assert.deepEqual(statuses, [403, 403, 403, 403, 403]);
  // Locked now: even the right PIN is not checked, from this session or any other.
  const locked = await approve(tokens.dana as string, id, 'manager', h.pins.manager);
  assert.equal(locked.status, 429, locked.text);
  assert.equal(locked.body.error?.code, 'TOO_MANY_ATTEMPTS');
  assert.equal(locked.headers.get('retry-after'), '30');
  assert.equal((await approve(tokens.dana as string, id, 'manager', h.pins.manager)).status, 429, 'refused again in the same lock');
  // One PIN, one budget: the manager's login is locked by the same count.
  const login = await h.call('POST', '/api/login', undefined, { name: 'manager', pin: h.pins.manager });
  assert.equal(login.status, 429, 'the approval guesses count against the login');
  // After the lock, one more wrong PIN locks for twice as long.
  offset += 31_000;
  assert.equal((await approve(tokens.dana as string, id, 'manager', '1005')).status, 403);
  const longer = await approve(tokens.dana as string, id, 'manager', h.pins.manager);
  assert.equal(longer.status, 429);
  assert.equal(longer.headers.get('retry-after'), '60');

  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=override&limit=50', h.tokens.admin);
  const denied = audit.body.entries.filter((e) => e.outcome === 'denied' && e.details.approver === 'manager');
  assert.equal(denied.filter((e) => e.details.reason === 'bad_pin').length, 6, 'each wrong PIN is audited with the approver named');
  assert.equal(denied.filter((e) => e.details.reason === 'locked').length, 2, 'a refused try while locked is audited once per lock (a flood cannot fill the log)');
  assert.ok(denied.some((e) => e.userName === 'dana') && denied.some((e) => e.userName === 'cashier'), 'with the asking user');
  assert.ok(!JSON.stringify(audit.body).includes('1003'), 'no PIN in the audit log');

  await unlock('manager');
  const ok = await approve(h.tokens.cashier, id, 'manager', h.pins.manager);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.line.override?.manager, 'manager');
});

test('spreading guesses over many approvers: the asking user is locked after 5 failures, also after logging in again', async () => {
  await unlockAll();
  const id = await refusal();
  const names = ['aigul', 'bolat', 'admin', 'manager', 'nobody'];
  for (const name of names) assert.equal((await approve(tokens.dana as string, id, name, '1010')).status, 403);
  const sixth = await approve(tokens.dana as string, id, 'aigul', users.aigul);
  assert.equal(sixth.status, 429, sixth.text);
  assert.match(sixth.body.error?.message ?? '', /too many wrong approvals from this user/);
  const again = await h.call<{ token: string }>('POST', '/api/login', undefined, { name: 'dana', pin: users.dana });
  assert.equal(again.status, 200, 'the approvals lock does not stop the cashier from working');
  assert.equal((await approve(again.body.token, id, 'aigul', users.aigul)).status, 429, 'a new session is the same user');
  // The administrator sees it in the users list (and unlocks it there).
  const list = await h.call<{ users: { name: string; failedApprovals: number; lockedUntil: string | null }[] }>('GET', '/api/users', h.tokens.admin);
  const dana = list.body.users.find((u) => u.name === 'dana');
  assert.ok(dana && dana.failedApprovals >= 5 && dana.lockedUntil !== null, JSON.stringify(dana));
  // Another user's session is not affected by dana's lock.
  const byOther = await approve(h.tokens.cashier, id, 'aigul', users.aigul);
  assert.equal(byOther.status, 200, byOther.text);
});

test('parallel guesses cannot outrun the count: at most 5 are checked before the lock', async () => {
  await unlockAll();
  const id = await refusal();
  const results = await Promise.all(Array.from({ length: 20 }, (_, i) => approve(h.tokens.cashier, id, 'bolat', String(2000 + i))));
  const statuses = results.map((r) => r.status);
  assert.ok(statuses.every((s) => s === 403 || s === 429), statuses.join(','));
  assert.ok(statuses.filter((s) => s === 403).length <= 5, `checked: ${statuses.filter((s) => s === 403).length}`);
});
