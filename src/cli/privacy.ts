/** `tanba privacy purge`: deletes expired and withdrawn e-receipt contacts from the file and its WAL. */
import { purgeContactsSettled } from '../checkout/index.ts';
import { withRegister } from './register.ts';
import { write, type Command } from './types.ts';

export const privacyPurgeCommand: Command = {
  async run(ctx, args) {
    return withRegister(ctx, async (reg) => {
      // Another process's reader may hold the WAL a moment: the checkpoint is retried (about 2 s at most).
      const r = await purgeContactsSettled(reg.db, reg.clock.now().toISOString());
      // The JSON keeps its fields; when bytes may remain it says so, and how often it tried.
      const json = { ok: true, purged: r.purged, walTruncated: r.walTruncated, ...(r.bytesMayRemain ? { bytesMayRemain: true, attempts: r.attempts } : {}) };
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify(json)}\n`);
      else await write(ctx.stdout, `purged ${r.purged} contact(s)${r.bytesMayRemain ? ` (WAL busy after ${r.attempts} checkpoint attempts: another process holds a snapshot, so their bytes may remain in the file; run again)` : ''}\n`);
      return 0;
    }, { existing: true }); // nothing to purge where there is no register: creating one would be a lie
  },
};
