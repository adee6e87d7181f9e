/**
 * Tanba as a local module (ЛМ ЧЗ) for other tills: `tanba serve --lm-port 5995` answers the
 * local-module API from Tanba's cache and rules, so Frontol, 1C or any till that already speaks
 * to a local module uses Tanba's cache, freshness and decisions unchanged.
 *
 * - HTTP Basic with `localModule.user` / `localModule.password` from the configuration (a missing
 *   or wrong one: 401 with WWW-Authenticate).
 * - `GET /api/v1/status` (also v2): `status` maps Tanba's freshness: ready → ready, first load under
 *   way → initialization, past the offline limit → sync_error, never synced → not_configured.
 * - `GET /api/v1/cis/outCheck?cis=<url-encoded code>` → the True API envelope plus `inst` and
 *   `version`; `POST /api/v2/cis/outCheck {"cis_list":[{"cis"}]}` → `{"results":[envelope]}`.
 *   Each code is decided by the register's checker: `isBlocked`, `sold` (the registry's status or
 *   this store's own sale), `found` / `utilised` / `realizable` from the cache, expiry and prices.
 *   `verified` is always false: Tanba cannot verify the crypto tail, as a real module cannot offline.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import * as z from 'zod';
import { cacheStats, type CheckResult } from '../cache/index.ts';
import { parseCode } from '../marking/index.ts';
import type { Register } from '../register/index.ts';

/** Options of {@link startLocalModuleServer}. */
export interface LocalModuleServerOptions {
  register: Pick<Register, 'checker' | 'parseOptions' | 'config' | 'clock' | 'db'>;
  host?: string;
  port: number;
  user: string;
  password: string;
  version: string;
}

/** A running local-module listener. */
export interface LocalModuleServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const outCheckV2 = z.object({ cis_list: z.array(z.object({ cis: z.string().min(1).max(1000), pg: z.string().max(64).optional() })).min(1).max(100) });
const MAX_BODY = 256 << 10;

/** Tanba's freshness → a local module's status. */
export function localModuleStatusOf(freshness: 'not_configured' | 'initializing' | 'ready' | 'stale'): 'not_configured' | 'initialization' | 'ready' | 'sync_error' {
  switch (freshness) {
    case 'ready': return 'ready';
    case 'initializing': return 'initialization';
    case 'stale': return 'sync_error';
    default: return 'not_configured';
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** One code's answer in the True API per-code shape. */
export function codeAnswer(sent: string, result: CheckResult, valid: boolean, cis: string | null, gtin: string | null): Record<string, unknown> {
  if (!valid || cis === null) return { cis: sent, valid: false, found: false, verified: false, utilised: false, realizable: false, isBlocked: false, sold: false, errorCode: 1, message: result.verdict.message };
  const f = result.facts;
  const found = f?.found === true;
  const soldOut = f?.soldHere === true && (f.units == null || f.units.sold >= f.units.total);
  const sold = found && (f?.status === 'sold' || f?.status === 'withdrawn') || soldOut;
  return {
    cis, valid: true, printView: cis, gtin, groupIds: [], found, verified: false,
    utilised: found && f?.status !== 'not_introduced', realizable: found && f?.status === 'in_circulation' && !sold,
    isBlocked: f?.blocked === true, ogvs: [],
    expireDate: f?.expires != null ? `${f.expires}T00:00:00.000Z` : null,
    isOwner: false, isTracking: false, sold,
    mrp: f?.mrp ?? null, smp: f?.minPrice ?? null,
    innerUnitCount: f?.units?.total ?? null, soldUnitCount: f?.units?.sold ?? null,
    errorCode: found ? 0 : 10, message: result.verdict.message,
  };
}

/** Starts the listener (only when asked: `serve --lm-port`). */
export async function startLocalModuleServer(options: LocalModuleServerOptions): Promise<LocalModuleServer> {
  const { register } = options;
  const expected = `${options.user}:${options.password}`;
  const inst = (): string => `tanba-${register.config().register.id}`;

  function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
    res.end(text);
  }

  function envelope(codes: string[]): Record<string, unknown> {
    return {
      code: 0, description: 'ok',
      codes: codes.map((sent) => {
        const parsed = parseCode(sent, register.parseOptions);
        const result = register.checker.check(parsed, { operation: 'sale', price: null, inBasket: false });
        return codeAnswer(sent, result, parsed.ok && parsed.kind !== 'ean' && parsed.kind !== 'sscc', parsed.ok ? parsed.cis : null, parsed.ok ? parsed.gtin : null);
      }),
      reqId: randomUUID(), reqTimestamp: register.clock.now().getTime(), inst: inst(), version: options.version,
    };
  }

  function status(): Record<string, unknown> {
    const fresh = register.checker.freshness(null);
    const stats = cacheStats(register.db);
    const lastSync = fresh.lastSyncAt === null ? null : Date.parse(fresh.lastSyncAt);
    const lag = fresh.ageMs ?? null;
    const docs = (local: number) => ({ localDocCount: local, serverDocCount: local, timeLag: lag });
    return {
      version: options.version, status: localModuleStatusOf(fresh.state), operationMode: 'active', name: 'Tanba', inst: inst(),
      inn: register.config().store.bin ?? '', dbVersion: String(register.db.pragma('user_version', { simple: true })), serviceUrl: '',
      lastUpdate: lastSync, lastSync, requiresDownload: false,
      replicationStatus: { cis: docs(stats.codes), blocked_gtin: docs(stats.blocks.byGtin), blocked_cis: docs(stats.blocks.byCode), blocked_series: docs(stats.blocks.byBatch) },
    };
  }

  async function body(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > MAX_BODY) throw new Error('request body too large');
      chunks.push(c as Buffer);
    }
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const auth = req.headers.authorization ?? '';
    const given = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString('utf8') : '';
    if (!sameSecret(given, expected)) {
      send(res, 401, { code: 401, description: 'Unauthorized' }, { 'www-authenticate': 'Basic realm="Tanba local module", charset="UTF-8"' });
      return;
    }
    const url = new URL(req.url ?? '/', 'http://lm');
    const path = url.pathname;
    if (req.method === 'GET' && (path === '/api/v1/status' || path === '/api/v2/status')) return send(res, 200, status());
    if (req.method === 'GET' && path === '/api/v1/cis/outCheck') {
      const cis = url.searchParams.get('cis');
      if (cis === null || cis === '') return send(res, 400, { code: 400, description: 'the cis parameter is required' });
      return send(res, 200, envelope([cis]));
    }
    if (req.method === 'POST' && path === '/api/v2/cis/outCheck') {
      let parsed;
      try {
        parsed = outCheckV2.safeParse(await body(req));
      } catch (err) {
        return send(res, 400, { code: 400, description: `the body is not JSON: ${(err as Error).message}` });
      }
      if (!parsed.success) return send(res, 400, { code: 400, description: `cis_list: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
      return send(res, 200, { results: parsed.data.cis_list.map((c) => envelope([c.cis])) });
    }
    send(res, 404, { code: 404, description: `${req.method ?? ''} ${path}: not a local-module endpoint` });
  }

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => { if (!res.headersSent) send(res, 500, { code: 500, description: (err as Error).message }); });
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.once('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => { server.off('error', reject); resolve(); });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
