// `tanba sell`, `return`, `shift`, `journal verify`, `privacy purge` as a user meets them:
// spawned through bin/tanba.mjs on a register directory whose cache the real importer seeded.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { codeOf, G, NOW, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

describe('checkout commands', () => {
  let reg: TempRegister;
  const tanba = (args: string[]): { code: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> } => {
    const r = spawnSync(process.execPath, [bin, '--data-dir', reg.dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_NOW: NOW, TANBA_CONFIG: '' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) as Record<string, unknown> };
  };
  const count = (sql: string): number => {
    const db = new Database(reg.file, { readonly: true });
    try { return db.prepare(sql).pluck().get() as number; } finally { db.close(); }
  };
  let saleId = '';
  before(async () => { reg = await tempRegister(); });
  after(() => reg.done());

  test('sell --json completes a sale (opening a shift) and prints one object', () => {
    const a = codeOf(G.water, serial(0));
    const b = codeOf(G.aiWater, serial(0));
    const r = tanba(['sell', '--json', '--pay', 'card', a, b]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.ok, true);
    saleId = out.saleId as string;
    assert.match(saleId, /^[0-9a-f-]{36}$/);
    const lines = out.lines as { code: string; cis: string; verdict: { decision: string; reason: string; source: string }; price: number; quantity: number; sum: number }[];
    assert.equal(lines.length, 2);
    assert.equal(lines[0]?.code, a);
    assert.equal(lines[0]?.verdict.decision, 'allow');
    assert.match(lines[0]?.verdict.reason ?? '', /^OK/);
    assert.equal(lines[0]?.verdict.source, 'cache');
    assert.equal(lines[0]?.quantity, 1);
    assert.equal(out.total, 55000);
    assert.deepEqual(out.payments, [{ type: 'card', amount: 55000 }]);
    assert.equal(count('SELECT count(*) FROM shifts'), 1);
  });

  test('a refused code: ok false with every verdict, exit 1, nothing recorded', () => {
    const before = count('SELECT count(*) FROM sales');
    const r = tanba(['sell', '--json', codeOf(G.water, serial(1)), codeOf(G.blocked, serial(0))]);
    assert.equal(r.code, 1);
    const out = r.json();
    assert.equal(out.ok, false);
    assert.equal((out.error as { code: string }).code, 'REFUSED');
    const lines = out.lines as { verdict: { decision: string; reason: string } }[];
    assert.deepEqual(lines.map((l) => l.verdict.decision), ['allow', 'refuse']);
    assert.equal(lines[1]?.verdict.reason, 'BLOCKED');
    assert.equal(count('SELECT count(*) FROM sales'), before);
    assert.equal(count('SELECT count(*) FROM sold_codes'), 2);
  });

  test('selling the same code again is refused as SOLD', () => {
    const r = tanba(['sell', '--json', codeOf(G.water, serial(0))]);
    assert.equal(r.code, 1);
    assert.equal((r.json().lines as { verdict: { reason: string } }[])[0]?.verdict.reason, 'SOLD');
  });

  test('no price: a clear error naming the code; --price fills it', () => {
    const code = codeOf(G.noPrice, serial(0));
    const r = tanba(['sell', code]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /no price for 01\d{14}21\d{13}<GS>93/);
    assert.match(r.stderr, /--price/);
    const ok = tanba(['sell', '--price', '32000', code]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /total 320\.00/);
    const bad = tanba(['sell', '--price', '12.5', code]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--price must be whole minor units/);
  });

  test('return --json returns lines of a sale; a second return of the same code fails', () => {
    const r = tanba(['return', '--json', saleId, codeOf(G.water, serial(0))]);
    assert.equal(r.code, 0, r.stderr);
    const out = r.json();
    assert.equal(out.ok, true);
    assert.equal(out.saleId, saleId);
    assert.match(out.returnId as string, /^[0-9a-f-]{36}$/);
    assert.equal(out.total, 25000);
    const again = tanba(['return', '--json', saleId, codeOf(G.water, serial(0))]);
    assert.equal(again.code, 1);
    assert.equal((again.json().error as { code: string }).code, 'ALREADY_RETURNED');
  });

  test('shift x and close print X and Z totals', () => {
    const x = tanba(['shift', 'x', '--json']);
    assert.equal(x.code, 0, x.stderr);
    const xr = x.json();
    assert.equal(xr.report, 'X');
    assert.equal((xr.sale as { sum: number }).sum, 55000 + 32000);
    assert.equal((xr.return as { sum: number }).sum, 25000);
    const z = tanba(['shift', 'close']);
    assert.equal(z.code, 0, z.stderr);
    assert.match(z.stdout, /Z report, shift 1/);
    assert.match(z.stdout, /net\s+620\.00/);
    const again = tanba(['shift', 'close', '--json']);
    assert.equal(again.code, 1);
    assert.equal((again.json().error as { code: string }).code, 'SHIFT_CLOSED');
    assert.equal(tanba(['shift', 'sideways']).code, 2);
  });

  test('privacy purge runs', () => {
    const r = tanba(['privacy', 'purge', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.json(), { ok: true, purged: 0, walTruncated: true });
  });

  test('journal verify passes, then names the first broken link after tampering (exit 1)', () => {
    const ok = tanba(['journal', 'verify']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /journal OK: \d+ entries/);
    const db = new Database(reg.file);
    db.exec('DROP TRIGGER journal_no_update');
    db.prepare("UPDATE journal SET payload = replace(payload, '55000', '5500') WHERE seq = 2").run();
    db.close();
    const bad = tanba(['journal', 'verify', '--json']);
    assert.equal(bad.code, 1);
    const v = bad.json();
    assert.equal(v.ok, false);
    assert.equal(v.brokenAt, 2);
    const text = tanba(['journal', 'verify']);
    assert.equal(text.code, 1);
    assert.match(text.stderr, /journal BROKEN at entry 2: content does not match its hash/);
  });
});
