import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isCurrentError } from './channel.ts';

test('a channel error is current until a success comes after it', () => {
  assert.equal(isCurrentError({ lastError: null, lastErrorAt: null, lastSuccessAt: null }), false);
  assert.equal(isCurrentError({ lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-05T01:00:00.000Z', lastSuccessAt: null }), true);
  assert.equal(isCurrentError({ lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-05T01:00:00.000Z', lastSuccessAt: '2026-12-05T00:59:59.000Z' }), true);
  assert.equal(isCurrentError({ lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-05T01:00:00.000Z', lastSuccessAt: '2026-12-05T01:00:01.000Z' }), false, 'recovered: the message is stale');
});
