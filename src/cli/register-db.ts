/**
 * The light half of `openRegister` (register.ts), for commands that only read the database or
 * decide codes: the database, and the register's parse options and checker built as
 * `createRegister` builds them (src/register/decisions.ts), without loading the OFD client, the
 * drivers or the printer — `tanba check` starts in a fraction of the time.
 */
import { ensureDataDir, markingProviders } from '../config.ts';
import { createDecisions, databasePath, type Decisions } from '../register/decisions.ts';
import { openDatabase, type Db } from '../store/index.ts';
import { cliClock, type CliContext } from './types.ts';

/** Opens the data directory's database (created on first use) without building a register. */
export function openRegisterDb(ctx: CliContext): Db {
  ensureDataDir(ctx.dataDir);
  return openDatabase(databasePath(ctx.dataDir));
}

/**
 * Runs `fn` with the data directory's database (no register) and closes it afterwards, whatever
 * happens. Here, not in register.ts, so a command that only reads the database stays light.
 */
export async function withRegisterDb<T>(ctx: CliContext, fn: (db: Db) => Promise<T> | T): Promise<T> {
  const db = openRegisterDb(ctx);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** The register's way of deciding codes (TANBA_NOW fixes its clock), on its database. */
export function openDecisions(ctx: CliContext): Decisions & { db: Db; close(): void } {
  const config = ctx.config();
  const clock = cliClock(ctx.env);
  const db = openRegisterDb(ctx);
  try {
    return { ...createDecisions(config, db, clock, markingProviders(config).some((e) => e.kind === 'tanba-feed')), db, close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
