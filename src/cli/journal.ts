/** `tanba journal verify`: walks the hash chain and names the first broken link (exit 1). */
import { describeVerification, verifyRegister } from '../checkout/index.ts';
import { withRegisterDb } from './register-db.ts';
import { write, type Command } from './types.ts';

export const journalVerifyCommand: Command = {
  async run(ctx, args) {
    return withRegisterDb(ctx, async (db) => {
      const v = verifyRegister(db);
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify(v)}\n`);
      else await write(v.ok ? ctx.stdout : ctx.stderr, `${describeVerification(v)}\n`);
      return v.ok ? 0 : 1;
    }, { existing: true });
  },
};
