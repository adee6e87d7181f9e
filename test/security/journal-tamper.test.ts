// Records that cannot lie, through the real CLI: `tanba journal verify` cross-checks every sale
// against the digest its journal entry committed to, so editing a sales or sale_lines row
// (total 4528400 -> 1) is named; and commands that only read never create a register where
// there is none (a missing or empty data directory is an error, exit 1, nothing written).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { codeOf, G, NOW, serial, tempRegister, type TempRegister } from '../helpers/checkout-fixtures.ts';

const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
const tanba = (dir: string, args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_NOW: NOW, TANBA_CONFIG: '' } });

describe('journal verify names a changed sale', () => {
  let reg: TempRegister;
  const sql = (text: string, ...args: unknown[]): void => {
    const db = new Database(reg.file);
    try { db.prepare(text).run(...args); } finally { db.close(); }
  };
  const ids: string[] = [];
  before(async () => {
    reg = await tempRegister();
    for (const i of [0, 1]) {
      const r = tanba(reg.dir, ['sell', '--json', codeOf(G.water, serial(i))]);
      assert.equal(r.status, 0, r.stderr);
      ids.push((JSON.parse(r.stdout) as { saleId: string }).saleId);
    }
    assert.equal(tanba(reg.dir, ['journal', 'verify']).status, 0);
  });
  after(() => reg.done());

  test('sales.total edited: BROKEN, naming the document', () => {
    sql('UPDATE sales SET total = 1 WHERE id = ?', ids[1]);
    const r = tanba(reg.dir, ['journal', 'verify']);
    assert.equal(r.status, 1, r.stdout);
    assert.match(r.stderr, new RegExp(`journal BROKEN at entry \\d+: document ${ids[1]}: its sale or line rows were changed`));
    sql('UPDATE sales SET total = 25000 WHERE id = ?', ids[1]);
    assert.equal(tanba(reg.dir, ['journal', 'verify']).status, 0, 'restoring the content restores the digest');
  });

  test('a sale_lines row edited (price, code as scanned): BROKEN, the first changed document named (--json too)', () => {
    sql('UPDATE sale_lines SET price = 1 WHERE sale_id = ?', ids[0]);
    sql("UPDATE sale_lines SET code = code || 'x' WHERE sale_id = ?", ids[1]);
    const r = tanba(reg.dir, ['journal', 'verify', '--json']);
    assert.equal(r.status, 1);
    const v = JSON.parse(r.stdout) as { ok: boolean; reason: string; brokenAt: number };
    assert.equal(v.ok, false);
    assert.match(v.reason, new RegExp(`^document ${ids[0]}: `));
  });
});

describe('commands that read never create', () => {
  let root = '';
  before(() => { root = mkdtempSync(join(tmpdir(), 'tanba-sec-readonly-')); });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const args of [['journal', 'verify'], ['sync', 'status'], ['cache', 'stats'], ['journal', 'verify', '--json']]) {
    test(`tanba ${args.join(' ')} on a missing and on an empty data directory: exit 1, a clear error, nothing created`, () => {
      const missing = join(root, `missing-${args.join('-')}`);
      const r = tanba(missing, args);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /no register data at .* does not exist/);
      assert.equal(existsSync(missing), false, 'the directory was not created');
      const empty = join(root, `empty-${args.join('-')}`);
      mkdirSync(empty);
      const e = tanba(empty, args);
      assert.equal(e.status, 1);
      assert.match(e.stderr, /tanba\.db is missing/);
      assert.deepEqual(readdirSync(empty), [], 'nothing was written into it');
    });
  }
});
