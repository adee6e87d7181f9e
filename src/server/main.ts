/**
 * The composition root: opens the register's database and configuration, starts the training
 * emulators when no registry is configured, builds the register (createRegister), the server's
 * services and the API server, and starts listening. `tanba serve`, `npm start` and the Electron shell
 * all start the core through here, so they see the same thing.
 */
import { systemClock, type Clock } from '../clock.ts';
import { fileURLToPath } from 'node:url';
import { openDatabase, purgeExpiredSessions, securePrivateTree } from '../store/index.ts';
import { ensureDataDir } from '../config.ts';
import { TANBA_VERSION } from '../version.ts';
import { createServer, type ServerDeps, type TanbaServer } from './app.ts';
import { createCoreLogger } from './log-ring.ts';
import { featureRoutes } from './routes/index.ts';
import { checkServiceTuning, createServices, type ServiceTuning, type Services } from './services.ts';
import { createRegister, databasePath, type TrainingSetup } from '../register/index.ts';
import { startTraining } from '../../emulators/index.ts';
import { fileSettings } from './settings.ts';
import { startLocalModuleServer, type LocalModuleServer } from './local-module.ts';

/** Tanba's version (src/version.ts), as the server reports it. */
export const VERSION = TANBA_VERSION;

/** The data directory the shell and `tanba serve` use (re-exported: electron imports only the server). */
export { resolveDataDir } from '../config.ts';

/** Options of {@link startCore}. */
export interface CoreOptions {
  dataDir: string;
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  uiDir?: string;
  clock?: Clock;
  /** Timings for tests (seconds instead of the protocol's minutes). */
  tuning?: ServiceTuning;
  /** Log to stderr as well as the ring buffer (default true). */
  logToStderr?: boolean;
  /** Session, ticket and lockout timings (tests). */
  auth?: Pick<ServerDeps, 'sessionTtlMs' | 'ticketTtlMs' | 'sessionSweepMs' | 'lockout'>;
  /** Serve the local-module API to other tills on this port (off by default; needs `localModule` in the config). */
  lmPort?: number;
  /** Address of the local-module listener (default 127.0.0.1). */
  lmHost?: string;
}

/** A running core. */
export interface Core {
  server: TanbaServer;
  services: Services;
  url: string;
  port: number;
  /** The local-module listener, when `lmPort` was given. */
  localModule: { url: string; port: number } | null;
  stop(): Promise<void>;
}

/** Default location of the built web UI. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../ui/dist', import.meta.url));

/**
 * Starts the core: database, settings, services (training emulators included), API. stop()
 * closes the API, lets the sender finish the delivery in flight, stops the emulators and
 * devices, and closes the database last.
 */
export async function startCore(options: CoreOptions): Promise<Core> {
  checkServiceTuning(options.tuning);
  const env = options.env ?? process.env;
  // Files the core or its training emulators create are the user's alone, whatever the umask was.
  if (process.platform !== 'win32') process.umask(0o077);
  ensureDataDir(options.dataDir);
  securePrivateTree(options.dataDir);
  const settings = fileSettings(options.dataDir, env);
  const db = openDatabase(databasePath(options.dataDir));
  const clock = options.clock ?? systemClock;
  const tuning = options.tuning ?? {};
  purgeExpiredSessions(db, clock.now());
  let training: TrainingSetup | null = null;
  let services: Services | null = null;
  let server: TanbaServer | undefined;
  let lm: LocalModuleServer | null = null;
  try {
    const logger = createCoreLogger({ stderrLevel: settings.get().log.level, stderr: options.logToStderr !== false });
    // Training mode: the emulators start first, and their addresses configure the register.
    if (settings.trainingMode()) {
      training = await startTraining(options.dataDir, {
        ...(tuning.trainingCodes !== undefined ? { codes: tuning.trainingCodes } : {}),
        scanner: tuning.trainingScanner !== false,
        today: () => clock.now().toISOString().slice(0, 10),
        warn: (m) => logger.logger.warn(m),
      });
    }
    const register = createRegister({
      config: settings, db, dataDir: options.dataDir, clock, training, tuning,
      onSenderEvent: (e) => services?.reportDelivery(e),
      onFeedStatus: (s) => services?.reportFeed(s),
      warn: (m, err) => logger.logger.warn(err === undefined ? {} : { err: (err as Error).message }, m),
    });
    services = createServices({ register, logger, tuning });
    const s = services;
    server = await createServer({ ...options.auth, db, settings, clock, log: logger.logger, version: VERSION, uiDir: options.uiDir ?? DEFAULT_UI_DIR, routes: featureRoutes(s, VERSION) });
    const srv = server;
    s.onEvent((event) => srv.broadcast(event));
    await s.start();
    const { url, port } = await srv.listen(options.host ?? '127.0.0.1', options.port ?? 8420);
    s.logger.info({ url, trainingMode: s.trainingMode }, 'core listening');
    if (options.lmPort !== undefined) {
      const creds = settings.get().localModule;
      if (creds === undefined) throw new Error('--lm-port needs localModule.user and localModule.password in config.json (the login other tills use)');
      lm = await startLocalModuleServer({ register, host: options.lmHost ?? '127.0.0.1', port: options.lmPort, user: creds.user, password: creds.password, version: VERSION });
      s.logger.info({ url: lm.url }, 'local-module API listening');
    }
    const lmServer = lm;
    let stopping: Promise<void> | null = null;
    const t = training;
    return {
      server: srv,
      services: s,
      url,
      port,
      localModule: lmServer === null ? null : { url: lmServer.url, port: lmServer.port },
      stop() {
        stopping ??= (async () => {
          await lmServer?.close();
          await srv.close();
          await s.stop();
          await t?.close();
          db.close();
        })();
        return stopping;
      },
    };
  } catch (err) {
    await lm?.close().catch(() => undefined);
    await server?.close().catch(() => undefined);
    await services?.stop().catch(() => undefined);
    await training?.close().catch(() => undefined);
    db.close();
    throw err;
  }
}
