/**
 * API contract of the technician's maintenance screens: registry connection test, recent logs,
 * diagnostics bundle, training-mode emulator control.
 */
import * as z from 'zod';
import type { CacheFreshnessView, CacheStatsView } from './cache.ts';
import type { DeviceHealthView, DeviceView } from './devices.ts';
import type { SyncStatusView, TrainingView } from './sync.ts';
import type { ConfigView } from './api.ts';

/** What one connection test found. */
export interface ConnectionTestResult {
  /** The target tried (host:port or URL; never a token). */
  target: string | null;
  ok: boolean;
  /** Not tried (e.g. no marking registry configured), with the reason in `detail`. */
  skipped: boolean;
  latencyMs: number | null;
  /** What happened, for a person: the OFD's answer, the HTTP status, the network error. */
  detail: string;
}

/** POST /api/registry/test — tries the OFD (COMMAND_INFO) and the marking registry (/health + a check). */
export interface RegistryTestResponse {
  trainingMode: boolean;
  ofd: ConnectionTestResult;
  marking: ConnectionTestResult;
  /** What the OFD last said about this register (2.0.3 reg_info; the test's COMMAND_INFO refreshes it); null: never answered. */
  ofdRegInfo: OfdRegInfoView | null;
}

/**
 * The OFD's registration data for this register as last answered (2.0.3 `reg_info`): the point
 * of sale's addresses (Russian and Kazakh) and position, the organisation. Positions in degrees
 * (the wire carries micro-degrees).
 */
export interface OfdRegInfoView {
  pointOfSale: { title: string | null; address: string | null; addressKz: string | null; latitude: number | null; longitude: number | null } | null;
  organisation: { title: string | null; address: string | null; addressKz: string | null; inn: string | null } | null;
  register: { kkmId: string | null; serialNumber: string | null; fnsKkmId: string | null } | null;
  /** When the answer arrived (UTC). */
  receivedAt: string;
}

/** Query of GET /api/logs */
export const logsQuery = z.object({
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
export type LogsQuery = z.input<typeof logsQuery>;

/** One log line (pino JSON), secrets removed. */
export interface LogLine {
  time: string;
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  msg: string;
  /** The other fields of the line. */
  data: Record<string, unknown>;
}

/** GET /api/logs — newest last. */
export interface LogsResponse {
  lines: LogLine[];
}

/** GET /api/diagnostics — a bundle for support; contains no secrets and no customer contacts. */
export interface DiagnosticsBundle {
  generatedAt: string;
  versions: { tanba: string; node: string; sqlite: string; platform: string; arch: string };
  trainingMode: boolean;
  config: ConfigView;
  devices: DeviceView[];
  deviceHealth: DeviceHealthView[];
  sync: SyncStatusView;
  cache: { stats: CacheStatsView; freshness: CacheFreshnessView };
  training: TrainingView | null;
  logs: LogLine[];
  uptimeMs: number;
  /** What the OFD last said about this register's point of sale and organisation (2.0.3 reg_info). */
  ofdRegInfo: OfdRegInfoView | null;
}

/**
 * POST /api/training/emulators (training mode only, technician): stop or start the in-process
 * emulators — to show the offline banner, a growing queue, and the queue draining again.
 */
export const trainingControlRequest = z.object({
  ofd: z.enum(['running', 'stopped']).optional(),
  registry: z.enum(['running', 'stopped']).optional(),
});
export type TrainingControlRequest = z.infer<typeof trainingControlRequest>;

/** POST /api/training/emulators */
export interface TrainingControlResponse {
  training: TrainingView;
}
