// The `tanba` command as a user meets it: spawned as a real process through bin/tanba.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

function tanba(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('tanba --help lists the commands and exits 0', () => {
  const r = tanba(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /Commands:/);
  assert.match(r.stdout, /\bparse\b/);
  assert.match(r.stdout, /--data-dir/);
});

test('an unknown command is named and exits 2', () => {
  const r = tanba(['frobnicate']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /unknown command 'frobnicate'/);
});

test('a bad flag is named and exits 2', () => {
  const r = tanba(['parse', '--bogus', 'x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--bogus/);
  assert.match(r.stderr, /Usage: tanba parse/);
});

test('a command help shows its flags', () => {
  const r = tanba(['parse', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--json/);
});

test('--data-dir and TANBA_DATA_DIR choose the data directory for every command', () => {
  const a = mkdtempSync(join(tmpdir(), 'tanba-cli-a-'));
  const b = mkdtempSync(join(tmpdir(), 'tanba-cli-b-'));
  try {
    writeFileSync(join(a, 'config.json'), JSON.stringify({ store: { name: 'A store' } }));
    writeFileSync(join(b, 'config.json'), JSON.stringify({ store: { name: 'B store' } }));
    const viaEnv = tanba(['config', 'show', '--json'], { TANBA_DATA_DIR: a });
    assert.equal(viaEnv.code, 0, viaEnv.stderr);
    assert.equal(JSON.parse(viaEnv.stdout).config.store.name, 'A store');
    const viaFlag = tanba(['--data-dir', b, 'config', 'show', '--json'], { TANBA_DATA_DIR: a });
    const shown = JSON.parse(viaFlag.stdout);
    assert.equal(shown.dataDir, b);
    assert.equal(shown.config.store.name, 'B store');
    assert.equal(shown.trainingMode, true);
  } finally {
    rmSync(a, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  }
});

test('an invalid configuration file is reported with the offending field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-cli-bad-'));
  try {
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ languages: ['fr'] }));
    const r = tanba(['--data-dir', dir, 'config', 'show']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /languages/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
