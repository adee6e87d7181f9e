// PINs and users over the real API: a new PIN must not be easy to guess (the refusal says which
// rule) and must be no other user's (without saying whose); the administrator disables and
// enables users, resets PINs; a disabled user cannot sign in, and their sessions and event
// sockets end at once. Before: any 4 digits were accepted (1111, 1234), two users could share
// a PIN, and there was no way to disable a user or reset a PIN.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from '../server-harness.ts';
import type { AuditResponse, UserView } from '../../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('sec-users');
});
after(async () => {
  await h?.stop();
});

type ErrorBody = { error: { code: string; message: string } };

async function create(name: string, pin: string, role = 'cashier') {
  return h.call<{ user: UserView } & ErrorBody>('POST', '/api/users', h.tokens.admin, { name, role, pin });
}

async function login(name: string, pin: string) {
  return h.call<{ token: string } & ErrorBody>('POST', '/api/login', undefined, { name, pin });
}

test('weak PINs are refused, naming the rule broken', async () => {
  const cases: [string, RegExp][] = [
    ['1111', /one digit repeated/], ['000000', /one digit repeated/], ['1234', /run of digits up or down/], ['8765', /run of digits up or down/],
    ['7890', /run of digits up or down/], ['1212', /group of digits repeated/], ['123123', /group of digits repeated/], ['123', /4 to 12 digits/],
    ['12ab', /4 to 12 digits/],
  ];
  for (const [pin, rule] of cases) {
    const r = await create(`weak-${pin}`, pin);
    assert.equal(r.status, 400, `${pin}: ${r.text}`);
    assert.match(r.body.error.message, /^pin: /);
    assert.match(r.body.error.message, rule, pin);
  }
  assert.equal((await create('strong', '5937')).status, 201);
});

test('a PIN another user has is refused without saying whose (also on reset); audited', async () => {
  const r = await create('copycat', h.pins.manager);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.body.error.code, 'PIN_IN_USE');
  for (const name of ['manager', 'admin', 'cashier', 'technician']) assert.doesNotMatch(r.text, new RegExp(name), 'whose PIN is not said');
  const strong = (await h.call<{ users: UserView[] }>('GET', '/api/users', h.tokens.admin)).body.users.find((u) => u.name === 'strong') as UserView;
  const reset = await h.call<ErrorBody>('PUT', `/api/users/${strong.id}/pin`, h.tokens.admin, { pin: h.pins.technician });
  assert.equal(reset.status, 409);
  assert.equal(reset.body.error.code, 'PIN_IN_USE');
  // The user's own current PIN is not "another user's".
  assert.equal((await h.call('PUT', `/api/users/${strong.id}/pin`, h.tokens.admin, { pin: '5937' })).status, 200);
  const audit = await h.call<AuditResponse>('GET', '/api/audit?limit=50', h.tokens.admin);
  assert.ok(audit.body.entries.some((e) => e.action === 'user.create' && e.outcome === 'failed' && e.details.error === 'PIN_IN_USE'));
  assert.ok(!JSON.stringify(audit.body).includes(h.pins.manager), 'no PIN in the audit log');
});

test('a disabled user cannot sign in, and their sessions and event sockets end at once', async () => {
  const made = await create('aset', '6158');
  assert.equal(made.status, 201);
  const id = made.body.user.id;
  const token = (await login('aset', '6158')).body.token;
  const events = await h.events(token);
  const closed = new Promise<number>((resolve) => events.onClose((code) => resolve(code)));
  const r = await h.call<{ user: UserView }>('POST', `/api/users/${id}/disable`, h.tokens.admin, {});
  assert.equal(r.status, 200, r.text);
  assert.ok(r.body.user.disabledAt);
  assert.equal(await closed, 4401, 'the open socket was closed');
  assert.equal((await h.call('GET', '/api/me', token)).status, 401, 'the session ended');
  const refused = await login('aset', '6158');
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'USER_DISABLED');
  assert.equal((await login('aset', '0001')).status, 401, 'a wrong PIN says nothing about the account');
  assert.equal((await h.call('POST', `/api/users/${id}/enable`, h.tokens.admin, {})).status, 200);
  assert.equal((await login('aset', '6158')).status, 200, 'enabled again');
  const audit = await h.call<AuditResponse>('GET', '/api/audit?limit=50', h.tokens.admin);
  const disabled = audit.body.entries.find((e) => e.action === 'user.disable' && e.details.name === 'aset');
  assert.equal(disabled?.details.sessionsEnded, 1);
  assert.ok(audit.body.entries.some((e) => e.action === 'user.enable' && e.details.name === 'aset'));
});

test('an administrator cannot disable their own account (so one who can sign in always remains)', async () => {
  const users = (await h.call<{ users: UserView[] }>('GET', '/api/users', h.tokens.admin)).body.users;
  const admin = users.find((u) => u.name === 'admin') as UserView;
  const own = await h.call<ErrorBody>('POST', `/api/users/${admin.id}/disable`, h.tokens.admin, {});
  assert.equal(own.status, 409);
  assert.equal(own.body.error.code, 'OWN_ACCOUNT');
  const second = await create('deputy', '7264', 'admin');
  const deputy = (await login('deputy', '7264')).body.token;
  assert.equal((await h.call('POST', `/api/users/${admin.id}/disable`, deputy, {})).status, 200, 'another administrator may');
  const last = await h.call<ErrorBody>('POST', `/api/users/${second.body.user.id}/disable`, deputy, {});
  assert.equal(last.body.error.code, 'OWN_ACCOUNT');
  assert.equal((await h.call('POST', `/api/users/${admin.id}/enable`, deputy, {})).status, 200);
  h.tokens.admin = (await login('admin', h.pins.admin)).body.token;
});

test('a PIN reset: the new PIN signs in, the old does not, the user\'s sessions end; audited without the PIN', async () => {
  const made = await create('bota', '6283');
  const id = made.body.user.id;
  const token = (await login('bota', '6283')).body.token;
  const weak = await h.call<ErrorBody>('PUT', `/api/users/${id}/pin`, h.tokens.admin, { pin: '2222' });
  assert.equal(weak.status, 400);
  assert.match(weak.body.error.message, /one digit repeated/);
  const r = await h.call('PUT', `/api/users/${id}/pin`, h.tokens.admin, { pin: '8391' });
  assert.equal(r.status, 200, r.text);
  assert.equal((await h.call('GET', '/api/me', token)).status, 401, 'the session with the old PIN ended');
  assert.equal((await login('bota', '6283')).status, 401);
  assert.equal((await login('bota', '8391')).status, 200);
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=user.pin-reset', h.tokens.admin);
  assert.ok(audit.body.entries.some((e) => e.outcome === 'ok' && e.details.name === 'bota' && e.userName === 'admin'));
  assert.ok(!JSON.stringify(audit.body).includes('8391'));
});
