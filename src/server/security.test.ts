import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowedHosts, isAllowedHost, isAllowedOrigin } from './security.ts';

test('only our own host names pass the Host check (DNS rebinding)', () => {
  const hosts = allowedHosts('127.0.0.1', 8420);
  assert.equal(isAllowedHost('127.0.0.1:8420', hosts), true);
  assert.equal(isAllowedHost('LOCALHOST:8420', hosts), true);
  assert.equal(isAllowedHost('[::1]:8420', hosts), true);
  assert.equal(isAllowedHost('evil.example:8420', hosts), false);
  assert.equal(isAllowedHost('127.0.0.1:9999', hosts), false);
  assert.equal(isAllowedHost(undefined, hosts), false);
  assert.equal(isAllowedHost('register-7.lan:8420', allowedHosts('0.0.0.0', 8420, ['register-7.lan'])), true);
});

test('a foreign Origin is refused, a missing one is allowed (non-browser clients)', () => {
  const hosts = allowedHosts('127.0.0.1', 8420);
  assert.equal(isAllowedOrigin(undefined, hosts), true);
  assert.equal(isAllowedOrigin('http://127.0.0.1:8420', hosts), true);
  assert.equal(isAllowedOrigin('http://evil.example', hosts), false);
  assert.equal(isAllowedOrigin('null', hosts), false);
  assert.equal(isAllowedOrigin('file:///x', hosts), false);
});
