/** pino logging to stderr, so that a command's stdout stays machine-readable. */
import { pino, type Logger } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** A logger at the configured level, writing JSON lines to stderr. */
export function createLogger(level: Config['log']['level'] = 'warn'): Logger {
  return pino({ level, base: { app: 'tanba' } }, pino.destination(2));
}
