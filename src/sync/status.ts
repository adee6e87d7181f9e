/**
 * The sync status the manager's screen and `tanba sync status` show: queue depth, the oldest
 * undelivered record and its age, last success and last error per channel, the mode (online /
 * offline since / blocked) and the time left before the legal offline limit.
 *
 * Computed from the database only (outbox, OFD client state, cache sync state), so every process
 * — the core, the CLI, a back-office tool — sees the same answer. JSON-serialisable.
 */
import * as z from 'zod';
import type { Clock } from '../clock.ts';
import { blockedOutbox, getOfdState, listOfdStates, outboxHead, outboxStats, syncRow, type Db, type OfdState } from '../store/index.ts';
import { OFFLINE_LIMIT_HOURS, offlineDurationMs, resolveOfflineLimitHours } from '../registry/index.ts';
import type { FeedStatus } from './puller.ts';

/** What the status needs from the configuration (the sync layer does not read the config file). */
export interface SyncStatusConfig {
  /** The OFD device id (config registry.ofd.deviceId, or the training device); default: the only/first device in the DB. */
  deviceId?: number;
  /** Offline limit in hours (only ever lower than the legal 72). */
  offlineLimitHours?: number;
}

/** Optional live facts the core has in memory (the puller's last event). */
export interface SyncStatusExtras {
  feed?: FeedStatus | null;
}

const iso = z.string();

/** The sync status (zod-described so the API layer can reuse it for validation). */
export const syncStatusSchema = z.object({
  at: iso,
  queue: z.object({
    /** Undelivered rows (pending, sending and blocked). */
    depth: z.number().int().nonnegative(),
    pending: z.number().int().nonnegative(),
    blockedCount: z.number().int().nonnegative(),
    delivered: z.number().int().nonnegative(),
    oldestUndeliveredAt: iso.nullable(),
    oldestAgeMs: z.number().nonnegative().nullable(),
    /** The head row: what the queue waits on. */
    head: z.object({ id: z.number().int(), seq: z.number().int(), state: z.string(), attempts: z.number().int(), nextAttemptAt: iso.nullable(), lastError: z.string().nullable() }).nullable(),
    blocked: z.array(z.object({ id: z.number().int(), seq: z.number().int(), kind: z.string(), documentId: z.string(), error: z.string().nullable(), at: iso })),
  }),
  channels: z.object({
    ofd: z.object({ lastSuccessAt: iso.nullable(), lastError: z.string().nullable(), lastErrorAt: iso.nullable(), lastContactAt: iso.nullable() }),
    feed: z.object({ lastSuccessAt: iso.nullable(), lastFullAt: iso.nullable(), cursor: z.string().nullable(), lastError: z.string().nullable(), lastErrorAt: iso.nullable() }),
  }),
  mode: z.enum(['online', 'offline', 'blocked']),
  offlineSince: iso.nullable(),
  blockedReason: z.string().nullable(),
  offlineLimitHours: z.number().positive(),
  /** Time left before the offline limit (sales stop at 0); null when online. */
  timeLeftMs: z.number().nullable(),
  salesAllowed: z.boolean(),
  /** Why sales are stopped (null when allowed). */
  salesStoppedReason: z.string().nullable(),
});

/** The sync status. */
export type SyncStatus = z.infer<typeof syncStatusSchema>;

function ofdStateFor(db: Db, deviceId: number | undefined): OfdState | undefined {
  if (deviceId !== undefined) return getOfdState(db, deviceId);
  return listOfdStates(db)[0];
}

/**
 * Computes the sync status at `clock()`.
 *
 * Mode: `blocked` when a row is blocked or the OFD client is blocked (a person must act; server
 * block 15 included); else `offline` when the client is in offline mode or the head row failed
 * its last attempt; else `online`. The offline limit counts from the earlier of the first failed
 * attempt and the oldest undelivered record (it lasts until the queue is delivered).
 */
