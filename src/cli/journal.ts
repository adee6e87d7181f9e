/** `tanba journal verify`: walks the hash chain and names the first broken link (exit 1). */
import { join } from 'node:path';
import { describeVerification, verifyRegister } from '../checkout/index.ts';
import { ensureDataDir } from '../config.ts';
import { openDatabase } from '../store/index.ts';
import { write, type Command } from './types.ts';

export const journalVerifyCommand: Command = {
  async run(ctx, args) {
    ensureDataDir(ctx.dataDir);
    const db = openDatabase(join(ctx.dataDir, 'tanba.db'));
    try {
      const v = verifyRegister(db);
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify(v)}\n`);
      else await write(v.ok ? ctx.stdout : ctx.stderr, `${describeVerification(v)}\n`);
      return v.ok ? 0 : 1;
    } finally {
      db.close();
    }
  },
};
