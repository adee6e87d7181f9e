/**
 * Authentication and authorisation of the local API: sessions (bearer header only), tickets for
 * URLs, the event sockets tied to their sessions, per-account lockout, override approvals and
 * the role check every route declares. `createAuth` builds it once per server.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.ts';
import {
  deleteSessionByHash, deleteUserSessions, hashToken, liveSessionByHash, type Db, type LiveSession, type SessionUser,
} from '../../store/index.ts';
import type { TicketPurpose } from '../contract/index.ts';
import { checkApproval, type ApprovalResult } from './approvals.ts';
import { AccountGuard, LOCKOUT, type LockoutPolicy } from './guard.ts';
import { mayDo, type Permission } from './permissions.ts';
import { LiveSockets } from './sockets.ts';
import { Tickets } from './tickets.ts';

export { PERMISSIONS, mayDo, type Permission } from './permissions.ts';
export { AccountGuard, LOCKOUT, lockMsAfter, type LockoutPolicy, type Subject } from './guard.ts';
export { SESSION_ENDED_CLOSE, type EventSocket } from './sockets.ts';
export type { ApprovalResult } from './approvals.ts';

declare module 'fastify' {
  interface FastifyRequest {
    user?: SessionUser;
    session?: LiveSession;
  }
}

/** Who may call a route: anyone, any session, or the roles of a permission. */
export type Access = 'public' | 'session' | Permission;

/** A route guard (fastify preHandler) that also says what it lets through, for the route table. */
export interface Guard {
  (request: FastifyRequest, reply: FastifyReply): Promise<unknown>;
  readonly access: Access;
  /** The ticket purpose a URL may carry instead of the header, if any. */
  readonly ticket: TicketPurpose | null;
}

/** What the guards need besides the database. */
export interface AuthOptions {
  db: Db;
  clock: Clock;
  /** Session lifetime (default 12 h). */
  sessionTtlMs?: number;
  /** Ticket lifetime (default 30 s). */
  ticketTtlMs?: number;
  lockout?: LockoutPolicy;
  /** How often open sockets are checked against their sessions (default 1 s). */
  sweepMs?: number;
  /** Records a refused call (403) in the audit log. */
  onDenied(request: FastifyRequest, permission: Permission): void;
  /** Sends the uniform error body. */
  sendError(reply: FastifyReply, status: number, code: string, message: string): FastifyReply;
}

/** The API's authentication and authorisation. */
export interface Auth {
  readonly sessionTtlMs: number;
  readonly guard: AccountGuard;
  readonly tickets: Tickets;
  readonly sockets: LiveSockets;
  /** A guard: a live session (and the permission's role, if given); `ticket` lets a URL carry a ticket of that purpose. */
  requireRole(permission?: Permission, options?: { ticket?: TicketPurpose }): Guard;
  /** The guard of a route anyone may call. */
  readonly publicRoute: Guard;
  /** Ends one session everywhere: the database row, its tickets, its sockets. */
  endSession(tokenHash: string, reason: string): void;
  /** Ends every session of a user but `exceptTokenHash`: rows, tickets, sockets. */
  endUserSessions(userId: string, reason: string, exceptTokenHash?: string): number;
  /** Checks an override approval by name and PIN, with the lockouts. */
  approve(requester: SessionUser, name: string, pin: string): Promise<ApprovalResult>;
  start(): void;
  stop(): void;
}

function guardOf(access: Access, ticket: TicketPurpose | null, fn: (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>): Guard {
  return Object.assign(fn, { access, ticket });
}

/** Builds the API's auth over one database. */
export function createAuth(options: AuthOptions): Auth {
  const { db, clock, sendError } = options;
  const sessionTtlMs = options.sessionTtlMs ?? 12 * 3600_000;
  const guard = new AccountGuard(db, options.lockout ?? LOCKOUT);
  const tickets = new Tickets(options.ticketTtlMs);
  const sockets = new LiveSockets();
  let sweeper: ReturnType<typeof setInterval> | null = null;

  /** The session of a request: the bearer header, or a ticket of the route's purpose in the URL. */
  function sessionOf(request: FastifyRequest, ticket: TicketPurpose | null): LiveSession | undefined {
    const now = clock.now();
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) return liveSessionByHash(db, hashToken(header.slice(7)), now);
    const query = request.query as Record<string, unknown> | undefined;
    if (ticket !== null && typeof query?.ticket === 'string') {
      const t = tickets.take(query.ticket, ticket, now);
      return t ? liveSessionByHash(db, t.tokenHash, now) : undefined;
    }
    return undefined;
  }

  function requireRole(permission?: Permission, opts: { ticket?: TicketPurpose } = {}): Guard {
    const ticket = opts.ticket ?? null;
    return guardOf(permission ?? 'session', ticket, async (request, reply) => {
      const session = sessionOf(request, ticket);
      if (!session) {
        const query = request.query as Record<string, unknown> | undefined;
        const why = query?.token !== undefined
          ? 'a session token is not accepted in the URL: send it as "Authorization: Bearer <token>"' + (ticket ? `, or ask POST /api/tickets for a ${ticket} ticket` : '')
          : 'log in first';
        return sendError(reply, 401, 'UNAUTHENTICATED', why);
      }
      request.user = session.user;
      request.session = session;
      if (permission && !mayDo(session.user.role, permission)) {
        options.onDenied(request, permission);
        return sendError(reply, 403, 'FORBIDDEN', `the ${session.user.role} role may not do this (${permission})`);
      }
      return undefined;
    });
  }

  return {
    sessionTtlMs, guard, tickets, sockets, requireRole,
    publicRoute: guardOf('public', null, async () => undefined),
    endSession(tokenHash, reason) {
      deleteSessionByHash(db, tokenHash);
      tickets.revokeSession(tokenHash);
      sockets.closeSession(tokenHash, reason);
    },
    endUserSessions(userId, reason, exceptTokenHash) {
      const n = deleteUserSessions(db, userId, exceptTokenHash);
      tickets.revokeUser(userId, exceptTokenHash);
      sockets.closeUser(userId, reason, exceptTokenHash);
      return n;
    },
    approve: (requester, name, pin) => checkApproval({ db, guard, clock }, requester, name, pin),
    start() {
      sweeper ??= setInterval(() => sockets.sweep(clock.now(), (h) => liveSessionByHash(db, h, clock.now()) !== undefined), options.sweepMs ?? 1000);
      sweeper.unref();
    },
    stop() {
      if (sweeper) clearInterval(sweeper);
      sweeper = null;
      sockets.closeAll('server stopping');
    },
  };
}
