/**
 * The fiscal gate: whether the law lets this register issue a fiscal document (sale or return)
 * now. Reads only the database, so it holds across processes.
 */
import { OfdSalesStoppedError, assertCanSell, resolveOfflineLimitHours } from '../registry/index.ts';
import { blockedOutbox, getOfdState, listOfdStates, outboxHead, type OfdState } from '../store/index.ts';
import type { CheckoutContext } from './context.ts';
import { CheckoutError } from './types.ts';

/** The gate of one register. */
export interface SalesGate {
  /** Throws CheckoutError OFFLINE_LIMIT / REGISTER_BLOCKED when selling is not allowed now. */
  assertSalesAllowed(): void;
}

/**
 * Refuses a fiscal document the law does not allow now (protocol 2.0.2 5.2-5.4, the 72-hour
 * rule): the OFD client is blocked (a result that needs a person, or a server block 15), a queued
 * document is blocked, or nothing has been delivered for longer than the offline limit — counted
 * from the earlier of the first failed attempt and the oldest undelivered record. Nothing recorded
 * is touched: the basket stays as it is and the sale can be completed once selling is allowed.
 * `fiscal.deviceId` chooses the OFD device whose state counts (default: every device).
 */
export function createSalesGate(ctx: CheckoutContext, fiscal: { deviceId?: number; offlineLimitHours?: number } = {}): SalesGate {
  const { db } = ctx;
  const limitHours = resolveOfflineLimitHours(fiscal.offlineLimitHours);

  function ofdStates(): OfdState[] {
    if (fiscal.deviceId === undefined) return listOfdStates(db);
    return [getOfdState(db, fiscal.deviceId)].filter((s): s is OfdState => s !== undefined);
  }

  return {
    assertSalesAllowed() {
      const at = ctx.clock.now();
      const states = ofdStates();
      const oldestUndeliveredAt = outboxHead(db)?.createdAt ?? null;
      try {
        for (const s of states) assertCanSell(s, at, { limitHours, oldestUndeliveredAt });
        // No OFD state yet: the queue's age still counts.
        if (states.length === 0) assertCanSell({ offlineSince: null, blocked: null }, at, { limitHours, oldestUndeliveredAt });
      } catch (err) {
        if (!(err instanceof OfdSalesStoppedError)) throw err;
        if (err.reason === 'blocked') {
          const info = states.find((s) => s.blocked)?.infoMessage;
          throw new CheckoutError('REGISTER_BLOCKED', `${err.message}${info ? ` OFD message: ${info}` : ''}`);
        }
        throw new CheckoutError('OFFLINE_LIMIT', err.message);
      }
      const stuck = blockedOutbox(db)[0];
      if (stuck) {
        throw new CheckoutError('REGISTER_BLOCKED', `Sales stopped: fiscal document ${stuck.kind} ${stuck.documentId} (queue position ${stuck.seq}) was refused by the fiscal data operator and waits for the manager: ${stuck.lastError ?? 'blocked'}`);
      }
    },
  };
}
