/**
 * `tanba hq serve`: head office's web view of every store and register, read live from the hub
 * (`hqStatus`). Its own route set: the page — a Preact app built by the register's Vite build
 * (src/ui/hq, into src/ui/dist/hq/index.html and the shared src/ui/dist/assets) — at `/` and
 * `/register/:store/:register` (a register's drill-down, so a link to it works);
 * `GET /api/hq/session` (who the caller is), `GET /api/hq/status` (JSON),
 * `GET /api/hq/status.csv`, and `GET /api/hq/registers/:store/:register[?limit&before]` (the newest
 * documents that reached head office, a page at a time: `older` is the next page's `before`). One role, `viewer`: when a token is set (head office is not on
 * loopback) every route but the page and its assets wants it (decided by the matched route), by
 * bearer token or `?token=`; the page and its scripts hold no data, are served to anyone, and
 * ask for the token on their login screen.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import * as z from 'zod';
import { HQ_DOCUMENTS_PAGE, hqDocumentsPage, hqStatus, type HqRegister, type HqStatus } from './hq.ts';

/** What {@link startHqWeb} needs. */
export interface HqWebOptions {
  servers: readonly string[];
  host: string;
  port: number;
  token?: string;
  /** The built UI (default src/ui/dist beside this module; `npm run build:ui` builds it). */
  uiDir?: string;
}

/** Compares tokens in constant time (their digests, so the lengths do not show either). */
function sameToken(given: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** The routes of the page (no data in them): served without the viewer token. */
const PUBLIC_ROUTES = new Set(['/', '/register/:store/:register']);

/** Where `npm run build:ui` puts the pages, seen from this module (also inside dist/cli.mjs). */
export const HQ_UI_DIR = fileURLToPath(new URL('../ui/dist', import.meta.url));

/** Registers matching the filters (store id prefix, only those with problems, not seen for N hours). */
export function filterStatus(s: HqStatus, f: { store?: string; problems?: boolean; silentHours?: number }): HqStatus {
  const silentSince = f.silentHours !== undefined ? Date.parse(s.at) - f.silentHours * 3_600_000 : null;
  const keep = (r: HqRegister): boolean =>
    (!f.problems || r.unguarded > 0 || r.conflicts > 0 || (r.queue ?? 0) > 0 || (r.hoursLeft !== null && r.hoursLeft < 24))
    && (silentSince === null || r.lastSeen === null || Date.parse(r.lastSeen) < silentSince);
  return { at: s.at, stores: s.stores.filter((st) => f.store === undefined || st.id.startsWith(f.store)).map((st) => ({ id: st.id, registers: st.registers.filter(keep) })).filter((st) => st.registers.length > 0) };
}

/** Columns of the CSV. */
export const HQ_CSV_COLUMNS = ['store', 'register', 'last_seen_utc', 'queue', 'oldest_undelivered_utc', 'hours_left', 'unguarded', 'conflicts', 'documents', 'refusals_last_hour'] as const;

/** The status as CSV (one row per register). */
export function hqCsv(s: HqStatus): string {
  const q = (v: string | number | null): string => (v === null ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const rows = s.stores.flatMap((st) => st.registers.map((r) => [st.id, r.id, r.lastSeen, r.queue, r.oldestUndelivered, r.hoursLeft, r.unguarded, r.conflicts, r.documents,
    Object.entries(r.refusalsLastHour).map(([k, n]) => `${k}:${n}`).join(' ')].map(q).join(',')));
  return [HQ_CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

const hubId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'use 1-64 letters, digits, _ or -');
const drillParams = z.object({ store: hubId, register: hubId });
/** `?limit` (a page, at most {@link HQ_DOCUMENTS_PAGE}) and `?before` (the `older` of the previous page). */
const drillQuery = z.object({
  limit: z.coerce.number().int().min(1).max(HQ_DOCUMENTS_PAGE).optional(),
  before: z.coerce.number().int().min(1).optional(),
});

/** Starts the web view; resolves with its URL and a stop function. */
export async function startHqWeb(options: HqWebOptions): Promise<{ url: string; app: FastifyInstance; stop(): Promise<void> }> {
  const app = Fastify();
  const uiDir = options.uiDir ?? HQ_UI_DIR;
  const pageFile = join(uiDir, 'hq', 'index.html');
  app.addHook('onRequest', async (request, reply) => {
    // By the route that matched, not the raw URL (the router decodes `/%61pi/...` to `/api/...`):
    // only the page and its assets are open; everything else wants the token.
    const route = request.routeOptions.url;
    if (options.token === undefined || (route !== undefined && (PUBLIC_ROUTES.has(route) || route.startsWith('/assets/')))) return;
    const given = request.headers.authorization?.replace(/^Bearer /, '') ?? (request.query as { token?: string }).token;
    if (given === undefined || !sameToken(given, options.token)) await reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'head office view: give the viewer token (Authorization: Bearer TOKEN)' } });
  });
  // The hub not answering is the one failure these routes have: say so, as the register's API says its errors.
  app.setErrorHandler(async (err: Error, _request, reply) => reply.code(503).send({ error: { code: 'HUB_UNREACHABLE', message: `the hub at ${options.servers.join(', ')} did not answer: ${err.message}` } }));
  const read = async (q: Record<string, string | undefined>): Promise<HqStatus> => filterStatus(await hqStatus({ servers: options.servers }), {
    ...(q.store ? { store: q.store } : {}), problems: q.problems === '1', ...(q.silent && /^\d+$/.test(q.silent) ? { silentHours: Number(q.silent) } : {}),
  });
  app.get('/api/hq/status', async (request) => read(request.query as Record<string, string>));
  app.get('/api/hq/status.csv', async (request, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="tanba-hq-status.csv"').send(hqCsv(await read(request.query as Record<string, string>))));
  app.get('/api/hq/registers/:store/:register', async (request, reply) => {
    // The ids become a subject filter: a `*` or `>` must not widen it to other registers.
    const params = drillParams.safeParse(request.params);
    const query = drillQuery.safeParse(request.query);
    if (!params.success || !query.success) {
      const issue = (params.error ?? query.error)?.issues[0];
      return reply.code(400).send({ error: { code: 'BAD_INPUT', message: `${issue?.path.join('.') ?? 'request'}: ${issue?.message ?? 'not accepted'}` } });
    }
    const { store, register } = params.data;
    const page = await hqDocumentsPage({ servers: options.servers }, store, register, query.data);
    return { store, register, documents: page.documents, total: page.total, older: page.older };
  });
  app.get('/api/hq/session', async () => ({ role: 'viewer', tokenRequired: options.token !== undefined }));
  // The page: the same HTML for every view of the app (it reads the path itself).
  const sendPage = async (_request: unknown, reply: FastifyReply) => {
    if (!existsSync(pageFile)) {
      return reply.code(503).type('text/plain; charset=utf-8').send(`tanba hq serve: the head office page is not built (${pageFile} is missing); run \`npm run build:ui\`. The /api/hq routes work without it.\n`);
    }
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(pageFile));
  };
  app.get('/', sendPage);
  app.get('/register/:store/:register', sendPage);
  if (existsSync(join(uiDir, 'assets'))) await app.register(fastifyStatic, { root: join(uiDir, 'assets'), prefix: '/assets/', wildcard: false });
  const url = await app.listen({ host: options.host, port: options.port });
  return { url, app, stop: () => app.close() };
}
