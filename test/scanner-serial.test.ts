/**
 * The serial scanner driver against the pty emulator: real ptys (socat), real serialport.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { SerialScanner, type SerialScanFrame } from '../drivers/scanner/index.ts';
import { SerialScannerEmulator } from '../emulators/scanner/index.ts';
import type { FrameError } from '../drivers/scanner/index.ts';
import { codes, rng } from './fixtures/scanner/codes.ts';
import { nextEvent } from './helpers/events.ts';

const cleanup: Array<() => Promise<void>> = [];
after(async () => { for (const c of cleanup.reverse()) await c().catch(() => undefined); });

async function setup(emuOptions: ConstructorParameters<typeof SerialScannerEmulator>[0], scanner: Partial<ConstructorParameters<typeof SerialScanner>[0]> = {}) {
  const emu = new SerialScannerEmulator(emuOptions);
  await emu.start();
  const sc = new SerialScanner({ port: { path: emu.path }, baudRate: 115200, ...scanner });
  cleanup.push(() => emu.close(), () => sc.close());
  const frames: SerialScanFrame[] = [];
  const errors: FrameError[] = [];
  let waiter: { n: number; resolve: () => void } | undefined;
  const check = () => { if (waiter && frames.length >= waiter.n) { waiter.resolve(); waiter = undefined; } };
  sc.on('frame', (f) => { frames.push(f); check(); });
  sc.on('frame-error', (e) => errors.push(e));
  await sc.open();
  const waitFrames = (n: number, ms: number) => new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out with ${frames.length} of ${n} frames`)), ms);
    waiter = { n, resolve: () => { clearTimeout(t); resolve(); } };
    check();
  });
  return { emu, sc, frames, errors, waitFrames };
}

describe('serial scanner over a pty', () => {
  test('10,000 codes at 115200 baud arrive intact and in order, writes split at random points', async () => {
    // Unpaced on purpose: these 10,000 frames are ~650 KB, i.e. ~56 s of wire time at 115200
    // baud (10 bits per byte) — far over the ~15 s a test may take. The port is opened at 115200
    // and the bytes arrive faster than the wire would carry them, which is the harder case for
    // framing; pacing at the exact wire rate is covered by the 300-code test below.
    const list = codes(10_000, 7);
    // idleMs 0: frames end on the terminator only. The 50 ms idle fallback (for scanners that
    // send none) split frames here when a loaded machine stalled the emulator mid-frame.
    const { emu, frames, errors, waitFrames } = await setup({ aim: ']d2', terminator: 'crlf' }, { framing: { terminator: 'crlf', idleMs: 0 } });
    const bytes = Buffer.concat(list.map((c) => emu.frameBytes(c)));
    const r = rng(99);
    for (let i = 0; i < bytes.length;) {
      const n = 1 + Math.floor(r() * 700);
      await emu.write(bytes.subarray(i, i + n));
      i += n;
    }
    await waitFrames(list.length, 30_000);
    assert.equal(errors.length, 0);
    assert.equal(frames.length, list.length);
    for (let i = 0; i < list.length; i++) {
      if (frames[i]?.data.toString('latin1') !== list[i]) assert.fail(`frame ${i}: ${JSON.stringify(frames[i]?.data.toString('latin1'))} !== ${JSON.stringify(list[i])}`);
    }
    assert.ok(frames.every((f) => f.symbology === 'gs1-datamatrix'));
  });

  test('paced at the 115200 wire rate with noise between frames: every code intact', async () => {
    const list = codes(300, 3);
    // idleMs 0 as above: the paced writes sleep between chunks, and a stalled timer is no frame end.
    const { emu, frames, errors, waitFrames } = await setup({ noise: true, baudRate: 115200, random: rng(5) }, { framing: { idleMs: 0 } });
    for (const c of list) await emu.send(c);
    await waitFrames(list.length, 20_000);
    assert.equal(errors.length, 0);
    assert.deepEqual(frames.map((f) => f.data.toString('latin1')), list);
    assert.ok(frames.some((f) => f.noiseDropped > 0), 'noise was sent and dropped');
  });

  test('a 1 MB stream with no terminator is cut with an error and the next code still reads', async () => {
    // idleMs 1000: a loaded machine can stall the emulator for a while between two writes of the
    // megabyte, and a stall longer than the pause would end the junk frame early.
    const { emu, sc, frames, errors, waitFrames } = await setup({}, { framing: { maxLength: 4096, idleMs: 1000 } });
    const junk = Buffer.alloc(1024 * 1024, 0x30);
    for (let i = 0; i < junk.length; i += 65536) await emu.write(junk.subarray(i, i + 65536));
    // The scanner stops sending: the pause ends the cut frame with its error. Only then the code,
    // so it cannot join the junk.
    if (errors.length === 0) await nextEvent(sc, 'frame-error');
    const [next] = codes(1, 11);
    await emu.send(next as string);
    await waitFrames(1, 10_000);
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.code, 'FRAME_TOO_LONG');
    assert.equal(errors[0]?.dropped, junk.length);
    assert.equal(frames[0]?.data.toString('latin1'), next);
  });

  test('unplug and replug: reconnects and loses no code sent after it', async () => {
    const list = codes(200, 21);
    const { emu, sc, frames, waitFrames } = await setup({}, { reconnect: { initialMs: 50, maxMs: 400 } });
    for (const c of list.slice(0, 50)) await emu.send(c);
    await waitFrames(50, 5000);
    const states: string[] = [];
    sc.on('status', (s) => states.push(s.state));
    const lost = nextEvent<[{ state: string }]>(sc, 'status', (s) => s.state === 'reconnecting');
    await emu.unplug();
    await lost;
    const connected = nextEvent<[{ state: string }]>(sc, 'status', (s) => s.state === 'connected');
    await emu.replug();
    // Codes sent from the moment of the replug on; the scanner holds them until the host opens the port.
    for (const c of list.slice(50)) await emu.send(c);
    await connected;
    await waitFrames(200, 5000);
    assert.deepEqual(frames.map((f) => f.data.toString('latin1')), list);
    assert.deepEqual(states, ['reconnecting', 'connected']);
    assert.equal(sc.health().reconnects, 1);
  });

  test('a missing port is a clear error', async () => {
    const sc = new SerialScanner({ port: { path: '/tmp/tanba-no-such-port' }, reconnect: false });
    await assert.rejects(sc.open(), /\/tmp\/tanba-no-such-port does not exist/);
    assert.throws(() => new SerialScanner({ port: {} }), /path, or a vendorId and productId/);
    assert.throws(() => new SerialScanner({ port: { path: '/x' }, baudRate: 0 }), RangeError);
  });
});
