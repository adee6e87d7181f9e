/**
 * The technician's routes: cache (figures, streamed import upload, resync), devices (list,
 * discover, assign, configure, remove, test scan, test print), registry connection test, logs,
 * diagnostics bundle, training emulator control. Every change is audited.
 */
import type { Readable } from 'node:stream';
import { arch, platform } from 'node:os';
import { discover, type DeviceConfig, type DeviceConfigInput } from '../../devices/index.ts';
import { parseBody, sendError, type RouteModule } from '../app.ts';
import {
  assignDeviceRequest, cacheImportQuery, configureDeviceRequest, logsQuery, testPrintRequest, testScanRequest, trainingControlRequest,
  type CacheImportResponse, type CacheResponse, type CacheResyncResponse, type ConfigView, type DeviceResponse, type DeviceView,
  type DevicesResponse, type DiagnosticsBundle, type DiscoverResponse, type LogsResponse, type RegistryTestResponse, type TestPrintResponse,
  type TestScanResponse, type TrainingControlResponse,
} from '../contract/index.ts';
import { TRAINING_SCANNER_ID, type Services } from '../services.ts';
import { param, parseQuery, sendFailure, unescapeGs } from './util.ts';

/** Content types the import accepts; the body is passed on as a stream, never buffered. */
const FEED_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/octet-stream', 'text/plain'];

/** The technician's routes over the given services. */
export function technicianRoutes(services: Services, version: string): RouteModule {
  return ({ app, db, settings, requireRole, audit, clock }) => {
    const configure = { preHandler: requireRole('configure') };

    function deviceViews(): DeviceView[] {
      const health = new Map(services.deviceHealth().map((h) => [h.id, h]));
      return services.devices.list().map((d) => ({ config: d, health: health.get(d.id) ?? null, emulated: services.trainingMode && d.id === TRAINING_SCANNER_ID }));
    }

    function printerInfo(): DevicesResponse['printer'] {
      const t = services.printing.target;
      if (t.kind === 'virtual') return { kind: 'virtual', id: null, description: `virtual printer rendering to ${t.outDir}` };
      if (t.kind === 'device') return { kind: 'device', id: t.id, description: t.spec.kind === 'tcp' ? `${t.spec.host}:${t.spec.port}` : t.spec.path };
      return { kind: 'none', id: null, description: null };
    }

    // ---- cache ----

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

    // ---- devices ----

    app.get('/api/devices', configure, async (_request, reply) => {
      try {
        return { devices: deviceViews(), printer: printerInfo() } satisfies DevicesResponse;
      } catch (err) {
        return sendError(reply, 500, 'DEVICES_FILE', (err as Error).message);
      }
    });

    app.get('/api/devices/discover', configure, async () => {
      const d = await discover();
      return { found: d.devices, hidUnavailable: d.hidUnavailable, serialUnavailable: d.serialUnavailable } satisfies DiscoverResponse;
    });

    async function saveDevice(input: DeviceConfigInput): Promise<DeviceConfig> {
      const saved = services.devices.assign(input);
      await services.restartDevices();
      return saved;
    }

    function viewOf(id: string): DeviceView {
      return deviceViews().find((d) => d.config.id === id) as DeviceView;
    }

    app.post('/api/devices', configure, async (request, reply) => {
      const body = parseBody(assignDeviceRequest, request, reply);
      if (!body) return reply;
      try {
        const saved = await saveDevice(body as DeviceConfigInput);
        audit(request, 'device.assign', 'ok', { id: saved.id, role: saved.role, transport: saved.transport, path: saved.path ?? null });
        return { device: viewOf(saved.id) } satisfies DeviceResponse;
      } catch (err) {
        audit(request, 'device.assign', 'failed', { id: body.id, error: (err as Error).message });
        return sendError(reply, 400, 'INVALID_DEVICE', (err as Error).message);
      }
    });

    app.patch('/api/devices/:id', configure, async (request, reply) => {
      const body = parseBody(configureDeviceRequest, request, reply);
      if (!body) return reply;
      const id = param(request, 'id');
      const current = services.devices.list().find((d) => d.id === id);
      if (!current) return sendError(reply, 404, 'NOT_FOUND', `no device ${id}`);
      const next = { ...current, ...body, framing: { ...current.framing, ...(body.framing ?? {}) }, id } as DeviceConfigInput;
      try {
        const saved = await saveDevice(next);
        audit(request, 'device.configure', 'ok', { id, changed: Object.keys(body) });
        return { device: viewOf(saved.id) } satisfies DeviceResponse;
      } catch (err) {
        audit(request, 'device.configure', 'failed', { id, error: (err as Error).message });
        return sendError(reply, 400, 'INVALID_DEVICE', (err as Error).message);
      }
    });

    app.delete('/api/devices/:id', configure, async (request, reply) => {
      const id = param(request, 'id');
      if (!services.devices.unassign(id)) return sendError(reply, 404, 'NOT_FOUND', `no device ${id}`);
      await services.restartDevices();
      audit(request, 'device.remove', 'ok', { id });
      return { ok: true };
    });

    app.post('/api/devices/test-scan', configure, async (request, reply) => {
      const body = parseBody(testScanRequest, request, reply);
      if (!body) return reply;
      const code = body.code !== undefined ? unescapeGs(body.code) : services.training?.sample(body.kind, 1)[0];
      if (code === undefined) return sendError(reply, 409, 'NOT_TRAINING', 'test scans need training mode (the emulated scanner and registry)');
      try {
        const r = await services.testScan(code);
        audit(request, 'device.test-scan', 'ok', { deviceId: r.deviceId, bytes: r.bytes });
        return { code, deviceId: r.deviceId, bytes: r.bytes } satisfies TestScanResponse;
      } catch (err) {
        return sendFailure(reply, err);
      }
    });

    app.post('/api/devices/test-print', configure, async (request, reply) => {
      const body = parseBody(testPrintRequest, request, reply);
      if (!body) return reply;
      const r = await services.printing.printTest(body.languages);
      audit(request, 'device.test-print', r.state === 'printed' ? 'ok' : 'failed', { error: r.error });
      return {
        printed: r.state === 'printed', error: r.error, image: r.png ? `data:image/png;base64,${r.png.toString('base64')}` : null, text: r.text,
        bytes: r.png?.length ?? 0,
      } satisfies TestPrintResponse;
    });

    // ---- registry, logs, diagnostics, training ----

    app.post('/api/registry/test', configure, async (request) => {
      const r = await services.testRegistry();
      audit(request, 'registry.test', r.ofd.ok && (r.marking.ok || r.marking.skipped) ? 'ok' : 'failed', { ofd: r.ofd.detail, marking: r.marking.detail });
      return { trainingMode: services.trainingMode, ...r } satisfies RegistryTestResponse;
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
        devices: deviceViews(),
        deviceHealth: services.deviceHealth(),
        sync: services.syncStatus(),
        cache: { stats: services.cacheStats(), freshness: services.freshness() },
        training: services.training?.status() ?? null,
        logs: services.logs.recent(1000),
        uptimeMs: Date.now() - services.startedAt,
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
