/**
 * `tanba sync status | now | retry ID`: the manager's view of delivery to the fiscal data operator
 * from the command line, on the register database `<dataDir>/tanba.db`.
 *
 * With no OFD configured (training mode), `sync now` starts the training OFD emulator in-process
 * (its database in the data directory), delivers, and stops it.
 */
import { GEO_SCALE, buildInfo } from '../registry/index.ts';
import { getOfdRegInfo } from '../store/index.ts';
import { retryBlocked, syncStatus, SyncRetryError, type DeliveryPass, type SyncStatus } from '../sync/index.ts';
import { startTrainingOfd, type TrainingOfd } from '../../emulators/index.ts';
import { openRegister, withRegister, type CliRegister } from './register.ts';
import { UsageError, write, type Command } from './types.ts';

function statusConfig(reg: CliRegister): { deviceId: number; offlineLimitHours: number } {
  return { deviceId: reg.ofdTarget.deviceId, offlineLimitHours: reg.config().cache.offlineLimitHours };
}

function age(ms: number | null): string {
  if (ms === null) return '-';
  const min = Math.floor(ms / 60_000);
  if (min < 60) return `${min} min`;
  return `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min`;
}

/** The status as a few plain lines for a person. */
export function describeStatus(s: SyncStatus): string {
  const out: string[] = [];
  const mode = s.mode === 'online' ? 'online' : s.mode === 'offline' ? `OFFLINE since ${s.offlineSince ?? '?'}` : `BLOCKED: ${s.blockedReason ?? ''}`;
  out.push(`mode: ${mode}`);
  out.push(`queue: ${s.queue.depth} undelivered (${s.queue.pending} pending, ${s.queue.blockedCount} blocked), ${s.queue.delivered} delivered`);
  if (s.queue.oldestUndeliveredAt) out.push(`oldest undelivered: ${s.queue.oldestUndeliveredAt} (${age(s.queue.oldestAgeMs)} old)`);
  if (s.queue.head && s.queue.head.lastError) out.push(`waiting on row ${s.queue.head.id} (seq ${s.queue.head.seq}, ${s.queue.head.attempts} attempts): ${s.queue.head.lastError}`);
  for (const b of s.queue.blocked) out.push(`blocked row ${b.id} (seq ${b.seq}, ${b.kind} ${b.documentId}): ${b.error ?? ''} — fix the cause, then: tanba sync retry ${b.id}`);
  out.push(`OFD: last delivery ${s.channels.ofd.lastSuccessAt ?? 'never'}${s.channels.ofd.lastError ? `, last error: ${s.channels.ofd.lastError}` : ''}`);
  out.push(`status feed: last sync ${s.channels.feed.lastSuccessAt ?? 'never'}`);
  if (s.timeLeftMs !== null) out.push(`time left before the ${s.offlineLimitHours} h offline limit: ${age(s.timeLeftMs)}`);
  out.push(s.salesAllowed ? 'sales: allowed' : `sales: STOPPED — ${s.salesStoppedReason ?? ''}`);
  return `${out.join('\n')}\n`;
}

function parseId(positionals: readonly string[]): number {
  const [raw, ...rest] = positionals;
  if (raw === undefined) throw new UsageError('give the outbox row ID to retry (see tanba sync status)');
  if (rest.length > 0) throw new UsageError(`one ID at a time, got ${positionals.length}`);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1) throw new UsageError(`ID must be a positive whole number (an outbox row id), got '${raw}'`);
  return Number(raw);
}

/** The OFD's registration answer as lines for people: point of sale (address in Kazakh, position), organisation. */
function describeRegInfo(r: { regInfo: unknown; receivedAt: string } | undefined): string {
  if (!r) return '';
  const info = r.regInfo as { pos?: { title?: string; address?: string; address_kz?: string; latitude?: number; longitude?: number }; org?: { title?: string; address_kz?: string } };
  const pos = info.pos;
  const at = pos?.latitude !== undefined && pos.longitude !== undefined ? ` (${(pos.latitude / GEO_SCALE).toFixed(6)}, ${(pos.longitude / GEO_SCALE).toFixed(6)})` : '';
  return `OFD point of sale: ${pos?.title ?? '?'}, ${pos?.address ?? '?'} / ${pos?.address_kz ?? '?'}${at}\nOFD organisation: ${info.org?.title ?? '?'}, ${info.org?.address_kz ?? '?'} (as of ${r.receivedAt})\n`;
}

