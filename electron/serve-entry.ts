/**
 * Headless entry for packaged installs (systemd): the Electron binary run as plain Node
 * (ELECTRON_RUN_AS_NODE=1) executes this bundle — the same core as `tanba serve`.
 */
import { resolveDataDir, startCore } from '../src/server/main.ts';

const dataDir = resolveDataDir(undefined, process.env);
startCore({ dataDir, host: process.env.TANBA_HOST ?? '127.0.0.1', port: Number(process.env.TANBA_PORT ?? 8420) })
  .then((core) => {
    console.log(`Tanba is running at ${core.url} (data directory: ${dataDir})`);
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => { void core.stop().finally(() => process.exit(0)); });
    }
  })
  .catch((err: unknown) => {
    console.error(`tanba: ${(err as Error).message}`);
    process.exit(1);
  });
