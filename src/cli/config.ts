/** `tanba config show`: the effective configuration (file + environment), secrets masked. */
import { existsSync } from 'node:fs';
import { configPath, isTrainingMode } from '../config.ts';
import { maskSecrets } from '../server/settings.ts';
import { write, type Command } from './types.ts';

export const configShowCommand: Command = {
  async run(ctx, args) {
    const config = ctx.config();
    const shown = {
      dataDir: ctx.dataDir,
      configFile: configPath(ctx.dataDir, ctx.env),
      trainingMode: isTrainingMode(config),
      config: maskSecrets(config),
    };
    // Shown all the same (a configuration may come from the environment alone), but a mistyped
    // --data-dir is named; nothing is created.
    if (!existsSync(ctx.dataDir)) await write(ctx.stderr, `tanba: note: the data directory ${ctx.dataDir} does not exist (nothing was created); shown: defaults and TANBA_* environment\n`);
    await write(ctx.stdout, args.flags.json ? `${JSON.stringify(shown)}\n` : `${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  },
};
