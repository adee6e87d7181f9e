import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, SyncStatusView } from '../../server/contract/index.ts';
import { linkStates, mergeDevice } from './links.ts';

const status = (over: Partial<SyncStatusView> = {}, ofd: Partial<SyncStatusView['channels']['ofd']> = {}, feed: Partial<SyncStatusView['channels']['feed']> = {}): SyncStatusView => ({
  at: '2026-12-04T10:00:00Z',
  queue: { depth: 0, pending: 0, blockedCount: 0, delivered: 5, oldestUndeliveredAt: null, oldestAgeMs: null, head: null, blocked: [] },
  channels: {
    ofd: { lastSuccessAt: '2026-12-04T09:59:00Z', lastError: null, lastErrorAt: null, lastContactAt: '2026-12-04T09:59:00Z', ...ofd },
    feed: { lastSuccessAt: '2026-12-04T09:00:00Z', lastFullAt: null, cursor: null, lastError: null, lastErrorAt: null, ...feed },
  },
  mode: 'online', offlineSince: null, blockedReason: null, offlineLimitHours: 72, timeLeftMs: null, salesAllowed: true, salesStoppedReason: null,
  ...over,
});
const cache = (over: Partial<CacheFreshnessView> = {}): CacheFreshnessView => ({ state: 'ready', lastSyncAt: '2026-12-04T09:00:00Z', ageMs: 3_600_000, limitMs: 72 * 3_600_000, remainingMs: 71 * 3_600_000, ...over });
const dev = (id: string, role: 'scanner' | 'printer', state: DeviceHealthView['state']): DeviceHealthView => ({ id, role, state, scans: 0, errors: 0, lastScanAt: null, lastError: null });
const levels = (s: ReturnType<typeof linkStates>) => Object.fromEntries(s.map((l) => [l.name, `${l.level} ${l.key.slice(11)}`]));

test('all well: every link ok, said in words', () => {
  assert.deepEqual(levels(linkStates({ status: status(), cache: cache(), devices: [dev('p', 'printer', 'connected'), dev('s', 'scanner', 'idle')] })), {
    ofd: 'ok online', marking: 'ok online', cache: 'ok fresh', printer: 'ok connected', scanner: 'ok connected',
  });
});

test('nothing known yet is "no word yet", never green', () => {
  for (const l of linkStates({ status: null, cache: null, devices: null })) assert.equal(l.level, 'unknown');
});

test('the OFD down: offline with the queue; a newer error than the last success is failing; a queue alone is sending', () => {
  const off = linkStates({ status: status({ mode: 'offline', queue: { ...status().queue, depth: 3 } }), cache: cache(), devices: [] })[0];
  assert.deepEqual([off?.level, off?.key, off?.params], ['down', 'link.state.offlineQueued', { n: 3 }]);
  const failing = linkStates({ status: status({}, { lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-04T10:00:00Z' }), cache: cache(), devices: [] })[0];
  assert.equal(failing?.key, 'link.state.failing');
  // The cause is gone (a success after the error): the message goes with it.
  const healed = linkStates({ status: status({}, { lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-04T09:58:00Z' }), cache: cache(), devices: [] })[0];
  assert.equal(healed?.key, 'link.state.online');
  const sending = linkStates({ status: status({ queue: { ...status().queue, depth: 2 } }), cache: cache(), devices: [] })[0];
  assert.deepEqual([sending?.level, sending?.key], ['warn', 'link.state.sending']);
  assert.equal(linkStates({ status: status({ mode: 'blocked' }), cache: cache(), devices: [] })[0]?.key, 'link.state.blocked');
});

test('marking system and cache: not set up, unreachable, stale, ageing', () => {
  const none = linkStates({ status: status({}, {}, { lastSuccessAt: null }), cache: cache({ state: 'not_configured' }), devices: [] });
  assert.equal(none[1]?.level, 'off');
  assert.equal(none[2]?.level, 'off');
  const unreachable = linkStates({ status: status({}, {}, { lastError: 'timeout', lastErrorAt: '2026-12-04T09:30:00Z' }), cache: cache(), devices: [] });
  assert.equal(unreachable[1]?.key, 'link.state.unreachable');
  assert.equal(linkStates({ status: status(), cache: cache({ state: 'stale', remainingMs: 0 }), devices: [] })[2]?.level, 'down');
  const ageing = linkStates({ status: status(), cache: cache({ ageMs: 60 * 3_600_000, remainingMs: 12 * 3_600_000 }), devices: [] })[2];
  assert.deepEqual([ageing?.level, ageing?.params], ['warn', { hours: 60 }]);
});

test('devices: none, reconnecting, disconnected; a new health replaces the old', () => {
  assert.equal(linkStates({ status: null, cache: null, devices: [] })[3]?.key, 'link.state.none');
  let devices = mergeDevice(null, dev('p', 'printer', 'reconnecting'));
  assert.equal(linkStates({ status: null, cache: null, devices })[3]?.level, 'warn');
  devices = mergeDevice(devices, dev('p', 'printer', 'failed'));
  assert.equal(devices.length, 1);
  assert.equal(linkStates({ status: null, cache: null, devices })[3]?.key, 'link.state.disconnected');
});

test('in training mode the printer link is the virtual printer, assigned printer or not', () => {
  const printer = (f: Parameters<typeof linkStates>[0]) => linkStates(f).find((l) => l.name === 'printer');
  assert.equal(printer({ status: status(), cache: cache(), devices: [] })?.key, 'link.state.none');
  assert.deepEqual(printer({ status: status(), cache: cache(), devices: [], trainingMode: true }), { name: 'printer', level: 'ok', key: 'link.state.virtual' });
});

test('marking systems of the online check: the header follows their health, not the feed alone', () => {
  const h = (provider: string, state: MarkingHealthView['state']): MarkingHealthView => ({
    provider, target: 'http://127.0.0.1:1', state, detail: state, lastSyncAt: null, lastSuccessAt: null, lastFailureAt: state === 'failing' ? '2026-12-04T09:59:00Z' : null, lastError: null,
  });
  const at = (marking: MarkingHealthView[]) => linkStates({ status: status(), cache: cache(), devices: [], marking })[1];
  assert.deepEqual([at([h('xtrace', 'ok'), h('tanba-feed', 'ok')])?.level], ['ok']);
  const partly = at([h('xtrace', 'ok'), h('tanba-feed', 'failing')]);
  assert.deepEqual([partly?.level, partly?.key, partly?.params], ['warn', 'link.state.partly', { n: 1, total: 2 }]);
  assert.deepEqual([at([h('xtrace', 'failing'), h('tanba-feed', 'failing')])?.level], ['down']);
  assert.equal(at([h('xtrace', 'unknown')])?.level, 'ok', 'not asked yet is no failure');
});
