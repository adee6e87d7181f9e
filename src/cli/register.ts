/**
 * How a CLI command gets its register: `openRegister` opens `<dataDir>/tanba.db` and builds the
 * register with `createRegister` — the same function the server uses, with the same
 * configuration — without starting it. A command uses the members it needs (`sell` the
 * checkout, `sync retry` the sender) and closes it.
 */
import { createRegister, type Register } from '../register/index.ts';
import type { OfdTarget } from '../sync/index.ts';
import { openRegisterDb } from './register-db.ts';
import { cliClock, type CliContext } from './types.ts';

export { openRegisterDb, openDecisions, withRegisterDb } from './register-db.ts';

/** A register opened by a CLI command. */
export interface CliRegister extends Register {
  /** Closes the database. */
  close(): void;
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

/**
 * Runs `fn` with the register of the data directory and closes it afterwards, whatever happens:
 * the one open / try / finally of every command that uses the register.
 */
export async function withRegister<T>(ctx: CliContext, fn: (reg: CliRegister) => Promise<T> | T, options: { ofdTarget?: OfdTarget } = {}): Promise<T> {
  const reg = openRegister(ctx, options);
  try {
    return await fn(reg);
  } finally {
    await reg.hub?.stop();
    reg.close();
  }
}
