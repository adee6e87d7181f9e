/**
 * Timings of the server's own jobs and of a whole core (register + server + training emulators),
 * checked up front: a bad value is a TypeError naming the option.
 */
import { checkRegisterTuning, checkTimings, type RegisterTuning } from '../register/index.ts';

/** Timings of the server's own jobs, mostly for tests. */
export interface ServerTuning {
  /** Sync status push interval (default 3 s). */
  statusPushMs?: number;
  /** How long a sale waits for its OFD ticket number before printing offline (default 1.5 s). */
  printWaitForTicketMs?: number;
  /** How long a sale's answer waits for the printer before saying 'pending' (default 4 s). */
  printWaitMs?: number;
  /** Budget of an online check (default 1.5 s). */
  onlineCheckMs?: number;
  /** How often the OFD's reachability is probed with a TCP connect (default 15 s). */
  ofdProbeMs?: number;
}

/** Every timing of a core (register, server jobs, training emulators), mostly for tests. */
export interface ServiceTuning extends RegisterTuning, ServerTuning {
  /** Codes in the training registry dataset (default 10 000). */
  trainingCodes?: number;
  /** Start the emulated pty scanner in training mode (default true; needs socat). */
  trainingScanner?: boolean;
}

/** Checks the server's timings; throws a TypeError naming `tuning.<option>`. */
export function checkServerTuning(tuning: ServerTuning | undefined): void {
  checkTimings('tuning', tuning, { statusPushMs: 'positive', printWaitForTicketMs: 'nonNegative', printWaitMs: 'nonNegative', onlineCheckMs: 'positive', ofdProbeMs: 'positive' });
}

/** Checks a whole core's timings (register, server, training); throws a TypeError naming the option. */
export function checkServiceTuning(tuning: ServiceTuning | undefined): void {
  checkRegisterTuning(tuning);
  checkServerTuning(tuning);
  const codes = tuning?.trainingCodes;
  if (codes !== undefined && !(Number.isSafeInteger(codes) && codes > 0)) throw new TypeError(`tuning.trainingCodes must be a whole number above zero, got ${String(codes)}`);
  const scanner = tuning?.trainingScanner;
  if (scanner !== undefined && typeof scanner !== 'boolean') throw new TypeError(`tuning.trainingScanner must be true or false, got ${String(scanner)}`);
}
