/**
 * `tanba hq serve`: head office's web view of every store and register, read live from the hub
 * (`hqStatus`). Its own small route set: the page (stores list with filters, a register's
 * drill-down), `GET /api/hq/status` (JSON), `GET /api/hq/status.csv`, and
 * `GET /api/hq/registers/:store/:register` (the documents that reached head office). One role,
 * `viewer`, by bearer token or `?token=` when a token is set (head office is not on loopback).
 *
 * Known gap: the page is rendered on the server (plain HTML), not yet a Preact/Vite bundle like src/ui.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { hqDocuments, hqStatus, type HqRegister, type HqStatus } from './hq.ts';

/** What {@link startHqWeb} needs. */
export interface HqWebOptions { servers: readonly string[]; host: string; port: number; token?: string }

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

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

function page(s: HqStatus, query: string): string {
  const rows = s.stores.flatMap((st) => st.registers.map((r) => `<tr><td>${esc(st.id)}</td><td><a href="/register/${encodeURIComponent(st.id)}/${encodeURIComponent(r.id)}">${esc(r.id)}</a></td>
    <td>${esc(r.lastSeen ?? 'never')}</td><td>${r.queue ?? '?'}</td><td>${esc(r.oldestUndelivered ?? '-')}</td><td>${r.hoursLeft ?? '-'}</td>
    <td>${esc(Object.entries(r.refusalsLastHour).map(([k, n]) => `${k} ${n}`).join(', ') || '-')}</td><td>${r.unguarded}</td><td>${r.conflicts}</td><td>${r.documents}</td></tr>`));
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Tanba head office</title></head><body>
<h1>Stores and registers</h1><p>${s.stores.length} store(s) at ${esc(s.at)} — <a href="/api/hq/status.csv${query}">CSV</a></p>
<form method="get"><label>store <input name="store"></label> <label><input type="checkbox" name="problems" value="1"> only problems</label>
<label>not seen for hours <input name="silent" size="3"></label> <button>filter</button></form>
<table border="1"><thead><tr><th>store</th><th>register</th><th>last contact</th><th>queue</th><th>oldest undelivered</th><th>hours left</th><th>refusals last hour</th><th>unguarded</th><th>conflicts</th><th>documents</th></tr></thead>
<tbody>${rows.join('')}</tbody></table></body></html>`;
}

/** Starts the web view; resolves with its URL and a stop function. */
export async function startHqWeb(options: HqWebOptions): Promise<{ url: string; app: FastifyInstance; stop(): Promise<void> }> {
  const app = Fastify();
  app.addHook('onRequest', async (request, reply) => {
    if (options.token === undefined) return;
    const given = request.headers.authorization?.replace(/^Bearer /, '') ?? (request.query as { token?: string }).token;
    if (given !== options.token) await reply.code(401).send({ error: { code: 'UNAUTHORIZED', message: 'head office view: give the viewer token (Authorization: Bearer TOKEN)' } });
  });
  const read = async (q: Record<string, string | undefined>): Promise<HqStatus> => filterStatus(await hqStatus({ servers: options.servers }), {
    ...(q.store ? { store: q.store } : {}), problems: q.problems === '1', ...(q.silent && /^\d+$/.test(q.silent) ? { silentHours: Number(q.silent) } : {}),
  });
  const qs = (url: string): string => (url.includes('?') ? url.slice(url.indexOf('?')) : '');
  app.get('/api/hq/status', async (request) => read(request.query as Record<string, string>));
  app.get('/api/hq/status.csv', async (request, reply) => reply.type('text/csv; charset=utf-8').send(hqCsv(await read(request.query as Record<string, string>))));
  app.get('/api/hq/registers/:store/:register', async (request) => {
    const p = request.params as { store: string; register: string };
    return { store: p.store, register: p.register, documents: await hqDocuments({ servers: options.servers }, p.store, p.register) };
  });
  app.get('/', async (request, reply) => reply.type('text/html; charset=utf-8').send(page(await read(request.query as Record<string, string>), qs(request.url))));
  app.get('/register/:store/:register', async (request, reply) => {
    const p = request.params as { store: string; register: string };
    const docs = await hqDocuments({ servers: options.servers }, p.store, p.register);
    const rows = docs.map((d) => `<tr><td>${d.seq}</td><td>${esc(d.kind)}</td><td>${esc(d.id)}</td><td>${esc(d.at)}</td></tr>`).join('');
    return reply.type('text/html; charset=utf-8').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(p.store)}/${esc(p.register)}</title></head><body>
<h1>Store ${esc(p.store)}, register ${esc(p.register)}</h1><p><a href="/">all stores</a></p><table border="1"><thead><tr><th>#</th><th>kind</th><th>document</th><th>at</th></tr></thead><tbody>${rows}</tbody></table></body></html>`);
  });
  const url = await app.listen({ host: options.host, port: options.port });
  return { url, app, stop: () => app.close() };
}
