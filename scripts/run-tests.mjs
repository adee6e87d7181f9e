#!/usr/bin/env node
// Runs test files with node's built-in runner through tsx. Node 20's --test does not expand
// globs, so we collect the files here.
//
//   node scripts/run-tests.mjs [--unit] [--integration] [--e2e] [--list] [PATH-FRAGMENT ...]
//
// Sets (combine them; none given = all of them, which is `npm test`):
//   --unit         unit tests beside the code: *.test.ts under src/, drivers/, emulators/, electron/
//   --integration  test/ without test/e2e/ and test/electron/ (includes the tsc + ESLint check)
//   --e2e          test/e2e/ (Chromium) and test/electron/ (Electron, where its binary is installed)
// TANBA_TEST_SET=unit,integration selects the same way. PATH-FRAGMENTs narrow the run to files
// whose path contains one of them. --list prints the selected files instead of running them.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const skip = new Set(['node_modules', 'fixtures', 'dist']);

/** Which files belong to each set, by their path relative to the repository. */
const SETS = {
  unit: { roots: ['src', 'drivers', 'emulators', 'electron'], keep: () => true },
  integration: { roots: ['test'], keep: (f) => !f.startsWith('test/e2e/') && !f.startsWith('test/electron/') },
  e2e: { roots: ['test/e2e', 'test/electron'], keep: () => true },
};

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

/** @param {string} message */
function usage(message) {
  console.error(`${message}\nusage: node scripts/run-tests.mjs [--unit] [--integration] [--e2e] [--list] [PATH-FRAGMENT ...]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const chosen = new Set();
for (const name of (process.env.TANBA_TEST_SET ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
  if (!(name in SETS)) usage(`TANBA_TEST_SET: unknown set '${name}' (sets: ${Object.keys(SETS).join(', ')})`);
  chosen.add(name);
}
const filters = [];
let list = false;
for (const a of args) {
  if (!a.startsWith('--')) { filters.push(a); continue; }
  if (a === '--list') { list = true; continue; }
  const name = a.slice(2);
  if (!(name in SETS)) usage(`unknown option ${a}`);
  chosen.add(name);
}
const sets = chosen.size === 0 ? Object.keys(SETS) : [...chosen];
const files = [...new Set(sets.flatMap((s) => SETS[s].roots.flatMap((r) => collect(join(root, r))).filter(SETS[s].keep)))]
  .sort()
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error(`no test files matched (sets: ${sets.join(', ')}${filters.length ? `; filters: ${filters.join(' ')}` : ''})`);
  process.exit(1);
}
if (list) {
  console.log(files.join('\n'));
  process.exit(0);
}
const result = spawnSync(process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', '--test-timeout=300000', ...files],
  { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
