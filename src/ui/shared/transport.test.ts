import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiFailure, createTransport } from './transport.ts';

// A real HTTP server on an ephemeral port; fetch is Node's own.
async function withServer(fn: (base: string, seen: IncomingMessage[]) => Promise<void>): Promise<void> {
  const seen: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    seen.push(req);
    if (req.url === '/ok') { res.setHeader('content-type', 'application/json'); res.end('{"n":1}'); return; }
    if (req.url === '/empty') { res.end(); return; }
    if (req.url === '/html') { res.end('<html>'); return; }
    if (req.url === '/busy') { res.writeHead(429, { 'retry-after': '7' }); res.end('{"error":{"code":"RATE_LIMITED","message":"slow down"}}'); return; }
    if (req.url === '/gone') { res.writeHead(401); res.end('{"error":{"code":"UNAUTHENTICATED","message":"log in"}}'); return; }
    res.writeHead(500); res.end('boom');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
}

test('JSON calls carry the bearer token and parse the answer; an empty body is undefined', async () => {
  await withServer(async (base, seen) => {
    const t = createTransport({ baseUrl: base, token: () => 'tok' });
    assert.deepEqual(await t.request('POST', '/ok', { a: 1 }), { n: 1 });
    assert.equal(seen[0]?.headers.authorization, 'Bearer tok');
    assert.equal(seen[0]?.headers['content-type'], 'application/json');
    assert.equal(await t.request('GET', '/empty'), undefined);
    assert.equal(await (await t.download('/ok', 'text/csv')).text(), '{"n":1}');
    assert.equal(seen[2]?.headers.accept, 'text/csv');
  });
});

test('failures: the server error body with Retry-After, 401 signs out, a non-JSON answer, another status, no network', async () => {
  await withServer(async (base) => {
    let signedOut = 0;
    const t = createTransport({ baseUrl: base, token: () => 'tok', onUnauthenticated: () => { signedOut++; } });
    await assert.rejects(t.request('GET', '/busy'), (e: unknown) => e instanceof ApiFailure && e.status === 429 && e.code === 'RATE_LIMITED' && e.retryAfter === 7);
    await assert.rejects(t.request('GET', '/gone'), (e: unknown) => e instanceof ApiFailure && e.code === 'UNAUTHENTICATED');
    assert.equal(signedOut, 1);
    await assert.rejects(t.request('GET', '/html'), (e: unknown) => e instanceof ApiFailure && e.code === 'BAD_RESPONSE');
    await assert.rejects(t.request('GET', '/other'), (e: unknown) => e instanceof ApiFailure && e.code === 'HTTP_500' && e.message === 'GET /other: HTTP 500');
  });
  const offline = createTransport({ baseUrl: 'http://127.0.0.1:1', token: () => null });
  await assert.rejects(offline.request('GET', '/ok'), (e: unknown) => e instanceof ApiFailure && e.status === 0 && e.code === 'NETWORK');
});
