/**
 * Two senders at once (`tanba sync now` while `tanba serve` runs): the delivery lease lets only
 * one deliver. A real child process holds the lease while it delivers to a slow OFD emulator
 * (real TCP); the sender in this process gets `busy` naming the child's pid and sends nothing.
 * A child SIGKILLed while holding the lease is taken over at once (its pid is gone), and the
 * OFD still holds every document exactly once.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { getSyncLease, outboxStats } from '../src/store/index.ts';
import { DEVICE, TOKEN, syncRig, type SyncRig } from './helpers/sync-fixtures.ts';

const root = new URL('..', import.meta.url).pathname;

// The second process: a sender on the same register database, as `tanba sync now` runs one.
const CHILD = `
const [file, port, device, token] = process.argv.slice(1);
const { openDatabase } = await import(${JSON.stringify(`${root}src/store/index.ts`)});
const { createOutboxSender, openOfdClient } = await import(${JSON.stringify(`${root}src/sync/index.ts`)});
const db = openDatabase(file);
const client = openOfdClient(db, { host: '127.0.0.1', port: Number(port), deviceId: Number(device), token: Number(token) },
  { transactionTimeoutMs: 5000, retryDelayMs: 5, connectTimeoutMs: 1000, reconnectIntervalMs: 1000 });
const sender = createOutboxSender({ db, client });
const pass = await sender.deliverOnce({ force: true });
process.stdout.write(JSON.stringify(pass) + '\\n');
db.close();
`;

let rig: SyncRig | undefined;
let child: ChildProcessWithoutNullStreams | undefined;
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const closed = new Promise((r) => child!.once('close', r));
    child.kill('SIGKILL');
    await closed;
  }
  child = undefined;
  await rig?.close();
  rig = undefined;
});

function startChild(r: SyncRig): { proc: ChildProcessWithoutNullStreams; done: Promise<{ code: number | null; out: string; err: string }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, r.reg.file, String(r.emu.port), String(DEVICE), String(TOKEN)], { cwd: root });
  let out = '';
  let err = '';
  proc.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr.on('data', (c: Buffer) => { err += c.toString(); });
  const done = new Promise<{ code: number | null; out: string; err: string }>((resolve) => proc.on('close', (code) => resolve({ code, out, err })));
  return { proc, done };
}

async function until(what: string, cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('delivery lease: one sender per register database', () => {
  test('a second process delivering: this sender answers busy with its pid and sends nothing', async () => {
    rig = await syncRig({ faults: { latencyMs: 250 } });
    for (let i = 0; i < 4; i++) rig.sell(i);
    const c = startChild(rig);
    child = c.proc;
    await until('the child to hold the lease', () => getSyncLease(rig!.db, 'ofd')?.pid === c.proc.pid);
    const before = rig.emu.requests().length;
    const pass = await rig.sender.deliverOnce({ force: true });
    assert.equal(pass.delivered, 0);
    assert.equal(pass.stopped?.kind, 'busy');
    assert.match(pass.stopped && 'reason' in pass.stopped ? pass.stopped.reason : '', new RegExp(`another process is delivering: pid ${c.proc.pid}`));
    const result = await c.done;
    assert.equal(result.code, 0, result.err);
    assert.equal((JSON.parse(result.out) as { delivered: number }).delivered, 4, 'the child delivered everything');
    assert.ok(rig.emu.requests().length >= before);
    assert.equal(getSyncLease(rig.db, 'ofd'), undefined, 'released at the end of the pass');
    // Now this sender may deliver; nothing was sent twice.
    rig.sell(4);
    assert.deepEqual(await rig.sender.deliverOnce({ force: true }), { delivered: 1, remaining: 0, stopped: null });
    const tickets = rig.emu.documents().filter((d) => d.command === 'TICKET');
    assert.deepEqual(tickets.map((d) => d.printedDocumentNumber), [1, 2, 3, 4, 5]);
    assert.equal(rig.emu.requests().filter((r) => r.command === 'TICKET' && !r.replay).length, 5, 'each ticket processed once');
  });

  test('a holder killed mid-delivery is taken over at once; every document exactly once', async () => {
    rig = await syncRig({ faults: { latencyMs: 250 } });
    for (let i = 0; i < 4; i++) rig.sell(i);
    const c = startChild(rig);
    child = c.proc;
    await until('the child to hold the lease', () => getSyncLease(rig!.db, 'ofd')?.pid === c.proc.pid);
    await until('a first request in flight', () => rig!.emu.requests().length >= 1);
    c.proc.kill('SIGKILL');
    await c.done;
    assert.equal(getSyncLease(rig.db, 'ofd')?.pid, c.proc.pid, 'the dead holder left its lease behind');
    rig.emu.setFaults({});
    const pass = await rig.sender.deliverOnce({ force: true });
    assert.equal(pass.stopped, null, JSON.stringify(pass));
    assert.equal(outboxStats(rig.db).delivered, 4);
    assert.deepEqual(rig.emu.documents().filter((d) => d.command === 'TICKET').map((d) => d.printedDocumentNumber), [1, 2, 3, 4]);
  });
});
