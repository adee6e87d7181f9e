// The tuning options of the register, the server's jobs and a whole core are checked by the
// factory that takes them: each bad value is a TypeError naming the option, before anything runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { createRegister, type RegisterTuning } from '../src/register/index.ts';
import { checkServiceTuning, createServices, type ServerTuning, type ServiceTuning } from '../src/server/services.ts';
import { createCoreLogger } from '../src/server/log-ring.ts';
import { openDatabase, type Db } from '../src/store/index.ts';

describe('tuning options are checked up front', () => {
  let dir: string;
  let db: Db;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tanba-tuning-'));
    db = openDatabase(join(dir, 'tanba.db'));
  });
  after(() => { db.close(); rmSync(dir, { recursive: true, force: true }); });

  const register = (tuning: RegisterTuning) => createRegister({ config: loadConfig(dir, {}), db, dataDir: dir, tuning });
  const badRegister = (tuning: Record<string, unknown>, message: RegExp): void => {
    assert.throws(() => register(tuning as RegisterTuning), (e: unknown) => e instanceof TypeError && message.test(e.message), `expected a TypeError matching ${message}`);
  };
  const badServer = (tuning: Record<string, unknown>, message: RegExp): void => {
    const logger = createCoreLogger({ stderrLevel: 'error', stderr: false });
    assert.throws(() => createServices({ register: register({}), logger, tuning: tuning as ServerTuning }), (e: unknown) => e instanceof TypeError && message.test(e.message));
  };
  const badCore = (tuning: Record<string, unknown>, message: RegExp): void => {
    assert.throws(() => checkServiceTuning(tuning as ServiceTuning), (e: unknown) => e instanceof TypeError && message.test(e.message));
  };

  test('good timings are taken', () => {
    const r = register({ ofdTransactionTimeoutMs: 500, ofdReconnectIntervalMs: 0, senderBackoff: { baseMs: 10, maxMs: 20 }, senderIdleMs: 50, pullIntervalMs: 100, onlineCheckMs: 200 });
    assert.equal(r.trainingMode, true);
    assert.doesNotThrow(() => checkServiceTuning({ statusPushMs: 10, printWaitMs: 0, printWaitForTicketMs: 0, trainingCodes: 5, trainingScanner: false }));
  });
  test('register: ofdTransactionTimeoutMs zero', () => badRegister({ ofdTransactionTimeoutMs: 0 }, /^tuning\.ofdTransactionTimeoutMs must be a positive number of milliseconds, got 0/));
  test('register: ofdReconnectIntervalMs negative', () => badRegister({ ofdReconnectIntervalMs: -1 }, /^tuning\.ofdReconnectIntervalMs must be a ≥ 0 number of milliseconds, got -1/));
  test('register: senderIdleMs not a number', () => badRegister({ senderIdleMs: '300' }, /^tuning\.senderIdleMs must be a positive number/));
  test('register: pullIntervalMs infinite', () => badRegister({ pullIntervalMs: Infinity }, /^tuning\.pullIntervalMs must be a positive number of milliseconds, got Infinity/));
  test('register: onlineCheckMs NaN', () => badRegister({ onlineCheckMs: Number.NaN }, /^tuning\.onlineCheckMs must be a positive number/));
  test('register: senderBackoff.baseMs zero', () => badRegister({ senderBackoff: { baseMs: 0 } }, /^tuning\.senderBackoff\.baseMs must be a positive number/));
  test('register: senderBackoff not an object', () => badRegister({ senderBackoff: 100 }, /^tuning\.senderBackoff must be an object/));
  test('server: statusPushMs zero', () => badServer({ statusPushMs: 0 }, /^tuning\.statusPushMs must be a positive number/));
  test('server: printWaitMs negative', () => badServer({ printWaitMs: -5 }, /^tuning\.printWaitMs must be a ≥ 0 number of milliseconds, got -5/));
  test('server: printWaitForTicketMs not a number', () => badServer({ printWaitForTicketMs: null }, /^tuning\.printWaitForTicketMs must be a ≥ 0 number/));
  test('core: trainingCodes fractional', () => badCore({ trainingCodes: 2.5 }, /^tuning\.trainingCodes must be a whole number above zero, got 2\.5/));
  test('core: trainingScanner not a boolean', () => badCore({ trainingScanner: 'yes' }, /^tuning\.trainingScanner must be true or false, got yes/));
  test('core: a register timing is checked too', () => badCore({ senderIdleMs: -1 }, /^tuning\.senderIdleMs/));
});