export function syncStatus(db: Db, clock: Clock, config: SyncStatusConfig = {}, extras: SyncStatusExtras = {}): SyncStatus {
  const now = clock.now();
  const nowMs = now.getTime();
  const stats = outboxStats(db);
  const head = outboxHead(db) ?? null;
  const blockedRows = blockedOutbox(db);
  const state = ofdStateFor(db, config.deviceId);
  const limitHours = resolveOfflineLimitHours(config.offlineLimitHours ?? OFFLINE_LIMIT_HOURS);
  const depth = stats.pending + stats.sending + stats.blocked;

  const headFailed = head !== null && head.state !== 'blocked' && head.lastError !== null;
  let mode: SyncStatus['mode'] = 'online';
  let blockedReason: string | null = null;
  if (blockedRows.length > 0 || state?.blocked) {
    mode = 'blocked';
    const first = blockedRows[0];
    blockedReason = state?.blocked
      ? `result ${state.blocked.code}: ${state.blocked.text}${state.infoMessage ? ` — OFD message: ${state.infoMessage}` : ''}`
      : first ? `outbox row ${first.id} (seq ${first.seq}): ${first.lastError ?? 'blocked'}` : 'blocked';
  } else if (state?.offlineSince || headFailed) {
    mode = 'offline';
  }
  const offlineSince = state?.offlineSince ?? (headFailed ? state?.lastAttemptAt ?? null : null);

  const durationMs = offlineDurationMs({ offlineSince }, now, stats.oldestUndeliveredAt);
  const limitMs = limitHours * 3_600_000;
  const timeLeftMs = mode === 'online' ? null : Math.max(0, limitMs - durationMs);
  let salesStoppedReason: string | null = null;
  // 5.3 / 5.4: in blocked mode no work is allowed until the message is resolved.
  if (mode === 'blocked') salesStoppedReason = `delivery to the fiscal data operator is blocked (${blockedReason ?? 'blocked'}); the manager must resolve it`;
  else if (mode !== 'online' && durationMs >= limitMs) salesStoppedReason = `no delivery to the fiscal data operator for over ${limitHours} h; restore the connection and deliver the queue`;

  const lastErrorAt = state?.blocked?.at ?? (headFailed ? state?.lastAttemptAt ?? null : null);
  const feedRow = syncRow(db, 'feed');
  const feed = extras.feed ?? null;
  return {
    at: now.toISOString(),
    queue: {
      depth,
      pending: stats.pending + stats.sending,
      blockedCount: stats.blocked,
      delivered: stats.delivered,
      oldestUndeliveredAt: stats.oldestUndeliveredAt,
      oldestAgeMs: stats.oldestUndeliveredAt ? Math.max(0, nowMs - Date.parse(stats.oldestUndeliveredAt)) : null,
      head: head ? { id: head.id, seq: head.seq, state: head.state, attempts: head.attempts, nextAttemptAt: head.nextAttemptAt, lastError: head.lastError } : null,
      blocked: blockedRows.map((r) => ({ id: r.id, seq: r.seq, kind: r.kind, documentId: r.documentId, error: r.lastError, at: r.createdAt })),
    },
    channels: {
      ofd: {
        lastSuccessAt: stats.lastDeliveredAt,
        lastError: state?.blocked ? blockedReason : head?.lastError ?? null,
        lastErrorAt: state?.blocked || head?.lastError ? lastErrorAt : null,
        lastContactAt: state?.lastContactAt ?? null,
      },
      feed: {
        lastSuccessAt: feedRow?.last_sync_at ?? null,
        lastFullAt: feedRow?.last_full_at ?? null,
        cursor: feedRow?.cursor ?? null,
        lastError: feed && !feed.ok ? feed.error : null,
        lastErrorAt: feed && !feed.ok ? feed.at : null,
      },
    },
    mode,
    offlineSince: mode === 'online' ? null : offlineSince,
    blockedReason,
    offlineLimitHours: limitHours,
    timeLeftMs,
    salesAllowed: salesStoppedReason === null,
    salesStoppedReason,
  };
}
