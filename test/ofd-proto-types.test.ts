// The OFD message types are generated from ofd.proto (npm run gen:proto): the committed file must
// be what the generator makes from the committed .proto, and a changed .proto must show as stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const PROTO = join(root, 'src/registry/ofd/ofd.proto');
const TYPES = join(root, 'src/registry/ofd/ofd-messages.d.ts');

function gen(...args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, ['scripts/gen-proto.mjs', ...args], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

test('the committed OFD message types are up to date with ofd.proto (else: npm run gen:proto)', () => {
  const r = gen('--check');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /is up to date/);
});

test('a changed .proto makes the committed types stale; regenerating carries the change, uint64 as number|string', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-proto-'));
  try {
    const proto = join(dir, 'ofd.proto');
    copyFileSync(PROTO, proto);
    assert.equal(gen('--check', '--proto', proto).status, 0, 'the same .proto elsewhere gives the same file');
    writeFileSync(proto, readFileSync(proto, 'utf8').replace(
      'message TicketResponse {\n  required string ticket_number = 1;',
      'message TicketResponse {\n  required string ticket_number = 1;\n  optional uint64 receipt_serial = 3;',
    ));
    const stale = gen('--check', '--proto', proto);
    assert.equal(stale.status, 1);
    assert.match(stale.out, /ofd-messages\.d\.ts is stale: .*run npm run gen:proto/);
    const out = join(dir, 'ofd-messages.d.ts');
    assert.equal(gen('--proto', proto, '--out', out).status, 0);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /receipt_serial\?: \(number\|string\|null\);/);
    assert.doesNotMatch(text, /\bLong\b/);
    assert.equal(readFileSync(TYPES, 'utf8').includes('receipt_serial'), false, 'the committed file is untouched');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
