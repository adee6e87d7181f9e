/**
 * API contract of the technician's device screens: list and discovery, role assignment and
 * framing, live raw-byte monitor (WebSocket), test scan (training) and test print.
 */
import * as z from 'zod';

const hex4 = z.string().regex(/^[0-9a-fA-F]{4}$/, 'must be 4 hex digits, e.g. 0c2e');

/** A device assignment (devices.json; src/devices validates it again). */
export const deviceConfigSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  role: z.enum(['scanner', 'printer']),
  transport: z.enum(['serial', 'hid']),
  path: z.string().min(1).optional(),
  vendorId: hex4.optional(),
  productId: hex4.optional(),
  serialNumber: z.string().optional(),
  baudRate: z.number().int().min(50).max(4_000_000).optional(),
  framing: z.object({
    terminator: z.enum(['cr', 'lf', 'crlf', 'none']).optional(),
    idleMs: z.number().int().min(0).max(60_000).optional(),
    maxLength: z.number().int().min(1).max(16 * 1024 * 1024).optional(),
  }).optional(),
  profile: z.string().optional(),
});

/** POST /api/devices — assign (or replace) a device. */
export const assignDeviceRequest = deviceConfigSchema;
export type AssignDeviceRequest = z.infer<typeof assignDeviceRequest>;

/** PATCH /api/devices/:id — change role, port or framing of an assigned device. */
export const configureDeviceRequest = deviceConfigSchema.omit({ id: true }).partial();
export type ConfigureDeviceRequest = z.infer<typeof configureDeviceRequest>;

/** POST /api/devices/test-scan (training mode): the emulated scanner sends this code over its pty. */
export const testScanRequest = z.object({
  /** The code; `\x1d` (as text) or U+001D both mean GS. Omit for a sellable code from the training registry. */
  code: z.string().min(1).max(4096).optional(),
  /** Which training sample to send when `code` is omitted. */
  kind: z.enum(['sellable', 'sold', 'withdrawn', 'not_introduced', 'blocked', 'expired', 'above_mrp', 'unknown']).default('sellable'),
});
export type TestScanRequest = z.input<typeof testScanRequest>;

/** POST /api/devices/test-print */
export const testPrintRequest = z.object({
  languages: z.array(z.enum(['kk', 'ru', 'en'])).min(1).default(['kk', 'ru']),
});
export type TestPrintRequest = z.input<typeof testPrintRequest>;

/** Health of a running device (src/devices DeviceHealth). */
export interface DeviceHealthView {
  id: string;
  role: 'scanner' | 'printer';
  state: 'stopped' | 'connected' | 'reconnecting' | 'failed' | 'idle' | 'closed';
  scans: number;
  errors: number;
  lastScanAt: string | null;
  lastError: string | null;
}

/** An assigned device with its health. */
export interface DeviceView {
  config: {
    id: string;
    role: 'scanner' | 'printer';
    transport: 'serial' | 'hid';
    path?: string;
    vendorId?: string;
    productId?: string;
    serialNumber?: string;
    baudRate: number;
    framing: { terminator: 'cr' | 'lf' | 'crlf' | 'none'; idleMs: number; maxLength: number };
    profile?: string;
  };
  health: DeviceHealthView | null;
  /** The training-mode emulated device (not a real one). */
  emulated: boolean;
}

/** A device found on the machine (not necessarily assigned). */
export interface FoundDeviceView {
  transport: 'serial' | 'hid';
  path: string;
  vendorId: string | null;
  productId: string | null;
  serialNumber: string | null;
  manufacturer: string | null;
  product: string | null;
  hint: string | null;
}

/** GET /api/devices */
export interface DevicesResponse {
  devices: DeviceView[];
  /** The printer receipts go to: 'virtual' in training mode, a device id, or null (none). */
  printer: { kind: 'virtual' | 'device' | 'none'; id: string | null; description: string | null; /** The virtual printer's picture folder. */ outDir?: string };
}

/** GET /api/devices/discover */
export interface DiscoverResponse {
  found: FoundDeviceView[];
  hidUnavailable: string | null;
  serialUnavailable: string | null;
}

/** POST /api/devices and PATCH /api/devices/:id */
export interface DeviceResponse {
  device: DeviceView;
}

/**
 * What a Test scan's frame became once the driver delivered it: parsed and decided as the till
 * would (online check, then the cache) — but never put into a basket.
 */
export interface TestScanResult {
  /** The code as the driver framed it (GS = U+001D); equal to the code sent when the path is sound. */
  received: string;
  parsed:
    | { ok: true; kind: string; gtin: string | null; cis: string | null; error: null }
    | { ok: false; kind: null; gtin: null; cis: null; error: { code: string; messages: Record<'ru' | 'kk' | 'en', string> } };
  verdict: {
    decision: 'allow' | 'warn' | 'refuse';
    reason: string;
    message: string;
    messages: Record<'ru' | 'kk' | 'en', string>;
    source: 'online' | 'cache' | 'none';
    decidedBy: string;
  };
  /** The product's name from the cache, if known. */
  product: string | null;
}

/** POST /api/devices/test-scan */
export interface TestScanResponse {
  /** The code that was sent (GS = U+001D). */
  code: string;
  deviceId: string;
  bytes: number;
  /** The frame as it came back from the driver, parsed and decided (it goes to no basket). */
  result: TestScanResult;
}

/** POST /api/devices/test-print */
export interface TestPrintResponse {
  printed: boolean;
  error: string | null;
  /** data:image/png;base64,... of the rendered receipt (virtual printer), else null. */
  image: string | null;
  /** What the receipt says, as text (virtual printer), else null. */
  text: string | null;
  bytes: number;
}

// ---- events ----

/**
 * Bytes a device sent (one frame per event), for the technician's raw monitor. Only sent to
 * technicians and admins.
 */
export interface DeviceRawEvent {
  type: 'device-raw';
  deviceId: string;
  /** Space-separated hex, e.g. "5d 64 32 30 31 1d". */
  hex: string;
  /** Printable form: GS as "<GS>", other control bytes as "<xx>". */
  text: string;
  length: number;
  /** The frame was accepted as a scan (false: a framing error). */
  ok: boolean;
  error: string | null;
  at: string;
}

/** A device's health changed. */
export interface DeviceHealthEvent {
  type: 'device-health';
  health: DeviceHealthView;
}
