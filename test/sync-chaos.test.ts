// Chaos: TANBA_CHAOS_SALES (default 1,000) sales while the OFD emulator (a child process,
// `tanba emulate ofd`) injects every fault at random — latency, connections dropped before and
// after processing (lost responses), 254, 255, malformed frames, and now and then a server
// block — and the register (a child process: checkout + outbox sender) is SIGKILLed at random
// points and restarted until every sale is completed and the queue is empty. Then, from
// `tanba emulate ofd --dump`: every committed sale exactly once, in seq order, with its marking
// codes byte-exact (GS included); nothing pending; `tanba journal verify` ok.
// Seeded: TANBA_TEST_SEED (or TANBA_CHAOS_SEED) reproduces the fault dice of the emulator
// (`emulate ofd --seed`) and the test's own choices; the seed is printed. Kill timing still
// depends on the machine's speed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { tempRegister } from './helpers/checkout-fixtures.ts';
import { seededRandom } from '../src/marking/testkit.ts';

const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'bin/tanba.mjs');
const helper = join(root, 'test/helpers/sync-register.ts');
const TOTAL = Number(process.env.TANBA_CHAOS_SALES ?? '1000');
const SEED = Number(process.env.TANBA_TEST_SEED ?? process.env.TANBA_CHAOS_SEED ?? String(Date.now() % 1_000_000));

/** mulberry32: a small seeded PRNG. */
const prng = seededRandom;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TANBA_CONFIG: '' } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

interface Emulator { child: ChildProcessWithoutNullStreams; port: number; control(line: string): void }

function startEmulator(dbPath: string, seed: number): Promise<Emulator> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'emulate', 'ofd', '--db', dbPath, '--device', '1:1',
      '--drop-before', '0.04', '--drop-after', '0.04', '--fail', '254', '--fail-rate', '0.03', '--malformed', '0.03', '--seed', String(seed)],
    { cwd: root, env: { ...process.env, TANBA_CONFIG: '' } });
    let buf = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      buf += c;
      const m = /listening on [\d.]+:(\d+)/.exec(buf);
      if (m) resolve({ child, port: Number(m[1]), control: (line) => { child.stdin.write(`${line}\n`); } });
    });
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}

interface RegisterRun { lines: string[]; code: number | null; signal: NodeJS.Signals | null; stderr: string }

function runRegister(dbFile: string, port: number, killAfterMs: number | undefined): Promise<RegisterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', helper, dbFile, '127.0.0.1', String(port), String(TOTAL)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (c: string) => {
      buf += c;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        lines.push(line);
        if (line === 'ready' && killAfterMs !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ lines, code, signal, stderr });
    });
  });
}

