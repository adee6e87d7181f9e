/**
 * How a register reads and decides codes, from its configuration alone: the parse options and the
 * code checker. `createRegister` builds its own through here, and `tanba check`, which needs
 * nothing else, builds only these: no OFD client, no drivers, no printer to load at its start.
 */
import { join } from 'node:path';
import { createCodeChecker, type CodeChecker } from '../cache/index.ts';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { ParseOptions } from '../marking/index.ts';
import type { Db } from '../store/index.ts';

/** A register's way of parsing and deciding codes. */
export interface Decisions {
  parseOptions: ParseOptions;
  checker: CodeChecker;
}

/** Parse options and checker from the configuration; `feedConfigured`: a status feed (or the training one) is set up. */
export function createDecisions(config: Config, db: Db, clock: Clock, feedConfigured: boolean): Decisions {
  const lang = config.languages[0] ?? 'ru';
  return {
    parseOptions: { extraSeparators: config.marking.extraSeparators, lang },
    checker: createCodeChecker(db, {
      clock, offlineLimitHours: config.cache.offlineLimitHours, groupOfflineLimitHours: config.cache.groupOfflineLimitHours,
      feedConfigured, lang,
    }),
  };
}

/** The data directory's database file. */
export function databasePath(dataDir: string): string {
  return join(dataDir, 'tanba.db');
}
