// The README and docs/ stand on their own and cannot drift from the code: links stay inside the
// repository and resolve, the example configuration is accepted by the real schema and shows
// every setting, and every environment variable the code reads is documented.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import * as z from 'zod';
import { configSchema, isTrainingMode, loadConfig } from '../src/config.ts';

const root = resolve(new URL('..', import.meta.url).pathname);
const read = (file: string): string => readFileSync(join(root, file), 'utf8');

function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(root, dir)).sort()) {
    if (name === 'node_modules' || name === 'dist' || name === 'fixtures') continue;
    const rel = join(dir, name);
    if (statSync(join(root, rel)).isDirectory()) out.push(...filesUnder(rel, keep));
    else if (keep(name)) out.push(rel);
  }
  return out;
}

/** The README and every Markdown file under docs/ and beside the code. */
const markdown = ['README.md', ...filesUnder('docs', (n) => n.endsWith('.md')), ...filesUnder('src', (n) => n.endsWith('.md'))];

test('README and docs never send a reader outside the repository, and their links resolve', () => {
  for (const file of markdown) {
    const text = read(file);
    assert.doesNotMatch(text, /\.\.\/shared\/|(^|[\s`(])shared\/(DESIGN|STYLE|domain)/m, `${file} points at the shared folder outside the repository`);
    for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
      if (target === undefined || /^[a-z]+:/i.test(target)) continue;
      const path = resolve(root, dirname(file), target);
      assert.ok(!relative(root, path).startsWith('..'), `${file}: link ${target} leaves the repository`);
      assert.ok(existsSync(path), `${file}: link ${target} points at nothing`);
    }
  }
});

/** Every setting of a zod object schema as a dotted path. */
function settingPaths(schema: z.ZodType, prefix = ''): string[] {
  let t: z.ZodType = schema;
  while (t instanceof z.ZodDefault || t instanceof z.ZodOptional) t = t.unwrap() as z.ZodType;
  if (!(t instanceof z.ZodObject)) return [prefix];
  return Object.entries(t.shape).flatMap(([k, v]) => settingPaths(v as z.ZodType, prefix ? `${prefix}.${k}` : k));
}

function valueAt(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

test('docs/config.example.json is a valid configuration that shows every setting, the same as in the README', () => {
  const text = read('docs/config.example.json');
  const example = JSON.parse(text) as unknown;
  const parsed = configSchema.safeParse(example);
  assert.ok(parsed.success, parsed.success ? '' : `the example is refused: ${JSON.stringify(parsed.error.issues)}`);
  for (const path of settingPaths(configSchema)) {
    assert.notEqual(valueAt(example, path), undefined, `the example does not show ${path}`);
    // zod drops keys it does not know: a misspelt key would parse and be silently ignored.
    assert.deepEqual(valueAt(parsed.data, path), valueAt(example, path), `${path} does not survive validation as written`);
  }
  assert.equal(isTrainingMode(parsed.data), false, 'the example is a register in production (registry.ofd set)');

  // Through the real loader, from a data directory.
  const dir = mkdtempSync(join(tmpdir(), 'tanba-docs-'));
  try {
    writeFileSync(join(dir, 'config.json'), text);
    const loaded = loadConfig(dir, {});
    assert.equal(loaded.registry.ofd?.deviceId, valueAt(example, 'registry.ofd.deviceId'));
    assert.equal(isTrainingMode(loaded), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const readme = read('README.md');
  const block = /## Configuration[\s\S]*?```json\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.equal(block, text, 'the README shows docs/config.example.json as it is');
});

test('every TANBA_* environment variable the code reads is in the README', () => {
  const sources = ['src', 'drivers', 'electron', 'scripts', 'bin', 'test', 'bench']
    .flatMap((d) => filesUnder(d, (n) => /\.(ts|tsx|mjs|js|cjs)$/.test(n)));
  const readme = read('README.md');
  const found = new Set<string>();
  for (const file of sources) {
    if (file.endsWith('docs.test.ts')) continue;
    // Reads only: process.env.X, env.X, env['X'], and the names in config.ts's override table.
    for (const m of read(file).matchAll(/(?:env\.|env\[['"]|\[['"])(TANBA_[A-Z0-9_]+)/g)) found.add(m[1] as string);
  }
  assert.ok(found.has('TANBA_NOW') && found.has('TANBA_MARKING_TOKEN'), `the scan finds the variables: ${[...found].join(', ')}`);
  const missing = [...found].filter((v) => !readme.includes(v));
  assert.deepEqual(missing, [], `read by the code but not in the README: ${missing.join(', ')}`);
});
