// The CLI never echoes raw control or escape bytes from a feed file into the terminal: an ESC
// sequence in a cursor, a record or an error message is shown (<0x1B>), as `tanba parse` shows GS.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'tanba-sec-cli-esc-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

const tanba = (args: string[]) => spawnSync(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '', TANBA_NOW: '2026-03-01T09:00:00Z' } });
/** C0 controls but LF, DEL and the C1 controls (CSI 0x9B ...). */
// eslint-disable-next-line no-control-regex -- the test looks for exactly these bytes
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

test('a feed whose cursor and bad record carry ESC sequences: import, stats and the error show them escaped', () => {
  const evil = '\x1b]0;pwned\x07\x1b[2J\x9b31m';
  const good = join(dir, 'good.ndjson');
  const product = { type: 'product', gtin: '04870000001011', name: `Вода ${evil}`, group: 'water', ai: false, price: 100, unit: 'pcs' };
  const code = { type: 'code', cis: '010487000000101121300000000001', gtin: '04870000001011', status: 'in_circulation' };
  writeFileSync(good, [{ type: 'snapshot' }, product, code, { type: 'cursor', cursor: `c-${evil}` }].map((r) => JSON.stringify(r)).join('\n') + '\n');
  const imp = tanba(['cache', 'import', '--full', good]);
  assert.equal(imp.status, 0, imp.stderr);
  assert.doesNotMatch(imp.stdout + imp.stderr, RAW_CONTROL);
  const stats = tanba(['cache', 'stats']);
  assert.equal(stats.status, 0, stats.stderr);
  assert.doesNotMatch(stats.stdout + stats.stderr, RAW_CONTROL);
  assert.match(stats.stdout, /c-<0x1B>\]0;pwned<0x07><0x1B>\[2J<0x9B>31m/);

  const bad = join(dir, 'bad.ndjson');
  // eslint-disable-next-line no-control-regex -- escaping exactly these bytes into JSON
  writeFileSync(bad, `${JSON.stringify({ type: 'snapshot' })}\n{"type":"code","cis":"${evil.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"}\n${evil}\n`);
  const failed = tanba(['cache', 'import', '--full', bad]);
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /nothing of this import was applied/);
  assert.doesNotMatch(failed.stdout + failed.stderr, RAW_CONTROL);
});
