/**
 * The cashier's routes: scan, basket, price, remove, cancel, manager override, pay, return,
 * receipts, shifts. Every change goes through the services' scan lane and is announced to the
 * screens as a `basket` event; a verdict also as a `verdict` event.
 */
import type { FastifyRequest } from 'fastify';
import { CheckoutError } from '../../checkout/index.ts';
import { parseBody, sendError, type RouteContext, type RouteModule } from '../http.ts';
import {
  ntinChoiceRequest, openShiftRequest, overrideRequest, payRequest, scanRequest, setPriceRequest,
  type NtinChoiceResponse, type OverrideResponse, type ReceiptResponse, type ShiftReportResponse, type ShiftResponse, type UnprintedReceiptsResponse,
} from '../contract/index.ts';
import type { SessionUser } from '../../store/index.ts';
import type { Services } from '../services.ts';
import { printShiftReport } from './shift-cash.ts';
import { param, sendFailure } from './util.ts';

/** The cashier's routes over the given services. */
export function checkoutRoutes(services: Services): RouteModule {
  return (ctx) => {
    basketRoutes(services, ctx);
    overrideRoute(services, ctx);
    documentRoutes(services, ctx);
    shiftRoutes(services, ctx);
  };
}

const userName = (request: FastifyRequest): string => request.user?.name ?? '';

