/** `tanba serve`: the core headless — API and web UI on loopback. */
import { startCore } from '../server/main.ts';
import { UsageError, intFlag, stringFlag, write, type Command } from './types.ts';

export const serveCommand: Command = {
  async run(ctx, args) {
    const host = stringFlag(args, 'host') ?? ctx.env.TANBA_HOST ?? '127.0.0.1';
    const port = args.flags.port !== undefined ? intFlag(args, 'port', 8420, 0, 65535) : Number(ctx.env.TANBA_PORT ?? 8420);
    const config = ctx.config();
    const lmPort = args.flags['lm-port'] !== undefined ? intFlag(args, 'lm-port', 5995, 0, 65535) : undefined;
    if (lmPort !== undefined && config.localModule === undefined) {
      throw new UsageError('--lm-port needs localModule.user and localModule.password in config.json: other tills log in with them (HTTP Basic)');
    }
    const lmHost = stringFlag(args, 'lm-host');
    const core = await startCore({ dataDir: ctx.dataDir, host, port, env: ctx.env, ...(lmPort !== undefined ? { lmPort } : {}), ...(lmHost ? { lmHost } : {}) });
    const training = config.registry.ofd === undefined ? ' — TRAINING MODE (no registry configured)' : '';
    const lm = core.localModule ? `local-module API at ${core.localModule.url}\n` : '';
    await write(ctx.stdout, `Tanba is running at ${core.url}${training}\ndata directory: ${ctx.dataDir}\n${lm}`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await core.stop();
    return 0;
  },
};
