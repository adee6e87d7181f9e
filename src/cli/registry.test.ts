import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_BATCH_SIZE } from '../cache/index.ts';
import { COMMANDS } from './registry.ts';

test('every command has a unique name, a usage line and a module that loads to a run function', async () => {
  const names = COMMANDS.map((c) => c.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], 'duplicate names');
  for (const entry of COMMANDS) {
    // Words of lower-case letters, a hyphen inside a word allowed (emulate true-api).
    assert.match(entry.name, /^[a-z]+(-[a-z]+)*( [a-z]+(-[a-z]+)*)*$/, entry.name);
    assert.ok(entry.summary.length > 0 && entry.usage !== undefined, entry.name);
    const implementation = await entry.load();
    assert.equal(typeof implementation.run, 'function', `${entry.name}: load() gave no run()`);
  }
});

test('the help of cache import states the importer\'s real default batch size', () => {
  const entry = COMMANDS.find((c) => c.name === 'cache import');
  assert.match(entry?.flags['batch-size']?.help ?? '', new RegExp(`\\(default ${DEFAULT_BATCH_SIZE}\\)`));
});
