/**
 * How a CLI command gets its register: `openRegister` opens `<dataDir>/tanba.db` and builds the
 * register with `createRegister` — the same function the server uses, with the same
 * configuration — without starting it. A command uses the members it needs (`sell` the
 * checkout, `sync retry` the sender) and closes it.
 */
import { existsSync } from 'node:fs';
import { ensureDataDir } from '../config.ts';
import { createRegister, databasePath, type Register } from '../register/index.ts';
import { openDatabase, securePrivateTree, type Db } from '../store/index.ts';
import type { OfdTarget } from '../sync/index.ts';
import { cliClock, type CliContext } from './types.ts';

/** A register opened by a CLI command. */
export interface CliRegister extends Register {
  /** Closes the database. */
  close(): void;
}

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
}

/** Opens the data directory's database (created on first use, unless `existing`) without building a register. */
export function openRegisterDb(ctx: CliContext, options: OpenOptions = {}): Db {
  if (options.existing) assertRegisterExists(ctx);
  ensureDataDir(ctx.dataDir);
  securePrivateTree(ctx.dataDir);
  return openDatabase(databasePath(ctx.dataDir));
}

/** Opens the register of the data directory (TANBA_NOW fixes its clock). Nothing is started. */
export function openRegister(ctx: CliContext, options: OpenOptions & { ofdTarget?: OfdTarget } = {}): CliRegister {
  if (options.existing) assertRegisterExists(ctx);
  const config = ctx.config();
  const clock = cliClock(ctx.env);
  const db = openRegisterDb(ctx, options);
  try {
    const register = createRegister({ config, db, clock, dataDir: ctx.dataDir, ...(options.ofdTarget ? { ofdTarget: options.ofdTarget } : {}) });
    return Object.assign(register, { close: () => db.close() });
  } catch (err) {
    db.close();
    throw err;
  }
}
