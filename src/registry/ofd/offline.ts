/**
 * Offline-mode rules of protocol 2.0.2 (section 5.2) and the tax authority's 72-hour limit, as
 * pure functions of the persisted state and a clock (the in-order delivery is the outbox sender's).
 */
import type { OfdState } from '../../store/index.ts';

/** The legal maximum of offline operation. */
export const OFFLINE_LIMIT_HOURS = 72;

/**
 * The offline limit to enforce: the legal 72 h, or a shorter one a store chose. A longer one is
 * refused — the limit is configurable only downward.
 */
export function resolveOfflineLimitHours(configured?: number): number {
  if (configured === undefined) return OFFLINE_LIMIT_HOURS;
  if (!Number.isFinite(configured) || configured <= 0) throw new RangeError(`offline limit must be a positive number of hours, got ${configured}`);
  if (configured > OFFLINE_LIMIT_HOURS) {
    throw new RangeError(`offline limit of ${configured} h exceeds the legal maximum of ${OFFLINE_LIMIT_HOURS} h; it can only be lowered`);
  }
  return configured;
}

/**
 * The offline ticket number candidate: the low 32 bits of unix time in seconds, as the protocol
 * suggests. Uniqueness within the day is enforced when it is allocated (bumped on collision).
 */
export function offlineTicketCandidate(now: Date): number {
  return Number(BigInt(Math.floor(now.getTime() / 1000)) & 0xffffffffn);
}

/** Sales stopped: offline beyond the limit, or blocked. `reason` is for the cashier and manager. */
export class OfdSalesStoppedError extends Error {
  override name = 'OfdSalesStoppedError';
  constructor(readonly reason: 'offline-limit' | 'blocked', message: string) {
    super(message);
  }
}

/** Human duration "73 h 05 min". */
export function formatDuration(ms: number): string {
  const totalMin = Math.floor(ms / 60_000);
  return `${Math.floor(totalMin / 60)} h ${String(totalMin % 60).padStart(2, '0')} min`;
}

/**
 * How long the register has been without delivering: since the earlier of the first failed
 * attempt (`offlineSince`) and the oldest record still undelivered (the sync worker's queue),
 * because the limit lasts "until it has delivered its queue", not merely until it reconnects.
 */
export function offlineDurationMs(state: Pick<OfdState, 'offlineSince'>, now: Date, oldestUndeliveredAt?: string | null): number {
  const starts = [state.offlineSince, oldestUndeliveredAt ?? null].filter((x): x is string => x !== null).map((x) => Date.parse(x));
  if (starts.length === 0) return 0;
  return Math.max(0, now.getTime() - Math.min(...starts));
}

/**
 * Throws OfdSalesStoppedError when the register may not sell: blocked by the OFD (a person must
 * resolve the message first), or offline / undelivered for longer than the limit.
 */
export function assertCanSell(
  state: Pick<OfdState, 'offlineSince' | 'blocked'>, now: Date,
  options: { limitHours?: number; oldestUndeliveredAt?: string | null } = {},
): void {
  if (state.blocked) {
    throw new OfdSalesStoppedError('blocked', `Sales stopped: the fiscal data operator blocked the register (result ${state.blocked.code}: ${state.blocked.text}). The manager must resolve it.`);
  }
  const limitHours = resolveOfflineLimitHours(options.limitHours);
  const ms = offlineDurationMs(state, now, options.oldestUndeliveredAt);
  if (ms >= limitHours * 3_600_000) {
    const since = [state.offlineSince, options.oldestUndeliveredAt ?? null].filter((x): x is string => x !== null).sort()[0];
    throw new OfdSalesStoppedError('offline-limit', `Sales stopped: no delivery to the fiscal data operator for ${formatDuration(ms)} (since ${since}); the limit is ${limitHours} h. Restore the connection and deliver the queue.`);
  }
}

/** Whether a new ticket must be made offline (gets an offline_ticket_number and joins the queue's end). */
export function mustWorkOffline(state: Pick<OfdState, 'offlineSince'>, queueDepth: number): boolean {
  // 5.2: while the offline queue holds anything, new tickets are offline too.
  return state.offlineSince !== null || queueDepth > 0;
}

/** When the next reconnect attempt is allowed (null: now). */
export function nextReconnectAt(state: Pick<OfdState, 'offlineSince' | 'lastAttemptAt'>, intervalMs: number): Date | null {
  if (state.offlineSince === null || state.lastAttemptAt === null) return null;
  return new Date(Date.parse(state.lastAttemptAt) + intervalMs);
}
