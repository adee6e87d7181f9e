/**
 * The light half of `openRegister` (register.ts), for commands that only read the database or
 * decide codes: the database, and the register's parse options and checker built as
 * `createRegister` builds them (src/register/decisions.ts), without loading the OFD client, the
 * drivers or the printer — `tanba check` starts in a fraction of the time.
 */
import { ensureDataDir, markingProviders } from '../config.ts';
import { createDecisions, databasePath, type Decisions } from '../register/decisions.ts';
import { existsSync } from 'node:fs';
import { openDatabase, securePrivateTree, type Db } from '../store/index.ts';
import { cliClock, type CliContext } from './types.ts';

/** Thrown by a command that only reads when there is no register to read: it creates nothing. */
export class NoRegisterError extends Error {
  override name = 'NoRegisterError';
}

/**
 * The one gate of the commands that only read (journal verify, sync status, cache stats, ...):
 * the data directory and its database must already exist — a missing or empty directory is a
 * clear error (exit 1), and nothing is created, neither the directory nor a database.
 */
export function assertRegisterExists(ctx: CliContext): void {
  const file = databasePath(ctx.dataDir);
  if (!existsSync(ctx.dataDir)) throw new NoRegisterError(`no register data at ${ctx.dataDir} (the directory does not exist); nothing to read — check --data-dir / TANBA_DATA_DIR`);
  if (!existsSync(file)) throw new NoRegisterError(`no register database in ${ctx.dataDir} (tanba.db is missing); nothing to read — check --data-dir / TANBA_DATA_DIR`);
}

/** How a command opens its register: `existing` for a command that only reads (see {@link assertRegisterExists}). */
export interface OpenOptions {
  existing?: boolean;
  /**
   * For a command that only reads but must still answer on a fresh install (`check` from an empty
   * cache, `registry test`): with no register on disk it works on an empty in-memory database, so
   * the answer is the same and nothing is created.
   */
  emptyWhenMissing?: boolean;
}

/** Whether the data directory holds a register database. */
export function registerExists(dataDir: string): boolean {
  return existsSync(databasePath(dataDir));
}

/**
 * Opens the data directory's database (created on first use, unless `existing` or
 * `emptyWhenMissing`) without building a register. The directory is made 0700 and its files 0600 (src/store/private.ts).
 */
export function openRegisterDb(ctx: CliContext, options: OpenOptions = {}): Db {
  if (options.existing) assertRegisterExists(ctx);
  if (options.emptyWhenMissing && !registerExists(ctx.dataDir)) return openDatabase(':memory:');
  ensureDataDir(ctx.dataDir);
  securePrivateTree(ctx.dataDir);
  return openDatabase(databasePath(ctx.dataDir));
}

/**
 * Runs `fn` with the data directory's database (no register) and closes it afterwards, whatever
 * happens. Here, not in register.ts, so a command that only reads the database stays light.
 */
export async function withRegisterDb<T>(ctx: CliContext, fn: (db: Db) => Promise<T> | T, options: OpenOptions = {}): Promise<T> {
  const db = openRegisterDb(ctx, options);
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

/** The register's way of deciding codes (TANBA_NOW fixes its clock), on its database. */
export function openDecisions(ctx: CliContext, options: OpenOptions = {}): Decisions & { db: Db; close(): void } {
  const config = ctx.config();
  const clock = cliClock(ctx.env);
  const db = openRegisterDb(ctx, options);
  try {
    return { ...createDecisions(config, db, clock, markingProviders(config).some((e) => e.kind === 'tanba-feed')), db, close: () => db.close() };
  } catch (err) {
    db.close();
    throw err;
  }
}
