// Commands that read never create (issue 13): each command below only reads or ends what already
// exists, so on a missing or an empty data directory it exits 1 naming what is missing and leaves
// the disk as it was. `check`, `registry test` and `config show` must still answer on a fresh
// install (a check from an empty cache, a connection test, the defaults): they answer, and
// create nothing either.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
const tanba = (dir: string, args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], {
  encoding: 'utf8', env: { ...process.env, TANBA_NOW: '2026-03-01T10:00:00Z', TANBA_CONFIG: '' },
});
const CODE = '0104870000000012213ABCDEFGHIJKL\x1d93AbCd';

let root = '';
before(() => { root = mkdtempSync(join(tmpdir(), 'tanba-read-only-')); });
after(() => rmSync(root, { recursive: true, force: true }));

describe('commands that only read refuse a missing register, creating nothing', () => {
  const commands = [
    ['shift', 'x'], ['shift', 'x', '--json'], ['shift', 'close'], ['return', 'S-1', CODE], ['privacy', 'purge', '--json'],
    ['sync', 'retry', '1'], ['hub', 'status'], ['hub', 'conflicts', '--json'], ['hub', 'reconcile'],
  ];
  for (const args of commands) {
    test(`tanba ${args.join(' ')}`, () => {
      const missing = join(root, `missing-${args.join('-').replace(/\W/g, '_')}`);
      const r = tanba(missing, args);
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /no register data at .* \(the directory does not exist\)/);
      assert.equal(existsSync(missing), false, 'the directory was not created');
      const empty = join(root, `empty-${args.join('-').replace(/\W/g, '_')}`);
      mkdirSync(empty);
      const e = tanba(empty, args);
      assert.equal(e.status, 1, e.stdout + e.stderr);
      assert.match(e.stderr, /tanba\.db is missing/);
      assert.deepEqual(readdirSync(empty), [], 'nothing was written into it');
    });
  }
});

describe('read-only commands that answer on a fresh install create nothing', () => {
  test('check (and check --online) answers from an empty cache: exit 0, a verdict, no directory', () => {
    for (const extra of [[], ['--online']]) {
      const missing = join(root, `check${extra.join('')}`);
      const r = tanba(missing, ['check', '--json', ...extra, CODE]);
      assert.equal(r.status, 0, r.stderr);
      const line = JSON.parse(r.stdout) as { verdict: { decision: string; source: string } };
      assert.equal(typeof line.verdict.decision, 'string');
      assert.equal(existsSync(missing), false, `check ${extra.join(' ')} created the data directory`);
    }
    const empty = join(root, 'check-empty');
    mkdirSync(empty);
    assert.equal(tanba(empty, ['check', CODE]).status, 0);
    assert.deepEqual(readdirSync(empty), []);
  });

  test('registry test with nothing configured: FAILED as before (exit 1), nothing created', () => {
    const missing = join(root, 'registry-test');
    const r = tanba(missing, ['registry', 'test', '--json']);
    assert.equal(r.status, 1);
    assert.deepEqual(JSON.parse(r.stdout), { ok: false, providers: [] });
    assert.equal(existsSync(missing), false);
  });

  test('config show on a missing directory: the defaults, a note naming the directory, nothing created', () => {
    const missing = join(root, 'config-show');
    const r = tanba(missing, ['config', 'show', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { dataDir: string }).dataDir, missing);
    assert.match(r.stderr, /the data directory .*config-show does not exist/);
    assert.equal(existsSync(missing), false);
  });
});
