/**
 * The local API: fastify on loopback. This module wires the HTTP surface to the services; it
 * holds no business logic of its own. Every request passes the Host/Origin checks; every route
 * but health, setup state and login needs a bearer session; privileged actions are audited.
 */
import { systemClock, type Clock } from '../clock.ts';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';
import type { z } from 'zod';
import {
  addUser, appendAudit, createSession, deleteSession, listAudit, listUsers, sessionUser, verifyUserPin,
  type Db, type SessionUser,
} from '../store/index.ts';
import { auditQuery, createUserRequest, loginRequest, setupRequest, type Role, type ServerEvent } from './contract/index.ts';
import { allowedHosts, isAllowedHost, isAllowedOrigin, LoginLimiter } from './security.ts';
import type { Settings } from './settings.ts';
import { installHardening, type ErrorLog } from './hardening.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user?: SessionUser;
  }
}

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
  sessionTtlMs?: number;
  logger?: boolean;
  /** Where 5xx answers are logged with their request id (the core's logger). */
  log?: ErrorLog;
  /** Feature route modules (checkout, sync, devices, ...), registered after the core routes. */
  routes?: readonly RouteModule[];
}

/** What a route module gets: the app plus the shared guards and helpers. */
export interface RouteContext {
  app: FastifyInstance;
  db: Db;
  settings: Settings;
  clock: Clock;
  /** preHandler: a live session, and the permission's role if given. */
  requireRole(permission?: Permission): (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;
  /** Appends to the audit log as the request's user. */
  audit(request: FastifyRequest, action: string, outcome: 'ok' | 'denied' | 'failed', details?: Record<string, unknown>): void;
  broadcast(event: ServerEvent): void;
}

/** A feature's routes. */
export type RouteModule = (ctx: RouteContext) => void | Promise<void>;

/** A running server with the means to push events to connected UIs. */
export interface TanbaServer {
  app: FastifyInstance;
  broadcast(event: ServerEvent): void;
  listen(host: string, port: number): Promise<{ url: string; port: number }>;
  close(): Promise<void>;
}

/** Which roles may do what. `admin` may do everything. */
export const PERMISSIONS = {
  sell: ['cashier', 'manager', 'admin'],
  override: ['manager', 'admin'],
  /** Store management: sales lists and export, overrides log, privacy, sync actions. */
  manage: ['manager', 'admin'],
  viewSync: ['manager', 'technician', 'admin'],
  viewAudit: ['manager', 'admin'],
  manageUsers: ['admin'],
  configure: ['technician', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Sends a uniform error body. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string, details?: unknown): FastifyReply {
  return reply.code(status).send({ error: { code, message, ...(details === undefined ? {} : { details }) } });
}

/** Validates a body with a zod schema, or answers 400 naming the first wrong field. */
export function parseBody<S extends z.ZodType>(schema: S, request: FastifyRequest, reply: FastifyReply): z.infer<S> | undefined {
  const result = schema.safeParse(request.body ?? {});
  if (result.success) return result.data as z.infer<S>;
  const issue = result.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  sendError(reply, 400, 'INVALID_REQUEST', `${field}: ${issue?.message ?? 'invalid'}`, result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  return undefined;
}

/** Builds the fastify app (not yet listening). */
export async function createServer(deps: ServerDeps): Promise<TanbaServer> {
  const { db, settings } = deps;
  const clock = deps.clock ?? systemClock;
  const ttl = deps.sessionTtlMs ?? 12 * 3600_000;
  const limiter = new LoginLimiter();
  const app = Fastify({ logger: deps.logger ?? false, bodyLimit: 1 << 20 });
  installHardening(app, deps.log);
  let hosts = new Set<string>();
  const sockets = new Map<{ send(data: string): void; readyState: number }, Role>();

  await app.register(websocket);

  const audit = (request: FastifyRequest, action: string, outcome: 'ok' | 'denied' | 'failed', details?: Record<string, unknown>, userName?: string) =>
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

  /** preHandler factory: a live session with one of the roles of `permission`. */
  function requireRole(permission?: Permission) {
    return async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization;
      const query = request.query as Record<string, unknown> | undefined;
      const token = header?.startsWith('Bearer ') ? header.slice(7) : typeof query?.token === 'string' ? query.token : undefined;
      const user = token ? sessionUser(db, token, clock.now()) : undefined;
      if (!user) return sendError(reply, 401, 'UNAUTHENTICATED', 'log in first');
      request.user = user;
      if (permission && !(PERMISSIONS[permission] as readonly Role[]).includes(user.role)) {
        audit(request, `denied:${request.method} ${request.routeOptions.url ?? request.url}`, 'denied');
        return sendError(reply, 403, 'FORBIDDEN', `the ${user.role} role may not do this (${permission})`);
      }
      return undefined;
    };
  }

  app.get('/api/health', async () => ({ ok: true, version: deps.version, trainingMode: settings.trainingMode(), time: clock.now().toISOString() }));

  app.get('/api/setup', async () => ({
    configured: listUsers(db).length > 0,
    trainingMode: settings.trainingMode(),
    storeName: settings.get().store.name,
    registerId: settings.get().register.id,
  }));

  // The first-run wizard: only while no user exists.
  app.post('/api/setup', async (request, reply) => {
    const body = parseBody(setupRequest, request, reply);
    if (!body) return reply;
    if (listUsers(db).length > 0) return sendError(reply, 409, 'ALREADY_SET_UP', 'this register is already set up; log in as the administrator');
    const now = clock.now().toISOString();
    settings.update({ store: { name: body.storeName, address: body.storeAddress }, register: { id: body.registerId }, languages: body.languages });
    const admin = addUser(db, { name: body.adminName, role: 'admin', pin: body.adminPin, at: now });
    appendAudit(db, { at: now, user: { id: admin.id, name: admin.name, role: 'admin' }, action: 'setup', outcome: 'ok', details: { storeName: body.storeName, registerId: body.registerId }, remote: request.ip });
    return reply.code(201).send({ configured: true });
  });

  app.post('/api/login', async (request, reply) => {
    const body = parseBody(loginRequest, request, reply);
    if (!body) return reply;
    const now = clock.now();
    const keys = [`user:${body.name.toLowerCase()}`, `ip:${request.ip}`];
    const wait = Math.max(...keys.map((k) => limiter.retryAfterMs(k, now.getTime())));
    if (wait > 0) {
      audit(request, 'login', 'denied', { reason: 'rate_limited' }, body.name);
      reply.header('retry-after', Math.ceil(wait / 1000));
      return sendError(reply, 429, 'TOO_MANY_ATTEMPTS', `too many wrong PINs; try again in ${Math.ceil(wait / 1000)} s`);
    }
    const user = verifyUserPin(db, body.name, body.pin);
    if (!user) {
      for (const k of keys) limiter.fail(k, now.getTime());
      audit(request, 'login', 'failed', {}, body.name);
      return sendError(reply, 401, 'BAD_CREDENTIALS', 'wrong name or PIN');
    }
    for (const k of keys) limiter.succeed(k);
    const session = createSession(db, user.id, now, ttl);
    request.user = user;
    audit(request, 'login', 'ok');
    return { token: session.token, expiresAt: session.expiresAt, user: { id: user.id, name: user.name, role: user.role } };
  });

  app.post('/api/logout', { preHandler: requireRole() }, async (request) => {
    const header = request.headers.authorization ?? '';
    deleteSession(db, header.slice(7));
    audit(request, 'logout', 'ok');
    return { ok: true };
  });

  app.get('/api/me', { preHandler: requireRole() }, async (request) => ({ user: request.user }));

  app.get('/api/users', { preHandler: requireRole('manageUsers') }, async () => ({ users: listUsers(db) }));
  app.post('/api/users', { preHandler: requireRole('manageUsers') }, async (request, reply) => {
    const body = parseBody(createUserRequest, request, reply);
    if (!body) return reply;
    try {
      const user = addUser(db, { name: body.name, role: body.role, pin: body.pin, at: clock.now().toISOString() });
      audit(request, 'user.create', 'ok', { name: body.name, role: body.role });
      return reply.code(201).send({ user });
    } catch (err) {
      if (/UNIQUE/.test((err as Error).message)) return sendError(reply, 409, 'USER_EXISTS', `a user named '${body.name}' exists`);
      throw err;
    }
  });

  app.get('/api/audit', { preHandler: requireRole('viewAudit') }, async (request, reply) => {
    const q = auditQuery.safeParse(request.query ?? {});
    if (!q.success) return sendError(reply, 400, 'INVALID_REQUEST', `${q.error.issues[0]?.path.join('.') || 'query'}: ${q.error.issues[0]?.message ?? 'invalid'}`);
    return { entries: listAudit(db, q.data.limit, q.data.action) };
  });

  app.get('/api/config', { preHandler: requireRole('configure') }, async () => ({ config: settings.masked() }));
  app.put('/api/config', { preHandler: requireRole('configure') }, async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return sendError(reply, 400, 'INVALID_REQUEST', 'body: a JSON object with the settings to change');
    try {
      settings.update(body as Record<string, unknown>);
    } catch (err) {
      audit(request, 'config.update', 'failed', { error: (err as Error).message });
      return sendError(reply, 400, 'INVALID_CONFIG', (err as Error).message);
    }
    audit(request, 'config.update', 'ok', { keys: Object.keys(body) });
    broadcast({ type: 'audit', action: 'config.update', user: request.user?.name ?? '', at: clock.now().toISOString() });
    return { config: settings.masked() };
  });

  // Live events: browsers cannot set headers on a WebSocket, so the token comes as ?token=.
  app.get('/api/events', { websocket: true, preHandler: requireRole() }, (socket, request) => {
    const user = request.user as SessionUser;
    sockets.set(socket, user.role);
    socket.send(JSON.stringify({ type: 'hello', user: user.name, role: user.role, trainingMode: settings.trainingMode() } satisfies ServerEvent));
    socket.on('close', () => sockets.delete(socket));
  });

  const routeContext: RouteContext = {
    app, db, settings, clock, requireRole,
    audit: (request, action, outcome, details) => audit(request, action, outcome, details),
    broadcast: (event) => broadcast(event),
  };
  for (const register of deps.routes ?? []) await register(routeContext);

  if (deps.uiDir && existsSync(deps.uiDir)) {
    await app.register(fastifyStatic, { root: deps.uiDir, prefix: '/', wildcard: false });
    app.setNotFoundHandler((request, reply) => {
      if (request.url.startsWith('/api/')) return sendError(reply, 404, 'NOT_FOUND', `no route ${request.method} ${request.url}`);
      return reply.sendFile('index.html');
    });
  } else {
    app.get('/', async (_request, reply) => reply.type('text/plain; charset=utf-8').send(`Tanba ${deps.version} API is running${settings.trainingMode() ? ' (TRAINING MODE)' : ''}. The web UI is not built; see README.\n`));
  }

  function broadcast(event: ServerEvent): void {
    const data = JSON.stringify(event);
    // Raw device bytes are the technician's: a cashier's screen has no use for them.
    const roles = event.type === 'device-raw' ? (PERMISSIONS.configure as readonly Role[]) : null;
    for (const [s, role] of sockets) if (s.readyState === 1 && (roles === null || roles.includes(role))) s.send(data);
  }

  return {
    app,
    broadcast,
    async listen(host, port) {
      await app.listen({ host, port });
      const address = app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      hosts = allowedHosts(host, actual, deps.extraHosts);
      const shown = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      return { url: `http://${shown}:${actual}/`, port: actual };
    },
    async close() {
      await app.close();
    },
  };
}
