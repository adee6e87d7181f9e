// The role matrix over the real server: every /api route, taken from fastify's own route table
// (so a new route cannot be left out), × no session, a forged token, an expired session, the
// session token in the URL, and each role the permission table (PERMISSIONS) does not name:
// 401 / 403 as the table says. A route registered without a guard stops the server at start-up.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from '../server-harness.ts';
import { createServer, PERMISSIONS, type RouteAccess } from '../../src/server/app.ts';
import { fileSettings } from '../../src/server/settings.ts';
import { createSession, openDatabase, userByName } from '../../src/store/index.ts';
import { ROLES, type Role } from '../../src/server/contract/index.ts';

let h: Harness;
let expired: string;

before(async () => {
  h = await startHarness('sec-matrix');
  // A real session of the administrator that ended an hour ago, written as the core writes one.
  const db = openDatabase(join(h.dir, 'tanba.db'));
  try {
    const admin = userByName(db, 'admin');
    assert.ok(admin);
    expired = createSession(db, admin.id, new Date(Date.now() - 13 * 3600_000), 12 * 3600_000).token;
  } finally {
    db.close();
  }
});
after(async () => {
  await h?.stop();
});

/** Every path of fastify's printed route tree, with its methods. */
function printedRoutes(tree: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    // "├── name (GET, HEAD)", indented 4 characters per level.
    const at = line.indexOf('── ') - 1;
    if (at < 0) continue;
    const depth = at / 4;
    const m = /^(.*?)(?: \(([^)]*)\))?$/.exec(line.slice(at + 4)) as RegExpExecArray;
    const path = (depth > 0 ? stack[depth - 1] ?? '' : '') + (m[1] as string);
    stack[depth] = path;
    stack.length = depth + 1;
    if (m[2]) out.set(path, m[2].split(', '));
  }
  return out;
}

function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'x');
}

async function send(route: RouteAccess, auth: { header?: string; query?: string }): Promise<{ status: number; code: string | undefined }> {
  const url = `${h.base}${concrete(route.url)}${auth.query ? `?${auth.query}` : ''}`;
  const hasBody = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
  const res = await fetch(url, {
    method: route.method,
    headers: { ...(auth.header ? { authorization: auth.header } : {}), ...(hasBody ? { 'content-type': 'application/json' } : {}) },
    ...(hasBody ? { body: '{}' } : {}),
  });
  const text = await res.text();
  return { status: res.status, code: text.startsWith('{') ? (JSON.parse(text) as { error?: { code: string } }).error?.code : undefined };
}

test('the route table is complete: every /api route fastify printed has a declared access', () => {
  const table = h.core.server.routes();
  const printed = printedRoutes(h.core.server.app.printRoutes({ commonPrefix: false }));
  const apiPrinted = [...printed].filter(([path]) => path.startsWith('/api/'));
  assert.ok(apiPrinted.length >= 50, `fastify has the API routes (${apiPrinted.length})`);
  for (const [path, methods] of apiPrinted) {
    for (const method of methods) assert.ok(table.some((r) => r.url === path && r.method === method), `${method} ${path} has an access entry`);
  }
  assert.equal(table.length, apiPrinted.reduce((n, [, m]) => n + m.length, 0), 'and nothing else');
  const publicRoutes = table.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.url}`).sort();
  assert.deepEqual(publicRoutes, ['GET /api/health', 'GET /api/login/users', 'GET /api/setup', 'HEAD /api/health', 'HEAD /api/login/users', 'HEAD /api/setup', 'POST /api/login', 'POST /api/setup']);
});

test('every route × no session, forged token, expired session, token in the URL: 401', async () => {
  const forged = `Bearer ${randomBytes(32).toString('base64url')}`;
  const failures: string[] = [];
  for (const route of h.core.server.routes().filter((r) => r.access !== 'public')) {
    const cases = {
      none: {}, forged: { header: forged }, expired: { header: `Bearer ${expired}` }, 'token in URL': { query: `token=${h.tokens.admin}` },
      'forged ticket': { query: `ticket=${randomBytes(24).toString('base64url')}` },
    };
    for (const [name, auth] of Object.entries(cases)) {
      const r = await send(route, auth);
      if (r.status !== 401 || (route.method !== 'HEAD' && r.code !== 'UNAUTHENTICATED')) failures.push(`${route.method} ${route.url} (${name}): ${r.status} ${r.code}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('every route × each role its permission does not name: 403, audited', async () => {
  const failures: string[] = [];
  let checked = 0;
  for (const route of h.core.server.routes()) {
    if (route.access === 'public' || route.access === 'session') continue;
    const allowed = PERMISSIONS[route.access] as readonly Role[];
    for (const role of ROLES.filter((r) => !allowed.includes(r))) {
      const r = await send(route, { header: `Bearer ${h.tokens[role]}` });
      checked++;
      if (r.status !== 403 || (route.method !== 'HEAD' && r.code !== 'FORBIDDEN')) failures.push(`${route.method} ${route.url} as ${role}: ${r.status} ${r.code}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(checked >= 60, `role × route pairs checked: ${checked}`);
  assert.ok(h.core.server.routes().some((r) => r.access === 'manageUsers' && r.url === '/api/users/:id/disable'), 'user management is in the table');
  const audit = await h.call<{ entries: { action: string; outcome: string; details: { permission?: string } }[] }>('GET', '/api/audit?limit=1000', h.tokens.admin);
  const denied = audit.body.entries.filter((e) => e.outcome === 'denied' && e.action.startsWith('denied:'));
  assert.ok(denied.length >= checked, `each refusal is audited (${denied.length} of ${checked})`);
});

test('every GET route lets the roles of its permission through (the table is not stricter than it says)', async () => {
  const failures: string[] = [];
  for (const route of h.core.server.routes()) {
    if (route.method !== 'GET' || route.access === 'public' || route.websocket) continue;
    const allowed: readonly Role[] = route.access === 'session' ? ROLES : PERMISSIONS[route.access];
    for (const role of allowed) {
      const r = await send(route, { header: `Bearer ${h.tokens[role]}` });
      if (r.status === 401 || r.status === 403) failures.push(`${route.method} ${route.url} as ${role}: ${r.status} ${r.code}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a route added without a guard stops the server at start-up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-sec-guardless-'));
  const db = openDatabase(join(dir, 'tanba.db'));
  try {
    await assert.rejects(
      createServer({ db, settings: fileSettings(dir, {}), version: 'test', routes: [({ app }) => { app.get('/api/sneaky', async () => ({ secret: true })); }] }),
      /GET \/api\/sneaky declares no access/,
    );
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
