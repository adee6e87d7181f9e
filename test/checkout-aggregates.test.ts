// Group packs (SSCC) at the checkout with the cache's own aggregation data (no injected
// contents): the real importer loads `aggregate` records, the checkout sells the units.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { importFeed, isSoldHere } from '../src/cache/index.ts';
import { CheckoutError, type Checkout } from '../src/checkout/index.ts';
import { getOutboxByDocument, openDatabase, type Db } from '../src/store/index.ts';
import { cisOf, codeOf, G, NOW, openCheckout, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';
import { fixedClock } from '../src/clock.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

/** An SSCC (18 digits) from a 17-digit body with its GS1 check digit. */
function sscc(body17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[16 - i]) * (i % 2 === 0 ? 3 : 1);
  return `${body17}${(10 - (s % 10)) % 10}`;
}
const PACK = sscc('04870000000000011');
const PACK_BLOCKED = sscc('04870000000000012');
const PACK_UNKNOWN = sscc('04870000000000013');
const UNITS = [10, 11, 12].map((i) => cisOf(G.water, serial(i)));

/** The delta after the fixtures' snapshot (cursor c1) with two packs. */
function delta(dir: string): string {
  const path = join(dir, 'aggregates.ndjson');
  writeFileSync(path, [
    { type: 'delta', from: 'c1' },
    { type: 'aggregate', code: PACK, contents: UNITS },
    { type: 'aggregate', code: PACK_BLOCKED, contents: [cisOf(G.water, serial(13)), cisOf(G.blocked, serial(0))] },
    { type: 'cursor', cursor: 'c2' },
  ].map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

describe('checkout: group packs from the cache', () => {
  let reg: TempRegister;
  let db: Db;
  let co: Checkout;
  let close: () => void;
  before(async () => {
    reg = await tempRegister();
    const seed = openDatabase(reg.file);
    try { await importFeed(seed, delta(reg.dir), { clock: fixedClock(NOW) }); } finally { seed.close(); }
    ({ db, checkout: co, close } = openCheckout(reg.file));
    co.openShift('Асель');
  });
  after(() => { close(); reg.done(); });

  test('a known SSCC sells its units in one sale: N lines, N sold codes, N excise stamps (the units\' CIS)', () => {
    const r = co.scan(`00${PACK}`);
    assert.ok(r.ok, r.ok ? '' : r.refusal.verdict.message);
    assert.equal(r.lines.length, 3);
    assert.deepEqual(r.lines.map((l) => l.cis), UNITS);
    assert.ok(r.lines.every((l) => l.fromAggregate === `00${PACK}` && l.verdict.decision === 'allow'));
    const doc = co.completeSale({ payments: [{ type: 'cash', amount: 75000 }] });
    assert.equal(doc.sale.total, 75000);
    assert.equal(doc.lines.length, 3);
    for (const cis of UNITS) assert.ok(isSoldHere(db, cis), `${cis} recorded as sold`);
    assert.equal(db.prepare('SELECT count(*) FROM sold_codes WHERE sale_id = ?').pluck().get(doc.sale.id), 3);
    const payload = getOutboxByDocument(db, doc.sale.id)?.payload as { items: { exciseStamp: string | null; quantity: number }[] };
    // A unit known only through its pack has no scan of its own: its excise stamp is its CIS.
    assert.deepEqual(payload.items.map((i) => i.exciseStamp), UNITS);
    assert.ok(payload.items.every((i) => i.quantity === 1000));

    // The pack again: every unit is sold now, so the whole pack is refused.
    const again = co.scan(`00${PACK}`);
    assert.ok(!again.ok);
    assert.equal(co.basket().lines.length, 0);
    co.cancelBasket();

    // Returning the pack's code returns its units.
    const ret = co.returnLines(doc.sale.id, [`00${PACK}`]);
    assert.equal(ret.lines.length, 3);
    assert.equal(ret.sale.total, 75000);
    for (const cis of UNITS) assert.ok(!isSoldHere(db, cis), `${cis} released by the return`);
    assert.throws(() => co.returnLines(doc.sale.id, [`00${PACK}`]), (e: unknown) => e instanceof CheckoutError && e.code === 'ALREADY_RETURNED');
  });

  test('one blocked unit refuses the whole pack; an unknown pack is refused, not overridable, and says to scan the units', () => {
    const bad = co.scan(`00${PACK_BLOCKED}`);
    assert.ok(!bad.ok);
    assert.equal(bad.refusal.cis, cisOf(G.blocked, serial(0)));
    assert.equal(co.basket().lines.length, 0, 'nothing of the pack is in the basket');
    assert.ok(!isSoldHere(db, cisOf(G.water, serial(13))));

    const unknown = co.scan(`00${PACK_UNKNOWN}`);
    assert.ok(!unknown.ok);
    assert.equal(unknown.refusal.verdict.decision, 'refuse');
    assert.equal(unknown.refusal.verdict.overridable, false);
    assert.match(unknown.refusal.verdict.messages.en, /contents are unknown.*scan the units one by one/);
    assert.throws(() => co.override(unknown.refusal.id, { approver: { name: 'Айгуль', role: 'manager' }, reason: 'pallet' }), (e: unknown) => e instanceof CheckoutError && e.code === 'NOT_OVERRIDABLE');
    assert.equal(co.basket().lines.length, 0);
    co.cancelBasket();
  });
});

describe('tanba sell of an SSCC after tanba cache import', () => {
  let reg: TempRegister;
  before(async () => { reg = await tempRegister(); });
  after(() => reg.done());
  const tanba = (args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, '--data-dir', reg.dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_NOW: NOW, TANBA_CONFIG: '' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('the spawned CLI imports the aggregate records and sells the pack\'s units', () => {
    const imp = tanba(['cache', 'import', delta(reg.dir)]);
    assert.equal(imp.code, 0, imp.stderr);
    const sold = tanba(['sell', '--json', '--pay', 'cash', `00${PACK}`]);
    assert.equal(sold.code, 0, sold.stderr + sold.stdout);
    const out = JSON.parse(sold.stdout) as { ok: boolean; saleId: string; total: number; lines: { code: string; cis: string }[] };
    assert.equal(out.ok, true);
    assert.equal(out.total, 75000);
    assert.deepEqual(out.lines.map((l) => l.cis), UNITS);
    const db = new Database(reg.file, { readonly: true });
    try {
      assert.equal(db.prepare('SELECT count(*) FROM sold_codes WHERE sale_id = ?').pluck().get(out.saleId), 3);
    } finally {
      db.close();
    }
    const unknown = tanba(['sell', '--json', `00${PACK_UNKNOWN}`]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stdout, /one by one/);
    // The scanned forms of a unit that was sold inside the pack are refused alone, too.
    const unit = tanba(['sell', '--json', codeOf(G.water, serial(10))]);
    assert.equal(unit.code, 1, unit.stdout);
  });
});
