/**
 * Training mode: no OFD is configured, so the composition root starts, in-process and on
 * loopback, everything a real register talks to, and configures the register with their
 * addresses (the register's code never knows it is talking to emulators):
 * - an OFD emulator (its database `<dataDir>/ofd-training.db`) that the sender delivers to over
 *   real TCP exactly as to a real OFD; receipts carry its ticket numbers and QR URLs;
 * - a marking registry emulator with a seeded dataset (its feed also written to
 *   `<dataDir>/training-feed.ndjson`) that the puller uses over real HTTP, and an xTrace
 *   emulator (Kazakhstan's ИС МПТ) on the same dataset: the training register's online check is
 *   the real chain `xtrace` then `tanba-feed`, with a real login, token and status mapping;
 * - a virtual serial scanner on a pty (socat), which the technician's "test scan" sends
 *   through, so a test scan travels the real driver path;
 * - a virtual ESC/POS printer that renders every receipt to PNG (`<dataDir>/training-printer`).
 *
 * Both sides persist the OFD's rotating token (the register in tanba.db, the emulator in
 * ofd-training.db); deleting one of the two files makes the next exchange fail with result 2
 * (invalid token), which blocks the queue with that message — never loses it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRAINING_DEVICE, type RenderingPrinter, type TrainingControl, type TrainingScanner, type TrainingSetup } from '../src/register/training.ts';

export { TRAINING_DEVICE };
import { startOfdEmulator, type OfdEmulator } from './ofd/index.ts';
import { VirtualPrinter } from './printer/index.ts';
import { RegistryDataset, RegistryEmulator, writeFeedFile } from './registry/index.ts';
import { XtraceEmulator, XTRACE_EMULATOR_LOGIN } from './marking/index.ts';
import { SerialScannerEmulator } from './scanner/index.ts';

/** File name of the training emulator's database inside the data directory. */
export const TRAINING_OFD_DB = 'ofd-training.db';
/** Bearer token of the in-process marking registry emulator. */
export const TRAINING_REGISTRY_TOKEN = 'tanba-emulator';
/** Seed of the training registry's dataset: the same codes on every start. */
const TRAINING_SEED = 8;

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
 * database at `<dataDir>/ofd-training.db`.
 */
export async function startTrainingOfd(dataDir: string, options: { port?: number } = {}): Promise<TrainingOfd> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const emulator = await startOfdEmulator({
    dbPath: join(dataDir, TRAINING_OFD_DB),
    port: options.port ?? 0,
    devices: [{ id: TRAINING_DEVICE.id, token: TRAINING_DEVICE.token }],
  });
  return {
    host: emulator.host, port: emulator.port, deviceId: TRAINING_DEVICE.id, token: TRAINING_DEVICE.token, emulator,
    close: () => emulator.close(),
  };
}

/** Options of {@link startTraining}. */
export interface TrainingOptions {
  /** Codes in the registry dataset (default 10 000). */
  codes?: number;
  /** Start the emulated pty scanner (default true; needs socat). */
  scanner?: boolean;
  /** "Today" of the dataset (expiry dates are relative to it). */
  today?: () => string;
  /** Told when something could not start (the rest still runs). */
  warn?: (message: string) => void;
}

/** Starts the emulators of training mode and describes them for `createRegister`. */
/** A small file's text, or null when it cannot be read. */
function readTextOrNull(path: string): string | null {
  try { return readFileSync(path, 'utf8'); } catch { return null; }
}

