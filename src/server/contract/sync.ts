/**
 * API contract of the manager's screens: sync status and dashboard, sales and returns, overrides,
 * privacy (e-receipt consents), statistics for the charts.
 */
import * as z from 'zod';
import { listLimit, timeBound } from './common.ts';
import type { CacheFreshnessView } from './cache.ts';
import type { DeviceHealthView } from './devices.ts';
import type { ReceiptView } from './checkout.ts';

/** Delivery to the fiscal data operator (src/sync/status.ts `SyncStatus`). */
export interface SyncStatusView {
  at: string;
  queue: {
    /** Undelivered rows (pending, sending and blocked). */
    depth: number;
    pending: number;
    blockedCount: number;
    delivered: number;
    oldestUndeliveredAt: string | null;
    oldestAgeMs: number | null;
    head: { id: number; seq: number; state: string; attempts: number; nextAttemptAt: string | null; lastError: string | null } | null;
    blocked: { id: number; seq: number; kind: string; documentId: string; error: string | null; at: string }[];
  };
  channels: {
    ofd: { lastSuccessAt: string | null; lastError: string | null; lastErrorAt: string | null; lastContactAt: string | null };
    feed: { lastSuccessAt: string | null; lastFullAt: string | null; cursor: string | null; lastError: string | null; lastErrorAt: string | null };
  };
  mode: 'online' | 'offline' | 'blocked';
  offlineSince: string | null;
  blockedReason: string | null;
  offlineLimitHours: number;
  /** Time left before the offline limit (sales stop at 0); null when online. */
  timeLeftMs: number | null;
  salesAllowed: boolean;
  salesStoppedReason: string | null;
}

/** State of the in-process emulators in training mode (null outside training mode). */
export interface TrainingView {
  ofd: { running: boolean; host: string; port: number };
  registry: { running: boolean; url: string };
  scanner: { running: boolean; path: string | null };
  printer: { running: boolean; outDir: string };
}

/** GET /api/sync/status — everything the manager's dashboard shows at a glance. */
export interface SyncDashboard {
  trainingMode: boolean;
  status: SyncStatusView;
  cache: CacheFreshnessView;
  devices: DeviceHealthView[];
  training: TrainingView | null;
  /** Each configured marking system's health: the local module's sync_error or 72 h lock, a failing provider. */
  marking?: MarkingHealthView[];
  /** The last scan's online check (null before the first scan that asked a marking system). */
  lastCheck?: OnlineCheckView | null;
  /** The core's last reachability probe of the OFD (null before the first). */
  ofdProbe?: ReachabilityView | null;
}

/** Whether a TCP connection to a host could be opened (the OFD, probed while nothing else talks to it). */
export interface ReachabilityView {
  reachable: boolean;
  /** UTC ISO. */
  at: string;
  /** Why not (raw: ECONNREFUSED, timeout, DNS), null when reachable. */
  detail: string | null;
}

/**
 * How the last scan's online check went: answered by a marking system, or not (then the cache
 * decided). The header's marking link takes it as the newest word on the link, both ways.
 */
export interface OnlineCheckView {
  answered: boolean;
  /** UTC ISO. */
  at: string;
  /** Why nothing answered (the providers' reasons, raw), null when answered. */
  detail: string | null;
}

/** One marking system's health on the dashboard. */
export interface MarkingHealthView {
  provider: string;
  target: string;
  state: 'ok' | 'unknown' | 'not_configured' | 'initialization' | 'sync_error' | 'locked' | 'failing';
  detail: string;
  lastSyncAt: string | null;
  /** The latest answer (or good probe) from it, UTC ISO; null: none since the start. */
  lastSuccessAt: string | null;
  /** The latest failure (a check or a probe), UTC ISO; null: none since the start. */
  lastFailureAt: string | null;
  /** That failure's message while it is the latest word (null once a success came after it). */
  lastError: string | null;
}

/** POST /api/sync/now */
export interface SyncNowResponse {
  pass: { delivered: number; remaining: number; stopped: { kind: string; id?: number; reason?: string; nextAttemptAt?: string | null } | null };
  status: SyncStatusView;
}

/** POST /api/sync/retry/:id */
export interface SyncRetryResponse {
  row: { id: number; seq: number; kind: string; documentId: string; state: string };
}

/** Query of GET /api/sales and GET /api/sales.csv (all optional; query strings). */
export const salesQuery = z.object({
  /** From this time (inclusive), ISO date or date-time, UTC. */
  from: timeBound('from').optional(),
  /** Until this time (exclusive; a bare date means the end of that day). */
  to: timeBound('to').optional(),
  kind: z.enum(['sale', 'return']).optional(),
  /** A code as scanned, a CIS, a GTIN or a part of one. */
  q: z.string().min(1).max(4096).optional(),
  /** Delivery state to the OFD as shown (`queued`: waiting for the link, see DeliveryView). */
  delivery: z.enum(['pending', 'sending', 'queued', 'delivered', 'blocked']).optional(),
  limit: listLimit(10_000, 200),
  offset: z.coerce.number().int('offset must be a whole number').min(0, 'offset must be at least 0').max(1_000_000_000).default(0),
});
export type SalesQuery = z.input<typeof salesQuery>;

/**
 * GET /api/sales.csv and /api/sales/lines.csv: the sales filter and the separator — `semicolon`
 * (with a decimal comma) is what spreadsheets in Russian and Kazakh locales open directly.
 */
