/**
 * `tanba emulate scanner` and `tanba scanner listen` together over a real pty pair.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scannerListenCommand, parseVidPid, loadHidReplay } from '../src/cli/scanner.ts';
import { parseCode, visibleGs } from '../src/marking/index.ts';
import { emulateScannerCommand } from '../src/cli/emulate-scanner.ts';
import { UsageError, type CliContext, type Command } from '../src/cli/types.ts';
import { tempLinkPath, waitForPath } from '../emulators/scanner/index.ts';
import { codes } from './fixtures/scanner/codes.ts';

const dir = mkdtempSync(join(tmpdir(), 'tanba-scanner-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const bin = new URL('../bin/tanba.mjs', import.meta.url).pathname;

/**
 * Runs `tanba ARGS` as a child process with `--data-dir dir`; resolves with its exit code and
 * output. stdin null: left open (listen stops at the end of its stdin).
 */
function tanba(args: string[], stdin: string | null = '', timeoutMs = 40_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, '--data-dir', dir, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const t = setTimeout(() => child.kill(), timeoutMs);
    child.once('exit', (code) => { clearTimeout(t); resolve({ code, out, err }); });
    child.stdin.on('error', () => undefined);
    if (stdin !== null) child.stdin.end(stdin);
  });
}

/** The fields of a listen --json line, checked against the contract. */
interface ListenLine { data?: string; hex?: string; symbology?: string | null; parsed?: unknown; error?: { code: string; message: string } }

function checkContractLine(text: string): ListenLine {
  const l = JSON.parse(text) as ListenLine;
  if (l.error !== undefined) {
    assert.deepEqual(Object.keys(l), ['error']);
    assert.deepEqual(Object.keys(l.error), ['code', 'message']);
    return l;
  }
  assert.deepEqual(Object.keys(l), ['data', 'hex', 'symbology', 'parsed'], text);
  assert.match(l.hex ?? '', /^(?:[0-9a-f]{2})+$/, 'hex is lowercase bytes');
  assert.ok(l.symbology === null || typeof l.symbology === 'string');
  // GS travels as the JSON escape of 0x1D, never as a visible placeholder.
  if ((l.data ?? '').includes('\x1d')) assert.ok(text.includes('\\u001d'), 'GS as \\u001d in the JSON text');
  assert.ok(!/[\r\n]$/.test(l.data ?? ''), 'no terminator in data');
  assert.ok(!(l.data ?? '').startsWith(']'), 'no AIM prefix in data');
  return l;
}

