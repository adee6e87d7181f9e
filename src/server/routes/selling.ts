/**
 * Selling beyond the scan: the product search, unmarked goods added from it (quantity, kg, a
 * typed price by permission), a line's quantity, a line discount by permission, parked baskets
 * (put aside and recalled, kept in SQLite). Every change is audited; a refusal of a permission
 * too.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CheckoutError } from '../../checkout/index.ts';
import { mayDo, type Permission } from '../auth/index.ts';
import { parseBody, sendError, type RouteContext, type RouteModule } from '../http.ts';
import {
  addProductRequest, discountRequest, productSearchQuery, setQuantityRequest,
  type ParkedBasketView, type ParkResponse, type ParkedListResponse, type ProductSearchResponse, type RecallResponse, type ScanResponse,
} from '../contract/index.ts';
import type { ParkedBasket, SessionUser } from '../../store/index.ts';
import type { Services } from '../services.ts';
import { param, parseQuery, sendFailure } from './util.ts';

/** The selling routes over the given services. */
export function sellingRoutes(services: Services): RouteModule {
  return (ctx) => {
    productRoutes(services, ctx);
    lineRoutes(services, ctx);
    parkRoutes(services, ctx);
  };
}

/** Who allowed a step that needs a permission: the user, or a manager's name and PIN given at the till. */
type Allowed = { ok: true; by: string } | { ok: false };

/**
 * The logged-in user holds `permission`, or a manager approves with name and PIN. A refusal is
 * answered (403, or the approval's own error) and audited as `action` denied.
 */
async function allow(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, permission: Permission, action: string,
  body: { managerName?: string | undefined; managerPin?: string | undefined }, details: Record<string, unknown>): Promise<Allowed> {
  const user = request.user as SessionUser;
  if (mayDo(user.role, permission)) return { ok: true, by: user.name };
  if (body.managerName === undefined || body.managerPin === undefined) {
    ctx.audit(request, action, 'denied', { ...details, error: 'FORBIDDEN', permission });
    sendError(reply, 403, 'FORBIDDEN', `the ${user.role} role may not do this (${permission}): a manager's name and PIN approve it`);
    return { ok: false };
  }
  const approval = await ctx.auth.approve(user, body.managerName, body.managerPin);
  if (!approval.ok) {
    ctx.audit(request, action, 'denied', { ...details, error: approval.code, permission, ...(approval.audit ?? {}) });
    if (approval.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(approval.retryAfterMs / 1000));
    sendError(reply, approval.status, approval.code, approval.message);
    return { ok: false };
  }
  return { ok: true, by: approval.approver.name };
}

/** The search, and a product added by its barcode. */
function productRoutes(services: Services, ctx: RouteContext): void {
  const { app, requireRole, audit } = ctx;
  const sell = { preHandler: requireRole('sell') };

  app.get('/api/products', sell, async (request, reply) => {
    const query = parseQuery(productSearchQuery, request, reply);
    if (!query) return reply;
    return { products: services.selling.search(query.q, query.limit) } satisfies ProductSearchResponse;
  });

  app.post('/api/checkout/add', sell, async (request, reply) => {
    const body = parseBody(addProductRequest, request, reply);
    if (!body) return reply;
    const known = services.selling.knownPrice(body.barcode);
    const details = { barcode: body.barcode, quantity: body.quantity ?? 1, price: body.price ?? known, knownPrice: known };
    let approvedBy: string | null = null;
    if (body.price !== undefined && body.price !== known) {
      // A free-price item's price is typed by whoever may (freePrice); another price for a listed product is a discount.
      const permission: Permission = known === null ? 'freePrice' : 'discount';
      const allowed = await allow(ctx, request, reply, permission, 'basket.add', body, details);
      if (!allowed.ok) return reply;
      approvedBy = allowed.by;
    }
    try {
      // The price the search showed (the price list's, else the catalogue import's) is the price sold at.
      const price = body.price ?? known ?? undefined;
      const outcome = await services.scan(body.barcode, 'search', {
        ...(body.quantity !== undefined ? { quantity: body.quantity } : {}), ...(price !== undefined ? { price } : {}),
      });
      const added = outcome.verdict.lineId !== null;
      audit(request, 'basket.add', added ? 'ok' : 'denied', { ...details, lineId: outcome.verdict.lineId, reason: outcome.verdict.reason, ...(approvedBy ? { approvedBy } : {}) });
      return outcome satisfies ScanResponse;
    } catch (err) {
      if (err instanceof CheckoutError) audit(request, 'basket.add', 'failed', { ...details, error: err.code });
      return sendFailure(reply, err);
    }
  });
}

