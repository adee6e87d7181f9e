/**
 * The manager's view of the lane's store link (issue 19): whether the store's NATS answers, the
 * unguarded sales still to reconcile, and the codes sold on two lanes (both sales), as JSON and
 * CSV. A register alone (no `store.nats`) answers `{ configured: false }`.
 */
import type { RouteModule } from '../app.ts';
import type { Services } from '../services.ts';
import { csvRow } from './util.ts';

/** Columns of the conflicts CSV. */
export const CONFLICTS_CSV_COLUMNS = ['cis', 'code', 'store', 'first_register', 'first_sale_id', 'first_at_utc', 'second_register', 'second_sale_id', 'second_at_utc', 'found_at_utc'] as const;

/** The hub routes over the given services. */
export function hubRoutes(services: Services): RouteModule {
  return ({ app, requireRole, audit }) => {
    const manage = { preHandler: requireRole('manage') };
    app.get('/api/hub/status', manage, async () => (services.hub === null ? { configured: false } : { configured: true, ...services.hub.status() }));
    app.get('/api/hub/conflicts', manage, async (request, reply) => {
      const list = services.hub?.conflicts() ?? [];
      if ((request.query as { format?: string }).format === 'csv') {
        const rows = list.map((c) => csvRow([c.cis, c.code, c.first.store, c.first.register, c.first.saleId, c.first.at, c.second.register, c.second.saleId, c.second.at, c.foundAt]));
        return reply.type('text/csv; charset=utf-8').send([csvRow([...CONFLICTS_CSV_COLUMNS]), ...rows].join(''));
      }
      return { conflicts: list };
    });
    app.post('/api/hub/reconcile', manage, async (request) => {
      if (services.hub === null) return { configured: false };
      const r = await services.hub.reconcile();
      audit(request, 'hub.reconcile', 'ok', { confirmed: r.confirmed, published: r.published, conflicts: r.conflicts.length });
      return { configured: true, connected: r.connected, confirmed: r.confirmed, published: r.published, conflicts: r.conflicts.map(({ id: _id, ...c }) => c) };
    });
  };
}
