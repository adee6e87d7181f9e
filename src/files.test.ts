import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from './files.ts';

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('writeFileAtomic replaces the file whole, 0600, and leaves no temp behind', (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'config.json');
  writeFileSync(file, '{"old":true}\n');
  const text = `${JSON.stringify({ store: { name: 'Дүкен' }, pad: 'x'.repeat(300_000) })}\n`;
  writeFileAtomic(file, text);
  assert.equal(readFileSync(file, 'utf8'), text);
  assert.deepEqual(readdirSync(dir), ['config.json']);
  if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
});

test('writeFileAtomic into a missing directory throws and creates nothing', (t) => {
  const dir = tempDir(t);
  assert.throws(() => writeFileAtomic(join(dir, 'absent', 'devices.json'), '{}'), /ENOENT/);
  assert.deepEqual(readdirSync(dir), []);
});

// A real failure half-way through the write: a child process whose file-size limit (ulimit -f)
// is far below the new text. The old file must survive whole and the temp must be removed.
test('a write that fails half-way leaves the old file intact and removes the temp', { skip: process.platform === 'win32' }, (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'config.json');
  const old = '{"register":{"id":"R1"}}\n';
  writeFileSync(file, old);
  const moduleUrl = new URL('./files.ts', import.meta.url).href;
  const script = `import { writeFileAtomic } from ${JSON.stringify(moduleUrl)};
try { writeFileAtomic(process.argv[1], 'y'.repeat(200000)); process.stdout.write('written'); }
catch (err) { process.stdout.write(String(err.code)); process.exitCode = 3; }`;
  const r = spawnSync('/bin/sh', ['-c', 'ulimit -f 8 && exec "$0" --import tsx --input-type=module -e "$1" "$2"', process.execPath, script, file], {
    cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8',
  });
  assert.equal(r.stdout, 'EFBIG', `child: ${r.stdout} ${r.stderr}`);
  assert.equal(r.status, 3);
  assert.equal(readFileSync(file, 'utf8'), old);
  assert.deepEqual(readdirSync(dir), ['config.json']);
});
