/**
 * The login session, kept in sessionStorage: it survives a reload of the tab but not closing
 * it, and is never shared with another tab or written to disk by us.
 */
import type { LoginResponse, Role } from '../../server/contract/index.ts';
import { ROLES } from '../../server/contract/index.ts';

const KEY = 'tanba.session';

export type Session = LoginResponse;

/** Minimal storage interface (sessionStorage in the browser). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** Parses a stored session; anything malformed or expired counts as no session. */
export function parseSession(text: string | null, now: Date): Session | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object') return null;
  const s = v as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | null | undefined;
  if (typeof s.token !== 'string' || typeof s.expiresAt !== 'string' || !user || typeof user !== 'object') return null;
  if (typeof user.id !== 'string' || typeof user.name !== 'string' || !isRole(user.role)) return null;
  const expires = Date.parse(s.expiresAt);
  if (!Number.isFinite(expires) || expires <= now.getTime()) return null;
  return { token: s.token, expiresAt: s.expiresAt, user: { id: user.id, name: user.name, role: user.role } };
}

export function loadSession(store: KeyValueStore, now = new Date()): Session | null {
  return parseSession(store.getItem(KEY), now);
}

export function saveSession(store: KeyValueStore, session: Session): void {
  store.setItem(KEY, JSON.stringify(session));
}

export function clearSession(store: KeyValueStore): void {
  store.removeItem(KEY);
}

/** Screens of the app. */
export type View = 'chooser' | 'cashier' | 'manager' | 'technician' | 'users';

/** Which screens a role may open; the first is where it lands after login. */
export function viewsFor(role: Role): readonly View[] {
  switch (role) {
    case 'cashier': return ['cashier'];
    case 'manager': return ['manager'];
    case 'technician': return ['technician'];
    case 'admin': return ['chooser', 'cashier', 'manager', 'technician', 'users'];
  }
}

/** The screen to show for a role and a requested screen (from the URL hash). */
export function resolveView(role: Role, requested: string | null): View {
  const allowed = viewsFor(role);
  const found = allowed.find((v) => v === requested);
  return found ?? (allowed[0] as View);
}
