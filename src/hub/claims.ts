/**
 * Settling claims: each code a committed document moved is written to the store's sold bucket
 * (sold: create-if-absent; returned: delete this lane's key). A sold code already held by another
 * lane's sale is a cross-lane conflict: both sales are recorded for the manager and sent to head
 * office — never dropped. Runs after every commit and on (re)connection (reconciliation).
 */
import type { KV } from '@nats-io/kv';
import { addHubClaim, addHubConflict, enqueueHubOutbox, pendingHubClaims, settleHubClaim, type Db, type HubClaim, type HubConflict } from '../store/index.ts';
import { codeKey } from './names.ts';
import { holderOf, type Reservations } from './reservations.ts';

export { addHubClaim };

/** What one settling pass did. */
export interface SettleResult { confirmed: number; conflicts: HubConflict[]; left: number }

/** What settling needs. */
export interface SettleDeps {
  db: Db;
  store: string;
  lane: string;
  basket: KV;
  sold: KV;
  reservations: Reservations;
  now(): string;
}

async function settleSold(deps: SettleDeps, c: HubClaim): Promise<HubConflict | null | 'ok'> {
  const key = codeKey(c.cis);
  const value = JSON.stringify({ lane: deps.lane, saleId: c.saleId, at: c.at, store: deps.store });
  try {
    await deps.sold.create(key, value);
  } catch (err) {
    const e = await deps.sold.get(key);
    if (e === null || e.operation !== 'PUT') {
      if (e === null) throw err;
      await deps.sold.put(key, value); // a deleted (returned) key: ours now
    } else {
      const h = holderOf(e.value);
      if (h.saleId !== c.saleId && h.lane !== deps.lane) {
        const conflict: Omit<HubConflict, 'id'> = {
          cis: c.cis, code: c.code, foundAt: deps.now(),
          first: { store: h.store ?? deps.store, register: h.lane, saleId: h.saleId ?? '?', at: h.at },
          second: { store: deps.store, register: deps.lane, saleId: c.saleId, at: c.at },
        };
        deps.db.transaction(() => {
          if (addHubConflict(deps.db, conflict)) {
            enqueueHubOutbox(deps.db, { msgId: `conflict-${c.saleId}-${key}`, kind: 'conflict', payload: conflict, createdAt: conflict.foundAt });
          }
          settleHubClaim(deps.db, c.id, 'conflict', conflict.foundAt);
        }).immediate();
        return { id: 0, ...conflict };
      }
      if (h.saleId !== c.saleId) await deps.sold.update(key, value, e.revision);
    }
  }
  // The basket reservation has done its work.
  const rev = deps.reservations.forget(c.cis);
  if (rev !== undefined) await deps.basket.delete(key, { previousSeq: rev }).catch(() => undefined);
  return 'ok';
}

async function settleReturned(deps: SettleDeps, c: HubClaim): Promise<void> {
  const key = codeKey(c.cis);
  const e = await deps.sold.get(key);
  if (e !== null && e.operation === 'PUT' && holderOf(e.value).lane === deps.lane) await deps.sold.delete(key, { previousSeq: e.revision });
}

/** Settles the pending claims in order; stops at the first transport failure (tried again later). */
export async function settleClaims(deps: SettleDeps): Promise<SettleResult> {
  const out: SettleResult = { confirmed: 0, conflicts: [], left: 0 };
  const claims = pendingHubClaims(deps.db);
  for (let i = 0; i < claims.length; i++) {
    const c = claims[i] as HubClaim;
    try {
      if (c.op === 'sold') {
        const r = await settleSold(deps, c);
        if (r !== 'ok' && r !== null) { out.conflicts.push(r); continue; }
      } else {
        await settleReturned(deps, c);
      }
      settleHubClaim(deps.db, c.id, 'confirmed', deps.now());
      out.confirmed++;
    } catch {
      out.left = claims.length - i;
      break;
    }
  }
  return out;
}
