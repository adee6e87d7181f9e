// The login screen's user tiles and case-insensitive names over real HTTP: the tiles list the
// till's people (cashiers, managers) and never the administrator, technicians or disabled users;
// a technician can switch them off; a name logs in in any case (Cyrillic too), and a second user
// whose name differs only in case is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './server-harness.ts';
import type { LoginUsersResponse } from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-login-users');
});
after(async () => {
  await h.stop();
});

test('tiles: cashiers and managers only, disabled users left out, switchable off', async () => {
  const made = await h.call<{ user: { id: string } }>('POST', '/api/users', h.tokens.admin, { name: 'Дана', role: 'cashier', pin: '7315' });
  assert.equal(made.status, 201, made.text);
  const gone = await h.call<{ user: { id: string } }>('POST', '/api/users', h.tokens.admin, { name: 'Aidos', role: 'cashier', pin: '8164' });
  assert.equal(gone.status, 201, gone.text);
  assert.equal((await h.call('POST', `/api/users/${gone.body.user.id}/disable`, h.tokens.admin, {})).status, 200);
  const tiles = await h.call<LoginUsersResponse>('GET', '/api/login/users');
  assert.equal(tiles.status, 200, tiles.text);
  assert.deepEqual(tiles.body.users.map((u) => `${u.name}:${u.role}`).sort(), ['cashier:cashier', 'manager:manager', 'Дана:cashier']);
  assert.equal((await h.call('PUT', '/api/config', h.tokens.technician, { login: { userTiles: false } })).status, 200);
  assert.deepEqual((await h.call<LoginUsersResponse>('GET', '/api/login/users')).body.users, []);
  assert.equal((await h.call('PUT', '/api/config', h.tokens.technician, { login: { userTiles: true } })).status, 200);
});

test('names are case-insensitive: login as "ДАНА" and "CaShIeR", a second "CASHIER" refused', async () => {
  const upper = await h.call<{ user: { name: string } }>('POST', '/api/login', undefined, { name: 'ДАНА', pin: '7315' });
  assert.equal(upper.status, 200, upper.text);
  assert.equal(upper.body.user.name, 'Дана', 'the session is the stored user');
  const spaced = await h.call('POST', '/api/login', undefined, { name: 'CaShIeR', pin: h.pins.cashier });
  assert.equal(spaced.status, 200, spaced.text);
  const wrong = await h.call<{ error: { code: string } }>('POST', '/api/login', undefined, { name: 'ДАНА', pin: '9999' });
  assert.equal(wrong.body.error.code, 'BAD_CREDENTIALS');
  const twin = await h.call<{ error: { code: string } }>('POST', '/api/users', h.tokens.admin, { name: 'CASHIER', role: 'cashier', pin: '6271' });
  assert.equal(twin.status, 409);
  assert.equal(twin.body.error.code, 'USER_EXISTS');
});
