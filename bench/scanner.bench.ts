/**
 * Scan-to-parsed-frame latency over a real pty: from the moment the last byte of a code is
 * written by the emulator to the moment the driver has framed it and src/marking has parsed
 * it. (The verdict pipeline — cache lookup + rules — is measured by its own bench; this one
 * stops at the parsed frame.) Printed beside the wire time of the same code at 115200 and
 * 9600 baud, and against a baseline measured in the same run: the raw pty transport (bytes
 * out of a bare serialport stream, no framing, no parsing).
 */
import { performance } from 'node:perf_hooks';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import type { BindingInterface } from '@serialport/bindings-cpp';
import { SerialScanner } from '../drivers/scanner/index.ts';
import { SerialScannerEmulator } from '../drivers/emulators/scanner/index.ts';
import { parseCode } from '../src/marking/index.ts';
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

async function scanToParsed(list: string[]): Promise<number[]> {
  const emu = new SerialScannerEmulator({ aim: ']d2' });
  await emu.start();
  const sc = new SerialScanner({ port: { path: emu.path }, baudRate: 115200 });
  const out: number[] = [];
  let t0 = 0;
  let done: () => void = () => undefined;
  sc.on('frame', (f) => {
    const r = parseCode(f.data.toString('latin1'));
    if (!r.ok && f.data.length === 0) throw new Error('empty frame');
    out.push(performance.now() - t0);
    done();
  });
  await sc.open();
  for (const c of list) {
    const bytes = emu.frameBytes(c);
    const arrived = new Promise<void>((r) => { done = r; });
    await emu.write(bytes.subarray(0, bytes.length - 1));
    t0 = performance.now();
    await emu.write(bytes.subarray(bytes.length - 1));
    await arrived;
    await sleep(1);
  }
  await sc.close();
  await emu.close();
  return out;
}

const bench: Bench = async ({ quick }) => {
  const list = codes(quick ? 100 : 1000, 77);
  const raw = await rawTransport(list);
  const parsed = await scanToParsed(list);
  const meanBytes = list.reduce((n, c) => n + Buffer.byteLength(c) + 4, 0) / list.length; // + ]d2 + CR
  const wire115 = (meanBytes * 10 * 1000) / 115200;
  const wire96 = (meanBytes * 10 * 1000) / 9600;
  const rawP50 = percentile(raw, 50);
  for (const [name, samples] of [['pty transport (baseline)', raw], ['scan-to-parsed-frame', parsed]] as const) {
    const p50 = percentile(samples, 50);
    const p99 = percentile(samples, 99);
    report(name, {
      n: samples.length, p50_ms: p50, p99_ms: p99, 'x_baseline_p50': p50 / rawP50,
      wire_115200_ms: wire115, 'p50/wire115200': p50 / wire115, wire_9600_ms: wire96, 'p99/wire9600': p99 / wire96,
    });
  }
};

export default bench;
