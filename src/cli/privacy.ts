/** `tanba privacy purge`: deletes expired and withdrawn e-receipt contacts from the file and its WAL. */
import { purgeContacts } from '../checkout/index.ts';
import { withRegister } from './register.ts';
import { write, type Command } from './types.ts';

export const privacyPurgeCommand: Command = {
  async run(ctx, args) {
    return withRegister(ctx, async (reg) => {
      const r = purgeContacts(reg.db, reg.clock.now().toISOString());
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify({ ok: true, ...r })}\n`);
      else await write(ctx.stdout, `purged ${r.purged} contact(s)${r.walTruncated ? '' : ' (WAL busy: another process holds it; run again)'}\n`);
      return 0;
    }, { existing: true }); // nothing to purge where there is no register: creating one would be a lie
  },
};
