/**
 * Training mode: no OFD is configured, so the core delivers to an OFD emulator it starts itself
 * on loopback, with the emulator's own database in the data directory. Receipts then carry real
 * ticket numbers and QR URLs that lead to the emulator's HTTP view of the document.
 *
 * Both sides persist the rotating token (the register in tanba.db, the emulator in
 * ofd-training.db); deleting one of the two files makes the next exchange fail with result 2
 * (invalid token), which blocks the queue with that message — never loses it.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { systemClock } from '../clock.ts';
import { initOfdState, type Db } from '../store/index.ts';
import { createOfdClient, startOfdEmulator, type OfdClient, type OfdClientOptions, type OfdEmulator } from '../registry/index.ts';

/** File name of the training emulator's database inside the data directory. */
export const TRAINING_OFD_DB = 'ofd-training.db';
/** Device id and first token of the training register. */
export const TRAINING_DEVICE = { id: 1, token: 1 } as const;

/** A running training OFD. */
export interface TrainingOfd {
  readonly host: string;
  readonly port: number;
  readonly deviceId: number;
  readonly token: number;
  readonly emulator: OfdEmulator;
  close(): Promise<void>;
}

/**
 * Starts the training OFD emulator in-process on 127.0.0.1 (port 0 = any free port) with its
 * database at `<dataDir>/ofd-training.db`. The lead calls this from the composition root when
 * `config.registry.ofd` is absent.
 */
export async function startTrainingOfd(dataDir: string, options: { port?: number } = {}): Promise<TrainingOfd> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const emulator = await startOfdEmulator({
    dbPath: join(dataDir, TRAINING_OFD_DB),
    port: options.port ?? 0,
    devices: [{ id: TRAINING_DEVICE.id, token: TRAINING_DEVICE.token }],
  });
  return {
    host: emulator.host,
    port: emulator.port,
    deviceId: TRAINING_DEVICE.id,
    token: TRAINING_DEVICE.token,
    emulator,
    close: () => emulator.close(),
  };
}

/** Where the OFD is: the configured one (`config.registry.ofd`) or a training emulator. */
export interface OfdTarget {
  host: string;
  port: number;
  deviceId: number;
  /** The registration token; used only the first time (a rotated stored token always wins). */
  token: number;
}

/**
 * Creates the OFD client for the register database, initialising the client state from the
 * registration token on first use (never overwriting a rotated token).
 */
export function openOfdClient(db: Db, target: OfdTarget, options: Omit<OfdClientOptions, 'db' | 'host' | 'port' | 'deviceId'> = {}): OfdClient {
  const now = (options.clock ?? systemClock).now().toISOString();
  initOfdState(db, { deviceId: target.deviceId, token: target.token, now });
  return createOfdClient({ ...options, db, host: target.host, port: target.port, deviceId: target.deviceId });
}
