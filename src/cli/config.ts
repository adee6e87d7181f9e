/** `tanba config show`: the effective configuration (file + environment), secrets masked. */
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
    await write(ctx.stdout, args.flags.json ? `${JSON.stringify(shown)}\n` : `${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  },
};
