// Feed `product` records carry the VAT category (`vat`), as the National Catalogue file does, and
// the sale uses it: a real register file, the feed imported through the importer, a sale through
// the real checkout. A category the dated table does not know is refused, naming the record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedError, getProduct, importFeed } from '../src/cache/index.ts';
import { includedTax } from '../src/checkout/money.ts';
import { openDatabase } from '../src/store/index.ts';
import { cisOf, codeOf, NOW, openCheckout, serial } from './helpers/checkout-fixtures.ts';

const MEDICINE = '04870000001071';
const PAPER = '04870000001088';
const PLAIN = '04870000001095';

function feedFile(dir: string, name: string, records: object[]): string {
  const path = join(dir, name);
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return path;
}

test('a product\'s feed vat category decides the line\'s rate (medicines 5 % in 2026, zero 0 %, none given: standard 16 %)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-vat-'));
  try {
    const file = join(dir, 'tanba.db');
    const db = openDatabase(file);
    try {
      await importFeed(db, feedFile(dir, 'feed.ndjson', [
        { type: 'snapshot' },
        { type: 'product', gtin: MEDICINE, name: 'Парацетамол', group: 'medicines', ai: false, price: 100_000, unit: 'pcs', vat: 'medicines' },
        { type: 'product', gtin: PAPER, name: 'Газета', group: 'other', ai: false, price: 50_000, unit: 'pcs', vat: 'zero' },
        { type: 'product', gtin: PLAIN, name: 'Вода', group: 'water', ai: false, price: 25_000, unit: 'pcs' },
        ...[MEDICINE, PAPER, PLAIN].map((g) => ({ type: 'code', cis: cisOf(g, serial(0)), gtin: g, status: 'in_circulation' })),
        { type: 'cursor', cursor: 'v1' },
      ]), { full: true });
      assert.deepEqual([MEDICINE, PAPER, PLAIN].map((g) => getProduct(db, g)?.vat), ['medicines', 'zero', null]);
    } finally {
      db.close();
    }
    const { checkout, close } = openCheckout(file, { now: NOW });
    try {
      checkout.openShift('Асель');
      for (const g of [MEDICINE, PAPER, PLAIN]) {
        const r = checkout.scan(codeOf(g, serial(0)));
        assert.ok(r.ok, r.ok ? '' : r.refusal.verdict.reason);
      }
      const doc = checkout.completeSale({ payments: [{ type: 'cash', amount: 175_000 }] });
      assert.deepEqual(doc.lines.map((l) => [l.gtin, l.taxPercentMilli, l.taxSum]), [
        [MEDICINE, 5_000, includedTax(100_000, 5_000)],
        [PAPER, 0, 0],
        [PLAIN, 16_000, includedTax(25_000, 16_000)],
      ]);
      assert.equal(doc.sale.taxTotal, includedTax(100_000, 5_000) + includedTax(25_000, 16_000));
    } finally {
      close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a vat category the table does not know is refused with the record\'s line, nothing imported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-vat-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  try {
    const path = feedFile(dir, 'bad.ndjson', [
      { type: 'snapshot' },
      { type: 'product', gtin: MEDICINE, name: 'Парацетамол', group: 'medicines', ai: false, vat: 'luxury' },
      { type: 'cursor', cursor: 'v1' },
    ]);
    await assert.rejects(importFeed(db, path, { full: true }), (err: unknown) => err instanceof FeedError && err.line === 2 && /vat/.test(err.message));
    assert.equal(getProduct(db, MEDICINE), null);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
