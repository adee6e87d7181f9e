/**
 * The device dialog's form: strings as typed, turned into an API request that the contract's
 * zod schema accepts — or the name of the first field that is wrong, before anything is sent.
 */
import { assignDeviceRequest, type AssignDeviceRequest, type DeviceView } from '../../server/contract/index.ts';

export interface DeviceForm {
  id: string;
  role: 'scanner' | 'printer';
  transport: 'serial' | 'hid';
  path: string;
  vendorId: string;
  productId: string;
  serialNumber: string;
  baudRate: string;
  terminator: 'cr' | 'lf' | 'crlf' | 'none';
  idleMs: string;
}

export const EMPTY_DEVICE_FORM: DeviceForm = {
  id: '', role: 'scanner', transport: 'serial', path: '', vendorId: '', productId: '', serialNumber: '', baudRate: '9600', terminator: 'cr', idleMs: '50',
};

/** The form for an assigned device. */
export function deviceFormOf(c: DeviceView['config']): DeviceForm {
  return {
    id: c.id, role: c.role, transport: c.transport, path: c.path ?? '', vendorId: c.vendorId ?? '', productId: c.productId ?? '',
    serialNumber: c.serialNumber ?? '', baudRate: String(c.baudRate), terminator: c.framing.terminator, idleMs: String(c.framing.idleMs),
  };
}

/** The request, validated with the contract's schema; else the first wrong field's path and why. */
export function deviceRequestOf(f: DeviceForm): { ok: true; request: AssignDeviceRequest } | { ok: false; field: string } {
  const int = (s: string) => (/^\d+$/.test(s.trim()) ? Number(s.trim()) : Number.NaN);
  const candidate = {
    id: f.id.trim(),
    role: f.role,
    transport: f.transport,
    ...(f.transport === 'serial'
      ? { path: f.path.trim() || undefined, baudRate: int(f.baudRate) }
      : { vendorId: f.vendorId.trim() || undefined, productId: f.productId.trim() || undefined, serialNumber: f.serialNumber.trim() || undefined }),
    // Framing (code ending, end-of-code pause) is a scanner's setting: a printer sends none.
    ...(f.role === 'scanner' ? { framing: { terminator: f.terminator, idleMs: int(f.idleMs) } } : {}),
  };
  if (f.transport === 'serial' && !f.path.trim()) return { ok: false, field: 'path: required' };
  // Absent fields stay absent (a PATCH must not send `undefined` for what it does not change).
  const defined = Object.fromEntries(Object.entries(candidate).filter(([, v]) => v !== undefined));
  const parsed = assignDeviceRequest.safeParse(defined);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, field: `${issue?.path.join('.') || 'form'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, request: parsed.data };
}