export async function startTraining(dataDir: string, options: TrainingOptions = {}): Promise<TrainingSetup> {
  const today = options.today ?? ((): string => new Date().toISOString().slice(0, 10));
  const warn = options.warn ?? ((): void => undefined);
  let ofd: TrainingOfd | null = await startTrainingOfd(dataDir);
  const ofdPort = ofd.port;
  const dataset = new RegistryDataset({ seed: TRAINING_SEED, codes: options.codes ?? 10_000, today: today() });
  let registry: RegistryEmulator | null = new RegistryEmulator({ dataset, token: TRAINING_REGISTRY_TOKEN });
  const registryUrl = await registry.start();
  let xtrace: XtraceEmulator | null = new XtraceEmulator({ dataset });
  const xtraceUrl = await xtrace.start();
  try {
    // The same feed as a file, for the technician's "cache import" and for demos. Written again
    // only when the dataset differs from the file's (its key beside it): a restart does not
    // spend start-up time rewriting the same 10,000 lines.
    const feedFile = join(dataDir, 'training-feed.ndjson');
    const keyFile = `${feedFile}.key`;
    const key = `${TRAINING_SEED}:${options.codes ?? 10_000}:${dataset.today}\n`;
    if (!existsSync(feedFile) || readTextOrNull(keyFile) !== key) {
      writeFeedFile(feedFile, dataset);
      writeFileSync(keyFile, key);
    }
  } catch (err) {
    warn(`could not write the training feed file: ${(err as Error).message}`);
  }
  const link = join(dataDir, 'training-scanner.pty');
  const scannerEmu = options.scanner === false ? null : await startScanner(link, warn);
  const healer = scannerEmu === null ? null : keepPlugged(scannerEmu, warn);
  const scanner: TrainingScanner | null = scannerEmu === null || healer === null ? null : {
    link,
    async send(code) {
      await healer.heal();
      const bytes = scannerEmu.frameBytes(code).length;
      try {
        await scannerEmu.send(code);
      } catch {
        // The pty died under the write (socat gone before its exit was seen): plug back in, send once more.
        await healer.heal(true);
        await scannerEmu.send(code);
      }
      return bytes;
    },
  };
  const control: TrainingControl = {
    status: () => ({
      ofd: { running: ofd !== null, host: '127.0.0.1', port: ofdPort },
      registry: { running: registry !== null, url: registryUrl },
      markingSystems: [{ kind: 'xtrace', url: xtraceUrl, running: xtrace !== null }],
      scanner: { running: scannerEmu !== null, path: scannerEmu?.path ?? null },
    }),
    async stopOfd() {
      const t = ofd;
      ofd = null;
      await t?.close();
    },
    async startOfd() {
      ofd ??= await startTrainingOfd(dataDir, { port: ofdPort });
    },
    async stopRegistry() {
      const r = registry;
      const x = xtrace;
      registry = null;
      xtrace = null;
      await Promise.all([r?.close(), x?.close()]);
    },
    async startRegistry() {
      if (!registry) {
        const emu = new RegistryEmulator({ dataset, token: TRAINING_REGISTRY_TOKEN, port: Number(new URL(registryUrl).port) });
        await emu.start();
        registry = emu;
      }
      if (!xtrace) {
        const emu = new XtraceEmulator({ dataset, port: Number(new URL(xtraceUrl).port) });
        await emu.start();
        xtrace = emu;
      }
    },
    sample: (kind, n, offset = 0) => dataset.sample(kind, n, { offset, today: today() }).map((s) => s.code),
  };
  const outDir = join(dataDir, 'training-printer');
  return {
    ofd: { host: '127.0.0.1', port: ofdPort, deviceId: TRAINING_DEVICE.id, token: TRAINING_DEVICE.token },
    marking: { url: registryUrl, token: TRAINING_REGISTRY_TOKEN },
    // The real providers against the emulators: xTrace first (statuses online), the Tanba feed next (and its status feed for the cache).
    markingProviders: [
      { kind: 'xtrace', url: xtraceUrl, login: XTRACE_EMULATOR_LOGIN.login, password: XTRACE_EMULATOR_LOGIN.password },
      { kind: 'tanba-feed', url: registryUrl, token: TRAINING_REGISTRY_TOKEN },
    ],
    printer: { outDir, open: () => openVirtualPrinter(outDir) },
    scanner,
    control,
    async close() {
      healer?.stop();
      await scannerEmu?.close().catch(() => undefined);
      await control.stopOfd();
      await control.stopRegistry();
    },
  };
}

/**
 * The training scanner stays plugged in: socat ends when the host side of its pty is closed
 * for a moment (a driver reopening the port), and then both paths vanish. Nobody unplugs the
 * training scanner on purpose, so it is plugged back in at the same path — at once when found
 * gone (checked every 500 ms) and before every Test scan.
 */
function keepPlugged(emu: SerialScannerEmulator, warn: (message: string) => void): { heal(force?: boolean): Promise<void>; stop(): void } {
  let healing: Promise<void> | null = null;
  let stopped = false;
  const heal = (force = false): Promise<void> => {
    if (stopped || (emu.pty.plugged && !force)) return healing ?? Promise.resolve();
    healing ??= (async () => {
      try {
        await emu.unplug(); // forgets the dead device handle
        // A socat that was killed outright leaves its links behind; they are ours to remove.
        rmSync(emu.pty.path, { force: true });
        rmSync(emu.pty.devicePath, { force: true });
        await emu.replug();
      } catch (err) {
        warn(`the emulated scanner could not be plugged back in: ${(err as Error).message}`);
      } finally {
        healing = null;
      }
    })();
    return healing;
  };
  const timer = setInterval(() => { void heal(); }, 500);
  timer.unref();
  return { heal, stop() { stopped = true; clearInterval(timer); } };
}

async function startScanner(link: string, warn: (message: string) => void): Promise<SerialScannerEmulator | null> {
  const emu = new SerialScannerEmulator({ link, terminator: 'cr' });
  try {
    await emu.start();
    return emu;
  } catch (err) {
    warn(`the emulated scanner could not start (is socat installed?); test scans are unavailable: ${(err as Error).message}`);
    await emu.close().catch(() => undefined);
    return null;
  }
}

async function openVirtualPrinter(outDir: string): Promise<RenderingPrinter> {
  const printer = new VirtualPrinter({ outDir, width: 80 });
  printer.on('warning', () => undefined);
  const port = await printer.listenTcp(0, '127.0.0.1');
  return { port, receipts: printer.receipts, close: () => printer.close() };
}
