/**
 * The technician's device routes: list, discover, assign, configure, remove, test scan, test
 * print. Every change is audited.
 */
import { discover, type DeviceConfig, type DeviceConfigInput } from '../../devices/index.ts';
import { parseBody, sendError, type RouteModule } from '../http.ts';
import {
  assignDeviceRequest, configureDeviceRequest, testPrintRequest, testScanRequest,
  type DeviceResponse, type DeviceView, type DevicesResponse, type DiscoverResponse, type TestPrintResponse, type TestScanResponse,
} from '../contract/index.ts';
import { TRAINING_SCANNER_ID, type Services } from '../services.ts';
import { param, sendFailure, unescapeGs } from './util.ts';

/** Every configured device with its health (the training scanner marked as emulated). */
export function deviceViews(services: Services): DeviceView[] {
  const health = new Map(services.deviceHealth().map((h) => [h.id, h]));
  return services.devices.list().map((d) => ({ config: d, health: health.get(d.id) ?? null, emulated: services.trainingMode && d.id === TRAINING_SCANNER_ID }));
}

function printerInfo(services: Services): DevicesResponse['printer'] {
  const t = services.printing.target;
  if (t.kind === 'virtual') return { kind: 'virtual', id: null, description: `virtual printer rendering to ${t.outDir}`, outDir: t.outDir };
  if (t.kind === 'device') return { kind: 'device', id: t.id, description: t.spec.kind === 'tcp' ? `${t.spec.host}:${t.spec.port}` : t.spec.path };
  return { kind: 'none', id: null, description: null };
}

/** The device routes over the given services. */
export function deviceRoutes(services: Services): RouteModule {
  return ({ app, requireRole, audit }) => {
    const configure = { preHandler: requireRole('configure') };

    app.get('/api/devices', configure, async (_request, reply) => {
      try {
        return { devices: deviceViews(services), printer: printerInfo(services) } satisfies DevicesResponse;
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
      return deviceViews(services).find((d) => d.config.id === id) as DeviceView;
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
        audit(request, 'device.test-scan', 'ok', { deviceId: r.deviceId, bytes: r.bytes, decision: r.result.verdict.decision });
        return { code, deviceId: r.deviceId, bytes: r.bytes, result: r.result } satisfies TestScanResponse;
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
  };
}
