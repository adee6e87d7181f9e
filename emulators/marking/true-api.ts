/**
 * An emulator of Russia's True API online check, in its real shapes
 * (src/registry/marking/true-api-wire.ts): a discovery server (`cdn/info` listing the hosts) and
 * N check hosts, each on its own port with its own health (`avgTimeMs`, a failing health check)
 * and faults (latency, a hang, drops, 429, 5xx, a 5xx with body code 5000 once, 203 emergency
 * mode, envelope code 204 after an emergency). Every request needs the X-API-KEY (else 401).
 * Answers from the shared seeded dataset.
 */
import { randomUUID } from 'node:crypto';
import { TRUE_API_PATHS, trueApiCheckRequestSchema, type CrptCode } from '../../src/registry/marking/index.ts';
import { RegistryDataset } from '../registry/index.ts';
import { codeOf, crptRecord, crptUnknown } from './records.ts';
import { badRequest, EmulatorServer, Reply, type Request, type ServerFaults, type ServerOptions } from './server.ts';

/** What one check host does besides the common faults. */
export interface HostBehaviour {
  /** avgTimeMs its health check reports (default 50 + 25 × index). */
  avgTimeMs: number;
  /** The health check answers code 1 (not usable). */
  healthDown: boolean;
  /** Answer 203 (emergency mode) to checks. */
  emergency: boolean;
  /** Answer with envelope code 204 (right after an emergency). */
  afterEmergency: boolean;
  /** The next N checks answer 500 with body code 5000 ("retry the same host"). */
  retrySameHost: number;
}

/** Options of {@link TrueApiEmulator}. */
export interface TrueApiEmulatorOptions extends Omit<ServerOptions, 'faults'> {
  dataset?: RegistryDataset;
  codes?: number;
  /** Number of check hosts (default 3). */
  hosts?: number;
  /** Accepted API key (default 'tanba-emulator-key'). */
  apiKey?: string;
  /** Faults per host index. */
  hostFaults?: Record<number, Partial<ServerFaults>>;
  hostBehaviour?: Record<number, Partial<HostBehaviour>>;
}

/** The emulator's default key. */
export const TRUE_API_EMULATOR_KEY = 'tanba-emulator-key';

/** One emulated check host. */
export interface TrueApiHost {
  readonly index: number;
  readonly server: EmulatorServer;
  behaviour: HostBehaviour;
  readonly counters: { checks: number; healthChecks: number; unauthorized: number };
  readonly url: string;
}

/** The emulated True API: discovery + check hosts. */
export class TrueApiEmulator {
  readonly dataset: RegistryDataset;
  readonly discovery: EmulatorServer;
  readonly hosts: TrueApiHost[] = [];
  readonly counters = { discoveries: 0, unauthorized: 0 };
  private readonly overrides = new Map<string, Partial<CrptCode>>();
  private readonly apiKey: string;

  constructor(private readonly options: TrueApiEmulatorOptions = {}) {
    this.dataset = options.dataset ?? new RegistryDataset({ seed: options.seed ?? 1, codes: options.codes ?? 10_000 });
    this.apiKey = options.apiKey ?? TRUE_API_EMULATOR_KEY;
    const n = options.hosts ?? 3;
    if (!Number.isInteger(n) || n < 1 || n > 20) throw new RangeError(`hosts must be 1..20, got ${n}`);
    const common = { ...(options.host ? { host: options.host } : {}), ...(options.tls ? { tls: options.tls } : {}) };
    this.discovery = new EmulatorServer({ ...common, port: options.port ?? 0, seed: this.dataset.options.seed }, (req) => this.handleDiscovery(req));
    for (let i = 0; i < n; i++) {
      const behaviour: HostBehaviour = { avgTimeMs: 50 + 25 * i, healthDown: false, emergency: false, afterEmergency: false, retrySameHost: 0, ...options.hostBehaviour?.[i] };
      const counters = { checks: 0, healthChecks: 0, unauthorized: 0 };
      const host: { -readonly [K in keyof TrueApiHost]: TrueApiHost[K] } = { index: i, behaviour, counters, url: '', server: null as unknown as EmulatorServer };
      host.server = new EmulatorServer(
        { ...common, seed: this.dataset.options.seed + i + 1, faults: options.hostFaults?.[i] ?? {} },
        (req) => this.handleHost(host, req),
        // Faults hit the checks; the health check reports health on its own.
        (path) => path === TRUE_API_PATHS.check,
      );
      this.hosts.push(host);
    }
  }

