// Sessions over the real API and WebSocket: the bearer token is accepted only as a header;
// URLs that cannot carry a header (the event socket, a receipt image) take a short-lived,
// one-use, one-purpose ticket; logout ends every form of the session; an open event socket is
// closed when its session ends (logout, expiry). Before: ?token= worked on every route,
// `POST /api/logout?token=` answered ok and left the session alive, and an open socket kept
// receiving events after logout or expiry.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startHarness, type Harness } from '../server-harness.ts';
import type { ServerEvent } from '../../src/server/contract/index.ts';

let h: Harness;
let offset = 0;

before(async () => {
  h = await startHarness('sec-sessions', { core: { clock: { now: () => new Date(Date.now() + offset) } } });
});
after(async () => {
  await h?.stop();
});

/** A fresh session of the cashier. */
async function session(): Promise<string> {
  const r = await h.call<{ token: string }>('POST', '/api/login', undefined, { name: 'cashier', pin: h.pins.cashier });
  assert.equal(r.status, 200, r.text);
  return r.body.token;
}

async function ticket(token: string, purpose: 'events' | 'receipt-png'): Promise<string> {
  const r = await h.call<{ ticket: string; purpose: string; expiresAt: string }>('POST', '/api/tickets', token, { purpose });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.purpose, purpose);
  assert.ok(Date.parse(r.body.expiresAt) - (Date.now() + offset) <= 31_000, 'a ticket lives for seconds');
  return r.body.ticket;
}

interface Socket {
  ws: WebSocket;
  events: ServerEvent[];
  closed: Promise<{ code: number; reason: string }>;
}

/** Opens the event socket with a query string; resolves with the socket or the HTTP status that refused it. */
function openEvents(query: string): Promise<Socket | { refused: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${h.core.port}/api/events?${query}`);
    const events: ServerEvent[] = [];
    const closed = new Promise<{ code: number; reason: string }>((r) => ws.once('close', (code, reason) => r({ code, reason: reason.toString() })));
    ws.on('message', (data: Buffer) => events.push(JSON.parse(data.toString()) as ServerEvent));
    ws.once('open', () => resolve({ ws, events, closed }));
    ws.once('unexpected-response', (_req, res) => { resolve({ refused: res.statusCode ?? 0 }); res.resume(); });
    ws.once('error', (err) => { if (!/Unexpected server response/.test(err.message)) reject(err); });
  });
}

async function mustOpen(query: string): Promise<Socket> {
  const s = await openEvents(query);
  assert.ok('ws' in s, `the socket opened (${JSON.stringify(s)})`);
  return s;
}

test('a session token in the URL is refused on every kind of route, with a message that says how', async () => {
  const token = await session();
  for (const path of [`/api/me?token=${token}`, `/api/checkout/basket?token=${token}`, `/api/receipts/x/png?token=${token}`, `/api/sync/status?token=${token}`]) {
    const r = await h.call<{ error: { code: string; message: string } }>('GET', path);
    assert.equal(r.status, 401, path);
    assert.match(r.body.error.message, /not accepted in the URL.*Authorization: Bearer/, path);
  }
  assert.deepEqual(await openEvents(`token=${token}`), { refused: 401 }, 'the WebSocket does not take the token either');
  // POST /api/logout?token= does not pretend: 401, and the session is untouched.
  assert.equal((await h.call('POST', `/api/logout?token=${token}`)).status, 401);
  assert.equal((await h.call('GET', '/api/me', token)).status, 200);
});

test('tickets: one use, one purpose, never a bearer token, void after 30 s', async () => {
  const token = await session();
  const t = await ticket(token, 'events');
  const first = await mustOpen(`ticket=${t}`);
  assert.equal((await openEvents(`ticket=${t}`) as { refused: number }).refused, 401, 'a ticket opens one socket');
  first.ws.close();
  const png = await ticket(token, 'receipt-png');
  assert.deepEqual(await openEvents(`ticket=${png}`), { refused: 401 }, 'a receipt ticket does not open the events');
  const ev = await ticket(token, 'events');
  assert.equal((await h.call('GET', `/api/receipts/nothing/png?ticket=${ev}`)).status, 401, 'an events ticket does not fetch images');
  const png2 = await ticket(token, 'receipt-png');
  const img = await h.call<{ error: { code: string } }>('GET', `/api/receipts/nothing/png?ticket=${png2}`);
  assert.equal(img.status, 404, 'a receipt ticket passes the guard (no such receipt, so 404)');
  assert.equal(img.body.error.code, 'NOT_PRINTED');
  assert.equal((await h.call('GET', '/api/me', await ticket(token, 'events'))).status, 401, 'a ticket is no bearer token');
  assert.equal((await h.call('GET', `/api/me?ticket=${await ticket(token, 'events')}`)).status, 401, 'nor a URL credential elsewhere');
  const plain = await h.call<{ ticket: string; purpose: string }>('POST', '/api/tickets', token);
  assert.equal(plain.status, 201, 'no body: a ticket for the events');
  assert.equal(plain.body.purpose, 'events');
  (await mustOpen(`ticket=${plain.body.ticket}`)).ws.close();
  const late = await ticket(token, 'events');
  offset += 31_000;
  assert.deepEqual(await openEvents(`ticket=${late}`), { refused: 401 }, 'an expired ticket');
});

test('logout ends every form of the session: the token, its unused tickets, its open socket', async () => {
  const token = await session();
  const other = await session();
  const socket = await mustOpen(`ticket=${await ticket(token, 'events')}`);
  const otherSocket = await mustOpen(`ticket=${await ticket(other, 'events')}`);
  const unused = await ticket(token, 'events');
  assert.equal((await h.call('POST', '/api/logout', token, {})).status, 200);
  const closed = await socket.closed;
  assert.equal(closed.code, 4401, 'the socket is closed as "session ended"');
  assert.equal((await h.call('GET', '/api/me', token)).status, 401);
  assert.deepEqual(await openEvents(`ticket=${unused}`), { refused: 401 }, 'a ticket taken before logout is void');
  // The other session of the same user is untouched and still gets events.
  const before = otherSocket.events.length;
  h.core.server.broadcast({ type: 'audit', action: 'probe', user: 'test', at: new Date().toISOString() });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(otherSocket.events.length > before, 'the other session still receives events');
  assert.equal(socket.events.filter((e) => e.type === 'audit' && e.action === 'probe').length, 0, 'the logged-out socket got nothing after logout');
  otherSocket.ws.close();
});

test('an open socket is closed when its session expires, and receives nothing after', async () => {
  const token = await session();
  const socket = await mustOpen(`ticket=${await ticket(token, 'events')}`);
  offset += 12 * 3600_000 + 1000;
  h.core.server.broadcast({ type: 'audit', action: 'after-expiry', user: 'test', at: new Date().toISOString() });
  const closed = await socket.closed;
  assert.equal(closed.code, 4401);
  assert.equal(socket.events.filter((e) => e.type === 'audit' && e.action === 'after-expiry').length, 0);
  assert.equal((await h.call('GET', '/api/me', token)).status, 401);
});
