// The layering of DESIGN.md is enforced by ESLint: an import against the direction fails lint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { layerOf } from '../tools/eslint/layers.js';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'tanba/layers').map((m) => m.message);
}

test('files map to their layers', () => {
  assert.equal(layerOf(root, `${root}/src/marking/parse.ts`), 'marking');
  assert.equal(layerOf(root, `${root}/src/cli.ts`), 'cli');
  assert.equal(layerOf(root, `${root}/src/cli/parse.ts`), 'cli');
  assert.equal(layerOf(root, `${root}/drivers/scanner/serial/index.ts`), 'drivers');
  assert.equal(layerOf(root, `${root}/src/server/contract/api.ts`), 'contract');
});

test('marking may not import the store', async () => {
  const errors = await lint('src/marking/bad.ts', "import { openDatabase } from '../store/index.ts';\nexport const x = openDatabase;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /layer 'marking' may not import layer 'store'/);
});

test('drivers may not import src', async () => {
  const errors = await lint('drivers/scanner/bad.ts', "import { parseCode } from '../../src/marking/index.ts';\nexport const x = parseCode;\n");
  assert.equal(errors.length, 1);
});

test('the ui may import only the API contract', async () => {
  assert.equal((await lint('src/ui/cashier/a.ts', "import type { X } from '../../server/contract/api.ts';\nexport type Y = X;\n")).length, 0);
  assert.equal((await lint('src/ui/cashier/a.ts', "import { openDatabase } from '../../store/index.ts';\nexport const y = openDatabase;\n")).length, 1);
  // The one path exception: the pure keyboard-wedge decoder, but no other driver.
  assert.equal((await lint('src/ui/shared/a.ts', "import { x } from '../../../drivers/scanner/wedge/index.ts';\nexport const y = x;\n")).length, 0);
  assert.equal((await lint('src/ui/shared/a.ts', "import { x } from '../../../drivers/scanner/serial/index.ts';\nexport const y = x;\n")).length, 1);
});

test('the store may import marking, the checkout may import the cache', async () => {
  assert.equal((await lint('src/store/a.ts', "import { parseCode } from '../marking/index.ts';\nexport const y = parseCode;\n")).length, 0);
  assert.equal((await lint('src/checkout/a.ts', "import { parseCode } from '../cache/index.ts';\nexport const y = parseCode;\n")).length, 0);
  assert.equal((await lint('src/store/a.ts', "import { x } from '../checkout/index.ts';\nexport const y = x;\n")).length, 1);
});

test('a unit test beside the code may use test/helpers/, nothing else of test/, and production code neither', async () => {
  const helper = "import { migrateTo } from '../../../test/helpers/migrations.ts';\nexport const y = migrateTo;\n";
  assert.equal((await lint('src/store/migrations/a.test.ts', helper)).length, 0);
  assert.equal((await lint('src/store/migrations/a.ts', helper)).length, 1);
  assert.equal((await lint('src/store/migrations/a.test.ts', "import { x } from '../../../test/server-harness.ts';\nexport const y = x;\n")).length, 1);
});
