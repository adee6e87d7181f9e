/**
 * The local API: fastify on loopback. This module wires the HTTP surface to the services; it
 * holds no business logic of its own. Every request passes the Host/Origin checks; every /api
 * route declares who may call it (a guard from src/server/auth — the app refuses to start with a
 * route that has none); privileged actions are audited.
 */
import { systemClock, type Clock } from '../clock.ts';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import { appendAudit, type Db } from '../store/index.ts';
import { createAuth, type Access, type Auth, type Guard, type LockoutPolicy } from './auth/index.ts';
import type { ServerEvent, TicketPurpose } from './contract/index.ts';
import { sendError, type RouteContext, type RouteModule } from './http.ts';
import { configRoutes } from './routes/config.ts';
import { sessionRoutes } from './routes/session.ts';
import { userRoutes } from './routes/users.ts';
import { allowedHosts, isAllowedHost, isAllowedOrigin } from './security.ts';
import type { Settings } from './settings.ts';
import { installHardening, type ErrorLog } from './hardening.ts';

export { PERMISSIONS, type Permission } from './auth/index.ts';
export { sendError, parseBody, type RouteContext, type RouteModule } from './http.ts';

/** What the server needs, passed in by the composition root (src/server/main.ts). */
export interface ServerDeps {
  db: Db;
  settings: Settings;
  clock?: Clock;
  /** Directory of the built UI (index.html), if any. */
  uiDir?: string;
  version: string;
  /** Extra host names to accept besides loopback (when bound to a LAN address). */
  extraHosts?: readonly string[];
  /** Session lifetime (default 12 h). */
  sessionTtlMs?: number;
  /** Ticket lifetime (default 30 s). */
  ticketTtlMs?: number;
  /** How often open event sockets are checked against their sessions (default 1 s). */
  sessionSweepMs?: number;
  /** Wrong-PIN lockout (default: src/server/auth/guard.ts LOCKOUT). */
  lockout?: LockoutPolicy;
  logger?: boolean;
  /** Where 5xx answers are logged with their request id (the core's logger). */
  log?: ErrorLog;
  /** Feature route modules (checkout, sync, devices, ...), registered after the core routes. */
  routes?: readonly RouteModule[];
}

/** One API route and who may call it, as fastify reported it when the route was added. */
export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
  /** The ticket purpose its URL may carry instead of the header, if any. */
  ticket: TicketPurpose | null;
  websocket: boolean;
}

/** A running server with the means to push events to connected UIs. */
export interface TanbaServer {
  app: FastifyInstance;
  auth: Auth;
  broadcast(event: ServerEvent): void;
  /** Every /api route with its access (the role matrix test walks this). */
  routes(): readonly RouteAccess[];
  listen(host: string, port: number): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

function guardOf(preHandler: RouteOptions['preHandler']): Guard | undefined {
  const list = Array.isArray(preHandler) ? preHandler : preHandler ? [preHandler] : [];
  return list.find((h): h is Guard => typeof (h as Partial<Guard>).access === 'string');
}

/**
 * Requests are validated with zod (parseBody, parseQuery), never with fastify's route schemas.
 * Fastify would otherwise load ajv for them at every start (a good share of the core's start-up
 * time); these compilers load nothing and refuse a route schema loudly instead.
 */
const zodOnlyCompilers = {
  buildValidator: () => ({ url }: { url?: string }) => { throw new Error(`${url ?? 'a route'}: validate with zod (parseBody, parseQuery), not a fastify schema`); },
  buildSerializer: () => ({ url }: { url?: string }) => { throw new Error(`${url ?? 'a route'}: no fastify response schemas (JSON.stringify answers)`); },
};

/** Builds the fastify app (not yet listening). */
export async function createServer(deps: ServerDeps): Promise<TanbaServer> {
  const { db, settings } = deps;
  const clock = deps.clock ?? systemClock;
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 1 << 20, schemaController: { compilersFactory: zodOnlyCompilers } });
  installHardening(app, deps.log);
  let hosts = new Set<string>();
  const table: RouteAccess[] = [];

  const auth = createAuth({
    db, clock, sendError,
    ...(deps.sessionTtlMs !== undefined ? { sessionTtlMs: deps.sessionTtlMs } : {}),
    ...(deps.ticketTtlMs !== undefined ? { ticketTtlMs: deps.ticketTtlMs } : {}),
    ...(deps.sessionSweepMs !== undefined ? { sweepMs: deps.sessionSweepMs } : {}),
    ...(deps.lockout !== undefined ? { lockout: deps.lockout } : {}),
    onDenied: (request, permission) => audit(request, `denied:${request.method} ${request.routeOptions.url ?? request.url}`, 'denied', { permission }),
  });

  // Default deny: an /api route without a guard is a programming error, caught at start-up.
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    const guard = guardOf(route.preHandler);
    if (!guard) throw new Error(`route ${String(route.method)} ${route.url} declares no access: give it requireRole(...) or auth.publicRoute`);
    for (const method of [route.method].flat()) {
      table.push({ method: String(method), url: route.url, access: guard.access, ticket: guard.ticket, websocket: route.websocket === true });
    }
  });

  await app.register(websocket);

  const audit: RouteContext['audit'] = (request, action, outcome, details, userName) =>
    appendAudit(db, { at: clock.now().toISOString(), user: request.user ?? null, userName, action, outcome, details, remote: request.ip });

  // DNS rebinding and CSRF defences run before anything else, static files included.
  app.addHook('onRequest', async (request, reply) => {
    if (!isAllowedHost(request.headers.host, hosts)) return sendError(reply, 421, 'BAD_HOST', `host '${request.headers.host ?? ''}' is not this register`);
    const unsafe = request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS';
    const isUpgrade = request.headers.upgrade !== undefined;
    if ((unsafe || isUpgrade) && !isAllowedOrigin(request.headers.origin, hosts)) {
      return sendError(reply, 403, 'BAD_ORIGIN', `origin '${request.headers.origin ?? ''}' may not call this API`);
    }
    return undefined;
  });

  const broadcast = (event: ServerEvent) => auth.sockets.broadcast(event, clock.now());
  const context: RouteContext = { app, db, settings, clock, auth, requireRole: auth.requireRole, audit, broadcast };
  for (const register of [sessionRoutes(deps.version), userRoutes, configRoutes, ...(deps.routes ?? [])]) await register(context);

  if (deps.uiDir && existsSync(deps.uiDir)) {
    await app.register(fastifyStatic, { root: deps.uiDir, prefix: '/', wildcard: false });
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) return sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url}`);
      return reply.sendFile('index.html');
    });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(`Tanba ${deps.version} API is running${settings.trainingMode() ? ' (TRAINING MODE)' : ''}. The web UI is not built; see README.\n`));
  }

  return {
    app,
    auth,
    broadcast,
    routes: () => [...table],
    async listen(host, port) {
      await app.listen({ host, port });
      auth.start();
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      hosts = allowedHosts(host, actual, deps.extraHosts);
      const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      return { url: `http://${shown}:${actual}/`, port: actual };
    },
    async close() {
      auth.stop();
      await app.close();
    },
  };
}
