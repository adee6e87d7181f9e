// The sender's options are checked in the factory: each bad value is a TypeError naming the
// option, before anything runs (node-serialport's "options checked up front").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOfdClient, type OfdClient } from '../registry/index.ts';
import { initOfdState, openDatabase, type Db } from '../store/index.ts';
import { createOutboxSender, type OutboxSenderOptions } from './sender.ts';

describe('createOutboxSender checks its options', () => {
  let dir: string;
  let db: Db;
  let client: OfdClient;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tanba-sender-options-'));
    db = openDatabase(join(dir, 'tanba.db'));
    initOfdState(db, { deviceId: 1, token: 1, now: '2026-03-01T10:00:00.000Z' });
    client = createOfdClient({ db, host: '127.0.0.1', port: 1, deviceId: 1 });
  });
  after(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

  const bad = (over: Record<string, unknown>, message: RegExp): void => {
    assert.throws(() => createOutboxSender({ db, client, ...over } as OutboxSenderOptions), (e: unknown) => e instanceof TypeError && message.test(e.message), `expected a TypeError matching ${message}`);
  };

  test('good and default options are taken', async () => {
    const sender = createOutboxSender({ db, client, backoff: { baseMs: 5, maxMs: 5 }, idleMs: 1, reconnectIntervalMs: 0, lease: { ttlMs: 30, owner: 'me' }, contactRetentionDays: 0, utcOffsetMinutes: -720 });
    assert.deepEqual(await sender.deliverOnce(), { delivered: 0, remaining: 0, stopped: null });
    assert.equal(typeof createOutboxSender({ db, client }).deliverOnce, 'function');
  });
  test('backoff not an object', () => bad({ backoff: 5 }, /^backoff must be an object/));
  test('backoff.baseMs zero', () => bad({ backoff: { baseMs: 0 } }, /^backoff\.baseMs must be a positive number of milliseconds, got 0/));
  test('backoff.baseMs not a number', () => bad({ backoff: { baseMs: '1000' } }, /^backoff\.baseMs must be a positive number/));
  test('backoff.maxMs infinite', () => bad({ backoff: { maxMs: Infinity } }, /^backoff\.maxMs must be a positive number of milliseconds, got Infinity/));
  test('backoff.maxMs below baseMs', () => bad({ backoff: { baseMs: 2000, maxMs: 1000 } }, /^backoff\.maxMs \(1000\) must not be below backoff\.baseMs \(2000\)/));
  test('idleMs zero (a loop that never rests)', () => bad({ idleMs: 0 }, /^idleMs must be a positive number of milliseconds, got 0/));
  test('idleMs NaN', () => bad({ idleMs: Number.NaN }, /^idleMs must be a positive number/));
  test('reconnectIntervalMs negative', () => bad({ reconnectIntervalMs: -1 }, /^reconnectIntervalMs must be a number of milliseconds ≥ 0, got -1/));
  test('lease.ttlMs negative', () => bad({ lease: { ttlMs: -5 } }, /^lease\.ttlMs must be a positive number/));
  test('lease.owner empty', () => bad({ lease: { owner: '' } }, /^lease\.owner must be a non-empty string/));
  test('contactRetentionDays negative', () => bad({ contactRetentionDays: -1 }, /^contactRetentionDays must be a number of days ≥ 0, got -1/));
  test('utcOffsetMinutes out of range', () => bad({ utcOffsetMinutes: 900 }, /^utcOffsetMinutes must be whole minutes from -720 to 840, got 900/));
  test('utcOffsetMinutes fractional', () => bad({ utcOffsetMinutes: 300.5 }, /^utcOffsetMinutes must be whole minutes/));
  test('random not a function', () => bad({ random: 0.5 }, /^random must be a function, got number/));
  test('onStatus not a function', () => bad({ onStatus: 'log' }, /^onStatus must be a function, got string/));
  test('clock without now()', () => bad({ clock: {} }, /^clock must have a now\(\) method/));
  test('regInfo not an object', () => bad({ regInfo: 'x' }, /^regInfo must be an object/));
  test('no database', () => bad({ db: undefined }, /^db must be an open database/));
  test('no client', () => bad({ client: {} }, /^client must be an OFD client/));
});
