/**
 * Returns at the till: finding the sale (a scanned item, the receipt number, the OFD's ticket
 * number, or today's list), and the return itself — with the refund method the cashier chose
 * and, where the store requires it (`returns.requireApproval`), a manager's name and PIN,
 * checked with the same lockouts as an override. Every return and every refusal is audited.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CheckoutError } from '../../checkout/index.ts';
import { parseCode } from '../../marking/index.ts';
import { findSalesForReturn, getOutboxByDocument, getSale, getSaleLines, returnedLineIds, salesSince, type Db, type SessionUser } from '../../store/index.ts';
import { returnRequest, returnSalesQuery, type ReturnableSaleView, type ReturnRequest, type ReturnSalesResponse } from '../contract/index.ts';
import { parseBody, sendError, type RouteContext, type RouteModule } from '../http.ts';
import type { Services } from '../services.ts';
import { parseQuery, sendFailure } from './util.ts';

/** How many sales a search or today's list shows at most. */
const FIND_LIMIT = 20;
const TODAY_LIMIT = 50;

/** A sale with its lines and which of them are already returned. */
export function returnableSale(db: Db, id: string): ReturnableSaleView | null {
  const sale = getSale(db, id);
  if (!sale || sale.kind !== 'sale') return null;
  const returned = returnedLineIds(db, id);
  return {
    id: sale.id, createdAt: sale.createdAt, printedDocumentNumber: sale.printedDocumentNumber, shiftNumber: sale.shiftNumber,
    cashier: sale.cashier, total: sale.total, payments: sale.payments.map((p) => ({ type: p.type, amount: p.amount })),
    ticketNumber: getOutboxByDocument(db, id)?.ticketNumber ?? null,
    lines: getSaleLines(db, id).map((l) => ({
      id: l.id, name: l.name, nameKk: l.nameKk ?? null, code: l.code, cis: l.cis, gtin: l.gtin, quantityMilli: l.quantityMilli, sum: l.sum, returned: returned.has(l.id),
    })),
  };
}

/** The return routes over the given services. */
export function returnRoutes(services: Services): RouteModule {
  return (ctx) => {
    const { app, db, settings, clock, requireRole } = ctx;
    const sell = { preHandler: requireRole('sell') };

    app.get('/api/checkout/returns/sales', sell, async (request, reply) => {
      const query = parseQuery(returnSalesQuery, request, reply);
      if (!query) return reply;
      let ids: string[];
      if (query.q !== undefined && query.q !== '') {
        // A scanned marking code is matched by its CIS too: the rescan may differ from the sale's scan in GS form.
        const extra = settings.get().marking.extraSeparators;
        const parsed = parseCode(query.q, extra.length > 0 ? { extraSeparators: extra } : undefined);
        ids = findSalesForReturn(db, { text: query.q, cis: parsed.ok ? parsed.cis : null }, FIND_LIMIT);
      } else {
        ids = salesSince(db, query.since ? new Date(query.since).toISOString() : new Date(clock.now().getTime() - 86_400_000).toISOString(), TODAY_LIMIT);
      }
      const sales = ids.map((id) => returnableSale(db, id)).filter((s): s is ReturnableSaleView => s !== null);
      return { sales, approvalRequired: settings.get().returns.requireApproval } satisfies ReturnSalesResponse;
    });

    app.post('/api/checkout/return', sell, async (request, reply) => {
      const body = parseBody(returnRequest, request, reply);
      if (!body) return reply;
      const approver = await approveReturn(ctx, request, reply, body);
      if (approver === false) return reply;
      try {
        const done = await services.completeReturn(body.saleId, body.items, body.payments, body.refund);
        ctx.audit(request, 'return', 'ok', {
          saleId: body.saleId, returnId: done.saleId, total: done.receipt.totals.total, items: body.items.length,
          refund: done.receipt.payments.map((p) => p.type).join('+'), ...(approver ? { approver: approver.name } : {}),
        });
        return reply.code(201).send(done);
      } catch (err) {
        if (err instanceof CheckoutError) ctx.audit(request, 'return', 'failed', { saleId: body.saleId, error: err.code });
        return sendFailure(reply, err);
      }
    });
  };
}

/**
 * The manager's approval of a return, when the store requires one: the approver, null when none
 * is needed, or false when the reply already refused it (audited).
 */
async function approveReturn(ctx: RouteContext, request: FastifyRequest, reply: FastifyReply, body: ReturnRequest): Promise<{ name: string } | null | false> {
  if (!ctx.settings.get().returns.requireApproval) return null;
  if (body.managerName === undefined || body.managerPin === undefined) {
    ctx.audit(request, 'return', 'denied', { saleId: body.saleId, error: 'APPROVAL_REQUIRED' });
    sendError(reply, 403, 'APPROVAL_REQUIRED', 'this store requires a manager\'s approval for returns: give managerName and managerPin');
    return false;
  }
  const approval = await ctx.auth.approve(request.user as SessionUser, body.managerName, body.managerPin);
  if (!approval.ok) {
    if (approval.audit) ctx.audit(request, 'return', 'denied', { saleId: body.saleId, error: approval.code, ...approval.audit });
    if (approval.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(approval.retryAfterMs / 1000));
    sendError(reply, approval.status, approval.code, approval.message);
    return false;
  }
  return { name: approval.approver.name };
}
