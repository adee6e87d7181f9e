/** The audit log (managers) and the register's configuration (technicians). */
import { listAudit } from '../../store/index.ts';
import { auditQuery } from '../contract/index.ts';
import { sendError, type RouteModule } from '../http.ts';

/** The audit and configuration routes. */
export const configRoutes: RouteModule = ({ app, db, settings, clock, requireRole, audit, broadcast }) => {
  app.get('/api/audit', { preHandler: requireRole('viewAudit') }, async (request, reply) => {
    const q = auditQuery.safeParse(request.query ?? {});
    if (!q.success) return sendError(reply, 400, 'INVALID_REQUEST', `${q.error.issues[0]?.path.join('.') || 'query'}: ${q.error.issues[0]?.message ?? 'invalid'}`);
    return { entries: listAudit(db, q.data.limit, q.data.action) };
  });

  app.get('/api/config', { preHandler: requireRole('configure') }, async () => ({ config: settings.masked() }));
  app.put('/api/config', { preHandler: requireRole('configure') }, async (request, reply) => {
    const body = request.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return sendError(reply, 400, 'INVALID_REQUEST', 'body: a JSON object with the settings to change');
    try {
      settings.update(body as Record<string, unknown>);
    } catch (err) {
      audit(request, 'config.update', 'failed', { error: (err as Error).message });
      return sendError(reply, 400, 'INVALID_CONFIG', (err as Error).message);
    }
    audit(request, 'config.update', 'ok', { keys: Object.keys(body) });
    broadcast({ type: 'audit', action: 'config.update', user: request.user?.name ?? '', at: clock.now().toISOString() });
    return { config: settings.masked() };
  });
};
