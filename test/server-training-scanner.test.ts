// The training scanner survives device changes (issue 16): adding a printer and removing it
// restart the devices, which closes the emulated scanner's pty; the scanner must come back at
// the same path and Test scan must keep working (it answered 500 until a restart before).
// Real parts: a socat pty pair, the serial driver, the training core over HTTP.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
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

type DevicesBody = { devices: { config: { id: string }; emulated: boolean; health: { state: string } | null }[] };
const connected = () => until('the emulated scanner connected', async () => {
  const d = await h.call<DevicesBody>('GET', '/api/devices', h.tokens.technician);
  return d.body.devices.find((x) => x.emulated)?.health?.state === 'connected' ? true : undefined;
}, 20_000);

async function testScanArrives(): Promise<void> {
  const tech = await h.events(h.tokens.technician);
  try {
    const r = await h.call<TestScanResponse>('POST', '/api/devices/test-scan', h.tokens.technician, { code: '4870000000013' });
    assert.equal(r.status, 200, r.text);
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
