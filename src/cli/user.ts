/**
 * `tanba user unlock NAME`: forgets a user's wrong PINs, so they can sign in again at once. For
 * whoever holds the register's data files (who can do anything anyway): the way back in when
 * the only administrator is locked out by someone guessing at their name. Audited.
 */
import { appendAudit, clearFailures, userByName, type Db } from '../store/index.ts';
import { NoRegisterError, withRegisterDb } from './register-db.ts';
import { cliClock, UsageError, write, type Command } from './types.ts';

export const userUnlockCommand: Command = {
  async run(ctx, args) {
    const name = args.positionals[0];
    if (name === undefined || args.positionals.length !== 1) throw new UsageError('name the user to unlock');
    const json = args.flags.json === true;
    const fail = async (message: string) => {
      if (json) await write(ctx.stdout, `${JSON.stringify({ ok: false, error: message })}\n`);
      else await write(ctx.stderr, `tanba: ${message}\n`);
      return 1;
    };
    // The CLI's one opener, `existing`: never create a register to unlock someone in it.
    const unlock = async (db: Db): Promise<number> => {
      const user = userByName(db, name);
      if (!user) return fail(`no user named '${name}'`);
      const cleared = clearFailures(db, user.id);
      appendAudit(db, { at: cliClock(ctx.env).now().toISOString(), user: null, userName: 'cli', action: 'user.unlock', outcome: 'ok', details: { userId: user.id, name: user.name, via: 'cli' }, remote: null });
      if (json) await write(ctx.stdout, `${JSON.stringify({ ok: true, user: user.name, cleared })}\n`);
      else await write(ctx.stdout, `${user.name} is unlocked${cleared === 0 ? ' (was not locked)' : ''}\n`);
      return 0;
    };
    try {
      return await withRegisterDb(ctx, unlock, { existing: true });
    } catch (err) {
      if (err instanceof NoRegisterError) return fail(err.message);
      throw err;
    }
  },
};
