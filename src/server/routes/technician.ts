/**
 * The technician's routes: cache (figures, streamed import upload, resync), devices
 * (devices.ts), registry connection test, logs, diagnostics bundle, training emulator control.
 * Every change is audited.
 */
import type { Readable } from 'node:stream';
import { arch, platform } from 'node:os';
import { parseBody, sendError, type RouteModule } from '../http.ts';
import {
  cacheImportQuery, logsQuery, trainingControlRequest,
  type CacheImportResponse, type CacheResponse, type CacheResyncResponse, type ConfigView, type DiagnosticsBundle, type LogsResponse,
  type RegistryTestResponse, type TrainingControlResponse,
} from '../contract/index.ts';
import type { Services } from '../services.ts';
import { ofdRegInfoView } from '../reg-info.ts';
import { deviceRoutes, deviceViews } from './devices.ts';
import { parseQuery, sendFailure } from './util.ts';

/** Content types the import accepts; the body is passed on as a stream, never buffered. */
const FEED_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/octet-stream', 'text/plain'];

/** The cache routes: figures, streamed import, resync. */
function cacheRoutes(services: Services): RouteModule {
  return ({ app, requireRole, audit }) => {
    const configure = { preHandler: requireRole('configure') };

    app.get('/api/cache', { preHandler: requireRole('viewSync') }, async () => ({
      stats: services.cacheStats(), freshness: services.freshness(), feedConfigured: services.puller !== null, busy: services.cacheBusy(),
    }) satisfies CacheResponse);

    // The feed streams from the socket into the import: constant memory whatever its size.
    app.addContentTypeParser(FEED_TYPES, (_request, payload, done) => { done(null, payload); });

    app.post('/api/cache/import', { ...configure, bodyLimit: Number.MAX_SAFE_INTEGER }, async (request, reply) => {
      const q = parseQuery(cacheImportQuery, request, reply);
      if (!q) return reply;
      const body = request.body as Readable | undefined;
      if (body === undefined || typeof (body as { pipe?: unknown }).pipe !== 'function') {
        return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', `send the feed as the request body with content-type ${FEED_TYPES[0]}`);
      }
      try {
        const result = await services.importCache(body, q.full);
        audit(request, 'cache.import', 'ok', { kind: result.kind, records: result.records, lines: result.lines, bytes: result.bytes });
        const { kind, lines, records, codes, blocks, unblocks, products, cursor, bytes, durationMs } = result;
        return { result: { kind, lines, records, codes, blocks, unblocks, products, cursor, bytes, durationMs }, stats: services.cacheStats() } satisfies CacheImportResponse;
      } catch (err) {
        audit(request, 'cache.import', 'failed', { error: (err as Error).message });
        // Discard the rest of the upload; nothing of it was applied.
        body.resume();
        reply.header('connection', 'close');
        return sendFailure(reply, err);
      }
    });

    app.post('/api/cache/resync', configure, async (request, reply) => {
      try {
        const s = await services.resync();
        if (s === null) return sendError(reply, 409, 'NOT_CONFIGURED', 'no marking registry is configured (registry.marking.url); import a feed file instead');
        audit(request, 'cache.resync', s.ok ? 'ok' : 'failed', s.ok ? { kind: s.kind, records: s.records } : { error: s.error });
        return {
          ok: s.ok, kind: s.ok ? s.kind : null, records: s.ok ? s.records : null, error: s.ok ? null : s.error, stats: services.cacheStats(),
        } satisfies CacheResyncResponse;
      } catch (err) {
        return sendFailure(reply, err);
      }
    });
  };
}

/** Registry test, logs, diagnostics, training emulators. */
function maintenanceRoutes(services: Services, version: string): RouteModule {
  return ({ app, db, settings, requireRole, audit, clock }) => {
    const configure = { preHandler: requireRole('configure') };

    app.post('/api/registry/test', configure, async (request) => {
      const r = await services.testRegistry();
      audit(request, 'registry.test', r.ofd.ok && (r.marking.ok || r.marking.skipped) ? 'ok' : 'failed', { ofd: r.ofd.detail, marking: r.marking.detail });
      return { trainingMode: services.trainingMode, ...r, ofdRegInfo: ofdRegInfoView(db, services.ofdTarget.deviceId) } satisfies RegistryTestResponse;
    });

    app.get('/api/logs', configure, async (request, reply) => {
      const q = parseQuery(logsQuery, request, reply);
      if (!q) return reply;
      return { lines: services.logs.recent(q.limit, q.level) } satisfies LogsResponse;
    });

    app.get('/api/diagnostics', configure, async (request, reply) => {
      const now = clock.now();
      const bundle: DiagnosticsBundle = {
        generatedAt: now.toISOString(),
        versions: {
          tanba: version, node: process.versions.node, sqlite: db.prepare('SELECT sqlite_version()').pluck().get() as string, platform: platform(), arch: arch(),
        },
        trainingMode: services.trainingMode,
        config: settings.masked() as ConfigView,
        devices: deviceViews(services),
        deviceHealth: services.deviceHealth(),
        sync: services.syncStatus(),
        cache: { stats: services.cacheStats(), freshness: services.freshness() },
        training: services.training?.status() ?? null,
        logs: services.logs.recent(1000),
        uptimeMs: Date.now() - services.startedAt,
        ofdRegInfo: ofdRegInfoView(db, services.ofdTarget.deviceId),
      };
      audit(request, 'diagnostics.export', 'ok');
      const name = `tanba-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.json`;
      return reply.header('content-disposition', `attachment; filename="${name}"`).send(bundle);
    });

    app.get('/api/training', { preHandler: requireRole('viewSync') }, async () => ({ training: services.training?.status() ?? null }));

    app.post('/api/training/emulators', configure, async (request, reply) => {
      const body = parseBody(trainingControlRequest, request, reply);
      if (!body) return reply;
      const t = services.training;
      if (t === null) return sendError(reply, 409, 'NOT_TRAINING', 'the emulators run only in training mode');
      if (body.ofd === 'stopped') await t.stopOfd();
      if (body.ofd === 'running') await t.startOfd();
      if (body.registry === 'stopped') await t.stopRegistry();
      if (body.registry === 'running') await t.startRegistry();
      audit(request, 'training.emulators', 'ok', body);
      return { training: t.status() } satisfies TrainingControlResponse;
    });
  };
}

/** The technician's routes over the given services. */
export function technicianRoutes(services: Services, version: string): RouteModule {
  return async (ctx) => {
    await cacheRoutes(services)(ctx);
    await deviceRoutes(services)(ctx);
    await maintenanceRoutes(services, version)(ctx);
  };
}
