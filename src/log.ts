/** pino logging to stderr, so that a command's stdout stays machine-readable. */
import { createRequire } from 'node:module';
import type { Logger, pino } from 'pino';
import type { Config } from './config.ts';

export type { Logger };

/** A logger at the configured level, writing JSON lines to stderr. */
export function createLogger(level: Config['log']['level'] = 'warn'): Logger {
  // Loaded on the first logger, not at import: most commands never log, and pino costs every start.
  const pinoModule = createRequire(import.meta.url)('pino') as { pino: typeof pino };
  return pinoModule.pino({ level, base: { app: 'tanba' } }, pinoModule.pino.destination(2));
}
