import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPatch, fieldOfServerError, formFromConfig, MASK } from './config-patch.ts';

const masked = {
  store: { name: 'Magnum', address: 'Abay 10' },
  register: { id: 'REG-1' },
  languages: ['ru', 'kk'] as Array<'ru' | 'kk' | 'en'>,
  cache: { offlineLimitHours: 72, groupOfflineLimitHours: {} },
  registry: { ofd: { host: 'ofd.example.kz', port: 7777, deviceId: 5, token: MASK as '***' }, marking: { url: 'https://m.example.kz', token: MASK } },
};

test('an untouched form makes an empty patch', () => {
  const f = formFromConfig(masked);
  assert.deepEqual(buildPatch(f, f), { patch: {}, problems: [] });
});

test('only changed fields are sent; a masked secret is never sent back', () => {
  const orig = formFromConfig(masked);
  const f = { ...orig, storeName: ' Magnum 2 ', ofdPort: '7778', offlineLimitHours: '48' };
  const { patch, problems } = buildPatch(f, orig);
  assert.deepEqual(problems, []);
  assert.deepEqual(patch, {
    store: { name: 'Magnum 2' },
    cache: { offlineLimitHours: 48 },
    registry: { ofd: { host: 'ofd.example.kz', port: 7778, deviceId: 5 } },
  });
});

test('a new token is sent as a number; non-numbers are problems, not patches', () => {
  const orig = formFromConfig({});
  const f = { ...orig, ofdHost: '10.0.0.5', ofdPort: '70x', ofdDeviceId: '3', ofdToken: '123' };
  const r = buildPatch(f, orig);
  assert.deepEqual(r.problems, [{ field: 'ofdPort', reason: 'number' }]);
  const ok = buildPatch({ ...f, ofdPort: '7777' }, orig);
  assert.deepEqual(ok.patch, { registry: { ofd: { host: '10.0.0.5', port: 7777, deviceId: 3, token: 123 } } });
  assert.deepEqual(buildPatch({ ...orig, offlineLimitHours: 'abc' }, orig).problems, [{ field: 'offlineLimitHours', reason: 'number' }]);
});

test('languages are sent in the order of the list when changed', () => {
  const orig = formFromConfig(masked);
  assert.deepEqual(buildPatch({ ...orig, languages: ['kk'] }, orig).patch, { languages: ['kk'] });
});

test('server errors are mapped to the field they name', () => {
  assert.equal(fieldOfServerError('cache.offlineLimitHours: Too big: expected number to be <=72'), 'offlineLimitHours');
  assert.equal(fieldOfServerError('registry.ofd.port: Too big'), 'ofdPort');
  assert.equal(fieldOfServerError('languages.0: Invalid option'), 'languages');
  assert.equal(fieldOfServerError('log.level: invalid'), null);
  assert.equal(fieldOfServerError('no path here'), null);
});
