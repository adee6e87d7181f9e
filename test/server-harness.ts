// Shared set-up of the server integration tests: a real core (training mode: in-process OFD and
// marking registry emulators, virtual printer, pty scanner) on 127.0.0.1 port 0 in a temp dir,
// users of every role, and a small HTTP client. Timings are shortened through `tuning`.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { request as httpRequest } from 'node:http';
import { startCore, type Core, type CoreOptions } from '../src/server/main.ts';
import type { ServerEvent } from '../src/server/contract/index.ts';

export interface Res<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface Harness {
  core: Core;
  dir: string;
  base: string;
  tokens: { admin: string; cashier: string; manager: string; technician: string };
  pins: { admin: string; cashier: string; manager: string; technician: string };
  call<T = Record<string, unknown>>(method: string, path: string, token?: string, body?: unknown, headers?: Record<string, string>): Promise<Res<T>>;
  /** A JSON call from another local source address (127.0.0.2, ...): what fetch cannot do. */
  callFrom<T = Record<string, unknown>>(localAddress: string, method: string, path: string, token?: string, body?: unknown): Promise<Res<T>>;
  /** Codes of the training registry, fetched from the emulator's own /admin/sample over HTTP. */
  sample(kind: string, n: number, offset?: number): Promise<{ code: string; cis: string; price: number | null; status: string | null }[]>;
  events(token: string): Promise<EventLog>;
  /** Stops the core and starts a new one on the same data directory (sessions, users, locks kept). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A WebSocket subscription that keeps every event. */
export interface EventLog {
  events: ServerEvent[];
  waitFor(pred: (e: ServerEvent) => boolean, timeoutMs?: number): Promise<ServerEvent>;
  /** Called when the server (or the test) closes the socket, with the close code. */
  onClose(listener: (code: number) => void): void;
  close(): void;
}

/** Polls `fn` until it returns a value (not undefined) or the time is up. */
export async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000, everyMs = 100): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Options of {@link startHarness}: core options to add (a clock, auth timings). */
export interface HarnessOptions {
  core?: Partial<CoreOptions>;
}

export async function startHarness(prefix: string, options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), `tanba-${prefix}-`));
  const coreOptions: CoreOptions = {
    ...options.core,
    dataDir: dir, port: 0, env: {}, uiDir: join(dir, 'no-ui'), logToStderr: false,
    tuning: {
      ofdTransactionTimeoutMs: 1_000, ofdReconnectIntervalMs: 200, senderBackoff: { baseMs: 100, maxMs: 400 }, senderIdleMs: 300,
      statusPushMs: 250, trainingCodes: 2_000, printWaitForTicketMs: 1_000,
    },
  };
  let core = await startCore(coreOptions);
  let base = `http://127.0.0.1:${core.port}`;

  async function call<T>(method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const isJson = body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array);
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(isJson ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: isJson ? JSON.stringify(body) : (body as string) }),
    });
    const text = await res.text();
    let parsed: unknown = {};
    if ((res.headers.get('content-type') ?? '').includes('json') && text !== '') parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  function callFrom<T>(localAddress: string, method: string, path: string, token?: string, body?: unknown): Promise<Res<T>> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = httpRequest({
        host: '127.0.0.1', port: core.port, method, path, localAddress,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}) },
      }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => {
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve({ status: res.statusCode ?? 0, body: (text.startsWith('{') ? JSON.parse(text) : {}) as T, text, headers });
        });
      });
      req.on('error', reject);
      if (data) req.write(data);
      req.end();
    });
  }

  const pins = { admin: '4826', cashier: '5173', manager: '2968', technician: '3619' };
  const setup = await call('POST', '/api/setup', undefined, { storeName: 'Дүкен №1', registerId: 'KZ-R1', adminPin: pins.admin, languages: ['ru', 'kk', 'en'] });
  assert.equal(setup.status, 201, setup.text);
  const login = async (name: string, pin: string): Promise<string> => {
    const r = await call<{ token: string }>('POST', '/api/login', undefined, { name, pin });
    assert.equal(r.status, 200, r.text);
    return r.body.token;
  };
  const admin = await login('admin', pins.admin);
  for (const role of ['cashier', 'manager', 'technician'] as const) {
    const r = await call('POST', '/api/users', admin, { name: role, role, pin: pins[role] });
    assert.equal(r.status, 201, r.text);
  }
  const tokens = { admin, cashier: await login('cashier', pins.cashier), manager: await login('manager', pins.manager), technician: await login('technician', pins.technician) };

  return {
    get core() { return core; },
    get base() { return base; },
    dir, tokens, pins, call, callFrom,
    async restart() {
      await core.stop();
      core = await startCore(coreOptions);
      base = `http://127.0.0.1:${core.port}`;
    },
    async sample(kind, n, offset = 0) {
      const t = await call<{ training: { registry: { url: string } } }>('GET', '/api/training', tokens.manager);
      assert.equal(t.status, 200, t.text);
      const res = await fetch(`${t.body.training.registry.url}/admin/sample?kind=${kind}&n=${n}&offset=${offset}`, { headers: { authorization: 'Bearer tanba-emulator' } });
      assert.equal(res.status, 200);
      const body = await res.json() as { codes?: unknown[] } | unknown[];
      const list = (Array.isArray(body) ? body : body.codes ?? []) as { code: string; cis: string; price: number | null; status: string | null }[];
      assert.ok(list.length > 0, `the training registry has ${kind} codes`);
      return list;
    },
    async events(token) {
      // As a browser does: a one-use ticket in the URL, never the session token.
      const ticket = await call<{ ticket: string }>('POST', '/api/tickets', token, { purpose: 'events' });
      assert.equal(ticket.status, 201, ticket.text);
      const ws = new WebSocket(`ws://127.0.0.1:${core.port}/api/events?ticket=${ticket.body.ticket}`);
      const events: ServerEvent[] = [];
      const waiters = new Set<() => void>();
      ws.on('message', (data: Buffer) => {
        events.push(JSON.parse(data.toString()) as ServerEvent);
        for (const w of waiters) w();
      });
      await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
      return {
        events,
        waitFor(pred, timeoutMs = 10_000) {
          const found = events.find(pred);
          if (found) return Promise.resolve(found);
          return new Promise((resolve, reject) => {
            const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`no matching event within ${timeoutMs} ms; got ${events.map((e) => e.type).join(',')}`)); }, timeoutMs);
            function check(): void {
              const e = events.find(pred);
              if (e) { clearTimeout(timer); waiters.delete(check); resolve(e); }
            }
            waiters.add(check);
          });
        },
        onClose(listener) { ws.once('close', (code: number) => listener(code)); },
        close() { ws.close(); },
      };
    },
    async stop() {
      await core.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
