// The training scanner survives device changes (issue 16): adding a printer and removing it
// restart the devices, which closes the emulated scanner's pty; the scanner must come back at
// the same path and Test scan must keep working (it answered 500 until a restart before).
// Real parts: a socat pty pair, the serial driver, the training core over HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, until, type Harness } from './server-harness.ts';
import type { TestScanResponse } from '../src/server/contract/index.ts';

let h: Harness;

before(async () => {
  h = await startHarness('srv-training-scanner');
});
after(async () => {
  await h.stop();
});

type DevicesBody = { devices: { config: { id: string }; emulated: boolean; health: { state: string; scans: number } | null }[] };
const connected = () => until('the emulated scanner connected', async () => {
  const d = await h.call<DevicesBody>('GET', '/api/devices', h.tokens.technician);
  return d.body.devices.find((x) => x.emulated)?.health?.state === 'connected' ? true : undefined;
}, 20_000);

async function testScanArrives(): Promise<void> {
  const tech = await h.events(h.tokens.technician);
  try {
    const r = await h.call<TestScanResponse>('POST', '/api/devices/test-scan', h.tokens.technician, { code: '4870000000013' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.result.received, '4870000000013');
    await tech.waitFor((e) => e.type === 'device-raw' && e.deviceId === 'training-scanner' && e.text.includes('4870000000013'), 10_000);
  } finally {
    tech.close();
  }
}

test('adding and removing a printer leaves the training scanner working', async () => {
  await connected();
  await testScanArrives();
  // A printer on a path that does not exist: assigning it restarts the devices all the same.
  const path = join(mkdtempSync(join(tmpdir(), 'tanba-nodev-')), 'ttyUSB9');
  const add = await h.call('POST', '/api/devices', h.tokens.technician, { id: 'printer-1', role: 'printer', transport: 'serial', path });
  assert.equal(add.status, 200, add.text);
  await connected();
  await testScanArrives();
  const remove = await h.call('DELETE', '/api/devices/printer-1', h.tokens.technician);
  assert.equal(remove.status, 200, remove.text);
  await connected();
  await testScanArrives();
});

const scannerHealth = async () => (await h.call<DevicesBody>('GET', '/api/devices', h.tokens.technician)).body.devices.find((x) => x.emulated)?.health ?? null;

test('a printer added as the Devices form sends it (serial path, baud) leaves the scanner\'s port alone', async () => {
  await connected();
  await testScanArrives();
  const scansBefore = (await scannerHealth())?.scans ?? 0;
  assert.ok(scansBefore >= 1);
  const tech = await h.events(h.tokens.technician);
  try {
    // What the UI's add form sends for a printer: a serial port path and its baud rate, no scanner framing.
    const add = await h.call('POST', '/api/devices', h.tokens.technician, { id: 'printer-2', role: 'printer', transport: 'serial', path: '/tmp/i16f-noprinter', baudRate: 9600 });
    assert.equal(add.status, 200, add.text);
    const health = await scannerHealth();
    assert.equal(health?.state, 'connected', 'the scanner did not even reconnect');
    assert.equal(health?.scans, scansBefore, 'the same driver kept running (its counters were not reset)');
    assert.ok(!tech.events.some((e) => e.type === 'device-health' && e.health.id === 'training-scanner'), 'no health change of the scanner at all');
  } finally {
    tech.close();
  }
  assert.equal((await h.call('DELETE', '/api/devices/printer-2', h.tokens.technician)).status, 200);
  assert.equal((await scannerHealth())?.scans, scansBefore);
});

/** The pid of the socat behind the training scanner's pty (started by this test's core). */
function trainingSocatPid(): number {
  const link = join(h.dir, 'training-scanner.pty');
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try { cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.startsWith('socat') && cmd.includes(`link=${link},`)) return Number(entry);
  }
  throw new Error(`no socat for ${link}`);
}

test('the training scanner comes back by itself when its socat ends (a port closed for too long), and Test scan works again', async () => {
  await connected();
  const pid = trainingSocatPid();
  process.kill(pid, 'SIGTERM');
  await until('socat gone', () => { try { process.kill(pid, 0); return undefined; } catch { return true; } }, 5_000);
  await connected();
  assert.notEqual(trainingSocatPid(), pid, 'a new socat');
  await testScanArrives();
  // Killed outright (its links left behind): plugged back in all the same.
  const pid2 = trainingSocatPid();
  process.kill(pid2, 'SIGKILL');
  const r = await h.call<TestScanResponse>('POST', '/api/devices/test-scan', h.tokens.technician, { code: '4870000000013' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.result.received, '4870000000013');
});
