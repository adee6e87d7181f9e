/**
 * Discovery: serial ports and HID devices with VID/PID and a hint of what they probably are.
 * Hints come from a table of USB vendor ids (a hint, never a decision: a vendor makes both
 * scanners and printers) and from the HID usage page.
 */
import type { BindingInterface } from '@serialport/bindings-cpp';
import { HID_POS_USAGE_PAGE, loadNodeHid, systemSerialBinding, type HidModule } from '../../drivers/scanner/index.ts';

/** USB vendor ids of scanner and printer makers. Entries marked unconfirmed are from field reports. */
export const KNOWN_VENDORS: Readonly<Record<string, { name: string; kind: 'scanner' | 'printer' | 'both' }>> = {
  '0c2e': { name: 'Honeywell (Metrologic)', kind: 'scanner' },
  '05e0': { name: 'Zebra (Symbol)', kind: 'scanner' },
  '05f9': { name: 'Datalogic', kind: 'scanner' },
  '1eab': { name: 'Newland (unconfirmed)', kind: 'scanner' },
  '04b8': { name: 'Epson', kind: 'printer' },
  '0519': { name: 'Star Micronics', kind: 'printer' },
  '0dd4': { name: 'Custom (unconfirmed)', kind: 'printer' },
  '1fc9': { name: 'NXP-based POS printers (unconfirmed)', kind: 'printer' },
};

/** A device found on this machine. */
export interface FoundDevice {
  transport: 'serial' | 'hid';
  path: string;
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  product: string | null;
  /** What it probably is, and why. */
  hint: string | null;
}

export interface Discovery {
  devices: FoundDevice[];
  /** Why HID devices could not be listed (node-hid / libusb missing), or null. */
  hidUnavailable: string | null;
  /** Why serial ports could not be listed (e.g. no udevadm), or null. */
  serialUnavailable: string | null;
}

const hex = (n: number | string | undefined): string | null => {
  if (n === undefined) return null;
  const s = typeof n === 'number' ? n.toString(16) : n.toLowerCase().replace(/^0x/, '');
  return s.padStart(4, '0');
};

function vendorHint(vid: string | null): string | null {
  const v = vid ? KNOWN_VENDORS[vid] : undefined;
  return v ? `${v.name}: probably a ${v.kind === 'both' ? 'scanner or printer' : v.kind}` : null;
}

/** Lists serial ports and HID devices. Missing node-hid is reported, not thrown. */
export async function discover(options: { binding?: BindingInterface; hid?: HidModule | null } = {}): Promise<Discovery> {
  const binding = options.binding ?? systemSerialBinding();
  let ports: Awaited<ReturnType<BindingInterface['list']>> = [];
  let serialUnavailable: string | null = null;
  try {
    ports = await binding.list();
  } catch (err) {
    // Linux lists ports through udevadm; containers often lack it.
    serialUnavailable = `serial ports could not be listed: ${(err as Error).message}`;
  }
  const devices: FoundDevice[] = ports.map((p) => ({
    transport: 'serial', path: p.path, vendorId: hex(p.vendorId), productId: hex(p.productId),
    serialNumber: p.serialNumber ?? null, manufacturer: p.manufacturer ?? null, product: null, hint: vendorHint(hex(p.vendorId)),
  }));
  let hidUnavailable: string | null = null;
  let hid: HidModule | null = options.hid ?? null;
  if (options.hid === undefined) {
    try { hid = await loadNodeHid(); } catch (err) { hidUnavailable = (err as Error).message; }
  }
  if (hid) {
    for (const d of await hid.devicesAsync()) {
      const vid = hex(d.vendorId);
      let hint = vendorHint(vid);
      if (d.usagePage === HID_POS_USAGE_PAGE) hint = `HID POS scanner (usage page 0x8C)${hint ? `; ${hint}` : ''}`;
      else if (d.usagePage === 0x01 && d.usage === 0x06) hint = 'keyboard (a wedge scanner looks like this): the OS owns it, read it in the UI';
      devices.push({
        transport: 'hid', path: d.path ?? '', vendorId: vid, productId: hex(d.productId), serialNumber: d.serialNumber ?? null,
        manufacturer: d.manufacturer ?? null, product: d.product ?? null, hint,
      });
    }
  }
  return { devices, hidUnavailable, serialUnavailable };
}
