/**
 * DeviceManager: opens the scanners assigned in devices.json, turns their frames into `scan`
 * events (raw bytes, text, symbology, timing, source), keeps health per device, and persists
 * role assignments. Reconnects are the drivers' job; the manager reports them.
 */
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { BindingInterface } from '@serialport/bindings-cpp';
import { HidPosScanner, SerialScanner, frameText, type HidModule } from '../../drivers/scanner/index.ts';
import { deviceSchema, loadDevices, saveDevices, type DeviceConfig, type DeviceConfigInput } from './config.ts';

/** One scan, as the checkout receives it. */
export interface ScanEvent {
  deviceId: string;
  /** The code as scanned: GS as 0x1D, no AIM prefix, no terminator. */
  data: string;
  /** The frame bytes as received (AIM prefix included, terminator excluded). */
  raw: Buffer;
  aim: string | null;
  symbology: string | null;
  source: { transport: 'serial' | 'hid'; path: string };
  timing: { firstByteAt: number; lastByteAt: number; emittedAt: number; at: string };
}

export interface ScanErrorEvent {
  deviceId: string;
  code: string;
  message: string;
}

/** Health of one device. */
export interface DeviceHealth {
  id: string;
  role: DeviceConfig['role'];
  state: 'stopped' | 'connected' | 'reconnecting' | 'failed' | 'idle' | 'closed';
  scans: number;
  errors: number;
  lastScanAt: string | null;
  lastError: string | null;
}

export interface DeviceManagerEvents {
  scan: [ScanEvent];
  'scan-error': [ScanErrorEvent];
  health: [DeviceHealth];
}

export interface DeviceManagerOptions {
  dataDir: string;
  /** serialport binding, default the system's. */
  binding?: BindingInterface;
  /** node-hid or a fake; default node-hid, loaded lazily. */
  hid?: HidModule;
}

type Driver = SerialScanner | HidPosScanner;

/** Owns the scanners of one register. */
export class DeviceManager extends EventEmitter<DeviceManagerEvents> {
  private readonly dataDir: string;
  private readonly binding: BindingInterface | undefined;
  private readonly hid: HidModule | undefined;
  private readonly drivers = new Map<string, Driver>();
  /** The configuration each running driver was opened with (reload() compares against it). */
  private readonly openedWith = new Map<string, string>();
  private readonly healthById = new Map<string, DeviceHealth>();

  constructor(options: DeviceManagerOptions) {
    super();
    if (!options || typeof options.dataDir !== 'string' || options.dataDir === '') throw new TypeError('DeviceManager needs a dataDir');
    this.dataDir = options.dataDir;
    this.binding = options.binding;
    this.hid = options.hid;
  }

  /** The assigned devices. */
  list(): DeviceConfig[] {
    return loadDevices(this.dataDir).devices;
  }

  /** Assigns (or replaces) a device and persists it; returns the validated entry. */
  assign(input: DeviceConfigInput): DeviceConfig {
    const r = deviceSchema.safeParse(input);
    if (!r.success) {
      const i = r.error.issues[0];
      throw new TypeError(`invalid device: ${i ? `${i.path.join('.') || '(device)'}: ${i.message}` : 'invalid'}`);
    }
    const file = loadDevices(this.dataDir);
    file.devices = [...file.devices.filter((d) => d.id !== r.data.id), r.data];
    saveDevices(this.dataDir, file);
    return r.data;
  }

  /** Removes an assignment; false if there was none. */
  unassign(id: string): boolean {
    const file = loadDevices(this.dataDir);
    const before = file.devices.length;
    file.devices = file.devices.filter((d) => d.id !== id);
    if (file.devices.length === before) return false;
    saveDevices(this.dataDir, file);
    return true;
  }

  /** Health of every started device. */
  health(): DeviceHealth[] {
    return [...this.healthById.values()].map((h) => ({ ...h }));
  }

