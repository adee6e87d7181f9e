/**
 * What every answer of the API gets, whatever route made it:
 * - security headers: the same Content-Security-Policy as the Electron shell (own origin only, no
 *   eval, no inline script, no framing), X-Frame-Options DENY, nosniff and no referrer — so a
 *   browser opening the UI directly is as locked down as the Electron window;
 * - errors: a 5xx is logged with its request id (fastify's reqId, also sent as x-request-id) and
 *   answered with a generic message naming that id, never the internal message; fastify's own
 *   4xx (bad JSON, body too large, unsupported content type) are answered in the API's uniform
 *   `{ error: { code, message } }` shape with a message a person can act on.
 */
import type { FastifyError, FastifyInstance } from 'fastify';

/** Where a failed request is logged (the core's pino logger). */
export interface ErrorLog {
  error(obj: object, msg: string): void;
}

/** The Content-Security-Policy of the UI (also set by the Electron shell): own origin only, no eval, no remote content. */
export function contentSecurityPolicy(coreOrigin: string): string {
  const ws = coreOrigin.replace(/^http/, 'ws');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${ws === '' ? '' : ` ${ws}`}`,
    "media-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers set on every answer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': contentSecurityPolicy(''),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** A message for fastify's own client errors that says what to do. */
function clientMessage(err: FastifyError, contentType: string | undefined): string {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE': return `content type '${contentType ?? ''}' is not accepted here; send application/json`;
    case 'FST_ERR_CTP_BODY_TOO_LARGE': return 'the request body is too large';
    case 'FST_ERR_CTP_INVALID_JSON_BODY': case 'FST_ERR_CTP_EMPTY_JSON_BODY': return 'the body is not valid JSON';
    default: return err.message;
  }
}

/** One route of the app: method and URL pattern (as fastify has it, e.g. /api/sales/:id). */
export interface RouteEntry { method: string; url: string; websocket: boolean }

const TABLES = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route registered after {@link installHardening} (the fuzz test walks them all). */
export function routeTable(app: FastifyInstance): readonly RouteEntry[] {
  return TABLES.get(app) ?? [];
}

/** Installs the headers and the error handler. Call right after creating the app, before any route. */
export function installHardening(app: FastifyInstance, log?: ErrorLog): void {
  const table: RouteEntry[] = [];
  TABLES.set(app, table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url, websocket: route.websocket === true });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });

  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status < 500) {
      return reply.code(status).send({ error: { code: err.code ?? 'BAD_REQUEST', message: clientMessage(err, request.headers['content-type']) } });
    }
    // The path without its query: a query can carry a token.
    const path = request.url.split('?')[0];
    log?.error({ reqId: request.id, method: request.method, path, status, err: { type: err.name, message: err.message, stack: err.stack } }, 'request failed');
    return reply.code(status).header('x-request-id', request.id).send({
      error: { code: 'INTERNAL', message: `internal error (request ${request.id}); the register's log has the details`, requestId: request.id },
    });
  });
}
