/**
 * The administrator's user management: list (with lockouts), add, disable and enable, reset a
 * PIN, unlock. A new PIN must meet the PIN rules and be no other user's (said without saying
 * whose). Disabling a user or resetting their PIN ends their sessions and closes their event
 * sockets at once. Every change is audited.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  addUser, clearFailures, listFailures, listUsers, pinInUse, setUserDisabled, setUserPin, userById, userNameKey,
  type Db, type User,
} from '../../store/index.ts';
import { createUserRequest, resetPinRequest, type UserResponse, type UserView, type UsersResponse } from '../contract/index.ts';
import { parseBody, sendError, type RouteModule } from '../http.ts';

/** The users as the API shows them, with their wrong-PIN and failed-approval counts and the later lock. */
export function userViews(db: Db, now: Date): UserView[] {
  const failures = listFailures(db);
  const of = (userId: string, kind: 'pin' | 'approvals') => failures.find((f) => f.userId === userId && f.kind === kind);
  const live = (until: string | null | undefined) => (until && Date.parse(until) > now.getTime() ? until : null);
  return listUsers(db).map((u) => {
    const pin = of(u.id, 'pin');
    const approvals = of(u.id, 'approvals');
    const locks = [live(pin?.lockedUntil), live(approvals?.lockedUntil)].filter((l): l is string => l !== null).sort();
    return {
      id: u.id, name: u.name, role: u.role, createdAt: u.createdAt, disabledAt: u.disabledAt,
      failedPins: pin?.failures ?? 0, failedApprovals: approvals?.failures ?? 0, lockedUntil: locks.at(-1) ?? null,
    };
  });
}

/** Runs one change at a time: the "PIN in use" check and the write cannot interleave with another's. */
function serially(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** The user management routes. */
export const userRoutes: RouteModule = ({ app, db, clock, auth, audit }) => {
  const admin = { preHandler: auth.requireRole('manageUsers') };
  const serial = serially();
  const view = (id: string): UserView => userViews(db, clock.now()).find((u) => u.id === id) as UserView;
  const PIN_IN_USE = 'this PIN is already in use; choose another';

  /** The user named by :id, or a 404 sent. */
  function target(request: FastifyRequest, reply: FastifyReply): User | undefined {
    const id = (request.params as { id?: string }).id ?? '';
    const user = userById(db, id);
    if (!user) sendError(reply, 404, 'NOT_FOUND', `no user ${id}`);
    return user;
  }

  app.get('/api/users', admin, async () => ({ users: userViews(db, clock.now()) }) satisfies UsersResponse);

  app.post('/api/users', admin, async (request, reply) => {
    const body = parseBody(createUserRequest, request, reply);
    if (!body) return reply;
    return serial(async () => {
      if (listUsers(db).some((u) => userNameKey(u.name) === userNameKey(body.name))) return sendError(reply, 409, 'USER_EXISTS', `a user named '${body.name}' exists`);
      if (await pinInUse(db, body.pin)) {
        audit(request, 'user.create', 'failed', { name: body.name, role: body.role, error: 'PIN_IN_USE' });
        return sendError(reply, 409, 'PIN_IN_USE', PIN_IN_USE);
      }
      const user = addUser(db, { name: body.name, role: body.role, pin: body.pin, at: clock.now().toISOString() });
      audit(request, 'user.create', 'ok', { name: body.name, role: body.role });
      return reply.code(201).send({ user: view(user.id) } satisfies UserResponse);
    });
  });

  app.post('/api/users/:id/disable', admin, async (request, reply) => {
    const user = target(request, reply);
    if (!user) return reply;
    // Never your own account: so the register always keeps an administrator who can sign in.
    if (user.id === request.user?.id) return sendError(reply, 409, 'OWN_ACCOUNT', 'you cannot disable your own account');
    if (user.disabledAt === null) setUserDisabled(db, user.id, clock.now().toISOString());
    const ended = auth.endUserSessions(user.id, 'user disabled');
    audit(request, 'user.disable', 'ok', { userId: user.id, name: user.name, sessionsEnded: ended });
    return { user: view(user.id) } satisfies UserResponse;
  });

  app.post('/api/users/:id/enable', admin, async (request, reply) => {
    const user = target(request, reply);
    if (!user) return reply;
    setUserDisabled(db, user.id, null);
    audit(request, 'user.enable', 'ok', { userId: user.id, name: user.name });
    return { user: view(user.id) } satisfies UserResponse;
  });

  app.put('/api/users/:id/pin', admin, async (request, reply) => {
    const user = target(request, reply);
    if (!user) return reply;
    const body = parseBody(resetPinRequest, request, reply);
    if (!body) return reply;
    return serial(async () => {
      if (await pinInUse(db, body.pin, user.id)) {
        audit(request, 'user.pin-reset', 'failed', { userId: user.id, name: user.name, error: 'PIN_IN_USE' });
        return sendError(reply, 409, 'PIN_IN_USE', PIN_IN_USE);
      }
      setUserPin(db, user.id, body.pin);
      clearFailures(db, user.id, 'pin');
      // Whoever knew the old PIN may hold a session: end them all (but the administrator's own).
      const ended = auth.endUserSessions(user.id, 'PIN reset', request.session?.tokenHash);
      audit(request, 'user.pin-reset', 'ok', { userId: user.id, name: user.name, sessionsEnded: ended });
      return { user: view(user.id) } satisfies UserResponse;
    });
  });

  app.post('/api/users/:id/unlock', admin, async (request, reply) => {
    const user = target(request, reply);
    if (!user) return reply;
    const before = userViews(db, clock.now()).find((u) => u.id === user.id);
    clearFailures(db, user.id);
    audit(request, 'user.unlock', 'ok', {
      userId: user.id, name: user.name, failedPins: before?.failedPins ?? 0, failedApprovals: before?.failedApprovals ?? 0, lockedUntil: before?.lockedUntil ?? null,
    });
    return { user: view(user.id) } satisfies UserResponse;
  });
};
