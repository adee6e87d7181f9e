// The layering of docs/architecture.md is enforced by ESLint: an import against the direction,
// a package outside its layer, an import cycle or a copy of the GS helper fails lint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ESLint } from 'eslint';
import { findCycle, layerOf } from '../tools/eslint/layers.js';

const root = new URL('..', import.meta.url).pathname.replace(/\/$/, '');

async function lint(file: string, code: string, rule = 'tanba/layers'): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

test('files map to their layers', () => {
  assert.equal(layerOf(root, `${root}/src/marking/parse.ts`), 'marking');
  assert.equal(layerOf(root, `${root}/src/cli.ts`), 'cli');
  assert.equal(layerOf(root, `${root}/src/cli/parse.ts`), 'cli');
  assert.equal(layerOf(root, `${root}/drivers/scanner/serial/index.ts`), 'drivers');
  assert.equal(layerOf(root, `${root}/src/server/contract/api.ts`), 'contract');
  assert.equal(layerOf(root, `${root}/emulators/ofd/emulator.ts`), 'emulators');
  assert.equal(layerOf(root, `${root}/src/register/index.ts`), 'register');
  assert.equal(layerOf(root, `${root}/src/clock.ts`), 'clock');
});

test('only the CLI, tests, bench and the composition root may import the emulators', async () => {
  const code = "import { startTraining } from '../../emulators/index.ts';\nexport const y = startTraining;\n";
  assert.equal((await lint('src/server/main.ts', code)).length, 0, 'the composition root');
  assert.equal((await lint('src/cli/x.ts', code)).length, 0, 'the CLI');
  assert.match((await lint('src/server/services.ts', code))[0] ?? '', /layer 'server' may not import layer 'emulators'/);
  assert.match((await lint('src/register/x.ts', code))[0] ?? '', /layer 'register' may not import layer 'emulators'/);
  assert.match((await lint('src/sync/x.ts', "import { x } from '../../emulators/index.ts';\nexport const y = x;\n"))[0] ?? '', /'sync' may not import layer 'emulators'/);
  assert.equal((await lint('src/sync/x.test.ts', "import { x } from '../../emulators/index.ts';\nexport const y = x;\n")).length, 0, 'a unit test beside the code');
});

test('production code never imports the test kit', async () => {
  const code = "import { gtin14 } from '../marking/testkit.ts';\nexport const y = gtin14;\n";
  assert.match((await lint('src/cache/x.ts', code))[0] ?? '', /test kit/);
  assert.equal((await lint('src/cache/x.test.ts', code)).length, 0);
});

test('production code never imports a testdata/ folder; the tests beside it and the test data itself may', async () => {
  const code = "import { mod10 } from './testdata/oracles.ts';\nexport const y = mod10;\n";
  assert.match((await lint('src/marking/gs1/lint-x.ts', code))[0] ?? '', /test data/);
  assert.match((await lint('src/marking/x.ts', "import { mod10 } from './gs1/testdata/oracles.ts';\nexport const y = mod10;\n"))[0] ?? '', /test data/);
  assert.equal((await lint('src/marking/gs1/linters.test.ts', code)).length, 0, 'a unit test beside it');
  assert.equal((await lint('src/marking/gs1/testdata/vectors/x.ts', "import { mod10 } from '../oracles.ts';\nexport const y = mod10;\n")).length, 0, 'test data among itself');
});

test('unused edges are gone from the table', async () => {
  assert.equal((await lint('src/cache/x.ts', "import { x } from '../../drivers/printer/index.ts';\nexport const y = x;\n")).length, 1, 'cache -> drivers');
  assert.equal((await lint('src/checkout/x.ts', "import { x } from '../../drivers/printer/index.ts';\nexport const y = x;\n")).length, 1, 'checkout -> drivers');
  assert.equal((await lint('src/devices/x.ts', "import { x } from '../store/index.ts';\nexport const y = x;\n")).length, 1, 'devices -> store');
  assert.equal((await lint('src/sync/x.ts', "import { x } from '../checkout/index.ts';\nexport const y = x;\n")).length, 1, 'sync -> checkout');
});

