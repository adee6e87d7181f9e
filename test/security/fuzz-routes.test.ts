// A fuzz test of every route of the real server, enumerated from fastify's own route table:
// fast-check generated JSON bodies (every type, long strings, deep nesting, huge and negative
// numbers, strange Unicode, control bytes) to every route that takes a body, and generated query
// strings to every GET. No answer may be a 5xx, the server must keep answering, and its memory
// (RSS) must stay bounded. The seed is printed; TANBA_TEST_SEED=<n> replays a run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { startHarness, type Harness } from '../server-harness.ts';
import { routeTable } from '../../src/server/hardening.ts';

let h: Harness;
const seed = Number(process.env.TANBA_TEST_SEED ?? Math.floor(Math.random() * 2 ** 31));
before(async () => {
  console.log(`fuzz-routes seed: ${seed} (replay with TANBA_TEST_SEED=${seed})`);
  h = await startHarness('sec-fuzz');
  assert.equal((await h.call('POST', '/api/shifts/open', h.tokens.cashier, {})).status, 201);
});
after(async () => { await h.stop(); });

/** Routes that would end the sessions the fuzzing uses, or that stream a feed (not JSON). */
const SKIP = new Set(['POST /api/logout', 'POST /api/cache/import']);

const strangeString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\x1b[31m', '\u202e', '𝔘𝔫𝔦', '../../etc/passwd', '<script>', '%00', '\x1d', '__proto__', 'constructor', 'x'.repeat(100_000)),
);
const hugeNumber = fc.oneof(
  fc.constantFrom(2 ** 53, 2 ** 53 - 1, -(2 ** 53), 1e308, -1e308, 5e-324, 0, -0, 1.5, Number.MAX_VALUE),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
);
const leaf = fc.oneof(strangeString, hugeNumber, fc.boolean(), fc.constant(null));
const body = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 3, arbitrary: fc.dictionary(fc.constantFrom('code', 'price', 'quantity', 'payments', 'items', 'saleId', 'name', 'pin', 'role', 'store', 'registry', 'refusalId', 'reason', 'managerPin', 'limit', 'level', 'kind', 'cashier', 'port', 'path'), leaf.chain((l) => fc.oneof(fc.constant(l), fc.array(leaf, { maxLength: 5 }), fc.dictionary(strangeString, leaf, { maxKeys: 3 })))) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 200 }).map((depth) => { let v: unknown = 1; for (let i = 0; i < depth; i++) v = i % 2 === 0 ? { a: v } : [v]; return v; }) },
  { weight: 1, arbitrary: fc.array(leaf, { maxLength: 2000 }) },
);
const query = fc.dictionary(fc.constantFrom('from', 'to', 'limit', 'offset', 'q', 'kind', 'delivery', 'level', 'action', 'token', 'n'), strangeString.map((s) => s.slice(0, 200)).chain((s) => fc.oneof(fc.constant(s), hugeNumber.map(String))), { maxKeys: 4 });
const pathParam = fc.oneof(fc.uuid(), fc.constantFrom('0', '-1', '99999999999999999999', 'x'.repeat(300), '%2e%2e', 'null'), fc.stringMatching(/^[a-z0-9-]{1,20}$/));

test('every route, fuzzed: no 5xx, the server keeps answering, RSS bounded', async () => {
  const routes = routeTable(h.core.server.app).filter((r) => !r.websocket && r.url.startsWith('/api/') && r.method !== 'HEAD' && !SKIP.has(`${r.method} ${r.url}`));
  assert.ok(routes.length >= 30, `the route table lists the API (${routes.length} routes)`);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const failures: string[] = [];
  let requests = 0;
  await fc.assert(fc.asyncProperty(fc.constantFrom(...routes), body, query, pathParam, fc.constantFrom('admin', 'manager', 'cashier', 'technician') , async (route, b, q, p, role) => {
    const path = route.url.replace(/:[A-Za-z]+/g, encodeURIComponent(p));
    const qs = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)])).toString();
    const token = h.tokens[role as keyof Harness['tokens']];
    const r = route.method === 'GET' || route.method === 'DELETE'
      ? await h.call(route.method, `${path}${qs ? `?${qs}` : ''}`, token)
      : await h.call(route.method, path, token, b === undefined ? {} : b);
    requests++;
    if (r.status >= 500) failures.push(`${route.method} ${path}: ${r.status} ${r.text.slice(0, 200)}`);
    return r.status < 500;
  }), { seed, numRuns: 1200, endOnFailure: true });
  assert.deepEqual(failures, []);
  const health = await h.call('GET', '/api/health');
  assert.equal(health.status, 200, 'the server still answers');
  global.gc?.();
  const grownMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  console.log(`fuzz-routes: ${requests} requests over ${routes.length} routes; RSS grew ${grownMb.toFixed(1)} MB`);
  assert.ok(grownMb < 400, `RSS grew ${grownMb.toFixed(1)} MB`);
});
