import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { faultDice, LoopbackHttp } from './loopback.ts';

test('a loopback server answers on its URL, and close() ends a pending wait and open connections', async () => {
  const http = new LoopbackHttp({}, (_req, res) => { res.end('hello'); }, 'the test emulator');
  assert.throws(() => http.url, /the test emulator is not started/);
  const url = await http.start();
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(http.url, url);
  assert.equal(await (await fetch(url)).text(), 'hello');
  // A connection left open (keep-alive) and a long wait both end at close().
  const open = new Promise<void>((resolve) => { request(url, { agent: false, headers: { connection: 'keep-alive' } }, (res) => { res.resume(); res.socket.once('close', () => resolve()); }).end(); });
  const waited = http.sleep(60_000).then(() => 'woken');
  let hung = false;
  http.wakeOnClose(() => { hung = true; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(http.closed, false);
  await http.close();
  assert.equal(http.closed, true);
  assert.equal(await waited, 'woken');
  assert.equal(hung, true);
  await open;
  await assert.rejects(fetch(url));
  await http.close(); // a second close is harmless
});

test('fault dice: 0 never, 1 always, between them the same sequence for the same seed', () => {
  let n = 0;
  const counting = faultDice(() => { n++; return 0.5; });
  assert.equal(counting(0), false);
  assert.equal(counting(1), true);
  assert.equal(n, 0, 'rates 0 and 1 throw no dice');
  assert.equal(counting(0.6), true);
  assert.equal(counting(0.4), false);
  const seq = (): boolean[] => { let x = 7; const d = faultDice(() => { x = (x * 48271) % 2147483647; return x / 2147483647; }); return Array.from({ length: 20 }, () => d(0.3)); };
  assert.deepEqual(seq(), seq());
});
