/**
 * An emulator of the Chestny ZNAK local module (ЛМ ЧЗ), in its real shapes: HTTP Basic,
 * `GET /api/v1/status` (settable status and last sync, so `sync_error` and the 72 h lock can be
 * shown), `GET /api/v1/cis/outCheck?cis=` and `POST /api/v2/cis/outCheck`, whose answers are a
 * black list (found / valid / verified / utilised / realizable false; only isBlocked and sold say
 * anything). Answers from the shared seeded dataset; faults from server.ts.
 */
import { randomUUID } from 'node:crypto';
import { LOCAL_MODULE_PATHS, outCheckV2RequestSchema, type LocalModuleState } from '../../src/registry/marking/index.ts';
import { RegistryDataset } from '../registry/index.ts';
import { codeOf, offlineRecord } from './records.ts';
import { badRequest, EmulatorServer, Reply, SingleServerEmulator, type Request, type ServerOptions } from './server.ts';

/** Options of {@link LocalModuleEmulator}. */
export interface LocalModuleEmulatorOptions extends ServerOptions {
  dataset?: RegistryDataset;
  codes?: number;
  /** Basic auth (default admin / tanba-emulator). */
  user?: string;
  password?: string;
  status?: LocalModuleState;
  /** Last successful sync, ms since the epoch (default: start time). */
  lastSync?: number;
}

/** The emulator's default credentials. */
export const LOCAL_MODULE_EMULATOR_LOGIN = { user: 'admin', password: 'tanba-emulator' } as const;

const VERSION = '1.6.0-emulator';
const INST = 'tanba-emulator-inst';

/** The emulated local module. */
export class LocalModuleEmulator extends SingleServerEmulator {
  readonly dataset: RegistryDataset;
  readonly server: EmulatorServer;
  readonly counters = { status: 0, outChecks: 0, unauthorized: 0 };
  status: LocalModuleState;
  lastSync: number;

  constructor(private readonly options: LocalModuleEmulatorOptions = {}) {
    super();
    this.dataset = options.dataset ?? new RegistryDataset({ seed: options.seed ?? 1, codes: options.codes ?? 10_000 });
    this.status = options.status ?? 'ready';
    this.lastSync = options.lastSync ?? Date.now();
    this.server = new EmulatorServer({ ...options, seed: options.seed ?? this.dataset.options.seed }, (req) => this.handle(req), (path) => path !== LOCAL_MODULE_PATHS.status);
  }

  private authorize(req: Request): void {
    const user = this.options.user ?? LOCAL_MODULE_EMULATOR_LOGIN.user;
    const password = this.options.password ?? LOCAL_MODULE_EMULATOR_LOGIN.password;
    const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      this.counters.unauthorized++;
      throw new Reply(401, { code: 401, description: 'Unauthorized' }, { 'www-authenticate': 'Basic realm="local module"' });
    }
  }

  private envelope(codes: string[]): Record<string, unknown> {
    return {
      code: 0, description: 'ok',
      codes: codes.map((sent) => offlineRecord(this.dataset, codeOf(this.dataset, sent), sent)),
      reqId: randomUUID(), reqTimestamp: Date.now(), inst: INST, version: VERSION,
    };
  }

  private ready(): void {
    if (this.status !== 'ready') throw new Reply(503, { code: 503, description: `the local module is ${this.status}` });
  }

  private async handle(req: Request): Promise<unknown> {
    if (req.path === '/admin/state' && req.method === 'POST') {
      const body = await req.json() as { status?: LocalModuleState; lastSync?: number };
      if (body.status !== undefined) this.status = body.status;
      if (body.lastSync !== undefined) this.lastSync = body.lastSync;
      return { status: this.status, lastSync: this.lastSync };
    }
    this.authorize(req);
    switch (req.path) {
      case LOCAL_MODULE_PATHS.status:
        this.counters.status++;
        return {
          version: VERSION, status: this.status, operationMode: 'active', name: 'Tanba LM emulator', inst: INST, inn: '7700000000',
          dbVersion: '1', serviceUrl: 'https://markirovka.sandbox.crptech.ru', lastUpdate: this.lastSync, lastSync: this.lastSync,
          requiresDownload: false,
          replicationStatus: Object.fromEntries(['cis', 'blocked_gtin', 'blocked_cis', 'blocked_series'].map((k) => [k, { localDocCount: this.dataset.codes.size, serverDocCount: this.dataset.codes.size, timeLag: 0 }])),
        };
      case LOCAL_MODULE_PATHS.outCheckV1: {
        this.ready();
        this.counters.outChecks++;
        const cis = req.url.searchParams.get('cis');
        if (cis === null || cis === '') throw new Reply(400, { code: 400, description: 'cis is required' });
        return this.envelope([cis]);
      }
      case LOCAL_MODULE_PATHS.outCheckV2: {
        if (req.method !== 'POST') throw new Reply(405, { code: 405, description: 'POST only' });
        this.ready();
        this.counters.outChecks++;
        const body = outCheckV2RequestSchema.safeParse(await req.json());
        if (!body.success) throw badRequest(body.error);
        return { results: body.data.cis_list.map((c) => this.envelope([c.cis])) };
      }
      default:
        throw new Reply(404, { code: 404, description: `${req.method} ${req.path}` });
    }
  }
}

/** Starts a local-module emulator. */
export async function startLocalModuleEmulator(options: LocalModuleEmulatorOptions = {}): Promise<LocalModuleEmulator> {
  const emu = new LocalModuleEmulator(options);
  await emu.start();
  return emu;
}
