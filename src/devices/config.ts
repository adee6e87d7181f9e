/**
 * Device configuration: which device has which role and how it is framed, persisted as
 * devices.json in the data directory and validated with zod on every load.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files.ts';
import * as z from 'zod';

const hex4 = z.string().regex(/^[0-9a-fA-F]{4}$/, 'must be 4 hex digits, e.g. 0c2e');

/** One assigned device. */
export const deviceSchema = z.object({
  id: z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  role: z.enum(['scanner', 'printer']),
  transport: z.enum(['serial', 'hid']),
  path: z.string().min(1).optional(),
  vendorId: hex4.optional(),
  productId: hex4.optional(),
  serialNumber: z.string().optional(),
  baudRate: z.number().int().min(50).max(4_000_000).default(9600),
  framing: z.object({
    terminator: z.enum(['cr', 'lf', 'crlf', 'none']).default('cr'),
    idleMs: z.number().int().min(0).max(60_000).default(50),
    maxLength: z.number().int().min(1).max(16 * 1024 * 1024).default(4096),
  }).default({ terminator: 'cr', idleMs: 50, maxLength: 4096 }),
  /** HID POS vendor profile name; default by vendor id. */
  profile: z.string().optional(),
}).refine((d) => d.path !== undefined || (d.vendorId !== undefined && d.productId !== undefined), {
  message: 'a device needs a path, or a vendorId and productId',
}).refine((d) => d.transport !== 'hid' || (d.vendorId !== undefined && d.productId !== undefined), {
  message: 'a HID device needs vendorId and productId',
});

export const devicesFileSchema = z.object({
  version: z.literal(1),
  devices: z.array(deviceSchema).default([]),
}).refine((f) => new Set(f.devices.map((d) => d.id)).size === f.devices.length, { message: 'device ids must be unique' });

export type DeviceConfig = z.infer<typeof deviceSchema>;
export type DeviceConfigInput = z.input<typeof deviceSchema>;
export type DevicesFile = z.infer<typeof devicesFileSchema>;

/** Thrown for an unreadable or invalid devices.json. */
export class DeviceConfigError extends Error {
  override name = 'DeviceConfigError';
}

/** Where the configuration lives. */
export function devicesPath(dataDir: string): string {
  return join(dataDir, 'devices.json');
}

/** Loads devices.json; a missing file is an empty configuration. */
export function loadDevices(dataDir: string): DevicesFile {
  const file = devicesPath(dataDir);
  if (!existsSync(file)) return { version: 1, devices: [] };
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DeviceConfigError(`${file}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  const r = devicesFileSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new DeviceConfigError(`${file}: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
  }
  return r.data;
}

/** Validates and writes devices.json atomically (src/files.ts: temp, fsync, rename, fsync the directory). */
export function saveDevices(dataDir: string, config: DevicesFile): void {
  const checked = devicesFileSchema.parse(config);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = devicesPath(dataDir);
  writeFileAtomic(file, `${JSON.stringify(checked, null, 2)}\n`);
}