export const salesCsvQuery = salesQuery.extend({
  sep: z.enum(['comma', 'semicolon']).default('comma'),
});
export type SalesCsvQuery = z.input<typeof salesCsvQuery>;

/** Delivery of one document to the OFD. */
export interface DeliveryView {
  /**
   * pending: waiting for its first attempt; sending: the first attempt in flight; queued: waiting
   * for the link (an attempt failed, or made offline); delivered; blocked (a person must act);
   * missing: no outbox row.
   */
  state: 'pending' | 'sending' | 'queued' | 'delivered' | 'blocked' | 'missing';
  ticketNumber: string | null;
  qrUrl: string | null;
  deliveredAt: string | null;
  /** Offline as the receipt says it: not (yet) delivered, sent as an offline ticket, or its receipt printed offline. */
  offline: boolean;
  attempts: number;
  lastError: string | null;
  outboxId: number | null;
}

/** One sale or return in the list. */
export interface SaleSummary {
  id: string;
  kind: 'sale' | 'return';
  originalSaleId: string | null;
  createdAt: string;
  shiftNumber: number;
  printedDocumentNumber: number;
  cashier: string;
  total: number;
  taxTotal: number;
  /** As tendered (cash: what the customer handed over). */
  payments: { type: 'cash' | 'card' | 'mobile'; amount: number }[];
  /** Change given back in cash. */
  change: number;
  /** As kept: cash with the change deducted (what the X/Z reports count). */
  kept: { type: 'cash' | 'card' | 'mobile'; amount: number }[];
  lineCount: number;
  delivery: DeliveryView;
}

/** GET /api/sales */
export interface SalesResponse {
  sales: SaleSummary[];
  /** Matching rows in all (for paging). */
  total: number;
}

/** One line of a committed sale. */
export interface SaleLineView {
  id: string;
  position: number;
  code: string | null;
  cis: string | null;
  gtin: string | null;
  name: string;
  quantityMilli: number;
  price: number;
  sum: number;
  decision: 'allow' | 'warn' | 'refuse';
  checkSource: 'online' | 'cache' | 'none';
  overrideId: string | null;
  /** Already returned (by a later return). */
  returned: boolean;
}

/** GET /api/sales/:id */
export interface SaleDetailResponse {
  sale: SaleSummary;
  lines: SaleLineView[];
  receipt: ReceiptView;
  returns: SaleSummary[];
}

/** A manager override (GET /api/overrides). */
export interface OverrideView {
  id: string;
  at: string;
  manager: string;
  cashier: string;
  code: string;
  cis: string | null;
  rule: string;
  reasonCode: string;
  reason: string;
  saleId: string | null;
}

/** GET /api/overrides?limit= */
export interface OverridesResponse {
  overrides: OverrideView[];
}

/** An e-receipt contact as the manager sees it: masked, never in full. */
export interface ConsentView {
  id: string;
  saleId: string;
  /** e.g. +7 *** *** 12 34 */
  phone: string | null;
  /** e.g. a***@mail.kz */
  email: string | null;
  purpose: string;
  consentAt: string;
  expiresAt: string | null;
  withdrawnAt: string | null;
}

/** GET /api/privacy/consents */
export interface ConsentsResponse {
  consents: ConsentView[];
}

/** POST /api/privacy/consents/:id/withdraw and POST /api/privacy/purge */
export interface PurgeResponse {
  /** Contacts removed (securely deleted). */
  purged: number;
  /** False when another connection kept the WAL from being truncated; purge again later. */
  walTruncated: boolean;
  /** Checkpoint attempts made (retried with a short wait while another reader held a snapshot). */
  attempts: number;
  /** True when the WAL could still not be truncated: the contact's bytes may remain in the .db / -wal until the next purge. */
  bytesMayRemain: boolean;
}

/** Query of GET /api/stats */
export const statsQuery = z.object({
  from: timeBound('from').optional(),
  to: timeBound('to').optional(),
});
export type StatsQuery = z.infer<typeof statsQuery>;

/** GET /api/stats — the manager's charts. Hours are UTC, "YYYY-MM-DDTHH:00:00.000Z". */
export interface StatsResponse {
  from: string;
  to: string;
  checksPerHour: { hour: string; allow: number; warn: number; refuse: number }[];
  refusalsByReason: { reason: string; count: number }[];
  deliveriesPerHour: { hour: string; delivered: number; failed: number }[];
  /** Verdicts by how the code was checked. */
  checksBySource: { source: 'online' | 'cache' | 'none'; count: number }[];
}

// ---- events ----

/** Sync status, pushed every few seconds and whenever it changes. */
export interface SyncEvent {
  type: 'sync';
  status: SyncStatusView;
  cache: CacheFreshnessView;
  training: TrainingView | null;
  /** Each marking system's health (as in GET /api/sync/status). */
  marking?: MarkingHealthView[];
  /** As {@link SyncDashboard.lastCheck}. */
  lastCheck?: OnlineCheckView | null;
  /** As {@link SyncDashboard.ofdProbe}. */
  ofdProbe?: ReachabilityView | null;
}

/** One delivery attempt finished (the manager's live list). */
export interface DeliveryEvent {
  type: 'delivery';
  ok: boolean;
  outboxId: number;
  documentId: string;
  ticketNumber: string | null;
  error: string | null;
  at: string;
}
