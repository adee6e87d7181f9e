/**
 * The typed API contract shared by the server and the UI. Request bodies are zod schemas (the
 * server validates every request with them); response shapes are types. The UI imports only
 * this module (a lint rule enforces it).
 */
import * as z from 'zod';
import { newPinSchema, pinSchema } from './common.ts';
import type { BasketEvent, OverrideAskView, PrintEvent, SaleEvent, VerdictEvent } from './checkout.ts';
import type { DeliveryEvent, SyncEvent } from './sync.ts';
import type { CacheImportEvent } from './cache.ts';
import type { DeviceHealthEvent, DeviceRawEvent } from './devices.ts';

/** Roles, from least to most trusted for configuration; `admin` may do everything. */
export const ROLES = ['cashier', 'manager', 'technician', 'admin'] as const;
export type Role = (typeof ROLES)[number];


export const loginRequest = z.object({
  name: z.string().min(1).max(64),
  pin: pinSchema,
});
export type LoginRequest = z.infer<typeof loginRequest>;

/** GET /api/login/users (public): the names the login screen shows as tiles; empty when config `login.userTiles` is off. */
export interface LoginUsersResponse {
  users: { name: string; role: 'cashier' | 'manager' }[];
}

export interface LoginResponse {
  token: string;
  user: { id: string; name: string; role: Role };
  expiresAt: string;
}

export const setupRequest = z.object({
  storeName: z.string().min(1).max(120),
  storeAddress: z.string().max(200).default(''),
  registerId: z.string().min(1).max(40),
  adminName: z.string().min(1).max(64).default('admin'),
  /** {@link PIN_RULES} */
  adminPin: newPinSchema,
  languages: z.array(z.enum(['ru', 'kk', 'en'])).min(1).default(['ru', 'kk']),
});
export type SetupRequest = z.infer<typeof setupRequest>;

/** POST /api/users — the PIN meets {@link PIN_RULES} and is no other user's (409 PIN_IN_USE, without saying whose). */
export const createUserRequest = z.object({
  name: z.string().trim().min(1).max(64),
  role: z.enum(ROLES),
  pin: newPinSchema,
});
export type CreateUserRequest = z.infer<typeof createUserRequest>;

/** PUT /api/users/:id/pin — an administrator sets a new PIN (same rules); the user's other sessions end. */
export const resetPinRequest = z.object({ pin: newPinSchema });
export type ResetPinRequest = z.infer<typeof resetPinRequest>;

/** What a ticket may open: the live events (WebSocket) or a rendered receipt (an image URL). */
export const TICKET_PURPOSES = ['events', 'receipt-png'] as const;
export type TicketPurpose = (typeof TICKET_PURPOSES)[number];

/**
 * POST /api/tickets — a browser cannot put a header on a WebSocket or an <img>, so it asks for a
 * ticket and puts that in the URL (`?ticket=`): one use, one purpose, valid for seconds, and
 * void once the session ends (`purpose` defaults to `events`). The bearer token itself is never
 * accepted in a URL.
 */
export const ticketRequest = z.object({ purpose: z.enum(TICKET_PURPOSES).default('events') });
export type TicketRequest = z.infer<typeof ticketRequest>;

/** POST /api/tickets (201) */
export interface TicketResponse {
  ticket: string;
  purpose: TicketPurpose;
  expiresAt: string;
}

export interface SetupState {
  /** False until the wizard has created the administrator. */
  configured: boolean;
  trainingMode: boolean;
  storeName: string | null;
  registerId: string | null;
}

/** GET /api/wedge: how the till's keyboard-wedge decoder frames a scan (config `marking.wedgePrefix` / `wedgeSuffix`). */
export interface WedgeFraming { prefix: string; suffix: string }

export interface HealthResponse {
  ok: true;
  version: string;
  trainingMode: boolean;
  time: string;
}

/** An error body: `code` is stable for programs, `message` is for people. */
export interface ApiError {
  error: { code: string; message: string; details?: unknown };
}

/**
 * Server-sent events on the WebSocket (`/api/events`). `device-raw` goes only to technicians and
 * admins; everything else to every logged-in screen. See docs/api.md.
 */
export type ServerEvent =
  | { type: 'hello'; user: string; role: Role; trainingMode: boolean }
  | { type: 'scan'; source: string; raw: string; at: string }
  | VerdictEvent
  | BasketEvent
  | SaleEvent
  | PrintEvent
  | SyncEvent
  | DeliveryEvent
  | DeviceRawEvent
  | DeviceHealthEvent
  | CacheImportEvent
  | { type: 'audit'; action: string; user: string; at: string }
  /** An override asks for approval on the approvers' screens; `resolved` when it was approved, declined or expired. */
  | { type: 'override-request'; request: OverrideAskView }
  | { type: 'override-resolved'; id: string; outcome: 'approved' | 'declined'; by: string; lineId: string | null };

/** A user as the API shows it (never the PIN hash). */
export interface UserView {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  /** When an administrator disabled the user, or null. */
  disabledAt: string | null;
  /** Wrong PINs for this user in a row (their logins and approvals they gave, together). */
  failedPins: number;
  /** Failed approvals this user asked for in a row (a cashier trying managers' PINs). */
  failedApprovals: number;
  /** Until when (UTC) this user's sign-in or approvals are refused, the later of the two locks; or null. */
  lockedUntil: string | null;
}

/** GET /api/me */
export interface MeResponse {
  user: { id: string; name: string; role: Role };
}

/** GET /api/users */
export interface UsersResponse {
  users: UserView[];
}

/** POST /api/users (201), and the answer of disable / enable / unlock / PIN reset. */
export interface CreateUserResponse {
  user: UserView;
}

/** The answer of POST /api/users/:id/disable|enable|unlock and PUT /api/users/:id/pin. */
export type UserResponse = CreateUserResponse;

/** One line of the audit log; newest first in {@link AuditResponse}. */
export interface AuditEntry {
  seq: number;
  at: string;
  userName: string | null;
  role: string | null;
  action: string;
  outcome: string;
  details: Record<string, unknown>;
  remote: string | null;
}

/** GET /api/audit?action=&limit= */
export interface AuditResponse {
  entries: AuditEntry[];
}

/**
 * GET/PUT /api/config: the register's configuration with secrets replaced by "***". Typed
 * loosely (every section optional) because the server masks, not reshapes, the file.
 */
export interface ConfigView {
  store?: { name?: string; address?: string; bin?: string };
  register?: { id?: string };
  languages?: Array<'ru' | 'kk' | 'en'>;
  marking?: { extraSeparators?: string[]; wedgePrefix?: string; wedgeSuffix?: string };
  cache?: { offlineLimitHours?: number; groupOfflineLimitHours?: Record<string, number> };
  registry?: {
    ofd?: { host?: string; port?: number; deviceId?: number; token?: number | '***' };
    marking?: { url?: string; token?: string; caFile?: string };
  };
  log?: { level?: string };
}

/** GET/PUT /api/config */
export interface ConfigResponse {
  config: ConfigView;
}