  /** Starts every server; resolves with the discovery URL. */
  async start(): Promise<string> {
    for (const h of this.hosts) (h as { url: string }).url = await h.server.start();
    return this.discovery.start();
  }

  get url(): string {
    return this.discovery.url;
  }

  async close(): Promise<void> {
    await Promise.all([this.discovery.close(), ...this.hosts.map((h) => h.server.close())]);
  }

  /** Overrides fields of one code's answer (e.g. `{ verified: false }`). */
  setRecord(cis: string, record: Partial<CrptCode>): void {
    this.overrides.set(cis, record);
  }

  private authorize(req: Request, counters: { unauthorized: number }): void {
    if (req.headers['x-api-key'] !== this.apiKey) {
      counters.unauthorized++;
      throw new Reply(401, { code: 401, description: req.headers['x-api-key'] === undefined ? 'X-API-KEY missing' : 'bad API key' });
    }
  }

  private async handleDiscovery(req: Request): Promise<unknown> {
    if (req.path === TRUE_API_PATHS.info && req.method === 'GET') {
      this.authorize(req, this.counters);
      this.counters.discoveries++;
      return { code: 0, description: 'ok', hosts: this.hosts.map((h) => ({ host: h.url })) };
    }
    throw new Reply(404, { code: 404, description: `${req.method} ${req.path}` });
  }

  private async handleHost(h: TrueApiHost, req: Request): Promise<unknown> {
    const b = h.behaviour;
    if (req.path === TRUE_API_PATHS.health && req.method === 'GET') {
      this.authorize(req, h.counters);
      h.counters.healthChecks++;
      return b.healthDown ? { code: 1, description: 'host is not ready' } : { code: 0, description: 'ok', avgTimeMs: b.avgTimeMs };
    }
    if (req.path === TRUE_API_PATHS.check && req.method === 'POST') {
      this.authorize(req, h.counters);
      h.counters.checks++;
      if (b.retrySameHost > 0) {
        b.retrySameHost--;
        throw new Reply(500, { code: 5000, description: 'retry on the same host' });
      }
      const body = trueApiCheckRequestSchema.safeParse(await req.json());
      if (!body.success) throw badRequest(body.error);
      if (b.emergency) throw new Reply(203, { code: 203, description: 'emergency mode: sell without the check' });
      return {
        code: b.afterEmergency ? 204 : 0, description: 'ok',
        codes: body.data.codes.map((sent) => this.recordFor(sent)),
        reqId: randomUUID(), reqTimestamp: Date.now(),
      };
    }
    if (req.path === '/admin/faults') {
      if (req.method === 'POST') return h.server.setFaults(await req.json() as Record<string, never>);
      return h.server.getFaults();
    }
    throw new Reply(404, { code: 404, description: `${req.method} ${req.path}` });
  }

  private recordFor(sent: string): CrptCode {
    const c = codeOf(this.dataset, sent);
    const base = c === undefined ? crptUnknown(sent) : crptRecord(this.dataset, c);
    return { ...base, ...this.overrides.get(base.cis) };
  }
}

/** Starts a True API emulator. */
export async function startTrueApiEmulator(options: TrueApiEmulatorOptions = {}): Promise<TrueApiEmulator> {
  const emu = new TrueApiEmulator(options);
  await emu.start();
  return emu;
}
