// A shift belongs to the logged-in user: the API refuses to open one in another name (that name
// would print on every receipt of the shift). Before: `cashier` in the body was taken as given.
// The CLI (`tanba shift open --cashier NAME`) is run by whoever holds the data files and records
// the name it is given, as before.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../server-harness.ts';
import type { AuditResponse, ShiftResponse } from '../../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('sec-shift');
});
after(async () => {
  await h?.stop();
});

test('a cashier cannot open a shift in someone else\'s name; the shift is theirs', async () => {
  const other = await h.call<{ error: { code: string; message: string } }>('POST', '/api/shifts/open', h.tokens.cashier, { cashier: 'manager' });
  assert.equal(other.status, 403, other.text);
  assert.equal(other.body.error.code, 'SHIFT_OWNER');
  assert.match(other.body.error.message, /^cashier: /);
  const none = await h.call<ShiftResponse>('GET', '/api/shifts/current', h.tokens.cashier);
  assert.equal(none.body.shift, null, 'nothing was opened');
  const mine = await h.call<ShiftResponse>('POST', '/api/shifts/open', h.tokens.cashier, {});
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.body.shift?.cashier, 'cashier');
  const audit = await h.call<AuditResponse>('GET', '/api/audit?action=shift.open', h.tokens.admin);
  assert.ok(audit.body.entries.some((e) => e.outcome === 'denied' && e.details.asked === 'manager' && e.userName === 'cashier'));
  assert.equal((await h.call('POST', '/api/shifts/close', h.tokens.cashier, {})).status, 200);
  // Naming oneself is what an older client sends: accepted.
  const named = await h.call<ShiftResponse>('POST', '/api/shifts/open', h.tokens.manager, { cashier: 'manager' });
  assert.equal(named.status, 201, named.text);
  assert.equal(named.body.shift?.cashier, 'manager');
});

test('the CLI still opens a shift with the name it is given', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-sec-shift-cli-'));
  try {
    const bin = new URL('../../bin/tanba.mjs', import.meta.url).pathname;
    const r = spawnSync(process.execPath, [bin, '--data-dir', dir, 'shift', 'open', '--cashier', 'Дана', '--json'], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { shift: { cashier: string } }).shift.cashier, 'Дана');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
