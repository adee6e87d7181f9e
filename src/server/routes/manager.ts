/**
 * The manager's routes: sync status and actions, sales and returns (list, detail; CSV: sales-export.ts),
 * overrides log, privacy (consents, withdraw, purge), statistics for the charts. Every action
 * that changes something is audited.
 */
import { retryBlocked } from '../../sync/index.ts';
import { getSale, getSaleLines, listContacts, listOverrides, returnedLineIds, returnsOf, searchSales, type SaleReportRow } from '../../store/index.ts';
import { checksBySource, checksPerHour, deliveriesPerHour, refusalsByReason } from '../../store/index.ts';
import { purgeContactsSettled, withdrawContactSettled } from '../../checkout/index.ts';
import { sendError, type RouteModule } from '../app.ts';
import {
  overridesQuery, salesQuery, statsQuery,
  type ConsentsResponse, type OverridesResponse, type PurgeResponse, type SaleDetailResponse, type SaleSummary, type SalesResponse,
  type StatsResponse, type SyncNowResponse, type SyncRetryResponse,
} from '../contract/index.ts';
import type { Services } from '../services.ts';
import { isoBound, maskEmail, maskPhone, param, parseQuery, sendFailure } from './util.ts';

function summary(r: SaleReportRow): SaleSummary {
  return {
    id: r.id, kind: r.kind, originalSaleId: r.originalSaleId, createdAt: r.createdAt, shiftNumber: r.shiftNumber,
    printedDocumentNumber: r.printedDocumentNumber, cashier: r.cashier, total: r.total, taxTotal: r.taxTotal, payments: r.payments,
    change: r.change, kept: r.kept, lineCount: r.lineCount,
    delivery: {
      state: r.deliveryState ?? 'missing', ticketNumber: r.ticketNumber, qrUrl: r.qrUrl, deliveredAt: r.deliveredAt, offline: r.offline,
      attempts: r.attempts, lastError: r.lastError, outboxId: r.outboxId,
    },
  };
}