test('database, hardware and codec packages stay in their layer (type-only imports are free)', async () => {
  const sqlite = "import Database from 'better-sqlite3';\nexport const y = Database;\n";
  assert.equal((await lint('src/store/x.ts', sqlite, 'tanba/packages')).length, 0);
  assert.match((await lint('src/checkout/x.ts', sqlite, 'tanba/packages'))[0] ?? '', /'better-sqlite3' belongs to store/);
  assert.equal((await lint('drivers/printer/x.ts', "import type { Database } from 'better-sqlite3';\nexport type Y = Database;\n", 'tanba/packages')).length, 0);
  assert.equal((await lint('src/devices/x.ts', "import { SerialPort } from 'serialport';\nexport const y = SerialPort;\n", 'tanba/packages')).length, 1);
  assert.equal((await lint('src/registry/marking/x.ts', "import protobuf from 'protobufjs';\nexport const y = protobuf;\n", 'tanba/packages')).length, 1);
  assert.equal((await lint('src/registry/ofd/x.ts', "import protobuf from 'protobufjs';\nexport const y = protobuf;\n", 'tanba/packages')).length, 0);
});

test('an import cycle is found and named; the tree has none', async () => {
  const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'] };
  assert.deepEqual(findCycle('a', (f: string) => graph[f] ?? []), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle('d', (f: string) => graph[f] ?? []), null, 'd leads into a cycle but is not on one');
  const eslint = new ESLint({ cwd: root });
  const results = await eslint.lintFiles(['src/server/contract/*.ts', 'src/registry/ofd/*.ts']);
  assert.deepEqual(results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'tanba/no-cycle').map((m) => m.message)), []);
});

test('a second "show GS" helper is refused by name', async () => {
  const errors = await lint('src/cli/x.ts', "export function printable(s: string): string { return s; }\n", 'no-restricted-syntax');
  assert.match(errors[0] ?? '', /visibleGs/);
});

test('marking may not import the store', async () => {
  const errors = await lint('src/marking/bad.ts', "import { openDatabase } from '../store/index.ts';\nexport const x = openDatabase;\n");
  assert.equal(errors.length, 1);
  assert.match(errors[0] ?? '', /layer 'marking' may not import layer 'store'/);
});

test('drivers import only the marking engine (its one AIM symbology table), nothing else of src', async () => {
  const errors = await lint('drivers/scanner/bad.ts', "import { openDatabase } from '../../src/store/index.ts';\nexport const x = openDatabase;\n");
  assert.equal(errors.length, 1);
  assert.equal((await lint('drivers/scanner/x.ts', "import { aimSymbology } from '../../src/marking/aim.ts';\nexport const y = aimSymbology;\n")).length, 0);
});

test('the ui may import only the API contract', async () => {
  assert.equal((await lint('src/ui/cashier/a.ts', "import type { X } from '../../server/contract/api.ts';\nexport type Y = X;\n")).length, 0);
  assert.equal((await lint('src/ui/cashier/a.ts', "import { openDatabase } from '../../store/index.ts';\nexport const y = openDatabase;\n")).length, 1);
  // The keyboard-wedge decoder lives in the ui itself now: no driver at all, and no path exception.
  assert.equal((await lint('src/ui/shared/a.ts', "import { x } from '../wedge/index.ts';\nexport const y = x;\n")).length, 0);
  assert.equal((await lint('src/ui/shared/a.ts', "import { x } from '../../../drivers/scanner/serial/index.ts';\nexport const y = x;\n")).length, 1);
});

test('the store imports nothing of ours, the checkout may import the cache', async () => {
  assert.equal((await lint('src/store/a.ts', "import { parseCode } from '../marking/index.ts';\nexport const y = parseCode;\n")).length, 1);
  assert.equal((await lint('src/checkout/a.ts', "import { parseCode } from '../cache/index.ts';\nexport const y = parseCode;\n")).length, 0);
  assert.equal((await lint('src/store/a.ts', "import { x } from '../checkout/index.ts';\nexport const y = x;\n")).length, 1);
});

test('a unit test beside the code may use test/helpers/, nothing else of test/, and production code neither', async () => {
  const helper = "import { migrateTo } from '../../../test/helpers/migrations.ts';\nexport const y = migrateTo;\n";
  assert.equal((await lint('src/store/migrations/a.test.ts', helper)).length, 0);
  assert.equal((await lint('src/store/migrations/a.ts', helper)).length, 1);
  assert.equal((await lint('src/store/migrations/a.test.ts', "import { x } from '../../../test/server-harness.ts';\nexport const y = x;\n")).length, 1);
});
