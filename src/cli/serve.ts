/** `tanba serve`: the core headless — API and web UI on loopback. */
import { startCore } from '../server/main.ts';
import { intFlag, stringFlag, write, type Command } from './types.ts';

export const serveCommand: Command = {
  async run(ctx, args) {
    const host = stringFlag(args, 'host') ?? ctx.env.TANBA_HOST ?? '127.0.0.1';
    const port = args.flags.port !== undefined ? intFlag(args, 'port', 8420, 0, 65535) : Number(ctx.env.TANBA_PORT ?? 8420);
    const config = ctx.config();
    const core = await startCore({ dataDir: ctx.dataDir, host, port, env: ctx.env });
    const training = config.registry.ofd === undefined ? ' — TRAINING MODE (no registry configured)' : '';
    await write(ctx.stdout, `Tanba is running at ${core.url}${training}\ndata directory: ${ctx.dataDir}\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await core.stop();
    return 0;
  },
};
