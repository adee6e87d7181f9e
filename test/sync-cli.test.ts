// `tanba sync status | now | retry` as a manager meets them: spawned through bin/tanba.mjs on a
// register directory (real SQLite file, cache seeded by the real importer), training mode (the
// built-in OFD emulator in the data directory) and a configured OFD that refuses the token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startOfdEmulator, type OfdEmulator } from '../emulators/index.ts';
import { codeOf, G, serial, tempRegister, type TempRegister } from './helpers/checkout-fixtures.ts';

const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const NOW = new Date().toISOString();

interface Run { code: number | null; stdout: string; stderr: string; json: () => Record<string, unknown> }

/** Runs the CLI asynchronously (the test process hosts an emulator that must keep answering). */
function tanba(dir: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, '--data-dir', dir, ...args], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '', ...env } }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, unknown> });
    });
  });
}

describe('sync commands, training mode', async () => {
  let reg: TempRegister;
  before(async () => { reg = await tempRegister({ syncedAt: NOW }); });
  after(() => reg.done());

  test('status shows the undelivered sales; sync now delivers them to the training OFD; the dump holds them byte-exact', async () => {
    const codes = [codeOf(G.water, serial(0)), codeOf(G.water, serial(1))];
    for (const c of codes) assert.equal((await tanba(reg.dir, ['sell', '--json', c])).code, 0);
    const before = (await tanba(reg.dir, ['sync', 'status', '--json']));
    assert.equal(before.code, 0, before.stderr);
    const s = before.json() as { queue: { depth: number; oldestUndeliveredAt: string | null }; mode: string; salesAllowed: boolean };
    assert.equal(s.queue.depth, 2);
    assert.ok(s.queue.oldestUndeliveredAt !== null);
    assert.equal(s.mode, 'online');
    assert.equal(s.salesAllowed, true);

    const now = (await tanba(reg.dir, ['sync', 'now', '--json']));
    assert.equal(now.code, 0, now.stderr);
    const out = now.json() as { ok: boolean; pass: { delivered: number }; status: { queue: { depth: number; delivered: number } } };
    assert.equal(out.ok, true);
    assert.equal(out.pass.delivered, 2);
    assert.equal(out.status.queue.depth, 0);
    assert.equal(out.status.queue.delivered, 2);

    const dump = (await tanba(reg.dir, ['emulate', 'ofd', '--dump', '--db', join(reg.dir, 'ofd-training.db')]));
    assert.equal(dump.code, 0, dump.stderr);
    const docs = dump.stdout.trim().split('\n').map((l) => JSON.parse(l) as { exciseStamps: string[]; printedDocumentNumber: number });
    assert.deepEqual(docs.map((d) => d.exciseStamps), codes.map((c) => [c]));
    assert.deepEqual(docs.map((d) => d.printedDocumentNumber), [1, 2]);

    const db = new Database(reg.file, { readonly: true });
    try {
      const rows = db.prepare('SELECT state, ticket_number FROM outbox ORDER BY seq').all() as { state: string; ticket_number: string | null }[];
      assert.deepEqual(rows.map((r) => r.state), ['delivered', 'delivered']);
      assert.ok(rows.every((r) => r.ticket_number !== null));
    } finally {
      db.close();
    }

    // A second run finds nothing to send and the training OFD (same files, rotated token) still agrees.
    assert.equal((await tanba(reg.dir, ['sell', '--json', codeOf(G.water, serial(2))])).code, 0);
    const again = (await tanba(reg.dir, ['sync', 'now']));
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /delivered 1 \(training OFD\)/);
    assert.match(again.stdout, /mode: online/);
    const text = (await tanba(reg.dir, ['sync', 'status']));
    assert.match(text.stdout, /queue: 0 undelivered/);
    assert.equal((await tanba(reg.dir, ['journal', 'verify'])).code, 0);
  });

  test('retry: a row that does not exist or is not blocked is named; a bad ID is a usage error', async () => {
    const missing = (await tanba(reg.dir, ['sync', 'retry', '424242']));
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /outbox row 424242 does not exist/);
    const notBlocked = (await tanba(reg.dir, ['sync', 'retry', '--json', '1']));
    assert.equal(notBlocked.code, 1);
    assert.deepEqual((notBlocked.json().error as { code: string }).code, 'NOT_BLOCKED');
    assert.match((notBlocked.json().error as { message: string }).message, /outbox row 1 is not blocked \(it is delivered\)/);
    const bad = (await tanba(reg.dir, ['sync', 'retry', 'abc']));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /ID must be a positive whole number/);
  });
});

describe('sync commands, configured OFD refusing the token', async () => {
  let reg: TempRegister;
  let emu: OfdEmulator;
  before(async () => {
    reg = await tempRegister({ syncedAt: NOW });
    emu = await startOfdEmulator({ dbPath: join(reg.dir, 'real-ofd.db'), devices: [{ id: 9, token: 1000 }] });
  });
  after(async () => {
    await emu.close();
    reg.done();
  });

  test('sync now exits 1 naming the reason; status shows blocked with the OFD text; retry un-blocks (journaled); fixed, it delivers', async () => {
    const cfg = join(reg.dir, 'config.json');
    writeFileSync(cfg, JSON.stringify({ registry: { ofd: { host: emu.host, port: emu.port, deviceId: 9, token: 1001 } } }));
    const env = { TANBA_CONFIG: cfg };
    assert.equal((await tanba(reg.dir, ['sell', codeOf(G.water, serial(5))], env)).code, 0);
    const now = (await tanba(reg.dir, ['sync', 'now'], env));
    assert.equal(now.code, 1);
    assert.match(now.stderr, /1 record\(s\) still undelivered: OFD result 2/);
    const st = (await tanba(reg.dir, ['sync', 'status', '--json'], env)).json() as { mode: string; salesAllowed: boolean; queue: { blocked: { id: number; error: string }[] } };
    assert.equal(st.mode, 'blocked');
    assert.equal(st.salesAllowed, false);
    assert.equal(st.queue.blocked.length, 1);
    assert.match(st.queue.blocked[0]!.error, /invalid token/);
    const id = st.queue.blocked[0]!.id;
    assert.match((await tanba(reg.dir, ['sync', 'status'], env)).stdout, new RegExp(`tanba sync retry ${id}`));

    // The emulator answered with the device's real token, which the client stored: retry now succeeds.
    const retry = (await tanba(reg.dir, ['sync', 'retry', '--json', String(id)], env));
    assert.equal(retry.code, 0, retry.stderr);
    assert.equal(retry.json().state, 'pending');
    const db = new Database(reg.file, { readonly: true });
    try {
      assert.equal(db.prepare("SELECT count(*) FROM journal WHERE kind = 'sync_retry'").pluck().get(), 1);
    } finally {
      db.close();
    }
    const again = (await tanba(reg.dir, ['sync', 'now', '--json'], env));
    assert.equal(again.code, 0, again.stderr);
    assert.equal((again.json() as { status: { mode: string } }).status.mode, 'online');
    assert.equal(emu.documents().length, 1);
    assert.equal((await tanba(reg.dir, ['journal', 'verify'])).code, 0);
  });
});
