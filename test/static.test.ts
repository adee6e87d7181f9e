// The whole tree type-checks under strict TypeScript and passes ESLint (including the layering
// rule). Part of the suite so that CI refuses a change that breaks either.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

test('tsc --noEmit reports no errors', (t) => {
  // Electron is optional: where its package could not be installed, the two files that import
  // it cannot be type-checked; everything else still is.
  const withElectron = existsSync(join(root, 'node_modules', 'electron', 'electron.d.ts'));
  if (!withElectron) t.diagnostic('electron is not installed: electron/main.ts and electron/preload.ts are not type-checked');
  const project = withElectron ? 'tsconfig.json' : 'tsconfig.no-electron.json';
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', project], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `type errors:\n${r.stdout}${r.stderr}`);
});

test('eslint reports no problems', () => {
  const r = spawnSync(process.execPath, ['node_modules/eslint/bin/eslint.js', '--max-warnings=0', '.'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, `lint problems:\n${r.stdout}${r.stderr}`);
});

test('every file on the size to-do list still breaks a limit (a split file leaves the list)', async () => {
  const { ESLint } = await import('eslint');
  const configUrl = new URL('../eslint.config.js', import.meta.url).href;
  const { SIZE_LIMITS, SIZE_TODO } = (await import(configUrl)) as { SIZE_LIMITS: Record<string, unknown>; SIZE_TODO: string[] };
  if (SIZE_TODO.length === 0) return; // nothing left to split
  const eslint = new ESLint({ cwd: root, overrideConfig: [{ files: SIZE_TODO, rules: SIZE_LIMITS }] as never });
  const results = await eslint.lintFiles(SIZE_TODO);
  const within = results.filter((r) => !r.messages.some((m) => m.ruleId === 'max-lines' || m.ruleId === 'max-lines-per-function'));
  assert.deepEqual(within.map((r) => r.filePath.slice(root.length)), [], 'within the limits now: remove from SIZE_TODO in eslint.config.js');
});

test('one version constant (src/version.ts), equal to package.json\'s', async () => {
  const { TANBA_VERSION } = await import('../src/version.ts');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  assert.equal(TANBA_VERSION, pkg.version);
  const files = execFileSync('git', ['ls-files', 'src', 'electron', 'drivers', 'bin'], { cwd: root, encoding: 'utf8' }).split('\n').filter((f) => /\.(ts|tsx|mjs|cjs|js)$/.test(f) && !f.endsWith('.test.ts'));
  const literal = new RegExp(`['"]${pkg.version.replaceAll('.', '\\.')}['"]`);
  const holders = files.filter((f) => literal.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(holders, ['src/version.ts']);
});

test('one write-then-rename (src/files.ts writeFileAtomic, which fsyncs the file and the directory)', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src', 'electron', 'drivers', 'emulators', 'bin'], { cwd: root, encoding: 'utf8' })
    .split('\n').filter((f) => /\.(ts|tsx|mjs|cjs|js)$/.test(f) && !f.endsWith('.test.ts') && existsSync(join(root, f)));
  const renamers = files.filter((f) => /\brename(Sync)?\(/.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(renamers, ['src/files.ts']);
});

test('the CLI opens tanba.db in one place (src/cli/register-db.ts openRegisterDb)', () => {
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'src/cli', 'src/cli.ts', 'src/cli-bin.ts'], { cwd: root, encoding: 'utf8' })
    .split('\n').filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && existsSync(join(root, f)));
  const openers = files.filter((f) => /\bopenDatabase\(|new Database\(/.test(readFileSync(join(root, f), 'utf8')));
  assert.deepEqual(openers, ['src/cli/register-db.ts']);
});
