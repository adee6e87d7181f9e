import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../clock.ts';
import { configSchema } from '../config.ts';
import { addPrintJob, getPrintJob, markPrintJobFailed, markPrintJobPrinted, openDatabase, unprintedPrintJobs, type Db } from '../store/index.ts';
import { startHousekeeping } from './housekeeping.ts';

function withDb(fn: (db: Db) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-housekeeping-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  try { fn(db); } finally { db.close(); rmSync(dir, { recursive: true, force: true }); }
}

const DAY = 86_400_000;
const bytes = new Uint8Array([0x1b, 0x40, 0x41]);

test('printed receipts past the retention lose their row; recent, pending and failed ones stay', () => withDb((db) => {
  let now = new Date('2026-06-30T12:00:00Z');
  const clock: Clock = { now: () => now };
  const at = (days: number): string => new Date(now.getTime() - days * DAY).toISOString();
  const old = addPrintJob(db, { title: 'sale 1', bytes, createdAt: at(40) });
  markPrintJobPrinted(db, old, at(40));
  const recent = addPrintJob(db, { title: 'sale 2', bytes, createdAt: at(29) });
  markPrintJobPrinted(db, recent, at(29));
  const failed = addPrintJob(db, { title: 'sale 3', bytes, createdAt: at(100) });
  markPrintJobFailed(db, failed, { message: 'paper out', code: 'paper-out' });
  const pending = addPrintJob(db, { title: 'sale 4', bytes, createdAt: at(100) });
  let days = 30;
  const errors: string[] = [];
  const stop = startHousekeeping(db, { clock, receiptRetentionDays: () => days, onError: (what) => errors.push(what) });
  try {
    assert.equal(errors.length, 0, errors.join('; '));
    assert.equal(getPrintJob(db, old), undefined, 'printed 40 days ago: gone');
    assert.deepEqual(getPrintJob(db, recent)?.bytes, bytes, 'printed 29 days ago: kept, bytes exact');
    assert.deepEqual(unprintedPrintJobs(db).map((j) => j.id), [failed, pending], 'unprinted ones are kept whatever their age');
    // A lowered setting and the register's clock moving on both apply at the next run.
    days = 7;
    now = new Date(now.getTime() + DAY);
  } finally { stop(); }
  const again = startHousekeeping(db, { clock, receiptRetentionDays: () => days, onError: (what) => errors.push(what) });
  again();
  assert.equal(getPrintJob(db, recent), undefined);
  assert.equal(unprintedPrintJobs(db).length, 2);
  assert.equal(errors.length, 0, errors.join('; '));
}));

test('the retention is configurable, 30 days unless set, and must be a whole number of days', () => {
  assert.equal(configSchema.parse({}).printing.receiptRetentionDays, 30);
  assert.equal(configSchema.parse({ printing: { receiptRetentionDays: 365 } }).printing.receiptRetentionDays, 365);
  assert.throws(() => configSchema.parse({ printing: { receiptRetentionDays: 0 } }));
  assert.throws(() => configSchema.parse({ printing: { receiptRetentionDays: 1.5 } }));
});
