// The cache is sized for ~10 million codes: every lookup a scan makes must find its row by key.
// These tests ask SQLite for the plan of the very statements the store runs (EXPLAIN QUERY PLAN)
// and fail on a table scan, so a changed query or a dropped index cannot slip through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeAndSold, lookupRow } from './cache-codes.ts';
import { aggregatesHolding } from './cache-aggregates.ts';
import { purgeSold } from './cache-sold.ts';
import { LATEST, insertRows, queryPlan, recordStatements, tempDatabase } from '../../test/helpers/migrations.ts';
import { openDatabase, type Db } from './db.ts';

const GTIN = '04870000000019';
const cis = (serial: number): string => `01${GTIN}213${String(serial).padStart(12, '0')}`;

/** A cache with a few thousand codes, some blocks, products, sales and packs. */
function filled(): { db: Db; file: string; done(): void } {
  const t = tempDatabase(LATEST);
  const codes = Array.from({ length: 5000 }, (_, i) => ({ cis: cis(i), status: 1 + (i % 4), expires: null, mrp: null }));
  insertRows(t.db, 'codes', codes);
  insertRows(t.db, 'products', [{ gtin: GTIN, name: 'Milk', grp: 'dairy', ai: 0, unit: null, min_price: null, price: 65_000, partial: null }]);
  insertRows(t.db, 'blocks', [{ kind: 1, key: cis(7), batch: '' }, { kind: 3, key: GTIN, batch: 'B1' }]);
  insertRows(t.db, 'sold_codes', Array.from({ length: 500 }, (_, i) => ({ cis: cis(i * 10), sale_id: `S${i}`, sold_at: '2026-01-01T00:00:00.000Z', units_sold: 1, units_total: 1, returns_until: '2026-01-15' })));
  insertRows(t.db, 'aggregate_contents', Array.from({ length: 1000 }, (_, i) => ({ code: `0487000000000${String(Math.floor(i / 10)).padStart(5, '0')}`, cis: cis(i) })));
  return t;
}

/** The plan of the one statement `fn` runs, on a fresh connection (the store caches prepared statements per connection). */
function planOf(file: string, fn: (db: Db) => unknown): string[] {
  const db = openDatabase(file);
  try {
    const statements = recordStatements(db, () => { fn(db); });
    assert.equal(statements.length, 1, `expected one statement, got: ${statements.map((s) => s.sql).join(' | ')}`);
    const [s] = statements as [{ sql: string; params: unknown[] }];
    return queryPlan(db, s.sql, s.params);
  } finally {
    db.close();
  }
}

const scansOf = (plan: string[], tables: RegExp): string[] => plan.filter((d) => /^SCAN /.test(d) && tables.test(d));

test('the per-scan lookup finds the code and its sale record by primary key', () => {
  const t = filled();
  try {
    assert.deepEqual(codeAndSold(t.db, cis(10)), [3, null, null, 1, 1], 'and it answers');
    const plan = planOf(t.file, (db) => codeAndSold(db, cis(10)));
    assert.ok(plan.includes('SEARCH c USING PRIMARY KEY (cis=?) LEFT-JOIN'), plan.join('\n'));
    assert.ok(plan.includes('SEARCH s USING PRIMARY KEY (cis=?) LEFT-JOIN'), plan.join('\n'));
    assert.deepEqual(scansOf(plan, /\b(c|s|codes|sold_codes)\b/), [], plan.join('\n'));
  } finally {
    t.done();
  }
});

test('the full lookup reaches codes, blocks, products and sync state by key', () => {
  const t = filled();
  try {
    const row = lookupRow(t.db, cis(7), GTIN, 'B1');
    assert.deepEqual([row.status, row.b_code, row.b_gtin, row.b_batch, row.name], [4, 1, 0, 1, 'Milk'], 'and it answers');
    const plan = planOf(t.file, (db) => lookupRow(db, cis(7), GTIN, 'B1'));
    for (const step of ['SEARCH c USING PRIMARY KEY (cis=?) LEFT-JOIN', 'SEARCH s USING PRIMARY KEY (cis=?) LEFT-JOIN', 'SEARCH p USING PRIMARY KEY (gtin=?) LEFT-JOIN']) {
      assert.ok(plan.includes(step), `${step} missing from:\n${plan.join('\n')}`);
    }
    assert.equal(plan.filter((d) => d === 'SEARCH blocks USING PRIMARY KEY (kind=? AND key=? AND batch=?)').length, 3, plan.join('\n'));
    // cache_import holds at most one row; every other table is searched.
    assert.deepEqual(scansOf(plan, /\b(c|s|p|y|codes|sold_codes|products|blocks|cache_sync)\b/), [], plan.join('\n'));
  } finally {
    t.done();
  }
});

test('"which pack holds this unit" uses the index by unit; purging old sale records uses the index by date', () => {
  const t = filled();
  try {
    assert.deepEqual(aggregatesHolding(t.db, cis(15)), ['048700000000000001']);
    assert.deepEqual(planOf(t.file, (db) => aggregatesHolding(db, cis(15))), ['SEARCH aggregate_contents USING COVERING INDEX aggregate_contents_cis (cis=?)']);
    const purge = planOf(t.file, (db) => purgeSold(db, '2026-01-01T00:00:00.000Z'));
    assert.ok(purge.some((d) => /^SEARCH sold_codes USING (COVERING )?INDEX sold_codes_returns_until \(returns_until<\?\)$/.test(d)), purge.join('\n'));
  } finally {
    t.done();
  }
});
