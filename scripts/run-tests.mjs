#!/usr/bin/env node
// Runs every test file (unit tests beside the code as *.test.ts, integration tests in test/)
// with node's built-in runner through tsx. Node 20's --test does not expand globs, so we
// collect the files here. Extra arguments narrow the run to paths containing them.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const roots = ['src', 'drivers', 'emulators', 'electron', 'test'];
const skip = new Set(['node_modules', 'fixtures', 'dist']);

/** @param {string} dir @returns {string[]} */
function collect(dir) {
  let out = [];
  let entries;
  try { entries = readdirSync(dir); } catch { return out; }
  for (const name of entries.sort()) {
    if (skip.has(name)) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out = out.concat(collect(full));
    else if (name.endsWith('.test.ts')) out.push(relative(root, full));
  }
  return out;
}

const filters = process.argv.slice(2);
const files = roots.flatMap((r) => collect(join(root, r)))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
