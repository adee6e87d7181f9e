// Data at rest: a data directory that already exists with mode 0755, and a umask of 022 — the
// server and the CLI leave the directory 0700 and every file in it (database, -wal, -shm,
// config.json, training files, receipts) 0600.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCore } from '../../src/server/main.ts';

const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;

/** Every path below `dir` with a mode that lets others in: [path, mode]. */
function openToOthers(dir: string): [string, string][] {
  const out: [string, string][] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const mode = statSync(p).mode & 0o777;
      if (mode & 0o077) out.push([p, mode.toString(8)]);
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

function preExisting(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

test('tanba serve (startCore) on a pre-existing 0755 directory with umask 022: directory 0700, every file 0600', async () => {
  const old = process.umask(0o022);
  const dir = preExisting('tanba-sec-modes-');
  try {
    const core = await startCore({ dataDir: dir, port: 0, env: {}, uiDir: join(dir, 'no-ui'), logToStderr: false, tuning: { trainingCodes: 200 } });
    try {
      const base = `http://127.0.0.1:${core.port}`;
      const setup = await fetch(`${base}/api/setup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ storeName: 'S', registerId: 'R1', adminPin: '5829', languages: ['ru'] }) });
      assert.equal(setup.status, 201);
    } finally {
      await core.stop();
    }
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    const files = readdirSync(dir);
    assert.ok(files.includes('tanba.db'), files.join(','));
    assert.deepEqual(openToOthers(dir), []);
  } finally {
    process.umask(old);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI on a pre-existing 0755 directory with umask 022 (and 0644 files left by an older version) fixes every mode', () => {
  const dir = preExisting('tanba-sec-modes-cli-');
  try {
    const run = (args: string[]) => spawnSync('/bin/sh', ['-c', `umask 022 && exec "${process.execPath}" "${bin}" --data-dir "${dir}" ${args.join(' ')}`], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
    const r = run(['shift', 'open', '--cashier', 'Aigul']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(openToOthers(dir), []);
    // An older version's files: made readable again, then any command fixes them.
    chmodSync(dir, 0o755);
    for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o644);
    const again = run(['shift', 'close']);
    assert.equal(again.status, 0, again.stderr);
    assert.deepEqual(openToOthers(dir), []);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
