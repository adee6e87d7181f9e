// `tanba sell` applies the same price rules as the API: the catalogue price (no --price typed) is
// the price the customer pays, so a tobacco block whose code carries 8005 MRP 611.00 under a
// catalogue price of 679.00 is refused, and nothing is recorded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importFeed } from '../../src/cache/index.ts';
import { openDatabase } from '../../src/store/index.ts';
import { fixedClock } from '../../src/clock.ts';
import { GS, NOW, gtin14 } from '../helpers/checkout-fixtures.ts';

const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
const TOBACCO = gtin14('0487000000201');
const cis = (serial: string): string => `01${TOBACCO}21${serial}`;
const code = (serial: string, mrp: number): string => `${cis(serial)}${GS}8005${String(mrp).padStart(6, '0')}${GS}93Ab1=`;
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tanba-sec-money-cli-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  try {
    const records = [
      { type: 'snapshot' },
      { type: 'product', gtin: TOBACCO, name: 'Сигареты (блок)', group: 'tobacco', ai: false, price: 67_900, unit: 'pcs' },
      { type: 'code', cis: cis('3bcdefg'), gtin: TOBACCO, status: 'in_circulation' },
      { type: 'code', cis: cis('3bcdefh'), gtin: TOBACCO, status: 'in_circulation' },
      { type: 'cursor', cursor: 'c1' },
    ];
    const path = join(dir, 'feed.ndjson');
    writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    await importFeed(db, path, { full: true, clock: fixedClock(NOW) });
  } finally {
    db.close();
  }
});
after(() => { rmSync(dir, { recursive: true, force: true }); });

function tanba(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_NOW: NOW, TANBA_CONFIG: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const sales = (): number => {
  const db = new Database(join(dir, 'tanba.db'), { readonly: true });
  try { return db.prepare('SELECT count(*) FROM sales').pluck().get() as number; } finally { db.close(); }
};

test('tanba sell: the catalogue price above the MRP in the code is refused (PRICE_ABOVE_MRP), nothing recorded', () => {
  const r = tanba(['sell', '--json', code('3bcdefg', 61_100)]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as { ok: boolean; lines: { verdict: { decision: string; reason: string } }[] };
  assert.equal(out.ok, false);
  assert.equal(out.lines[0]?.verdict.decision, 'refuse');
  assert.equal(out.lines[0]?.verdict.reason, 'PRICE_ABOVE_MRP');
  assert.equal(sales(), 0);
});

test('tanba sell: a pack whose MRP covers the catalogue price is sold at it', () => {
  const r = tanba(['sell', '--json', code('3bcdefh', 70_000)]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const out = JSON.parse(r.stdout) as { ok: boolean; total: number };
  assert.equal(out.total, 67_900);
  assert.equal(sales(), 1);
});
