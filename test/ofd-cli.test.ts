/**
 * `tanba emulate ofd` as a child process: read the port from its first stdout line, deliver
 * tickets with the real client, change faults through stdin at run time, stop it with SIGTERM,
 * then `--dump` what it accepted.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { allocateOfdDocumentNumbers, initOfdState, openDatabase, type Db } from '../src/store/index.ts';
import { createOfdClient } from '../src/registry/index.ts';
import { ticketRequestOf } from './helpers/ticket.ts';
import { type EmulatorDocument } from '../emulators/index.ts';

const BIN = new URL('../bin/tanba.mjs', import.meta.url).pathname;
const GS = '\x1d';
const STAMP = `010460043993125621JgXJ5.T${GS}8005112000${GS}930001${GS}923zbrLA==`;
let dir: string;
let child: ChildProcessWithoutNullStreams | undefined;

before(() => { dir = mkdtempSync(join(tmpdir(), 'tanba-ofd-cli-')); });
after(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function nextLine(rl: Interface, timeoutMs = 20_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no line from the emulator in time')), timeoutMs);
    const onExit = (code: number | null): void => { clearTimeout(t); reject(new Error(`the emulator exited (${code}) before printing a line`)); };
    child?.once('exit', onExit);
    rl.once('line', (line) => { clearTimeout(t); child?.off('exit', onExit); resolve(line); });
  });
}

function ticket(db: Db, operation: 'sell' | 'sell_return', stamp: string, parentNumber?: string) {
  const n = allocateOfdDocumentNumbers(db, 77, new Date().toISOString());
  const parent = parentNumber ? { parent: { ticketNumber: parentNumber, dateTime: new Date().toISOString(), total: 95000, offline: false, kgdKkmId: 'KGD-77' } } : {};
  return ticketRequestOf({
    operation, originalDocumentId: parentNumber ? 'doc-1' : null, dateTime: new Date().toISOString(), operator: { code: 3, name: 'Test' },
    items: [{ name: 'Tobacco', sectionCode: '2', quantity: 1000, price: 95000, sum: 95000, exciseStamp: stamp }],
    payments: [{ type: 'cash', sum: 95000 }], amounts: { total: 95000, taken: 100000, change: 5000 },
    shiftNumber: n.shiftNumber, shiftDocumentNumber: n.shiftDocumentNumber, printedDocumentNumber: n.printedDocumentNumber,
  }, parent);
}

test('emulate ofd: listens, accepts, takes faults on stdin, stops on SIGTERM; --dump prints the documents', async () => {
  const emuDb = join(dir, 'emu.db');
  child = spawn(process.execPath, [BIN, '--data-dir', dir, 'emulate', 'ofd', '--port', '0', '--db', emuDb, '--device', '77:9'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  const rl = createInterface({ input: child.stdout });
  const first = await nextLine(rl);
  const m = /^listening on 127\.0\.0\.1:(\d+)$/.exec(first);
  assert.ok(m, `first line was '${first}' (stderr: ${stderr})`);
  const port = Number(m[1]);

  const db = openDatabase(join(dir, 'tanba.db'));
  try {
    initOfdState(db, { deviceId: 77, token: 9, now: new Date().toISOString() });
    const client = createOfdClient({ db, host: '127.0.0.1', port, deviceId: 77, transactionTimeoutMs: 3000, retryDelayMs: 10 });
    const sold = await client.send(ticket(db, 'sell', STAMP));
    assert.equal(sold.kind, 'ok');
    const soldNumber = sold.kind === 'ok' ? sold.response.ticket?.ticket_number : undefined;
    child.stdin.write('fault drop-after-next 1\n');
    assert.match(await nextLine(rl), /^ok .*"dropAfterNext":1/);
    assert.equal((await client.send(ticket(db, 'sell_return', STAMP, soldNumber))).kind, 'ok', 'the lost response was resent');
    child.stdin.write('fault nonsense\n');
    assert.match(await nextLine(rl), /^error unknown control/);
  } finally {
    db.close();
  }
  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
  child.kill('SIGTERM');
  assert.equal(await exited, 0);

  const dump = spawnSync(process.execPath, [BIN, '--data-dir', dir, 'emulate', 'ofd', '--dump', '--db', emuDb], { encoding: 'utf8' });
  assert.equal(dump.status, 0, dump.stderr);
  const docs = dump.stdout.trim().split('\n').map((l) => JSON.parse(l) as EmulatorDocument);
  assert.equal(docs.length, 2, 'one line per accepted document, no duplicate from the lost response');
  assert.deepEqual(docs.map((d) => [d.deviceId, d.command, d.operation, d.shiftNumber, d.documentNumber, d.printedDocumentNumber, d.total]),
    [[77, 'TICKET', 'SELL', 1, 1, 1, 95000], [77, 'TICKET', 'SELL_RETURN', 1, 2, 2, 95000]]);
  assert.deepEqual(docs.map((d) => d.exciseStamps), [[STAMP], [STAMP]], 'excise stamps exactly as received, GS included');
  assert.ok(docs.every((d) => /^\d+$/.test(d.ticketNumber ?? '') && !Number.isNaN(Date.parse(d.acceptedAt))));
  assert.notEqual(docs[0]?.ticketNumber, docs[1]?.ticketNumber);
});

test('emulate ofd refuses bad flags with exit 2 and names them', () => {
  const r = spawnSync(process.execPath, [BIN, '--data-dir', dir, 'emulate', 'ofd', '--fail', '300'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--fail must be 254 or 255/);
  const d = spawnSync(process.execPath, [BIN, '--data-dir', dir, 'emulate', 'ofd', '--device', '1-2'], { encoding: 'utf8' });
  assert.equal(d.status, 2);
  assert.match(d.stderr, /--device must be ID:TOKEN/);
});

test('emulate ofd --seed takes a whole number and names a bad one (exit 2)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-ofd-seed-'));
  try {
    const r = spawnSync(process.execPath, [new URL('../bin/tanba.mjs', import.meta.url).pathname, '--data-dir', dir, 'emulate', 'ofd', '--seed', 'soon'], { encoding: 'utf8', env: { ...process.env, TANBA_CONFIG: '' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--seed must be a whole number, got 'soon'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