test(`chaos: ${TOTAL} sales through every OFD fault and random SIGKILLs arrive exactly once, in order`, { timeout: 600_000 }, async (t) => {
  const random = prng(SEED);
  t.diagnostic(`seed ${SEED} (TANBA_CHAOS_SEED=${SEED} TANBA_CHAOS_SALES=${TOTAL} to reproduce)`);
  const reg = await tempRegister({ codes: TOTAL });
  const emuDb = join(reg.dir, 'ofd-chaos.db');
  const emu = await startEmulator(emuDb, SEED);
  emu.child.removeAllListeners('exit');
  // Fault weather: every ~150 ms change the faults at random; now and then a short server block.
  let blocks = 0;
  const weather = setInterval(() => {
    const x = random();
    if (x < 0.08) { emu.control('block on'); blocks++; setTimeout(() => emu.control('block off'), 30 + Math.floor(random() * 80)); return; }
    emu.control(`latency ${Math.floor(random() * 4)}`);
    emu.control(`fault ${random() < 0.5 ? 254 : 255} ${(random() * 0.06).toFixed(3)}`);
    emu.control(`fault drop-after ${(random() * 0.08).toFixed(3)}`);
    emu.control(`fault drop-before ${(random() * 0.08).toFixed(3)}`);
    emu.control(`fault malformed ${(random() * 0.05).toFixed(3)}`);
  }, 150);
  const started = performance.now();
  let kills = 0;
  const runs: RegisterRun[] = [];
  try {
    for (;;) {
      const kill = kills < 12 ? 100 + Math.floor(random() * 900) : undefined;
      const r = await runRegister(reg.file, emu.port, kill);
      runs.push(r);
      if (r.signal === 'SIGKILL') { kills++; continue; }
      assert.equal(r.code, 0, `seed ${SEED}: register exited ${r.code}: ${r.lines.slice(-3).join(' | ')} ${r.stderr}`);
      assert.ok(r.lines.includes('drained'), `seed ${SEED}: register ended without draining`);
      if (runs.length > 60) assert.fail(`seed ${SEED}: too many restarts`);
      break;
    }
  } catch (err) {
    // Do not leave the emulator child running (the test would hang until its timeout).
    emu.child.stdin.end();
    emu.child.kill('SIGTERM');
    reg.done();
    throw err;
  } finally {
    clearInterval(weather);
  }
  // The emulator's database is committed per request; SIGTERM ends it (stdin stays open otherwise).
  const closed = new Promise((r) => emu.child.once('close', r));
  emu.child.stdin.end();
  emu.child.kill('SIGTERM');
  await closed;
  const elapsed = performance.now() - started;

  try {
    const db = new Database(reg.file, { readonly: true });
    let expected: { printed: number; codes: string[]; kind: string }[];
    let undelivered: number;
    try {
      undelivered = db.prepare("SELECT count(*) FROM outbox WHERE state != 'delivered'").pluck().get() as number;
      const rows = db.prepare('SELECT kind, document_id, payload FROM outbox ORDER BY seq').all() as { kind: string; document_id: string; payload: string }[];
      const linesOf = db.prepare('SELECT code FROM sale_lines WHERE sale_id = ? ORDER BY position').pluck();
      expected = rows.map((r) => ({
        kind: r.kind,
        printed: (JSON.parse(r.payload) as { printedDocumentNumber: number }).printedDocumentNumber,
        codes: r.kind === 'sell' ? (linesOf.all(r.document_id) as string[]) : [],
      }));
      assert.equal(db.prepare("SELECT count(*) FROM sales WHERE kind = 'sale'").pluck().get(), TOTAL, `seed ${SEED}: all sales completed`);
    } finally {
      db.close();
    }
    assert.equal(undelivered, 0, `seed ${SEED}: nothing pending`);
    const committed = new Set(runs.flatMap((r) => r.lines.filter((l) => l.startsWith('committed ')).map((l) => l.split(' ')[1])));

    const dump = await run([bin, 'emulate', 'ofd', '--dump', '--db', emuDb]);
    assert.equal(dump.code, 0, dump.stderr);
    const docs = dump.stdout.trim().split('\n').map((l) => JSON.parse(l) as { command: string; printedDocumentNumber: number; exciseStamps: string[] });
    assert.equal(docs.length, expected.length, `seed ${SEED}: the OFD holds every document exactly once (${docs.length} vs ${expected.length})`);
    docs.forEach((d, i) => {
      const e = expected[i]!;
      assert.equal(d.printedDocumentNumber, e.printed, `seed ${SEED}: document ${i} in seq order`);
      assert.equal(d.command, e.kind === 'sell' ? 'TICKET' : 'CLOSE_SHIFT');
      assert.deepEqual(d.exciseStamps, e.codes, `seed ${SEED}: document ${i} codes byte-exact`);
    });
    assert.ok(docs.every((d) => d.exciseStamps.every((s) => s.includes('\x1d'))), 'GS kept');
    assert.equal(docs.filter((d) => d.command === 'TICKET').length, TOTAL);
    assert.ok(committed.size <= TOTAL);

    const verify = await run([bin, '--data-dir', reg.dir, 'journal', 'verify']);
    assert.equal(verify.code, 0, `seed ${SEED}: journal verify: ${verify.stdout}${verify.stderr}`);
    t.diagnostic(`${TOTAL} sales, ${kills} SIGKILLs, ${runs.length} register runs, ${blocks} server blocks, ${Math.round(elapsed)} ms`);
  } finally {
    reg.done();
  }
});
