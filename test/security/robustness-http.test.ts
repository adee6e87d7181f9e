// The HTTP boundary over the real server: impossible dates and out-of-range list limits get a
// 400 naming the parameter (they were 500s with `Invalid time value`, or everything past the
// cap); every answer carries the UI's security headers; a 5xx is logged with its request id and
// answered with a generic message naming it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../server-harness.ts';
import { createServer } from '../../src/server/app.ts';
import { fileSettings } from '../../src/server/settings.ts';
import { openDatabase } from '../../src/store/index.ts';

let h: Harness;
type ErrorBody = { error: { code: string; message: string; requestId?: string } };
before(async () => { h = await startHarness('sec-http'); });
after(async () => { await h.stop(); });

test('impossible dates on /api/sales, /api/sales.csv and /api/stats: 400 naming the parameter', async () => {
  const bad = ['2026-13-01', '2026-02-30', '2026-00-10', '2026-01-01T25:00:00Z', '2026-01-01T10:00:00', '99999-01-01', '2026-1-1', 'yesterday'];
  for (const path of ['/api/sales', '/api/sales.csv', '/api/stats']) {
    for (const v of bad) {
      for (const name of ['from', 'to']) {
        const r = await h.call<ErrorBody>('GET', `${path}?${name}=${encodeURIComponent(v)}`, h.tokens.manager);
        assert.equal(r.status, 400, `${path}?${name}=${v}: ${r.status} ${r.text.slice(0, 200)}`);
        assert.match(r.body.error.message, new RegExp(`^${name}: ${name} must be a real day`));
      }
    }
    const ok = await h.call('GET', `${path}?from=2026-02-28&to=2026-03-01T10:00:00%2B05:00`, h.tokens.manager);
    assert.equal(ok.status, 200, `${path}: ${ok.text.slice(0, 200)}`);
  }
});

test('list limits are validated: /api/audit?limit=-1 and others give 400, not everything past the cap', async () => {
  for (const q of ['limit=-1', 'limit=0', 'limit=1001', 'limit=abc', 'limit=1.5']) {
    const r = await h.call<ErrorBody>('GET', `/api/audit?${q}`, h.tokens.admin);
    assert.equal(r.status, 400, `audit ${q}: ${r.text.slice(0, 200)}`);
    assert.match(r.body.error.message, /^limit: /);
  }
  for (const [path, q] of [['/api/overrides', 'limit=-1'], ['/api/sales', 'limit=-1'], ['/api/sales', 'offset=-5'], ['/api/logs', 'limit=0']] as const) {
    const token = path === '/api/logs' ? h.tokens.technician : h.tokens.manager;
    const r = await h.call<ErrorBody>('GET', `${path}?${q}`, token);
    assert.equal(r.status, 400, `${path}?${q}: ${r.text.slice(0, 200)}`);
  }
  const ok = await h.call<{ entries: unknown[] }>('GET', '/api/audit?limit=2', h.tokens.admin);
  assert.equal(ok.status, 200);
  assert.ok(ok.body.entries.length <= 2);
});

test('answers carry the CSP (as the Electron shell), frame-ancestors, X-Frame-Options, nosniff and Referrer-Policy', async () => {
  for (const path of ['/', '/api/health', '/api/nope']) {
    const r = await h.call('GET', path);
    const csp = r.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, path);
    assert.match(csp, /script-src 'self'/, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', path);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer', path);
  }
});

test('a 5xx is logged with its request id and answered with a generic message naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-sec-5xx-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  const logged: { obj: Record<string, unknown>; msg: string }[] = [];
  const server = await createServer({
    db, settings: fileSettings(dir, {}), version: 't', log: { error: (obj, msg) => { logged.push({ obj: obj as Record<string, unknown>, msg }); } },
    routes: [({ app, auth }) => { app.get('/api/boom', { preHandler: auth.publicRoute }, async () => { throw new Error('divRound(1e300, 1000): internal detail'); }); }],
  });
  try {
    const { port } = await server.listen('127.0.0.1', 0);
    const res = await fetch(`http://127.0.0.1:${port}/api/boom?token=SECRET`);
    const body = await res.json() as ErrorBody;
    assert.equal(res.status, 500);
    assert.doesNotMatch(JSON.stringify(body), /divRound|internal detail/);
    assert.equal(body.error.code, 'INTERNAL');
    const id = body.error.requestId;
    assert.ok(id);
    assert.equal(res.headers.get('x-request-id'), id);
    assert.match(body.error.message, new RegExp(`request ${id}`));
    assert.equal(logged.length, 1);
    assert.equal(logged[0]?.obj.reqId, id);
    assert.equal(logged[0]?.obj.path, '/api/boom');
    assert.match(JSON.stringify(logged[0]?.obj), /divRound/);
    assert.doesNotMatch(JSON.stringify(logged[0]?.obj), /SECRET/);
  } finally {
    await server.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
