/** `tanba journal verify`: walks the hash chain and names the first broken link (exit 1). */
import { describeVerification, verifyRegister } from '../checkout/index.ts';
import { openRegisterDb } from './register.ts';
import { write, type Command } from './types.ts';

export const journalVerifyCommand: Command = {
  name: 'journal verify',
  summary: 'check the journal\'s hash chain; names the first broken link',
  usage: '[--json]',
  flags: { json: { type: 'boolean', help: 'print one JSON object' } },
  async run(ctx, args) {
    const db = openRegisterDb(ctx, { existing: true });
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
