// The test lanes of package.json (test:unit, test:integration, test:e2e) split the whole suite
// (`npm test`) without losing or repeating a file, and each lane holds what its name says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;

function listed(args: string[], env: NodeJS.ProcessEnv = {}): { status: number | null; files: string[]; stderr: string } {
  const r = spawnSync(process.execPath, ['scripts/run-tests.mjs', '--list', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, TANBA_TEST_SET: '', ...env } });
  return { status: r.status, files: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

test('the three lanes partition the whole suite', () => {
  const all = listed([]).files;
  const unit = listed(['--unit']).files;
  const integration = listed(['--integration']).files;
  const e2e = listed(['--e2e']).files;
  assert.ok(all.includes('test/static.test.ts'), 'the whole suite type-checks and lints');
  assert.deepEqual([...unit, ...integration, ...e2e].sort(), [...all].sort(), 'every file in exactly one lane');
  assert.ok(unit.length > 0 && unit.every((f) => /^(src|drivers|emulators|electron)\//.test(f)), 'unit: tests beside the code');
  assert.ok(integration.length > 0 && integration.every((f) => f.startsWith('test/') && !/^test\/(e2e|electron)\//.test(f)), 'integration: test/ without e2e');
  assert.ok(e2e.length > 0 && e2e.every((f) => /^test\/(e2e|electron)\//.test(f)), 'e2e: browser and Electron');
  assert.deepEqual(listed([], { TANBA_TEST_SET: 'e2e' }).files, e2e, 'TANBA_TEST_SET selects like the flags');
  assert.deepEqual(listed(['--unit', 'src/marking/']).files, unit.filter((f) => f.includes('src/marking/')), 'path fragments narrow a lane');
});

test('package.json runs each lane through the runner; npm test stays everything', () => {
  const scripts = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts;
  assert.equal(scripts.test, 'node scripts/run-tests.mjs');
  assert.equal(scripts['test:unit'], 'node scripts/run-tests.mjs --unit');
  assert.equal(scripts['test:integration'], 'node scripts/run-tests.mjs --integration');
  assert.equal(scripts['test:e2e'], 'node scripts/run-tests.mjs --e2e');
  assert.ok(scripts.lint && scripts.typecheck);
});

test('an unknown option or set is named, exit 2', () => {
  const bad = listed(['--fast']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown option --fast/);
  const env = listed([], { TANBA_TEST_SET: 'smoke' });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /TANBA_TEST_SET: unknown set 'smoke'/);
});
