import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CacheFreshnessView, DeviceHealthView, MarkingHealthView, SyncStatusView } from '../../server/contract/index.ts';
import { linkStates, linkSummary, mergeDevice, ofdLinkDown } from './links.ts';

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

test('the OFD down: offline with the queue; a newer error than the last success is failing; a queue is queued, sending only in flight', () => {
  const off = linkStates({ status: status({ mode: 'offline', queue: { ...status().queue, depth: 3 } }), cache: cache(), devices: [] })[0];
  assert.deepEqual([off?.level, off?.key, off?.params], ['down', 'link.state.offlineQueued', { n: 3 }]);
  const failing = linkStates({ status: status({}, { lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-04T10:00:00Z' }), cache: cache(), devices: [] })[0];
  assert.equal(failing?.key, 'link.state.failing');
  // The cause is gone (a success after the error): the message goes with it.
  const healed = linkStates({ status: status({}, { lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-04T09:58:00Z' }), cache: cache(), devices: [] })[0];
  assert.equal(healed?.key, 'link.state.online');
  const waiting = linkStates({ status: status({ queue: { ...status().queue, depth: 2 } }), cache: cache(), devices: [] })[0];
  assert.deepEqual([waiting?.level, waiting?.key, waiting?.params], ['warn', 'link.state.queued', { n: 2 }]);
  const head = { id: 1, seq: 1, state: 'sending', attempts: 1, nextAttemptAt: null, lastError: null };
  const sending = linkStates({ status: status({ queue: { ...status().queue, depth: 2, head } }), cache: cache(), devices: [] })[0];
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

test('the OFD probe: unreachable while idle after the last delivery is down; an older failed probe says nothing', () => {
  const probe = (reachable: boolean, at: string) => ({ reachable, at, detail: reachable ? null : 'ECONNREFUSED: connect ECONNREFUSED' });
  const idle = linkStates({ status: status(), cache: cache(), devices: [], ofdProbe: probe(false, '2026-12-04T10:00:00Z') })[0];
  assert.deepEqual([idle?.level, idle?.key], ['down', 'link.state.unreachable']);
  const queued = linkStates({ status: status({ queue: { ...status().queue, depth: 1 } }), cache: cache(), devices: [], ofdProbe: probe(false, '2026-12-04T10:00:00Z') })[0];
  assert.deepEqual([queued?.key, queued?.params], ['link.state.unreachableQueued', { n: 1 }]);
  assert.equal(linkStates({ status: status(), cache: cache(), devices: [], ofdProbe: probe(false, '2026-12-04T09:00:00Z') })[0]?.key, 'link.state.online');
  assert.equal(linkStates({ status: status(), cache: cache(), devices: [], ofdProbe: probe(true, '2026-12-04T10:00:00Z') })[0]?.key, 'link.state.online');
});

test('a scan\'s online check is the newest word on the marking link, both ways', () => {
  const marking = (f: Partial<Parameters<typeof linkStates>[0]>) => linkStates({ status: status(), cache: cache(), devices: [], ...f })[1];
  // The feed pulled fine an hour ago; a scan just now got no answer: down at once.
  const down = marking({ lastCheck: { answered: false, at: '2026-12-04T10:00:00Z', detail: 'tanba-feed: unavailable' } });
  assert.deepEqual([down?.level, down?.key], ['down', 'link.state.unreachableCache']);
  // The feed's last pull failed; a later scan was answered online: back to online without waiting for the next pull.
  const failing = status({}, {}, { lastError: 'ECONNREFUSED', lastErrorAt: '2026-12-04T09:30:00Z' });
  assert.equal(linkStates({ status: failing, cache: cache(), devices: [] })[1]?.level, 'down');
  const back = linkStates({ status: failing, cache: cache(), devices: [], lastCheck: { answered: true, at: '2026-12-04T09:31:00Z', detail: null } })[1];
  assert.deepEqual([back?.level, back?.key], ['ok', 'link.state.online']);
  // A feed failure newer than the scan's answer wins again.
  assert.equal(linkStates({ status: failing, cache: cache(), devices: [], lastCheck: { answered: true, at: '2026-12-04T09:29:00Z', detail: null } })[1]?.level, 'down');
  // No feed configured, but a marking system answers scans: not "not set up".
  const noFeed = linkStates({ status: status({}, {}, { lastSuccessAt: null }), cache: cache({ state: 'not_configured' }), devices: [], lastCheck: { answered: true, at: '2026-12-04T09:31:00Z', detail: null } })[1];
  assert.equal(noFeed?.level, 'ok');
});

test('the header summary: never "all links work" with a link down; the core unreachable first', () => {
  const well = linkStates({ status: status(), cache: cache(), devices: [dev('p', 'printer', 'connected'), dev('s', 'scanner', 'idle')] });
  assert.deepEqual(linkSummary(well, true), { level: 'ok', key: 'link.summary.ok', names: [] });
  assert.deepEqual(linkSummary(well, false), { level: 'down', key: 'link.summary.noCore', names: [] });
  const bad = linkStates({
    status: status({ mode: 'offline' }), cache: cache(), devices: [dev('s', 'scanner', 'idle')],
    lastCheck: { answered: false, at: '2026-12-04T10:00:00Z', detail: 'timeout' },
  });
  assert.deepEqual(linkSummary(bad, true), { level: 'down', key: 'link.summary.down', names: ['ofd', 'marking'] });
  const warn = linkStates({ status: status(), cache: cache(), devices: [dev('p', 'printer', 'reconnecting'), dev('s', 'scanner', 'idle')] });
  assert.deepEqual(linkSummary(warn, true), { level: 'warn', key: 'link.summary.warn', names: ['printer'] });
  assert.equal(linkSummary(linkStates({ status: null, cache: null, devices: null }), true).key, 'link.summary.checking');
});

test('the till\'s last sale is queued while the OFD link is down: offline mode, or the probe cannot reach it', () => {
  assert.equal(ofdLinkDown(status()), false);
  assert.equal(ofdLinkDown(status({ mode: 'offline' })), true);
  assert.equal(ofdLinkDown(status(), { reachable: false, at: '2026-12-04T10:00:00Z', detail: 'ECONNREFUSED' }), true);
  assert.equal(ofdLinkDown(null), false);
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

test('a scan answered online with a fallback system failing is degraded; none answering after that answer is down', () => {
  const h = (provider: string, state: MarkingHealthView['state'], lastFailureAt: string | null): MarkingHealthView => ({
    provider, target: 'http://127.0.0.1:1', state, detail: state, lastSyncAt: null, lastSuccessAt: null, lastFailureAt, lastError: null,
  });
  const answered = { answered: true, at: '2026-12-04T09:59:30Z', detail: null };
  const at = (marking: MarkingHealthView[]) => linkStates({ status: status(), cache: cache(), devices: [], lastCheck: answered, marking })[1];
  assert.equal(at([h('xtrace', 'ok', null), h('tanba-feed', 'failing', '2026-12-04T09:59:00Z')])?.key, 'link.state.partly');
  assert.equal(at([h('xtrace', 'failing', '2026-12-04T09:59:00Z')])?.level, 'warn', 'the scan\'s answer is newer than the failure');
  assert.equal(at([h('xtrace', 'failing', '2026-12-04T10:00:00Z')])?.level, 'down', 'a re-probe failed after the answer');
});
