/**
 * View types of routes that do not exist yet (checkout, sync). They describe what the
 * screens render. When the routes land with their own contract types, map those to these (or
 * replace these with them) in src/ui/shared/api.ts; the screens need no other change.
 */

/** The traffic light a verdict shows. */
export type Decision = 'allow' | 'warn' | 'refuse';

/** A checked code, as the cashier screen shows it. */
export interface VerdictView {
  decision: Decision;
  /** Stable reason code from the rules (e.g. `status.withdrawn`). */
  reason: string;
  /** Plain reason for the cashier, already in the UI's language if the server has it. */
  message: string;
  /** The code as scanned (GS as 0x1D) or its CIS. */
  code: string;
  at: string;
}

/** One basket line; money in integer minor units (tiyn). */
export interface BasketLineView {
  id: string;
  name: string;
  code: string;
  quantity: number;
  priceMinor: number;
  sumMinor: number;
  /** Set when a manager overrode a refusal for this line. */
  overriddenBy?: string;
}

export interface BasketView {
  lines: BasketLineView[];
  totalMinor: number;
  currency: 'KZT';
}

export interface ScanResult {
  verdict: VerdictView;
  basket: BasketView;
}

export type PaymentMethod = 'cash' | 'card';

export interface SaleResult {
  saleId: string;
  totalMinor: number;
}

export interface OverrideRequest {
  managerName: string;
  managerPin: string;
  reason: string;
  code: string;
}

/** Sync health: the offline banner and the manager's dashboard. */
export interface SyncView {
  online: boolean;
  queueDepth: number;
  oldestUndeliveredAt: string | null;
  lastDeliveryAt: string | null;
  /** When the status cache was last brought up to date. */
  cacheUpdatedAt: string | null;
  offlineLimitHours: number;
}

/** An empty basket. */
export const EMPTY_BASKET: BasketView = { lines: [], totalMinor: 0, currency: 'KZT' };
