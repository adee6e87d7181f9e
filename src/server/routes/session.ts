/**
 * Signing in and out: health and first-run setup (public), login with the per-account lockout,
 * logout (ends the session everywhere), the current user, tickets for URLs, and the live event
 * socket (opened with a ticket, closed when its session ends).
 */
import { addUser, appendAudit, createSession, listUsers, userByName, userNameKey, verifyUserPin } from '../../store/index.ts';
import type { Subject } from '../auth/index.ts';
import type { WedgeFraming } from '../contract/index.ts';
import {
  loginRequest, setupRequest, ticketRequest, type LoginResponse, type LoginUsersResponse, type ServerEvent, type TicketResponse,
} from '../contract/index.ts';
import { parseBody, sendError, type RouteModule } from '../http.ts';

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The session routes; `version` is shown by /api/health. */
export function sessionRoutes(version: string): RouteModule {
  return ({ app, db, settings, clock, auth, audit }) => {
    const open = { preHandler: auth.publicRoute };
    const anyUser = { preHandler: auth.requireRole() };

    app.get('/api/health', open, async () => ({ ok: true, version, trainingMode: settings.trainingMode(), time: clock.now().toISOString() }));

    // The login screen's tiles: the till's people only (cashiers, managers), never the disabled;
    // technicians and the administrator type their names.
    app.get('/api/login/users', open, async () => ({
      users: settings.get().login.userTiles
        ? listUsers(db).flatMap((u) => (u.disabledAt === null && (u.role === 'cashier' || u.role === 'manager') ? [{ name: u.name, role: u.role }] : []))
        : [],
    }) satisfies LoginUsersResponse);

    app.get('/api/setup', open, async () => ({
      configured: listUsers(db).length > 0,
      trainingMode: settings.trainingMode(),
      storeName: settings.get().store.name,
      registerId: settings.get().register.id,
    }));

    // The till's keyboard-wedge framing (what the scanner types around a code), read by every screen after login.
    app.get('/api/wedge', anyUser, async () => ({ prefix: settings.get().marking.wedgePrefix, suffix: settings.get().marking.wedgeSuffix }) satisfies WedgeFraming);

    // The first-run wizard: only while no user exists.
    app.post('/api/setup', open, async (request, reply) => {
      const body = parseBody(setupRequest, request, reply);
      if (!body) return reply;
      if (listUsers(db).length > 0) return sendError(reply, 409, 'ALREADY_SET_UP', 'this register is already set up; log in as the administrator');
      const now = clock.now().toISOString();
      settings.update({ store: { name: body.storeName, address: body.storeAddress }, register: { id: body.registerId }, languages: body.languages });
      const admin = addUser(db, { name: body.adminName, role: 'admin', pin: body.adminPin, at: now });
      appendAudit(db, { at: now, user: { id: admin.id, name: admin.name, role: 'admin' }, action: 'setup', outcome: 'ok', details: { storeName: body.storeName, registerId: body.registerId }, remote: request.ip });
      return reply.code(201).send({ configured: true });
    });

    // Wrong PINs count against the account named, from whatever address: never against the
    // address, so one user's mistakes cannot lock the others of a shared register.
    app.post('/api/login', open, async (request, reply) => {
      const body = parseBody(loginRequest, request, reply);
      if (!body) return reply;
      const known = userByName(db, body.name);
      const subject: Subject = known ? { userId: known.id, kind: 'pin' } : { unknownName: userNameKey(body.name) };
      const tooMany = (ms: number, reason: 'locked' | 'concurrent') => {
        // One audit line per lock window (a flood of refused tries cannot fill the log); a
        // concurrent try checked no PIN.
        if (reason === 'locked' && auth.guard.firstRefusal(subject, clock.now(), ms)) audit(request, 'login', 'denied', { reason, retryAfterS: seconds(ms) }, body.name);
        reply.header('retry-after', seconds(ms));
        const why = reason === 'locked' ? `too many wrong PINs for ${body.name}` : `another sign-in as ${body.name} is being checked`;
        return sendError(reply, 429, 'TOO_MANY_ATTEMPTS', `${why}; try again in ${seconds(ms)} s`);
      };
      const wait = auth.guard.waitMs(subject, clock.now());
      if (wait > 0) return tooMany(wait, 'locked');
      const user = await auth.guard.exclusive([subject], async () => {
        const found = await verifyUserPin(db, body.name, body.pin);
        if (found) auth.guard.succeed(subject);
        else {
          const count = auth.guard.fail(subject, clock.now());
          audit(request, 'login', 'failed', { failures: count.failures, lockedUntil: count.lockedUntil }, body.name);
        }
        return found ?? null;
      });
      if (user === undefined) return tooMany(1000, 'concurrent');
      if (user === null) return sendError(reply, 401, 'BAD_CREDENTIALS', 'wrong name or PIN');
      if (user.disabledAt !== null) {
        audit(request, 'login', 'denied', { reason: 'disabled' }, body.name);
        return sendError(reply, 403, 'USER_DISABLED', 'this user is disabled; ask the administrator');
      }
      const session = createSession(db, user.id, clock.now(), auth.sessionTtlMs);
      request.user = { id: user.id, name: user.name, role: user.role };
      audit(request, 'login', 'ok');
      return { token: session.token, expiresAt: session.expiresAt, user: request.user } satisfies LoginResponse;
    });

    app.post('/api/logout', anyUser, async (request) => {
      auth.endSession(request.session?.tokenHash ?? '', 'logged out');
      audit(request, 'logout', 'ok');
      return { ok: true };
    });

    app.get('/api/me', anyUser, async (request) => ({ user: request.user }));

    app.post('/api/tickets', anyUser, async (request, reply) => {
      const body = parseBody(ticketRequest, request, reply);
      if (!body) return reply;
      const session = request.session;
      if (!session) return sendError(reply, 401, 'UNAUTHENTICATED', 'log in first');
      const t = auth.tickets.issue({ tokenHash: session.tokenHash, userId: session.user.id }, body.purpose, clock.now());
      return reply.code(201).send({ ticket: t.ticket, purpose: body.purpose, expiresAt: t.expiresAt } satisfies TicketResponse);
    });

    // Live events. A browser cannot set a header on a WebSocket, so the page opens it with a
    // one-use ticket (POST /api/tickets); the socket closes when its session ends.
    app.get('/api/events', { websocket: true, preHandler: auth.requireRole(undefined, { ticket: 'events' }) }, (socket, request) => {
      const session = request.session;
      if (!session) return socket.close(4401, 'log in first');
      auth.sockets.add(socket, session);
      socket.send(JSON.stringify({ type: 'hello', user: session.user.name, role: session.user.role, trainingMode: settings.trainingMode() } satisfies ServerEvent));
      return undefined;
    });
  };
}
