/**
 * A fake node-hid: FakeHidDevice implements node-hid's HIDAsync interface and replays
 * recorded HID POS report sequences; FakeHidBus implements the module functions the driver
 * uses (devicesAsync, HIDAsync.open). Used where no USB device can exist (CI, containers).
 */
import { EventEmitter } from 'node:events';
import type { Device, HIDAsync } from 'node-hid';
import type { HidModule } from '../../drivers/scanner/hid-pos/index.ts';

/** A fake HID device: reports pushed with `replay` come out as node-hid `data` events. */
export class FakeHidDevice extends EventEmitter implements HIDAsync {
  readonly info: Device;
  readonly featureReports: Buffer[] = [];
  readonly written: Buffer[] = [];
  private queue: Buffer[] = [];
  private paused = false;
  closed = false;

  constructor(info: Device) {
    super();
    this.info = info;
    // node-hid starts reading when a 'data' listener is added.
    this.on('newListener', (event) => { if (event === 'data') queueMicrotask(() => this.drain()); });
  }

  /** Delivers reports, one `data` event each, in order. */
  replay(reports: readonly (Buffer | number[])[]): void {
    if (this.closed) throw new Error('device is closed');
    for (const r of reports) this.queue.push(Buffer.from(r));
    this.drain();
  }

  /** Simulates an unplug: node-hid reports a read error. */
  unplug(): void {
    this.emit('error', new Error('could not read from HID device'));
  }

  private drain(): void {
    while (!this.paused && !this.closed && this.listenerCount('data') > 0 && this.queue.length > 0) {
      this.emit('data', this.queue.shift() as Buffer);
    }
  }

  async close(): Promise<void> { this.closed = true; this.queue = []; }
  pause(): void { this.paused = true; }
  resume(): void { this.paused = false; this.drain(); }
  async read(_timeOut?: number): Promise<Buffer | undefined> { return this.queue.shift(); }
  async sendFeatureReport(data: number[] | Buffer): Promise<number> { this.featureReports.push(Buffer.from(data)); return data.length; }
  async getFeatureReport(_reportId: number, reportLength: number): Promise<Buffer> { return Buffer.alloc(reportLength); }
  async write(values: number[] | Buffer): Promise<number> { this.written.push(Buffer.from(values)); return values.length; }
  async setNonBlocking(_noBlock: boolean): Promise<void> { /* reads are event-driven here */ }
  async getDeviceInfo(): Promise<Device> { return this.info; }
  // node-hid 3 also has generateDeviceInfo on HIDAsync; the typings shipped do not list it.
}

/** A fake bus: devices can be plugged and unplugged; implements the driver's HidModule. */
export class FakeHidBus implements HidModule {
  private readonly present = new Map<string, Device>();
  /** The device object most recently opened per path. */
  readonly opened = new Map<string, FakeHidDevice>();
  readonly HIDAsync = { open: (path: string): Promise<HIDAsync> => this.open(path) };

  plug(info: Device): void {
    if (info.path === undefined) throw new TypeError('a fake HID device needs a path');
    this.present.set(info.path, info);
  }

  /** Removes the device and makes an open handle fail like a real unplug. */
  unplug(path: string): void {
    this.present.delete(path);
    const d = this.opened.get(path);
    if (d && !d.closed) d.unplug();
  }

  async devicesAsync(): Promise<Device[]> {
    return [...this.present.values()];
  }

  private async open(path: string): Promise<HIDAsync> {
    const info = this.present.get(path);
    if (!info) throw new Error(`cannot open device with path ${path}`);
    const d = new FakeHidDevice(info);
    this.opened.set(path, d);
    return d;
  }
}
