import { test } from 'node:test';
import assert from 'node:assert/strict';
import { failureReason } from './failure.ts';
import { MESSAGES } from './i18n.ts';

test('raw failures are named by their cause, the most specific first', () => {
  const cases: [string, string, Record<string, string | number>][] = [
    ['no answer within 5000 ms, offline: cannot connect to 127.0.0.1:43099: connect ECONNREFUSED 127.0.0.1:43099', 'failure.refused', {}],
    ['cannot reach the registry: getaddrinfo ENOTFOUND feed.example.kz', 'failure.dns', {}],
    ['unavailable: self-signed certificate in certificate chain', 'failure.tls', {}],
    ['lookup: no answer within 1500 ms: timeout', 'failure.timeout', {}],
    ['error: HTTP 503 Service Unavailable', 'failure.http', { status: '503' }],
    ['auth: status 401', 'failure.auth', { status: '401' }],
    ['OFD result 3: invalid ticket', 'failure.ofdResult', { code: '3' }],
    ['OFD server block (15): blocked by the tax authority', 'failure.serverBlock', {}],
    ['read ECONNRESET', 'failure.reset', {}],
    ['offline since 2026-12-05T02:52:04Z; next reconnect attempt at 2026-12-05T02:53:04Z', 'failure.waiting', {}],
    ['something odd', 'failure.other', {}],
  ];
  for (const [raw, key, params] of cases) assert.deepEqual(failureReason(raw), { key, params }, raw);
});

test('every cause has a text in ru, kk and en, and ru/kk are not the English', () => {
  const keys = Object.keys(MESSAGES.en).filter((k) => k.startsWith('failure.'));
  assert.ok(keys.length >= 11);
  for (const k of keys) {
    for (const lang of ['ru', 'kk'] as const) {
      const text = MESSAGES[lang][k as keyof typeof MESSAGES.en];
      assert.ok(text && text !== MESSAGES.en[k as keyof typeof MESSAGES.en], `${lang} ${k}`);
    }
  }
});
