/** `tanba serve`: the core headless — API and web UI on loopback. */
import { startCore } from '../server/main.ts';
import { intFlag, stringFlag, write, type Command } from './types.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the register core headless: local API and web UI (training mode until a registry is configured)',
  usage: '[--host ADDR] [--port N]',
  flags: {
    host: { type: 'string', help: 'address to listen on (default 127.0.0.1; env TANBA_HOST)' },
    port: { type: 'string', help: 'TCP port (default 8420, 0 = any free port; env TANBA_PORT)' },
  },
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
