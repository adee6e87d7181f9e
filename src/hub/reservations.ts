/**
 * The store's shared reservations (one JetStream KV bucket per store): a code is reserved when it
 * enters a basket (create-if-absent), released when it leaves, and expires when the lane that
 * holds it stops refreshing it.
 *
 * Expiry on nats-server 2.9 (no per-message TTL): the basket bucket's max age is the reservation
 * TTL, and a live lane re-writes each of its reservations every TTL/3 (`update` with the revision
 * it holds, so a key another lane took after an expiry is never overwritten). A killed lane stops
 * refreshing, and its codes are free at most one TTL later.
 */
import type { KV } from '@nats-io/kv';
import type { GuardAnswer } from '../checkout/index.ts';
import { codeKey } from './names.ts';

/** What is stored under a reserved or sold code. */
export interface Holder { lane: string; at: string; saleId?: string; store?: string }

/** Parses a stored holder; junk (another program's value) reads as an unknown lane. */
export function holderOf(value: Uint8Array): Holder {
  try {
    const v = JSON.parse(new TextDecoder().decode(value)) as Partial<Holder>;
    if (typeof v.lane === 'string') return { lane: v.lane, at: typeof v.at === 'string' ? v.at : '', ...(typeof v.saleId === 'string' ? { saleId: v.saleId } : {}), ...(typeof v.store === 'string' ? { store: v.store } : {}) };
  } catch { /* below */ }
  return { lane: '?', at: '' };
}

const encode = (h: Holder): string => JSON.stringify(h);

/** The reservations of one lane. */
export interface Reservations {
  /** Reserve `cis` for this lane (throws on a transport failure: the caller decides "unguarded"). */
  reserve(cis: string): Promise<GuardAnswer>;
  /** Whether this lane holds a live reservation of `cis`. */
  holds(cis: string): boolean;
  /** Let a code go (only the revision this lane holds: never another lane's reservation). */
  release(cis: string): Promise<void>;
  /** Forget a code without touching the bucket (it was sold: the sold bucket has it now). */
  forget(cis: string): number | undefined;
  /** Re-write every held reservation (keeps them from expiring). */
  refresh(): Promise<void>;
  held(): number;
}

/** Creates the reservations of `lane` over the store's two buckets. */
export function createReservations(basket: KV, sold: KV, lane: string, now: () => string): Reservations {
  const mine = new Map<string, number>();

  async function takeOver(key: string, cis: string): Promise<GuardAnswer> {
    const e = await basket.get(key);
    if (e === null || e.operation !== 'PUT') {
      // Released or expired between our create and this read: try once more.
      const rev = await basket.create(key, encode({ lane, at: now() }));
      mine.set(cis, rev);
      return { ok: true, guarded: true };
    }
    const h = holderOf(e.value);
    if (h.lane !== lane) return { ok: false, reason: 'ALREADY_IN_BASKET', lane: h.lane };
    // Ours from before (a restarted lane): take it over.
    const rev = await basket.update(key, encode({ lane, at: now() }), e.revision);
    mine.set(cis, rev);
    return { ok: true, guarded: true };
  }

  return {
    async reserve(cis) {
      const key = codeKey(cis);
      const s = await sold.get(key);
      if (s !== null && s.operation === 'PUT') {
        const h = holderOf(s.value);
        // Sold here on this lane: the local record decides (a return may have freed it).
        if (h.lane !== lane) return { ok: false, reason: 'SOLD', lane: h.lane };
      }
      try {
        const rev = await basket.create(key, encode({ lane, at: now() }));
        mine.set(cis, rev);
        return { ok: true, guarded: true };
      } catch (err) {
        // create-if-absent failed: someone holds it (or a transport error, which takeOver rethrows).
        return takeOver(key, cis).catch(() => { throw err; });
      }
    },
    holds: (cis) => mine.has(cis),
    async release(cis) {
      const rev = mine.get(cis);
      if (rev === undefined) return;
      mine.delete(cis);
      await basket.delete(codeKey(cis), { previousSeq: rev });
    },
    forget(cis) {
      const rev = mine.get(cis);
      mine.delete(cis);
      return rev;
    },
    async refresh() {
      for (const [cis, rev] of [...mine]) {
        try {
          mine.set(cis, await basket.update(codeKey(cis), encode({ lane, at: now() }), rev));
        } catch {
          // Lost (expired and taken, or the bucket is unreachable): the sale will be reconciled.
          if (mine.get(cis) === rev) mine.delete(cis);
        }
      }
    },
    held: () => mine.size,
  };
}
