/**
 * The composition root: opens the register's database and configuration, builds the services
 * and the API server, and starts listening. `tanba serve`, `npm start` and the Electron shell
 * all start the core through here, so they see the same thing.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, purgeExpiredSessions } from '../store/index.ts';
import { ensureDataDir } from '../config.ts';
import { createServer, type TanbaServer } from './app.ts';
import { fileSettings } from './settings.ts';

export const VERSION = '0.1.0';

/** Options of {@link startCore}. */
export interface CoreOptions {
  dataDir: string;
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  uiDir?: string;
}

/** A running core. */
export interface Core {
  server: TanbaServer;
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** Default location of the built web UI. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../ui/dist', import.meta.url));

/** Starts the core: database, settings, services, API. */
export async function startCore(options: CoreOptions): Promise<Core> {
  const env = options.env ?? process.env;
  ensureDataDir(options.dataDir);
  const settings = fileSettings(options.dataDir, env);
  const db = openDatabase(join(options.dataDir, 'tanba.db'));
  purgeExpiredSessions(db, new Date());
  const server = await createServer({ db, settings, version: VERSION, uiDir: options.uiDir ?? DEFAULT_UI_DIR });
  try {
    const { url, port } = await server.listen(options.host ?? '127.0.0.1', options.port ?? 8420);
    return {
      server,
      url,
      port,
      async stop() {
        await server.close();
        db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Re-exported for the desktop shell, which may import only the server's entry. */
export { resolveDataDir } from '../config.ts';