/** The manager's routes over the given services. */
export function managerRoutes(services: Services): RouteModule {
  return ({ app, db, requireRole, audit, clock }) => {
    const manage = { preHandler: requireRole('manage') };

    // Every screen may read it: the cashier's offline banner shows the cache age and the time left.
    app.get('/api/sync/status', { preHandler: requireRole() }, async () => services.dashboard());

    app.post('/api/sync/now', manage, async (request) => {
      const pass = await services.syncNow();
      const status = services.syncStatus();
      audit(request, 'sync.now', 'ok', { delivered: pass.delivered, remaining: pass.remaining, stopped: pass.stopped?.kind ?? null });
      return { pass, status } satisfies SyncNowResponse;
    });

    app.post('/api/sync/retry/:id', manage, async (request, reply) => {
      const raw = param(request, 'id');
      if (!/^\d+$/.test(raw)) return sendError(reply, 400, 'INVALID_REQUEST', `id: an outbox row id (a whole number), got '${raw}'`);
      const id = Number(raw);
      try {
        // Journaled with the sale records (tamper-evident), audited with the user.
        const { row: r, error: before } = retryBlocked(db, services.sender, id, request.user?.name ?? null, clock.now().toISOString());
        const row = { r, before };
        audit(request, 'sync.retry', 'ok', { outboxId: id, documentId: row.r.documentId, error: row.before ?? null });
        return { row: { id: row.r.id, seq: row.r.seq, kind: row.r.kind, documentId: row.r.documentId, state: row.r.state } } satisfies SyncRetryResponse;
      } catch (err) {
        audit(request, 'sync.retry', 'failed', { outboxId: id, error: (err as Error).message });
        return sendFailure(reply, err);
      }
    });

    app.get('/api/sales', manage, async (request, reply) => {
      const q = parseQuery(salesQuery, request, reply);
      if (!q) return reply;
      const { rows, total } = searchSales(db, {
        from: isoBound(q.from, false), to: isoBound(q.to, true), kind: q.kind, q: q.q, delivery: q.delivery, limit: q.limit, offset: q.offset,
      });
      return { sales: rows.map(summary), total } satisfies SalesResponse;
    });

    app.get('/api/sales/:id', manage, async (request, reply) => {
      const id = param(request, 'id');
      const sale = getSale(db, id);
      const receipt = services.checkout.getReceipt(id);
      if (!sale || !receipt) return sendError(reply, 404, 'NOT_FOUND', `no sale or return ${id}`);
      const row = searchSales(db, { q: id, limit: 50 }).rows.find((r) => r.id === id);
      const returned = sale.kind === 'sale' ? returnedLineIds(db, id) : new Set<string>();
      const returns = sale.kind === 'sale' ? returnsOf(db, id).map((r) => searchSales(db, { q: r.id, limit: 50 }).rows.find((x) => x.id === r.id)).filter((r): r is SaleReportRow => r !== undefined) : [];
      return {
        sale: summary(row as SaleReportRow),
        lines: getSaleLines(db, id).map((l) => ({
          id: l.id, position: l.position, code: l.code, cis: l.cis, gtin: l.gtin, name: l.name, quantityMilli: l.quantityMilli, price: l.price,
          sum: l.sum, decision: l.decision, checkSource: l.checkSource, overrideId: l.overrideId, returned: returned.has(l.id),
        })),
        receipt,
        returns: returns.map(summary),
      } satisfies SaleDetailResponse;
    });

    app.get('/api/overrides', manage, async (request, reply) => {
      const q = parseQuery(overridesQuery, request, reply);
      if (!q) return reply;
      return { overrides: listOverrides(db, q.limit) } satisfies OverridesResponse;
    });

    app.get('/api/privacy/consents', manage, async () => ({
      consents: listContacts(db).map((c) => ({ ...c, phone: maskPhone(c.phone), email: maskEmail(c.email) })),
    }) satisfies ConsentsResponse);

    app.post('/api/privacy/consents/:id/withdraw', manage, async (request, reply) => {
      const id = param(request, 'id');
      try {
        // Another reader's snapshot may hold the WAL a moment: retried briefly; the answer says whether bytes may remain.
        const r = await withdrawContactSettled(db, id, clock.now().toISOString());
        audit(request, 'privacy.withdraw', 'ok', { contactId: id, purged: r.purged, bytesMayRemain: r.bytesMayRemain });
        return r satisfies PurgeResponse;
      } catch (err) {
        if (/no contact/.test((err as Error).message)) {
          audit(request, 'privacy.withdraw', 'failed', { contactId: id, error: 'not found' });
          return sendError(reply, 404, 'NOT_FOUND', `no contact ${id}`);
        }
        throw err;
      }
    });

    app.post('/api/privacy/purge', manage, async (request) => {
      const r = await purgeContactsSettled(db, clock.now().toISOString());
      audit(request, 'privacy.purge', 'ok', { purged: r.purged, walTruncated: r.walTruncated, bytesMayRemain: r.bytesMayRemain, attempts: r.attempts });
      return r satisfies PurgeResponse;
    });

    app.get('/api/stats', manage, async (request, reply) => {
      const q = parseQuery(statsQuery, request, reply);
      if (!q) return reply;
      const now = clock.now();
      const to = isoBound(q.to, true) ?? new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000).toISOString();
      const from = isoBound(q.from, false) ?? new Date(Date.parse(to) - 24 * 3_600_000).toISOString();
      return {
        from, to,
        checksPerHour: checksPerHour(db, from, to),
        refusalsByReason: refusalsByReason(db, from, to),
        deliveriesPerHour: deliveriesPerHour(db, from, to),
        checksBySource: checksBySource(db, from, to),
      } satisfies StatsResponse;
    });
  };
}
