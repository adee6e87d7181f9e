/**
 * Scan-to-verdict latency over a real pty: from the moment the last byte of a code is written
 * by the emulator to the moment the verdict event is emitted. The path is the core's: the
 * device manager's `scan` event (SerialScanner + FrameParser underneath) -> src/marking
 * parseCode -> src/cache createCodeChecker.check against a real temp SQLite cache filled with
 * the same codes through importFeed -> a `verdict` event. (src/server/services.ts, which will
 * wire this in the core, does not exist yet; the bench wires the same parts directly.)
 * Also scan-to-parsed-frame (bare driver + parse) for the breakdown. Printed beside the wire
 * time of the same code at 115200 and 9600 baud, and against a baseline measured in the same
 * run: the raw pty transport (bytes out of a bare serialport stream, no framing, no parsing).
 */
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import type { BindingInterface } from '@serialport/bindings-cpp';
import { SerialScanner } from '../drivers/scanner/index.ts';
import { SerialScannerEmulator } from '../emulators/scanner/index.ts';
import { parseCode } from '../src/marking/index.ts';
import { openDatabase } from '../src/store/db.ts';
import { createCodeChecker, importFeed, type CheckResult } from '../src/cache/index.ts';
import { DeviceManager, type ScanEvent } from '../src/devices/index.ts';
import { codes } from '../test/fixtures/scanner/codes.ts';
import { percentile, report, type Bench } from './lib.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function rawTransport(list: string[]): Promise<number[]> {
  const emu = new SerialScannerEmulator();
  await emu.start();
  const port = new SerialPortStream({ binding: SerialPort.binding as BindingInterface, path: emu.path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const out: number[] = [];
  let want = 0;
  let got = 0;
  let t0 = 0;
  let done: () => void = () => undefined;
  port.on('data', (chunk: Buffer) => {
    got += chunk.length;
    if (got >= want) { out.push(performance.now() - t0); done(); }
  });
  for (const c of list) {
    const bytes = emu.frameBytes(c);
    const arrived = new Promise<void>((r) => { done = r; });
    want = got + bytes.length;
    await emu.write(bytes.subarray(0, bytes.length - 1));
    t0 = performance.now();
    await emu.write(bytes.subarray(bytes.length - 1));
    await arrived;
    await sleep(1);
  }
  await new Promise<void>((r) => port.close(() => r()));
  await emu.close();
  return out;
}

/**
 * Sends each code as one frame, all but its last byte first, and measures from writing that
 * last byte to the handler calling `arrived()` (which returns the milliseconds and lets the
 * next code go).
 */
function lastByteClock() {
  let t0 = 0;
  let done: () => void = () => undefined;
  return {
    arrived(): number {
      const ms = performance.now() - t0;
      done();
      return ms;
    },
    async send(emu: SerialScannerEmulator, list: readonly string[]): Promise<void>{
      for (const c of list) {
        const bytes = emu.frameBytes(c);
        const arrived = new Promise<void>((r) => { done = r; });
        await emu.write(bytes.subarray(0, bytes.length - 1));
        t0 = performance.now();
        await emu.write(bytes.subarray(bytes.length - 1));
        await arrived;
        await sleep(1);
      }
    },
  };
}

async function scanToParsed(list: string[]): Promise<number[]> {
  const emu = new SerialScannerEmulator({ aim: ']d2' });
  await emu.start();
  const sc = new SerialScanner({ port: { path: emu.path }, baudRate: 115200 });
  const out: number[] = [];
  const clock = lastByteClock();
  sc.on('frame', (f) => {
    const r = parseCode(f.data.toString('latin1'));
    if (!r.ok && f.data.length === 0) throw new Error('empty frame');
    out.push(clock.arrived());
  });
  await sc.open();
  await clock.send(emu, list);
  await sc.close();
  await emu.close();
  return out;
}

/** A full snapshot holding every code of `list` (in circulation) and a product per GTIN. */
function writeFeed(path: string, list: string[]): void {
  const lines = [JSON.stringify({ type: 'snapshot' })];
  const gtins = new Set<string>();
  const seen = new Set<string>();
  for (const c of list) {
    const p = parseCode(c);
    if (!p.ok || p.cis === null || seen.has(p.cis)) continue;
    seen.add(p.cis);
    if (p.gtin !== null && !gtins.has(p.gtin)) {
      gtins.add(p.gtin);
      lines.push(JSON.stringify({ type: 'product', gtin: p.gtin, name: `Bench ${p.gtin}`, group: p.kind.startsWith('tobacco') ? 'tobacco' : 'dairy', price: 50000 }));
    }
    lines.push(JSON.stringify({ type: 'code', cis: p.cis, ...(p.gtin !== null ? { gtin: p.gtin } : {}), status: 'in_circulation', ...(p.kind.startsWith('tobacco') ? { mrp: 90000 } : {}) }));
  }
  lines.push(JSON.stringify({ type: 'cursor', cursor: 'bench-scanner-1' }));
  writeFileSync(path, `${lines.join('\n')}\n`);
}

async function scanToVerdict(list: string[]): Promise<{ samples: number[]; verdicts: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-bench-scanner-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  const emu = new SerialScannerEmulator({ aim: ']d2' });
  const manager = new DeviceManager({ dataDir: dir });
  try {
    const feed = join(dir, 'snapshot.ndjson');
    writeFeed(feed, list);
    await importFeed(db, feed, { full: true });
    const checker = createCodeChecker(db, { feedConfigured: true });
    // The verdict event: what the checkout / WebSocket layer listens to.
    const events = new EventEmitter<{ verdict: [CheckResult, ScanEvent] }>();
    manager.on('scan', (scan) => {
      const parsed = parseCode(scan.data);
      events.emit('verdict', checker.check(parsed, { operation: 'sale', price: 95000, inBasket: false }), scan);
    });
    await emu.start();
    manager.assign({ id: 'bench', role: 'scanner', transport: 'serial', path: emu.path, baudRate: 115200 });
    const health = await manager.start();
    if (health[0]?.state !== 'connected') throw new Error(`bench scanner did not connect: ${health[0]?.lastError ?? 'unknown'}`);
    const samples: number[] = [];
    const verdicts: Record<string, number> = {};
    const clock = lastByteClock();
    events.on('verdict', (r) => {
      samples.push(clock.arrived());
      verdicts[r.verdict.reason] = (verdicts[r.verdict.reason] ?? 0) + 1;
    });
    await clock.send(emu, list);
    return { samples, verdicts };
  } finally {
    await manager.stop();
    await emu.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: Bench = async ({ quick }) => {
  const list = codes(quick ? 100 : 1000, 77);
  const raw = await rawTransport(list);
  const parsed = await scanToParsed(list);
  const { samples: verdict, verdicts } = await scanToVerdict(list);
  const meanBytes = list.reduce((n, c) => n + Buffer.byteLength(c) + 4, 0) / list.length; // + ]d2 + CR
  const wire115 = (meanBytes * 10 * 1000) / 115200;
  const wire96 = (meanBytes * 10 * 1000) / 9600;
  const rawP50 = percentile(raw, 50);
  for (const [name, samples] of [['pty transport (baseline)', raw], ['scan-to-parsed-frame', parsed], ['scan-to-verdict', verdict]] as const) {
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    report(name, {
      n: samples.length, p50_ms: p50, p99_ms: p99, 'x_baseline_p50': p50 / rawP50,
      wire_115200_ms: wire115, 'p50/wire115200': p50 / wire115, 'p99/wire115200': p99 / wire115,
      wire_9600_ms: wire96, 'p50/wire9600': p50 / wire96, 'p99/wire9600': p99 / wire96,
    });
  }
  report('verdicts (sanity)', verdicts);
};

export default bench;
