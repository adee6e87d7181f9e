/**
 * The device manager over a real pty scanner and a fake HID bus: assignments persist,
 * scans arrive with raw bytes, timing and source, health follows the device.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceManager, DeviceConfigError, discover, loadDevices, devicesPath, type DeviceHealth, type ScanEvent } from '../src/devices/index.ts';
import { FakeHidBus, SerialScannerEmulator } from '../emulators/scanner/index.ts';
import { SerialPort } from 'serialport';
import type { BindingInterface } from '@serialport/bindings-cpp';
import { codes } from './fixtures/scanner/codes.ts';
import { nextEvent } from './helpers/events.ts';

const dirs: string[] = [];
const tmp = () => { const d = mkdtempSync(join(tmpdir(), 'tanba-devices-')); dirs.push(d); return d; };
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

describe('device manager', () => {
  test('a serial scanner assigned by path: persisted, scans carry raw bytes, timing, source; health follows an unplug', async () => {
    const dataDir = tmp();
    const emu = new SerialScannerEmulator({ aim: ']d2' });
    await emu.start();
    const m = new DeviceManager({ dataDir });
    after(async () => { await m.stop(); await emu.close(); });
    m.assign({ id: 'front-scanner', role: 'scanner', transport: 'serial', path: emu.path, baudRate: 115200 });
    assert.equal(loadDevices(dataDir).devices[0]?.framing.terminator, 'cr', 'defaults filled and persisted');
    assert.equal(new DeviceManager({ dataDir }).list()[0]?.path, emu.path, 'a new manager reads the same file');
    const scans: ScanEvent[] = [];
    m.on('scan', (s) => scans.push(s));
    const health = await m.start();
    assert.equal(health[0]?.state, 'connected');
    const [code] = codes(1, 3);
    const scanned = nextEvent(m, 'scan');
    await emu.send(code as string);
    await scanned;
    const s = scans[0];
    assert.ok(s);
    assert.equal(s.data, code);
    assert.equal(s.raw.toString('latin1'), `]d2${code as string}`);
    assert.equal(s.symbology, 'gs1-datamatrix');
    assert.deepEqual(s.source, { transport: 'serial', path: emu.path });
    assert.ok(s.timing.emittedAt >= s.timing.lastByteAt && s.timing.lastByteAt >= s.timing.firstByteAt);
    const lost = nextEvent<[DeviceHealth]>(m, 'health', (h) => h.state === 'reconnecting');
    await emu.unplug();
    await lost;
    assert.equal(m.health()[0]?.state, 'reconnecting');
    assert.equal(m.health()[0]?.scans, 1);
  });

  test('HID POS scanner by VID/PID, discovery hints, and a device that fails to open is reported', async () => {
    const dataDir = tmp();
    const bus = new FakeHidBus();
    bus.plug({ vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw3', release: 1, interface: 0, usagePage: 0x8c, usage: 2 });
    bus.plug({ vendorId: 0x046d, productId: 0xc31c, path: '/dev/hidraw4', release: 1, interface: 0, usagePage: 0x01, usage: 0x06 });
    const found = await discover({ hid: bus, binding: SerialPort.binding as BindingInterface });
    const hw = found.devices.find((d) => d.path === '/dev/hidraw3');
    assert.match(hw?.hint ?? '', /HID POS scanner.*Honeywell/);
    assert.match(found.devices.find((d) => d.path === '/dev/hidraw4')?.hint ?? '', /keyboard/);
    const m = new DeviceManager({ dataDir, hid: bus });
    after(() => m.stop());
    m.assign({ id: 'hid', role: 'scanner', transport: 'hid', vendorId: '0c2e', productId: '0b61' });
    m.assign({ id: 'gone', role: 'scanner', transport: 'serial', path: '/tmp/tanba-no-such-scanner' });
    const scans: ScanEvent[] = [];
    m.on('scan', (s) => scans.push(s));
    const health = await m.start();
    assert.equal(health.find((h) => h.id === 'hid')?.state, 'connected');
    const gone = health.find((h) => h.id === 'gone');
    assert.equal(gone?.state, 'failed');
    assert.match(gone?.lastError ?? '', /does not exist/);
    const body = Buffer.alloc(63);
    body[0] = 5; body.write(']E0', 1, 'latin1'); body.write('12345', 4, 'latin1');
    const scanned = nextEvent(m, 'scan');
    bus.opened.get('/dev/hidraw3')?.replay([Buffer.concat([Buffer.from([2]), body])]);
    await scanned;
    assert.equal(scans[0]?.data, '12345');
    assert.equal(scans[0]?.source.transport, 'hid');
    assert.equal(m.unassign('gone'), true);
    assert.equal(m.unassign('gone'), false);
  });

  test('bad assignments and a broken devices.json are clear errors', () => {
    const dataDir = tmp();
    const m = new DeviceManager({ dataDir });
    assert.throws(() => m.assign({ id: 'x', role: 'scanner', transport: 'hid', path: '/dev/hidraw0' }), /HID device needs vendorId and productId/);
    assert.throws(() => m.assign({ id: 'x y', role: 'scanner', transport: 'serial', path: '/dev/ttyACM0' }), /id: letters, digits/);
    assert.throws(() => m.assign({ id: 'x', role: 'scanner', transport: 'serial', vendorId: 'zz', productId: '0001' }), /vendorId: must be 4 hex digits/);
    writeFileSync(devicesPath(dataDir), '{"version":1,"devices":[{"id":"a","role":"toaster","transport":"serial","path":"/x"}]}');
    assert.throws(() => m.list(), (e: Error) => e instanceof DeviceConfigError && /devices\.0\.role/.test(e.message));
    writeFileSync(devicesPath(dataDir), '{nope');
    assert.throws(() => m.list(), /not valid JSON/);
  });
});
