/**
 * Fixtures of the sync tests: a register directory with a real SQLite file and a seeded cache,
 * the real checkout service, an OFD emulator in-process on 127.0.0.1 (real TCP, its own SQLite
 * file), the real OFD client and the outbox sender, with a clock the test moves by hand.
 */
import { join } from 'node:path';
import type { Checkout, CommittedDocument } from '../../src/checkout/index.ts';
import { type OfdClient } from '../../src/registry/index.ts';
import { startOfdEmulator, type OfdEmulator, type OfdFaults } from '../../emulators/index.ts';
import type { Db } from '../../src/store/index.ts';
import { createOutboxSender, openOfdClient, type OutboxSender, type OutboxSenderOptions, type SenderEvent } from '../../src/sync/index.ts';
import { codeOf, G, NOW, openCheckout, serial, tempRegister, type TempRegister } from './checkout-fixtures.ts';
import { type Clock } from '../../src/clock.ts';

export const DEVICE = 77;
export const TOKEN = 4242;

/** Everything one sync test needs. */
export interface SyncRig {
  reg: TempRegister;
  db: Db;
  checkout: Checkout;
  emu: OfdEmulator;
  client: OfdClient;
  sender: OutboxSender;
  events: SenderEvent[];
  /** The sender's and client's clock (ms); the checkout stays at NOW. */
  now: { ms: number };
  clock: Clock;
  sell(i: number): CommittedDocument;
  /** Re-opens database, client and sender as a restarted process would (same files). */
  restart(): void;
  close(): Promise<void>;
}

/** Options of {@link syncRig}. */
export interface SyncRigOptions {
  codes?: number;
  /** The token the register starts with (default TOKEN, what the emulator knows). */
  registerToken?: number;
  faults?: OfdFaults;
  transactionTimeoutMs?: number;
  sender?: Partial<Omit<OutboxSenderOptions, 'db' | 'client'>>;
}

export const RECONNECT_MS = 1_000;

/** Starts the rig. */
export async function syncRig(options: SyncRigOptions = {}): Promise<SyncRig> {
  const reg = await tempRegister({ codes: options.codes ?? 50 });
  const emu = await startOfdEmulator({ dbPath: join(reg.dir, 'emu.db'), devices: [{ id: DEVICE, token: TOKEN }], faults: options.faults ?? {} });
  const now = { ms: Date.parse(NOW) + 60_000 };
  const clock: Clock = { now: () => new Date(now.ms) };
  const events: SenderEvent[] = [];
  let opened = openCheckout(reg.file);
  const make = (db: Db): { client: OfdClient; sender: OutboxSender } => {
    const client = openOfdClient(db, { host: emu.host, port: emu.port, deviceId: DEVICE, token: options.registerToken ?? TOKEN }, {
      clock, transactionTimeoutMs: options.transactionTimeoutMs ?? 400, retryDelayMs: 5, connectTimeoutMs: 300, reconnectIntervalMs: RECONNECT_MS,
    });
    const sender = createOutboxSender({
      db, client, clock, reconnectIntervalMs: RECONNECT_MS, backoff: { baseMs: 2_000, maxMs: 60_000 }, random: () => 0.5,
      onStatus: (e) => events.push(e), ...options.sender,
    });
    return { client, sender };
  };
  let parts = make(opened.db);
  const rig: SyncRig = {
    reg, emu, events, now, clock,
    get db() { return opened.db; },
    get checkout() { return opened.checkout; },
    get client() { return parts.client; },
    get sender() { return parts.sender; },
    sell(i) {
      const c = opened.checkout;
      if (!c.currentShift()) c.openShift('sync-test');
      const r = c.scan(codeOf(G.water, serial(i)));
      if (!r.ok) throw new Error(`code ${i} refused: ${r.refusal.verdict.reason}`);
      return c.completeSale({ payments: [{ type: 'cash', amount: 25000 }] });
    },
    restart() {
      opened.close();
      opened = openCheckout(reg.file);
      parts = make(opened.db);
    },
    async close() {
      await parts.sender.stop();
      opened.close();
      await emu.close();
      reg.done();
    },
  };
  return rig;
}