/** A line's quantity and a line discount. */
function lineRoutes(services: Services, ctx: RouteContext): void {
  const { app, requireRole, audit } = ctx;
  const sell = { preHandler: requireRole('sell') };

  app.put('/api/checkout/lines/:id/quantity', sell, async (request, reply) => {
    const body = parseBody(setQuantityRequest, request, reply);
    if (!body) return reply;
    const id = param(request, 'id');
    const before = services.basket().lines.find((l) => l.id === id);
    try {
      const { result: line, basket } = await services.changeBasket((c) => c.setQuantity(id, body.quantity));
      audit(request, 'basket.quantity', 'ok', { line: id, name: line.name, from: before?.quantityMilli ?? null, to: line.quantityMilli, sum: line.sum });
      return { basket };
    } catch (err) {
      if (err instanceof CheckoutError) audit(request, 'basket.quantity', 'failed', { line: id, quantity: body.quantity, error: err.code });
      return sendFailure(reply, err);
    }
  });

  app.post('/api/checkout/lines/:id/discount', sell, async (request, reply) => {
    const body = parseBody(discountRequest, request, reply);
    if (!body) return reply;
    const id = param(request, 'id');
    const line = services.basket().lines.find((l) => l.id === id);
    if (!line) return sendFailure(reply, new CheckoutError('NOT_FOUND', `no basket line ${id}`));
    if (line.price === null) return sendFailure(reply, new CheckoutError('NO_PRICE', `${line.name} has no price yet: type its price first`));
    const price = body.price ?? Math.round(line.price * (100 - (body.percent as number)) / 100);
    const details = { line: id, name: line.name, code: line.code, from: line.price, to: price, percent: body.percent ?? null, reason: body.reason };
    if (price > line.price) return sendFailure(reply, new CheckoutError('BAD_INPUT', `a discount lowers the price: ${price} is above ${line.price}`));
    const allowed = await allow(ctx, request, reply, 'discount', 'basket.discount', body, details);
    if (!allowed.ok) return reply;
    try {
      const { basket } = await services.changeBasket((c) => c.setPrice(id, price));
      audit(request, 'basket.discount', 'ok', { ...details, approvedBy: allowed.by });
      return { basket };
    } catch (err) {
      if (err instanceof CheckoutError) audit(request, 'basket.discount', 'failed', { ...details, error: err.code });
      return sendFailure(reply, err);
    }
  });
}

const parkedView = (b: ParkedBasket): ParkedBasketView => ({
  id: b.id, parkedAt: b.parkedAt, cashier: b.cashier, total: b.total, lines: b.lines.map((l) => ({ name: l.name, nameKk: l.nameKk ?? null, quantityMilli: l.quantityMilli, price: l.price })),
});

/** Park the basket, list the parked ones, recall one. */
function parkRoutes(services: Services, ctx: RouteContext): void {
  const { app, requireRole, audit } = ctx;
  const sell = { preHandler: requireRole('sell') };

  app.get('/api/checkout/parked', sell, async () => ({ parked: services.selling.list().map(parkedView) }) satisfies ParkedListResponse);

  app.post('/api/checkout/park', sell, async (request, reply) => {
    const user = request.user as SessionUser;
    try {
      const { result: parked, basket } = await services.changeBasket((c) => {
        const lines = c.basket().lines;
        if (lines.length === 0) throw new CheckoutError('EMPTY_BASKET', 'the basket is empty: nothing to park');
        // An override is a manager's word on one scan: it does not travel; the basket is checked again on recall.
        if (lines.some((l) => l.override !== null)) throw new CheckoutError('BAD_INPUT', 'a basket with a manager override cannot be parked: pay or cancel it');
        const p = services.selling.park(lines, user.name);
        c.cancelBasket();
        return p;
      });
      audit(request, 'basket.park', 'ok', { parked: parked.id, lines: parked.lines.length, total: parked.total });
      return reply.code(201).send({ parked: parkedView(parked), basket } satisfies ParkResponse);
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.post('/api/checkout/parked/:id/recall', sell, async (request, reply) => {
    const id = param(request, 'id');
    if (!services.selling.list().some((p) => p.id === id)) return sendError(reply, 404, 'NOT_FOUND', `no parked basket ${id}`);
    if (services.basket().lines.length > 0) return sendError(reply, 409, 'BASKET_NOT_EMPTY', 'the basket is not empty: pay, park or cancel it before recalling another');
    const parked = services.selling.take(id);
    if (!parked) return sendError(reply, 404, 'NOT_FOUND', `no parked basket ${id}`);
    let refused = 0;
    try {
      // Every line is scanned again: a code's status may have changed while the basket waited.
      for (const l of parked.lines) {
        const unmarked = /^\d{8,14}$/.test(l.code);
        const outcome = await services.scan(l.code, 'recall', {
          ...(unmarked ? { quantity: l.quantityMilli / 1000 } : {}), ...(l.price !== null ? { price: l.price } : {}),
        });
        if (outcome.verdict.lineId === null) refused++;
      }
    } catch (err) {
      // Nothing half-recalled: the lines scanned so far leave, and the parked basket is kept.
      await services.changeBasket((c) => c.cancelBasket());
      services.selling.putBack(parked);
      if (err instanceof CheckoutError) audit(request, 'basket.recall', 'failed', { parked: id, error: err.code });
      return sendFailure(reply, err);
    }
    audit(request, 'basket.recall', 'ok', { parked: id, lines: parked.lines.length, refused, parkedBy: parked.cashier });
    return { basket: services.basket(), refused } satisfies RecallResponse;
  });
}
