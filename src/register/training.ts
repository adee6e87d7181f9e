/**
 * What the register needs to know about training mode. The emulators themselves live in
 * emulators/ (only the composition root, the CLI, tests and bench import them); the root starts
 * them with `startTraining(dataDir)` and hands the register this description: the addresses to
 * use as configuration and a control for the technician's "stop / start the OFD" buttons.
 */

import type { MarkingProviderConfig } from '../config.ts';

/** Where the training emulators listen, and which codes they know. */
export interface TrainingSetup {
  /** The OFD emulator: address and the training device's registration. */
  ofd: { host: string; port: number; deviceId: number; token: number };
  /** The Tanba-feed emulator (status feed + its online check). */
  marking: { url: string; token: string };
  /**
   * The marking systems the training register asks, in order (the real providers against the
   * emulators); absent: only the Tanba feed above.
   */
  markingProviders?: MarkingProviderConfig[];
  /** A virtual printer that renders receipts to PNG in `outDir`. */
  printer: { outDir: string; open(): Promise<RenderingPrinter> };
  /** The emulated serial scanner (null when it could not start, e.g. no socat). */
  scanner: TrainingScanner | null;
  control: TrainingControl;
  /** Stops every emulator. */
  close(): Promise<void>;
}

/** A printer that renders what it receives; receipts are listed in the order printed. */
export interface RenderingPrinter {
  readonly port: number;
  readonly receipts: readonly { pngPath: string; text: string }[];
  close(): Promise<void>;
}

/** The emulated serial scanner on a pty. */
export interface TrainingScanner {
  /** The pty the register's serial driver opens. */
  readonly link: string;
  /** Sends a code as the scanner would (framed); resolves with the number of bytes written. */
  send(code: string): Promise<number>;
}

/** The emulators' state as the technician screen shows it. */
export interface TrainingStatus {
  ofd: { running: boolean; host: string; port: number };
  registry: { running: boolean; url: string };
  /** The marking-system emulators behind the training chain (xTrace), when running. */
  markingSystems?: { kind: string; url: string; running: boolean }[];
  scanner: { running: boolean; path: string | null };
}

/** The kinds of sample codes the training dataset offers. */
export type TrainingSampleKind = 'sellable' | 'in_circulation' | 'sold' | 'withdrawn' | 'not_introduced' | 'blocked' | 'expired' | 'above_mrp' | 'unknown';

/** Stops and starts the emulators (to show a register riding out an outage). */
export interface TrainingControl {
  status(): TrainingStatus;
  /** Stops the OFD emulator (deliveries fail, the queue grows). */
  stopOfd(): Promise<void>;
  /** Starts it again on the same port with the same database. */
  startOfd(): Promise<void>;
  stopRegistry(): Promise<void>;
  startRegistry(): Promise<void>;
  /** Codes of the training dataset as scanned (GS kept), e.g. to try a sellable one. */
  sample(kind: TrainingSampleKind, n: number, offset?: number): string[];
}

/** Device id of the emulated scanner in training mode. */
export const TRAINING_SCANNER_ID = 'training-scanner';

/** Device id and first token of the training register (the training OFD emulator knows it). */
export const TRAINING_DEVICE = { id: 1, token: 1 } as const;