  /** Opens every scanner; one that fails to open is reported in health, the others still run. */
  async start(): Promise<DeviceHealth[]> {
    for (const d of this.list().filter((x) => x.role === 'scanner')) {
      if (this.drivers.has(d.id)) continue;
      const h: DeviceHealth = { id: d.id, role: d.role, state: 'stopped', scans: 0, errors: 0, lastScanAt: null, lastError: null };
      this.healthById.set(d.id, h);
      const driver = this.makeDriver(d);
      this.drivers.set(d.id, driver);
      this.openedWith.set(d.id, JSON.stringify(d));
      this.wire(d, driver, h);
      try {
        await driver.open();
      } catch (err) {
        h.state = 'failed';
        h.lastError = (err as Error).message;
        this.emit('health', { ...h });
      }
    }
    return this.health();
  }

  /** Closes every device. */
  async stop(): Promise<void> {
    const all = [...this.drivers.values()];
    this.drivers.clear();
    this.openedWith.clear();
    await Promise.all(all.map((d) => d.close()));
  }

  /**
   * Applies devices.json after a change: closes only the scanners that were removed or whose
   * settings changed, opens the new and changed ones, and leaves every other one running — adding
   * a printer never closes a scanner's port (closing a pty can end the device behind it).
   */
  async reload(): Promise<DeviceHealth[]> {
    const wanted = new Map(this.list().filter((x) => x.role === 'scanner').map((d) => [d.id, JSON.stringify(d)]));
    const closing: Promise<void>[] = [];
    for (const [id, driver] of this.drivers) {
      if (wanted.get(id) === this.openedWith.get(id)) continue;
      this.drivers.delete(id);
      this.openedWith.delete(id);
      if (!wanted.has(id)) this.healthById.delete(id);
      closing.push(driver.close());
    }
    await Promise.all(closing);
    return this.start();
  }

  private makeDriver(d: DeviceConfig): Driver {
    if (d.transport === 'serial') {
      return new SerialScanner({
        port: { ...(d.path ? { path: d.path } : {}), ...(d.vendorId ? { vendorId: d.vendorId } : {}), ...(d.productId ? { productId: d.productId } : {}), ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}) },
        baudRate: d.baudRate, framing: d.framing, ...(this.binding ? { binding: this.binding } : {}),
      });
    }
    return new HidPosScanner({
      match: { vendorId: parseInt(d.vendorId as string, 16), productId: parseInt(d.productId as string, 16), ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}) },
      maxLength: d.framing.maxLength, ...(d.profile ? { profile: d.profile } : {}), ...(this.hid ? { hid: this.hid } : {}),
    });
  }

  private wire(d: DeviceConfig, driver: Driver, h: DeviceHealth): void {
    const onFrame = (f: { data: Buffer; raw: Buffer; aim: string | null; symbology: string | null; firstByteAt: number; lastByteAt: number; source: { transport: 'serial' | 'hid'; path: string } }): void => {
      h.scans++;
      const at = new Date().toISOString();
      h.lastScanAt = at;
      this.emit('scan', {
        deviceId: d.id, data: frameText(f.data), raw: f.raw, aim: f.aim, symbology: f.symbology,
        source: { transport: f.source.transport, path: f.source.path },
        timing: { firstByteAt: f.firstByteAt, lastByteAt: f.lastByteAt, emittedAt: performance.now(), at },
      });
    };
    const onError = (e: { code: string; message: string }): void => {
      h.errors++;
      h.lastError = e.message;
      this.emit('scan-error', { deviceId: d.id, code: e.code, message: e.message });
    };
    const onStatus = (s: { state: string; reason?: string }): void => {
      h.state = s.state as DeviceHealth['state'];
      if (s.reason) h.lastError = s.reason;
      this.emit('health', { ...h });
    };
    if (driver instanceof SerialScanner) {
      driver.on('frame', onFrame);
      driver.on('frame-error', onError);
      driver.on('status', onStatus);
    } else {
      driver.on('frame', onFrame);
      driver.on('frame-error', onError);
      driver.on('status', onStatus);
    }
  }
}
