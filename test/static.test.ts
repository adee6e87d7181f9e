// The whole tree type-checks under strict TypeScript and passes ESLint (including the layering
// rule). Part of the suite so that CI refuses a change that breaks either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;

test('tsc --noEmit reports no errors', () => {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `type errors:\n${r.stdout}${r.stderr}`);
});

test('eslint reports no problems', () => {
  const r = spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `lint problems:\n${r.stdout}${r.stderr}`);
});