/** Ends a child (SIGTERM lets `emulate scanner` stop its socat), SIGKILL if it lingers; resolves when it is gone. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => { clearTimeout(hard); resolve(); });
    child.kill('SIGTERM');
  });
}

/** The first stdout line of a child; rejects if it exits or stays silent for 20 s. */
function firstLine(child: ChildProcess, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no first line within 20 s: ${stderr()}`)), 20_000);
    child.stdout?.once('data', (d: Buffer) => { clearTimeout(t); resolve(d.toString().split('\n')[0] as string); });
    child.once('exit', (code) => { clearTimeout(t); reject(new Error(`exited (${String(code)}) before printing a line: ${stderr()}`)); });
  });
}

function context(stdin = new PassThrough()) {
  let out = '';
  let err = '';
  let lineDone = (): void => undefined;
  /** Resolves once stdout holds a whole line. */
  const firstLine = new Promise<void>((resolve) => { lineDone = resolve; });
  const sink = (add: (s: string) => void) => new Writable({ write(chunk: Buffer, _e, cb) { add(chunk.toString()); cb(); } });
  const ctx: CliContext = {
    stdin, stdout: sink((s) => { out += s; if (out.includes('\n')) lineDone(); }), stderr: sink((s) => { err += s; }), dataDir: dir, env: {},
    config: () => { throw new Error('no config in this test'); }, logger: () => { throw new Error('no logger in this test'); },
  };
  return { ctx, stdin, out: () => out, err: () => err, firstLine };
}

function run(cmd: Command, ctx: CliContext, flags: Record<string, string | boolean>) {
  return cmd.run(ctx, { flags, positionals: [] });
}

describe('tanba scanner listen + emulate scanner', () => {
  test('listen --json prints one object per frame: data (GS kept), hex with AIM prefix, symbology, parsed', async () => {
    const list = codes(3, 5);
    const file = join(dir, 'codes.txt');
    // The file form: GS as the escape \x1d in one line, literal GS in the others.
    writeFileSync(file, `${(list[0] as string).replaceAll('\x1d', '\\x1d')}\n${list.slice(1).join('\n')}\n`);
    const link = tempLinkPath();
    const emu = context();
    const emulating = run(emulateScannerCommand, emu.ctx, { link, file, aim: ']d2', terminator: 'crlf', noise: true, 'linger-ms': '2000' });
    // The path exists a moment before the emulator prints it: wait for the printed line (or the end
    // of an emulator that failed, which the assertion below then reports).
    await Promise.race([emu.firstLine, emulating]);
    assert.equal(emu.out().split('\n')[0], link, 'first stdout line is the path to open');
    const li = context();
    const code = await run(scannerListenCommand, li.ctx, { port: link, json: true, terminator: 'crlf', count: '3', timeout: '10000' });
    assert.equal(code, 0, li.err());
    const lines = li.out().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.equal(lines.length, 3);
    for (let i = 0; i < 3; i++) {
      const l = lines[i] as Record<string, unknown>;
      assert.equal(l.data, list[i]);
      assert.equal(l.hex, Buffer.from(`]d2${list[i] as string}`, 'latin1').toString('hex'));
      assert.equal(l.symbology, 'gs1-datamatrix');
      // The parse result is `tanba parse --json`'s object (src/marking toJson).
      const parsed = l.parsed as { ok: boolean; cis?: string } | null;
      assert.ok(parsed !== null && typeof parsed === 'object', 'parsed present');
      if ((list[i] as string).startsWith('01')) {
        assert.equal(parsed.ok, true, JSON.stringify(parsed));
        assert.equal(parsed.cis, (list[i] as string).split('\x1d')[0]);
      }
    }
    assert.equal(await emulating, 0);
  });

  test('listen cuts a 1 MB frame with an error object and reads the next code', async () => {
    const link = tempLinkPath();
    const stdin = new PassThrough();
    const emu = context(stdin);
    const emulating = run(emulateScannerCommand, emu.ctx, { link, terminator: 'cr', 'linger-ms': '1000' });
    assert.ok(await waitForPath(link, 5000));
    const li = context();
    const listening = run(scannerListenCommand, li.ctx, { port: link, json: true, count: '2', timeout: '15000', 'max-length': '4096', baud: '4000000' });
    const [next] = codes(1, 8);
    stdin.write(`${'9'.repeat(1024 * 1024)}\n${next as string}\n`);
    stdin.end();
    assert.equal(await listening, 0, li.err());
    const lines = li.out().trim().split('\n').map((l) => JSON.parse(l) as { error?: { code: string; message: string }; data?: string });
    assert.equal(lines[0]?.error?.code, 'FRAME_TOO_LONG');
    assert.match(lines[0]?.error?.message ?? '', /4096/);
    assert.equal(lines[1]?.data, next);
    assert.equal(await emulating, 0);
  });

  test('listen --json: ]C0 ]I1 ]Q5 ]d4 named as the parser names them (one AIM table); parsed stays parse(data)', async () => {
    const [gs1] = codes(1, 41);
    const cases: [string, string, string][] = [[']C0', gs1 as string, 'code-128'], [']I1', gs1 as string, 'itf'], [']Q5', gs1 as string, 'qr'], [']d4', gs1 as string, 'datamatrix']];
    await Promise.all(cases.map(async ([aim, code, name]) => {
      const link = tempLinkPath();
      const stdin = new PassThrough();
      const emu = context(stdin);
      const emulating = run(emulateScannerCommand, emu.ctx, { link, aim, 'linger-ms': '500' });
      assert.ok(await waitForPath(link, 5000));
      const li = context();
      const listening = run(scannerListenCommand, li.ctx, { port: link, json: true, count: '1', timeout: '10000' });
      stdin.end(`${code.replaceAll('\x1d', '\\x1d')}\n`);
      assert.equal(await listening, 0, li.err());
      const l = checkContractLine(li.out().trim());
      assert.equal(l.symbology, name, aim);
      const withAim = parseCode(`${aim}${code}`);
      assert.ok(withAim.ok, aim);
      assert.equal(l.symbology, withAim.symbology, `${aim}: the driver and the parser agree`);
      assert.equal(l.data, code, aim);
      assert.equal(await emulating, 0);
    }));
  });

  test('human output shows hex, GS as <GS> and the symbology', async () => {
    const link = tempLinkPath();
    const stdin = new PassThrough();
    const emu = context(stdin);
    const emulating = run(emulateScannerCommand, emu.ctx, { link, aim: ']Q3', 'linger-ms': '500' });
    assert.ok(await waitForPath(link, 5000));
    const li = context();
    const listening = run(scannerListenCommand, li.ctx, { port: link, count: '1', timeout: '10000' });
    stdin.end('abc\\x1d91XY\n');
    assert.equal(await listening, 0);
    assert.match(li.out(), /symbology gs1-qr \]Q3/);
    assert.match(li.out(), /text: abc<GS>91XY/);
    assert.match(li.out(), new RegExp(`hex: {2}${Buffer.from(']Q3abc\x1d91XY').toString('hex')}`));
    await emulating;
  });

  test('bad usage and a missing port are clear errors', async () => {
    const li = context();
    await assert.rejects(run(scannerListenCommand, li.ctx, {}), (e: Error) => e instanceof UsageError && /exactly one of --port PATH or --hid VID:PID/.test(e.message));
    await assert.rejects(run(scannerListenCommand, li.ctx, { port: '/x', terminator: 'tab' }), /--terminator must be one of cr, lf, crlf, none/);
    await assert.rejects(run(scannerListenCommand, li.ctx, { port: '/x', count: '-1' }), /--count must be between/);
    await assert.rejects(run(scannerListenCommand, li.ctx, { port: '/tmp/tanba-missing-port' }), /\/tmp\/tanba-missing-port does not exist/);
    assert.throws(() => parseVidPid('honeywell'), /--hid must be VID:PID in hex/);
    await assert.rejects(run(scannerListenCommand, li.ctx, { hid: '0001:0002', timeout: '1000' }), /no HID device 0001:0002 is connected|node-hid could not be loaded/);
    assert.deepEqual(parseVidPid('0c2e:0B61'), { vendorId: 0x0c2e, productId: 0x0b61 });
    await assert.rejects(run(emulateScannerCommand, li.ctx, { aim: 'd2' }), /--aim must be an AIM identifier/);
    await assert.rejects(run(emulateScannerCommand, li.ctx, { 'unplug-after': '3' }), /go together/);
    assert.equal(visibleGs('a\x1db\rc\x04'), 'a<GS>b<CR>c<EOT>');
    await assert.rejects(run(scannerListenCommand, li.ctx, { port: '/x', 'hid-replay': '/y' }), /--hid-replay needs --hid/);
    const bad = join(dir, 'bad-replay.json');
    writeFileSync(bad, JSON.stringify({ sequences: [{ vendorId: 1, reports: ['0g'] }] }));
    assert.throws(() => loadHidReplay(bad, { vendorId: 1, productId: 2 }), /bad-replay\.json: sequences\.0\.reports\.0: must be hex bytes/);
    writeFileSync(bad, JSON.stringify({ sequences: [{ vendorId: 1, reports: ['00'] }] }));
    assert.throws(() => loadHidReplay(bad, { vendorId: 5, productId: 2 }), /no sequence for 0005:0002/);
    assert.throws(() => loadHidReplay(join(dir, 'missing.json'), { vendorId: 5, productId: 2 }), /--hid-replay .*missing\.json: ENOENT/);
    await assert.rejects(run(scannerListenCommand, li.ctx, { hid: '0001:0002', profile: 'acme' }), /--profile must be one of generic, honeywell, zebra, datalogic/);
  });

  test('spawned: emulate scanner --aim ]d2 --terminator crlf -> listen --json matches the contract and tanba parse --json', async (t) => {
    const link = tempLinkPath();
    const list = codes(5, 31);
    const tooLong = '9'.repeat(5000);
    const emu = spawn(process.execPath, [bin, 'emulate', 'scanner', '--link', link, '--aim', ']d2', '--terminator', 'crlf', '--linger-ms', '3000'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let emuErr = '';
    emu.stderr.on('data', (d: Buffer) => { emuErr += d.toString(); });
    t.after(() => stopChild(emu));
    const first = await firstLine(emu, () => emuErr);
    assert.equal(first, link);
    // Codes are held by the emulator until listen opens the port (like a USB CDC device).
    emu.stdin.end(`${list.slice(0, 2).join('\n')}\n${tooLong}\n${list.slice(2).join('\n')}\n`);
    const li = await tanba(['scanner', 'listen', '--port', link, '--json', '--terminator', 'crlf', '--count', String(list.length + 1), '--timeout', '25000', '--baud', '115200'], null);
    assert.equal(li.code, 0, `listen: ${li.err} / emulator: ${emuErr}`);
    const lines = li.out.trim().split('\n');
    assert.equal(lines.length, list.length + 1);
    const parsedLines = lines.map(checkContractLine);
    const error = parsedLines[2]?.error;
    assert.equal(error?.code, 'FRAME_TOO_LONG');
    assert.match(error?.message ?? '', /maximum of 4096 bytes/);
    const frames = parsedLines.filter((l) => l.error === undefined);
    assert.deepEqual(frames.map((l) => l.data), list);
    assert.deepEqual(frames.map((l) => l.hex), list.map((c) => Buffer.from(`]d2${c}`, 'latin1').toString('hex')));
    assert.ok(frames.every((l) => l.symbology === 'gs1-datamatrix'));
    // `parsed` is exactly what `tanba parse --json` prints for `data` (same data dir, same config).
    const parse = await tanba(['parse', '--json'], `${list.join('\n')}\n`);
    assert.equal(parse.code, 0, parse.err);
    assert.deepEqual(frames.map((l) => l.parsed), parse.out.trim().split('\n').map((l) => JSON.parse(l) as unknown));
  });

  test('spawned: listen --hid --hid-replay replays multi-report codes in two vendor layouts', async () => {
    interface Seq { vendor: string; vendorId: number; productId: number; code: string; aim: string; reports: string[] }
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/scanner/hid-pos-reports.json', import.meta.url), 'utf8')) as { sequences: Seq[] };
    const file = join(dir, 'replay.json');
    writeFileSync(file, JSON.stringify(fixture));
    const runs = ['honeywell', 'zebra'].map(async (vendor) => {
      const seqs = fixture.sequences.filter((s) => s.vendor === vendor);
      assert.ok(seqs.some((s) => s.reports.length > 1), `${vendor} has a code spanning several reports`);
      const s0 = seqs[0] as Seq;
      const id = `${s0.vendorId.toString(16).padStart(4, '0')}:${s0.productId.toString(16).padStart(4, '0')}`;
      const li = await tanba(['scanner', 'listen', '--hid', id, '--hid-replay', file, '--json', '--count', String(seqs.length), '--timeout', '20000']);
      assert.equal(li.code, 0, `${vendor}: ${li.err}`);
      const lines = li.out.trim().split('\n').map(checkContractLine);
      assert.deepEqual(lines.map((l) => l.data), seqs.map((s) => s.code), vendor);
      assert.deepEqual(lines.map((l) => l.hex), seqs.map((s) => Buffer.from(`${s.aim}${s.code}`, 'latin1').toString('hex')), vendor);
      assert.ok(lines.every((l) => l.parsed !== null && typeof l.parsed === 'object'));
      const parse = await tanba(['parse', '--json'], `${seqs.map((s) => s.code).join('\n')}\n`);
      assert.deepEqual(lines.map((l) => l.parsed), parse.out.trim().split('\n').map((l) => JSON.parse(l) as unknown), vendor);
    });
    await Promise.all(runs);
    // A cut sequence (the last report of a multi-report code missing) is an error line, exit 1 short of --count.
    const multi = fixture.sequences.find((s) => s.vendor === 'honeywell' && s.reports.length > 1) as Seq;
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, JSON.stringify({ sequences: [{ vendorId: multi.vendorId, productId: multi.productId, reports: multi.reports.slice(0, -1) }] }));
    const li = await tanba(['scanner', 'listen', '--hid', '0c2e:0b61', '--hid-replay', cut, '--json']);
    assert.equal(li.code, 0, li.err);
    assert.equal(checkContractLine(li.out.trim()).error?.code, 'INCOMPLETE_FRAME');
  });

  test('the tanba command end to end: emulator unplugs and replugs, listen keeps reading', async (t) => {
    const link = tempLinkPath();
    const list = codes(6, 13);
    const emu = spawn(process.execPath, [bin, 'emulate', 'scanner', '--link', link, '--unplug-after', '3', '--replug-after', '300', '--linger-ms', '3000'], { stdio: ['pipe', 'pipe', 'pipe'] });
    // Registered at once: a failing assertion or a hung child must never keep this file running.
    t.after(() => stopChild(emu));
    let emuErr = '';
    emu.stderr.on('data', (d: Buffer) => { emuErr += d.toString(); });
    const first = await firstLine(emu, () => emuErr);
    assert.equal(first, link);
    const li = spawn(process.execPath, [bin, 'scanner', 'listen', '--port', link, '--json', '--count', '6', '--timeout', '30000'], { stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => stopChild(li));
    let out = '';
    let liErr = '';
    li.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    li.stderr.on('data', (d: Buffer) => { liErr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => li.once('exit', resolve));
    assert.ok(await Promise.race([waitForPath(`${link}.device`, 20_000), exited.then(() => false)]), `listen never opened the port: ${liErr}`);
    emu.stdin.end(`${list.join('\n')}\n`);
    // listen ends itself by --count or --timeout; the guard only turns a hang into a failure.
    const guard = setTimeout(() => li.kill('SIGKILL'), 40_000);
    const code = await exited;
    clearTimeout(guard);
    assert.equal(code, 0, `listen: ${liErr} / emulator: ${emuErr} / out: ${out}`);
    assert.deepEqual(out.trim().split('\n').map((l) => (JSON.parse(l) as { data: string }).data), list);
    // One unplug, named as such (not a bare "bad file descriptor"), and one reconnect.
    const states = liErr.split('\n').filter((l) => / (connected|reconnecting)\b/.test(l));
    assert.equal(states.length, 3, liErr);
    assert.match(states[0] ?? '', / connected$/);
    assert.match(states[1] ?? '', / reconnecting \(.*(disappeared|disconnected)/);
    assert.match(states[2] ?? '', / connected$/);
  });
});
