// Head office's settings reach config.json through mergeConfigFile: merged one level deep,
// validated whole, written with the one durable write (src/files.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mergeConfigFile } from './index.ts';

test('head-office settings merge into config.json (0600, no temp left); an invalid merge leaves the file as it was', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-merge-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config.json');
  const before = `${JSON.stringify({ store: { name: 'Дүкен', address: 'Абай 1' }, register: { id: 'REG-7' } }, null, 2)}\n`;
  writeFileSync(file, before);
  mergeConfigFile(dir, { store: { name: 'Дүкен 2' }, cache: { offlineLimitHours: 24 } });
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { store: { name: 'Дүкен 2', address: 'Абай 1' }, register: { id: 'REG-7' }, cache: { offlineLimitHours: 24 } });
  assert.deepEqual(readdirSync(dir), ['config.json']);
  if (process.platform !== 'win32') assert.equal(statSync(file).mode & 0o777, 0o600);
  const good = readFileSync(file, 'utf8');
  assert.throws(() => mergeConfigFile(dir, { cache: { offlineLimitHours: 100 } }), /offlineLimitHours/);
  assert.equal(readFileSync(file, 'utf8'), good);
  assert.deepEqual(readdirSync(dir), ['config.json']);
});