/** Scan, price, remove a line, cancel the basket. */
function basketRoutes(services: Services, { app, requireRole, audit }: RouteContext): void {
  const sell = { preHandler: requireRole('sell') };

  app.get('/api/checkout/basket', sell, async () => services.basket());

  app.post('/api/checkout/scan', sell, async (request, reply) => {
    const body = parseBody(scanRequest, request, reply);
    if (!body) return reply;
    try {
      return await services.scan(body.code, body.source, {
        ...(body.price !== undefined ? { price: body.price } : {}), ...(body.quantity !== undefined ? { quantity: body.quantity } : {}),
      });
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.put('/api/checkout/lines/:id/price', sell, async (request, reply) => {
    const body = parseBody(setPriceRequest, request, reply);
    if (!body) return reply;
    try {
      const { basket } = await services.changeBasket((c) => c.setPrice(param(request, 'id'), body.price));
      audit(request, 'basket.price', 'ok', { line: param(request, 'id'), price: body.price });
      return { basket };
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.delete('/api/checkout/lines/:id', sell, async (request, reply) => {
    try {
      const id = param(request, 'id');
      // Audited with what left the basket: a line (name, code, sum) or a refused scan.
      const before = services.basket();
      const line = before.lines.find((l) => l.id === id);
      const refusal = before.refusals.find((r) => r.id === id);
      const { basket } = await services.changeBasket((c) => c.removeLine(id));
      if (line) audit(request, 'basket.remove', 'ok', { line: id, name: line.name, code: line.code, sum: line.sum });
      else if (refusal) audit(request, 'basket.dismiss', 'ok', { refusal: id, code: refusal.code });
      return { basket };
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.post('/api/checkout/ntin-choice', sell, async (request, reply) => {
    const body = parseBody(ntinChoiceRequest, request, reply);
    if (!body) return reply;
    try {
      const { result: lines, basket } = await services.changeBasket((c) => c.chooseNtinForBarcode(body.barcode, body.ntin));
      audit(request, 'basket.ntin', 'ok', { barcode: body.barcode, ntin: body.ntin, lines: lines.length });
      return { lines, basket } satisfies NtinChoiceResponse;
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.post('/api/checkout/cancel', sell, async (request) => {
    const before = services.basket();
    const { basket } = await services.changeBasket((c) => c.cancelBasket());
    if (before.lines.length > 0) audit(request, 'basket.cancel', 'ok', { lines: before.lines.length, total: before.total });
    return { basket };
  });
}

/**
 * The cashier's session calls it; the approver's name and PIN in the body are the approval,
 * checked with the lockouts of src/server/auth/approvals.ts. Every refusal is audited.
 */
function overrideRoute(services: Services, { app, auth, requireRole, audit, broadcast, clock }: RouteContext): void {
  const sell = { preHandler: requireRole('sell') };
  app.post('/api/checkout/override', sell, async (request, reply) => {
    const body = parseBody(overrideRequest, request, reply);
    if (!body) return reply;
    const refusal = services.basket().refusals.find((r) => r.id === body.refusalId);
    const details = {
      refusalId: body.refusalId, reason: body.reason, approver: body.managerName, cis: refusal?.cis ?? null, rule: refusal?.verdict.rule ?? null,
      verdict: refusal?.verdict.reason ?? null,
    };
    // Nothing to approve: say so without spending a PIN attempt.
    if (!refusal) return sendFailure(reply, new CheckoutError('NOT_FOUND', `no refused scan ${body.refusalId} in the basket`));
    if (!refusal.verdict.overridable) {
      audit(request, 'override', 'denied', { ...details, error: 'NOT_OVERRIDABLE' });
      return sendFailure(reply, new CheckoutError('NOT_OVERRIDABLE', `${refusal.verdict.reason}: ${refusal.verdict.messages.en} — the law does not allow overriding this`));
    }
    const approval = await auth.approve(request.user as SessionUser, body.managerName, body.managerPin);
    if (!approval.ok) {
      if (approval.audit) audit(request, 'override', 'denied', { ...details, error: approval.code, ...approval.audit });
      if (approval.retryAfterMs !== undefined) reply.header('retry-after', Math.ceil(approval.retryAfterMs / 1000));
      return sendError(reply, approval.status, approval.code, approval.message);
    }
    const approver = { name: approval.approver.name, role: approval.approver.role };
    try {
      const { result: line, basket } = await services.changeBasket((c) => c.override(body.refusalId, { approver, reason: body.reason }));
      audit(request, 'override', 'ok', { ...details, manager: line.override?.manager ?? null, lineId: line.id });
      broadcast({ type: 'audit', action: 'override', user: userName(request), at: clock.now().toISOString() });
      return { line, basket } satisfies OverrideResponse;
    } catch (err) {
      if (err instanceof CheckoutError) audit(request, 'override', err.code === 'BAD_PIN' || err.code === 'NOT_OVERRIDABLE' ? 'denied' : 'failed', { ...details, error: err.code });
      return sendFailure(reply, err);
    }
  });
}

/** Pay, and the receipts of sales and returns: show, render, reprint (returns: routes/returns.ts). */
function documentRoutes(services: Services, { app, requireRole, audit }: RouteContext): void {
  const sell = { preHandler: requireRole('sell') };
  const anyUser = { preHandler: requireRole() };

  app.post('/api/checkout/pay', sell, async (request, reply) => {
    const body = parseBody(payRequest, request, reply);
    if (!body) return reply;
    try {
      const done = await services.completeSale({ payments: body.payments, ...(body.contact ? { contact: body.contact } : {}) });
      return reply.code(201).send(done);
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  // Receipts owed since a crash or a printer fault: the cashier's banner offers each for a reprint.
  app.get('/api/receipts/unprinted', sell, async () => ({ unprinted: services.printing.unprinted() }) satisfies UnprintedReceiptsResponse);

  app.get('/api/receipts/:id', anyUser, async (request, reply) => {
    const id = param(request, 'id');
    const receipt = services.checkout.getReceipt(id);
    if (!receipt) return sendError(reply, 404, 'NOT_FOUND', `no sale or return ${id}`);
    const print = services.printing.lastPrint(id) ?? { jobId: null, state: 'none', error: null, pngUrl: null };
    return { receipt, training: services.trainingMode, print } satisfies ReceiptResponse;
  });

  // An <img> cannot send a header: the page may put a receipt-png ticket in the URL instead.
  app.get('/api/receipts/:id/png', { preHandler: requireRole(undefined, { ticket: 'receipt-png' }) }, async (request, reply) => {
    const id = param(request, 'id');
    const png = services.printing.receiptPng(id);
    if (!png) return sendError(reply, 404, 'NOT_PRINTED', `no rendered receipt for ${id} (printed receipts are rendered by the training printer)`);
    return reply.type('image/png').header('cache-control', 'no-store').send(png);
  });

  app.post('/api/receipts/:id/print', sell, async (request, reply) => {
    try {
      const print = await services.reprint(param(request, 'id'));
      audit(request, 'receipt.reprint', print.state === 'printed' ? 'ok' : 'failed', { documentId: param(request, 'id'), error: print.error });
      return { print };
    } catch (err) {
      return sendFailure(reply, err);
    }
  });
}

/** The logged-in user's shift: current, open, X report, close. */
function shiftRoutes(services: Services, { app, settings, requireRole, audit }: RouteContext): void {
  const sell = { preHandler: requireRole('sell') };

  app.get('/api/shifts/current', sell, async () => ({ shift: services.basket().shift }) satisfies ShiftResponse);

  // The shift belongs to whoever is logged in: its name prints on every receipt of the shift.
  app.post('/api/shifts/open', sell, async (request, reply) => {
    const body = parseBody(openShiftRequest, request, reply);
    if (!body) return reply;
    const me = userName(request);
    if (body.cashier !== undefined && body.cashier !== me) {
      audit(request, 'shift.open', 'denied', { asked: body.cashier });
      return sendError(reply, 403, 'SHIFT_OWNER', `cashier: a shift is opened in the logged-in user's name (${me}); leave cashier out`);
    }
    try {
      await services.changeBasket((c) => c.openShift(me));
      // The opening float is the shift's first cash deposit (a money placement for the OFD).
      if (body.float !== undefined && body.float > 0) {
        await services.changeBasket((c) => c.placeMoney('deposit', body.float as number, { float: true }));
        services.sender.notify();
      }
      const shift = services.basket().shift;
      audit(request, 'shift.open', 'ok', { shift: shift?.number ?? null, cashier: shift?.cashier ?? null, float: body.float ?? 0 });
      return reply.code(201).send({ shift } satisfies ShiftResponse);
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.get('/api/shifts/x', sell, async (request, reply) => {
    try {
      return { report: services.checkout.xReport() } satisfies ShiftReportResponse;
    } catch (err) {
      return sendFailure(reply, err);
    }
  });

  app.post('/api/shifts/close', sell, async (request, reply) => {
    try {
      const { result: report } = await services.changeBasket((c) => c.closeShift());
      services.sender.notify();
      const print = await printShiftReport(services, settings, report, 'z', userName(request) || null);
      audit(request, 'shift.close', 'ok', { shift: report.shiftNumber, net: report.net, inDrawer: report.cash.inDrawer, printed: print.state });
      return { report, print } satisfies ShiftReportResponse;
    } catch (err) {
      if (err instanceof CheckoutError) audit(request, 'shift.close', 'failed', { error: err.code });
      return sendFailure(reply, err);
    }
  });
}
