import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { systemClock } from '../clock.ts';
import { createOfdProbe } from './ofd-probe.ts';

test('the OFD probe: reachable while a real server listens, refused once it is gone, and it says when it flips', async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let changes = 0;
  const probe = createOfdProbe({ target: () => ({ host: '127.0.0.1', port }), clock: systemClock, changed: () => { changes++; } });
  assert.equal(probe.current(), null);
  const up = await probe.probeNow();
  assert.deepEqual([up.reachable, up.detail], [true, null]);
  assert.equal(changes, 1);
  await probe.probeNow();
  assert.equal(changes, 1, 'the same answer again is no change');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const down = await probe.probeNow();
  assert.equal(down.reachable, false);
  assert.match(down.detail ?? '', /^ECONNREFUSED/);
  assert.equal(changes, 2);
  assert.deepEqual(probe.current(), down);
});
