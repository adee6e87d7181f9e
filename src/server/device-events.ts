/**
 * Device events for the UIs: every scan's raw bytes (hex and with GS shown) before it goes to
 * the scan lane, scan errors, and health changes (which also refresh the dashboard).
 */
import type { Clock } from '../clock.ts';
import type { DeviceManager, ScanEvent } from '../devices/index.ts';
import type { Logger } from '../log.ts';
import { visibleBytes } from '../marking/index.ts';
import type { ServerEvent } from './contract/index.ts';

function hexBytes(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** Subscribes to the device manager: raw-scan events, then the scan itself through `scan`. */
export function forwardDeviceEvents(deps: {
  devices: DeviceManager; clock: Clock; logger: Logger; emit(event: ServerEvent): void; changed(): void;
  scan(code: string, source: string): Promise<unknown>;
  /** A frame that is a technician's test, not a sale (the training scanner's): true keeps it out of the scan lane. */
  testFrame?(e: ScanEvent): boolean;
}): void {
  const { devices, logger, emit } = deps;
  devices.on('scan', (e: ScanEvent) => {
    emit({ type: 'device-raw', deviceId: e.deviceId, hex: hexBytes(e.raw), text: visibleBytes(e.raw), length: e.raw.length, ok: true, error: null, at: e.timing.at });
    logger.debug({ deviceId: e.deviceId, length: e.raw.length }, 'scan from device');
    if (deps.testFrame?.(e) === true) return;
    void deps.scan(e.data, e.deviceId).catch((err: unknown) => {
      logger.warn({ deviceId: e.deviceId, err: (err as Error).message }, 'scan from a device failed');
    });
  });
  devices.on('scan-error', (e) => {
    emit({ type: 'device-raw', deviceId: e.deviceId, hex: '', text: '', length: 0, ok: false, error: `${e.code}: ${e.message}`, at: deps.clock.now().toISOString() });
  });
  devices.on('health', (h) => {
    emit({ type: 'device-health', health: { ...h } });
    deps.changed();
  });
}
