/**
 * The core's logger: pino JSON lines to stderr (at the configured level) and into an in-memory
 * ring buffer (info and above, or lower when configured) that the technician's log view and the
 * diagnostics bundle read. Secrets are redacted before a line is written anywhere.
 */
import { pino, type Logger } from 'pino';
import type { LogLine } from './contract/index.ts';

const LEVELS: Record<number, LogLine['level']> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
const LEVEL_VALUE: Record<LogLine['level'], number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

/** Keys whose values never reach a log line. */
export const REDACT_PATHS = [
  'token', 'pin', 'managerPin', 'password', 'authorization', 'ticket', '*.token', '*.pin', '*.managerPin', '*.password', '*.authorization', '*.ticket',
  'phone', 'email', '*.phone', '*.email',
];

/** A fixed-size buffer of the most recent log lines. */
export class LogRing {
  private readonly lines: LogLine[] = [];

  constructor(readonly capacity = 2000) {}

  /** pino destination interface: one JSON line per call. */
  write(chunk: string): void {
    for (const text of chunk.split('\n')) {
      if (text.trim() === '') continue;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      const { level, time, msg, ...data } = obj;
      const line: LogLine = {
        time: typeof time === 'number' ? new Date(time).toISOString() : typeof time === 'string' ? time : new Date().toISOString(),
        level: LEVELS[typeof level === 'number' ? level : 30] ?? 'info',
        msg: typeof msg === 'string' ? msg : '',
        data,
      };
      this.lines.push(line);
      if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    }
  }

  /** The last `limit` lines at `level` or above, oldest first. */
  recent(limit = 500, level?: LogLine['level']): LogLine[] {
    const min = level ? LEVEL_VALUE[level] : 0;
    const out = this.lines.filter((l) => LEVEL_VALUE[l.level] >= min);
    return out.slice(Math.max(0, out.length - limit));
  }
}

/** The logger with its ring. */
export interface CoreLogger {
  logger: Logger;
  ring: LogRing;
}

/**
 * Creates the core's logger. `stderrLevel` follows config `log.level` (default warn, so stdout
 * and the terminal stay quiet); the ring keeps info and above regardless.
 */
export function createCoreLogger(options: { stderrLevel?: string; stderr?: boolean; capacity?: number } = {}): CoreLogger {
  const ring = new LogRing(options.capacity);
  const stderrLevel = options.stderrLevel ?? 'warn';
  // The ring keeps info and above, or everything the configured (lower) level lets through.
  const level: pino.Level = stderrLevel === 'debug' || stderrLevel === 'trace' ? stderrLevel : 'info';
  const streams: pino.StreamEntry[] = [{ level, stream: ring }];
  if (options.stderr !== false && stderrLevel !== 'silent') streams.push({ level: stderrLevel as pino.Level, stream: pino.destination(2) });
  const logger = pino({ level, base: { app: 'tanba' }, redact: { paths: REDACT_PATHS, censor: '***' } }, pino.multistream(streams));
  return { logger, ring };
}
