/** Which roles may do what (docs/api.md has the same table). `admin` may do everything. */
import type { Role } from '../contract/index.ts';

export const PERMISSIONS = {
  sell: ['cashier', 'manager', 'admin'],
  override: ['manager', 'admin'],
  /** Type the price of an item that has none (a free-price item of the price list). */
  freePrice: ['cashier', 'manager', 'admin'],
  /** Sell below (or away from) a known price: a line discount, another price for a listed product. */
  discount: ['manager', 'admin'],
  /** Store management: sales lists and export, overrides log, privacy, sync actions. */
  manage: ['manager', 'admin'],
  viewSync: ['manager', 'technician', 'admin'],
  viewAudit: ['manager', 'admin'],
  manageUsers: ['admin'],
  configure: ['technician', 'admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** True when `role` holds `permission`. */
export function mayDo(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
