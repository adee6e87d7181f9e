import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadSession, parseSession, resolveView, saveSession, clearSession, viewsFor, type KeyValueStore } from './session.ts';

const now = new Date('2026-03-01T10:00:00Z');
const good = { token: 'abc', expiresAt: '2026-03-01T22:00:00Z', user: { id: 'u1', name: 'dana', role: 'cashier' } };

test('a stored session is used only if well-formed and not expired', () => {
  assert.deepEqual(parseSession(JSON.stringify(good), now), good);
  assert.equal(parseSession(JSON.stringify({ ...good, expiresAt: '2026-03-01T09:59:59Z' }), now), null, 'expired');
  assert.equal(parseSession(JSON.stringify({ ...good, user: { ...good.user, role: 'root' } }), now), null, 'unknown role');
  assert.equal(parseSession(JSON.stringify({ ...good, token: 5 }), now), null, 'token not a string');
  assert.equal(parseSession('{not json', now), null);
  assert.equal(parseSession(null, now), null);
});

test('save, load and clear go through the store', () => {
  const map = new Map<string, string>();
  const store: KeyValueStore = { getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
  saveSession(store, good as Parameters<typeof saveSession>[1]);
  assert.deepEqual(loadSession(store, now), good);
  clearSession(store);
  assert.equal(loadSession(store, now), null);
});

test('each role lands on its screen and cannot open another role\'s', () => {
  assert.equal(resolveView('cashier', null), 'cashier');
  assert.equal(resolveView('cashier', 'technician'), 'cashier');
  assert.equal(resolveView('manager', 'users'), 'manager');
  assert.equal(resolveView('technician', 'technician'), 'technician');
  assert.equal(resolveView('admin', null), 'chooser');
  assert.equal(resolveView('admin', 'users'), 'users');
  assert.equal(resolveView('admin', 'nonsense'), 'chooser');
  assert.deepEqual(viewsFor('admin'), ['chooser', 'cashier', 'manager', 'technician', 'users']);
});
