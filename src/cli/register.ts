/**
 * How a CLI command gets its register: `openRegister` opens `<dataDir>/tanba.db` and builds the
 * register with `createRegister` — the same function the server uses, with the same
 * configuration — without starting it. A command uses the members it needs (`sell` the
 * checkout, `sync retry` the sender) and closes it.
 */
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

/** Opens the data directory's database (created on first use) without building a register. */
export function openRegisterDb(ctx: CliContext): Db {
  ensureDataDir(ctx.dataDir);
  securePrivateTree(ctx.dataDir);
  return openDatabase(databasePath(ctx.dataDir));
}

/** Opens the register of the data directory (TANBA_NOW fixes its clock). Nothing is started. */
export function openRegister(ctx: CliContext, options: { ofdTarget?: OfdTarget } = {}): CliRegister {
  const config = ctx.config();
  const clock = cliClock(ctx.env);
  const db = openRegisterDb(ctx);
  try {
    const register = createRegister({ config, db, clock, dataDir: ctx.dataDir, ...(options.ofdTarget ? { ofdTarget: options.ofdTarget } : {}) });
    return Object.assign(register, { close: () => db.close() });
  } catch (err) {
    db.close();
    throw err;
  }
}