export const syncStatusCommand: Command = {
  async run(ctx, args) {
    return withRegister(ctx, async (reg) => {
      const s = syncStatus(reg.db, reg.clock, statusConfig(reg));
      // 2.0.3: what the OFD last said about this register's point of sale and organisation (for the technician).
      const reg203 = getOfdRegInfo(reg.db, reg.ofdTarget.deviceId);
      if (args.flags.json === true) {
        await write(ctx.stdout, `${JSON.stringify(reg203 ? { ...s, ofdRegInfo: { ...(reg203.regInfo as object), receivedAt: reg203.receivedAt } } : s)}\n`);
        return 0;
      }
      await write(ctx.stdout, describeStatus(s) + describeRegInfo(reg203));
      return 0;
    }, { existing: true });
  },
};

export const syncNowCommand: Command = {
  async run(ctx, args) {
    // Training mode: only the training OFD is needed, started here for this one pass.
    const training: TrainingOfd | null = ctx.config().registry.ofd ? null : await startTrainingOfd(ctx.dataDir);
    let reg: CliRegister | null = null;
    try {
      reg = openRegister(ctx, training ? { ofdTarget: { host: training.host, port: training.port, deviceId: training.deviceId, token: training.token } } : {});
      const pass: DeliveryPass = await reg.sender.deliverOnce({ force: true });
      // Ask the OFD what it knows about this register (2.0.3 point of sale / organisation): stored for
      // `sync status` and the technician; a lookup, so no answer changes nothing.
      await reg.ofdClient.send(buildInfo(), { lookup: { timeoutMs: 2_000 } }).catch(() => undefined);
      const status = syncStatus(reg.db, reg.clock, statusConfig(reg));
      const ok = status.queue.depth === 0;
      const reason = pass.stopped && 'reason' in pass.stopped ? pass.stopped.reason : pass.stopped?.kind ?? null;
      if (args.flags.json === true) {
        await write(ctx.stdout, `${JSON.stringify({ ok, pass: { delivered: pass.delivered, remaining: pass.remaining, stopped: pass.stopped }, status })}\n`);
      } else {
        await write(ctx.stdout, `delivered ${pass.delivered}${training ? ' (training OFD)' : ''}\n${describeStatus(status)}`);
        if (!ok) await write(ctx.stderr, `tanba: ${status.queue.depth} record(s) still undelivered: ${reason ?? status.blockedReason ?? 'unknown reason'}\n`);
      }
      return ok ? 0 : 1;
    } finally {
      reg?.close();
      await training?.close();
    }
  },
};

export const syncRetryCommand: Command = {
  async run(ctx, args) {
    const id = parseId(args.positionals);
    const json = args.flags.json === true;
    // Un-blocking contacts nobody: in training mode the client's address is never used here.
    return withRegister(ctx, async (reg) => {
      try {
        const { row } = retryBlocked(reg.db, reg.sender, id, 'cli', reg.clock.now().toISOString());
        if (json) await write(ctx.stdout, `${JSON.stringify({ ok: true, id: row.id, seq: row.seq, state: row.state, documentId: row.documentId })}\n`);
        else await write(ctx.stdout, `outbox row ${row.id} (seq ${row.seq}, ${row.kind} ${row.documentId}) is pending again; run tanba sync now to deliver it\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof SyncRetryError)) throw err;
        if (json) await write(ctx.stdout, `${JSON.stringify({ ok: false, id, error: { code: err.reason === 'not-found' ? 'NOT_FOUND' : 'NOT_BLOCKED', message: err.message } })}\n`);
        else await write(ctx.stderr, `tanba: ${err.message}\n`);
        return 1;
      }
    }, { existing: true }); // an outbox row to un-block needs a register
  },
};

/** The `tanba sync ...` commands. */
export const syncCommands: readonly Command[] = [syncStatusCommand, syncNowCommand, syncRetryCommand];
