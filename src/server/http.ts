/**
 * What every route module shares: the uniform error body, body validation, and the context a
 * route module is given (kept apart from app.ts so route modules do not import the app).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type * as z from 'zod';
import type { Clock } from '../clock.ts';
import type { Db } from '../store/index.ts';
import type { Auth, Guard, Permission } from './auth/index.ts';
import type { ServerEvent, TicketPurpose } from './contract/index.ts';
import type { Settings } from './settings.ts';

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

/** An audit outcome. */
export type AuditOutcome = 'ok' | 'denied' | 'failed';

/** What a route module gets: the app plus the shared guards and helpers. */
export interface RouteContext {
  app: FastifyInstance;
  db: Db;
  settings: Settings;
  clock: Clock;
  auth: Auth;
  /** A route guard (preHandler): a live session, and the permission's role if given. Every /api route has one. */
  requireRole(permission?: Permission, options?: { ticket?: TicketPurpose }): Guard;
  /** Appends to the audit log as the request's user (or `userName` when nobody is logged in). */
  audit(request: FastifyRequest, action: string, outcome: AuditOutcome, details?: Record<string, unknown>, userName?: string): void;
  broadcast(event: ServerEvent): void;
}

/** A feature's routes. */
export type RouteModule = (ctx: RouteContext) => void | Promise<void>;
