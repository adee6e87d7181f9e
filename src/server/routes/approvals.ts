/**
 * Override approval from the approver's own session, on a second screen: the cashier asks
 * (`POST /api/checkout/override/requests`), every screen hears an `override-request` event, and a
 * manager or the administrator approves or declines it from their own logged-in session — no PIN
 * is typed at the till, so there is nothing to guess there. The approval is the approver's
 * session itself; the override is applied to the cashier's basket as the PIN route applies it,
 * audited the same way (`override` ok / denied, with `via: 'session'`). Requests live in memory
 * for two minutes (a restart forgets them: the cashier asks again); a user cannot approve their own.
 */
import { randomUUID } from 'node:crypto';
import { CheckoutError } from '../../checkout/index.ts';
import { parseBody, sendError, type RouteContext, type RouteModule } from '../http.ts';
import { overrideAskRequest, type OverrideAskResponse, type OverrideAsksResponse, type OverrideAskView, type OverrideResponse } from '../contract/index.ts';
import type { SessionUser } from '../../store/index.ts';
import type { Services } from '../services.ts';
import { param, sendFailure } from './util.ts';

/** How long a request may wait for its approver. */
export const ASK_TTL_MS = 120_000;
/** Open requests one user may have at once (a cashier cannot flood the managers' screens). */
export const MAX_OPEN_ASKS = 5;

interface Ask extends OverrideAskView { requesterId: string }

/** The approval-request routes over the given services. */
export function approvalRoutes(services: Services): RouteModule {
  const asks = new Map<string, Ask>();
  return ({ app, requireRole, audit, broadcast, clock }: RouteContext) => {
    const open = (): Ask[] => {
      const now = clock.now().toISOString();
      for (const [id, a] of asks) if (a.expiresAt <= now) asks.delete(id);
      return [...asks.values()];
    };
    const view = ({ requesterId: _r, ...a }: Ask): OverrideAskView => a;

    app.post('/api/checkout/override/requests', { preHandler: requireRole('sell') }, async (request, reply) => {
      const body = parseBody(overrideAskRequest, request, reply);
      if (!body) return reply;
      const user = request.user as SessionUser;
      const refusal = services.basket().refusals.find((r) => r.id === body.refusalId);
      if (!refusal) return sendFailure(reply, new CheckoutError('NOT_FOUND', `no refused scan ${body.refusalId} in the basket`));
      const details = { refusalId: body.refusalId, reason: body.reason, cis: refusal.cis, rule: refusal.verdict.rule ?? null, verdict: refusal.verdict.reason, via: 'session' };
      if (!refusal.verdict.overridable) {
        audit(request, 'override', 'denied', { ...details, error: 'NOT_OVERRIDABLE' });
        return sendFailure(reply, new CheckoutError('NOT_OVERRIDABLE', `${refusal.verdict.reason}: ${refusal.verdict.messages.en} — the law does not allow overriding this`));
      }
      if (open().filter((a) => a.requesterId === user.id).length >= MAX_OPEN_ASKS) {
        audit(request, 'override.request', 'denied', { ...details, error: 'TOO_MANY_ATTEMPTS' });
        reply.header('retry-after', Math.ceil(ASK_TTL_MS / 1000));
        return sendError(reply, 429, 'TOO_MANY_ATTEMPTS', `${MAX_OPEN_ASKS} approval requests are already waiting; wait for an answer`);
      }
      const now = clock.now();
      const ask: Ask = {
        id: randomUUID(), refusalId: body.refusalId, reason: body.reason, requestedBy: user.name, requesterId: user.id, cis: refusal.cis,
        verdict: refusal.verdict.reason, message: refusal.verdict.message, messages: refusal.verdict.messages, createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + ASK_TTL_MS).toISOString(),
      };
      asks.set(ask.id, ask);
      audit(request, 'override.request', 'ok', { ...details, requestId: ask.id });
      broadcast({ type: 'override-request', request: view(ask) });
      return reply.code(201).send({ request: view(ask) } satisfies OverrideAskResponse);
    });

    app.get('/api/checkout/override/requests', { preHandler: requireRole('override') }, async () => ({ requests: open().map(view) }) satisfies OverrideAsksResponse);

    app.post('/api/checkout/override/requests/:id/approve', { preHandler: requireRole('override') }, async (request, reply) => {
      const ask = open().find((a) => a.id === param(request, 'id'));
      const approver = request.user as SessionUser;
      if (!ask) return sendError(reply, 404, 'NOT_FOUND', `no waiting approval request ${param(request, 'id')} (answered, expired or never made)`);
      const details = { refusalId: ask.refusalId, reason: ask.reason, approver: approver.name, cis: ask.cis, verdict: ask.verdict, requestedBy: ask.requestedBy, requestId: ask.id, via: 'session' };
      if (ask.requesterId === approver.id) {
        audit(request, 'override', 'denied', { ...details, error: 'SELF_APPROVAL' });
        return sendError(reply, 403, 'SELF_APPROVAL', 'an override is approved by someone else than the user who asked for it');
      }
      asks.delete(ask.id);
      try {
        const { result: line, basket } = await services.changeBasket((c) => c.override(ask.refusalId, { approver: { name: approver.name, role: approver.role }, reason: ask.reason }));
        audit(request, 'override', 'ok', { ...details, manager: line.override?.manager ?? null, lineId: line.id });
        broadcast({ type: 'override-resolved', id: ask.id, outcome: 'approved', by: approver.name, lineId: line.id });
        broadcast({ type: 'audit', action: 'override', user: approver.name, at: clock.now().toISOString() });
        return { line, basket } satisfies OverrideResponse;
      } catch (err) {
        if (err instanceof CheckoutError) audit(request, 'override', err.code === 'NOT_OVERRIDABLE' ? 'denied' : 'failed', { ...details, error: err.code });
        return sendFailure(reply, err);
      }
    });

    app.post('/api/checkout/override/requests/:id/decline', { preHandler: requireRole('override') }, async (request, reply) => {
      const ask = open().find((a) => a.id === param(request, 'id'));
      const approver = request.user as SessionUser;
      if (!ask) return sendError(reply, 404, 'NOT_FOUND', `no waiting approval request ${param(request, 'id')} (answered, expired or never made)`);
      asks.delete(ask.id);
      audit(request, 'override', 'denied', { refusalId: ask.refusalId, approver: approver.name, requestedBy: ask.requestedBy, requestId: ask.id, via: 'session', error: 'DECLINED' });
      broadcast({ type: 'override-resolved', id: ask.id, outcome: 'declined', by: approver.name, lineId: null });
      return { ok: true };
    });
  };
}
