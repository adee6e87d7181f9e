/**
 * `tanba emulate xtrace | true-api | local-module`: the real marking systems' emulators on
 * loopback, all from the same seeded dataset as `tanba emulate registry` (same --seed and --codes,
 * same codes). Each prints `listening on <url>` as its first stdout line (True API then one
 * `host N: <url>` line per check host), its credentials on stderr, and runs until SIGINT / SIGTERM.
 */
import type { ServerFaults } from '../../emulators/index.ts';
import {
  generateDataset, LocalModuleEmulator, LOCAL_MODULE_EMULATOR_LOGIN, TrueApiEmulator, TRUE_API_EMULATOR_KEY, XtraceEmulator, XTRACE_EMULATOR_LOGIN,
  type RegistryDataset,
} from '../../emulators/index.ts';
import { rateFlag, serveEmulator, tlsFlags, type ServedEmulator } from './emulate-serve.ts';
import { UsageError, intFlag, stringFlag, write, type CliContext, type Command, type CommandArgs } from './types.ts';

interface Common {
  port: number;
  dataset: RegistryDataset;
  faults: Partial<ServerFaults>;
  tls?: { cert: Buffer; key: Buffer };
  dump: number;
  seed: number;
}

function common(args: CommandArgs): Common {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0] as string}'`);
  const tls = tlsFlags(args);
  const seed = intFlag(args, 'seed', 1, 0, 0xffffffff);
  return {
    port: intFlag(args, 'port', 0, 0, 65535),
    seed,
    dataset: generateDataset({ seed, codes: intFlag(args, 'codes', 10_000, 1, 50_000_000) }),
    faults: {
      latencyMs: intFlag(args, 'latency', 0, 0, 600_000), status5xxRate: rateFlag(args, 'fail-rate'), status429Rate: rateFlag(args, 'rate-limit'),
      dropRate: rateFlag(args, 'drop-rate'), hang: args.flags.hang === true,
    },
    ...tls,
    dump: intFlag(args, 'dump-codes', 0, 0, 10_000),
  };
}

/** Runs one marking-system emulator: `listening on`, the command's lines, the dump. */
function serve(ctx: CliContext, name: string, emu: ServedEmulator, after: (url: string) => Promise<void>, c: Common): Promise<number> {
  return serveEmulator(ctx, emu, { name, after, dump: { dataset: c.dataset, count: c.dump } });
}

/** `tanba emulate xtrace`. */
export const emulateXtraceCommand: Command = {
  async run(ctx, args) {
    const c = common(args);
    const login = stringFlag(args, 'login') ?? XTRACE_EMULATOR_LOGIN.login;
    const password = stringFlag(args, 'password') ?? XTRACE_EMULATOR_LOGIN.password;
    const apiKey = stringFlag(args, 'api-key') ?? XTRACE_EMULATOR_LOGIN.apiKey;
    const emu = new XtraceEmulator({
      dataset: c.dataset, port: c.port, seed: c.seed, faults: c.faults, login, password, apiKeys: [apiKey],
      tokenTtlMs: intFlag(args, 'token-ttl', 1_800_000, 1, 86_400_000), maxCodes: intFlag(args, 'max-codes', 100, 1, 10_000),
      ...(c.tls ? { tls: c.tls } : {}),
    });
    return serve(ctx, 'xtrace', emu, async () => {
      ctx.stderr.write(`tanba emulate xtrace: seed ${c.seed}, ${c.dataset.codes.size} codes, login '${login}' / password '${password}', API key '${apiKey}'\n`);
    }, c);
  },
};

function hostIndexes(args: CommandArgs, name: string, hosts: number): number[] {
  const v = args.flags[name];
  const list = v === undefined ? [] : Array.isArray(v) ? v : [String(v)];
  return list.flatMap((s) => s.split(',')).map((s) => {
    if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > hosts) throw new UsageError(`--${name} takes host numbers 1..${hosts}, got '${s}'`);
    return Number(s) - 1;
  });
}

/** `tanba emulate true-api`. */
export const emulateTrueApiCommand: Command = {
  async run(ctx, args) {
    const c = common(args);
    const hosts = intFlag(args, 'hosts', 3, 1, 20);
    const apiKey = stringFlag(args, 'api-key') ?? TRUE_API_EMULATOR_KEY;
    const hostFaults: Record<number, Partial<ServerFaults>> = {};
    const hostBehaviour: Record<number, { healthDown?: boolean; emergency?: boolean }> = {};
    for (let i = 0; i < hosts; i++) {
      hostFaults[i] = { ...c.faults };
      hostBehaviour[i] = { emergency: args.flags.emergency === true };
    }
    for (const i of hostIndexes(args, 'hang-host', hosts)) hostFaults[i] = { ...hostFaults[i], hang: true };
    for (const i of hostIndexes(args, 'fail-host', hosts)) hostFaults[i] = { ...hostFaults[i], status5xxRate: 1 };
    for (const i of hostIndexes(args, 'down-host', hosts)) hostBehaviour[i] = { ...hostBehaviour[i], healthDown: true };
    const emu = new TrueApiEmulator({ dataset: c.dataset, port: c.port, seed: c.seed, hosts, apiKey, hostFaults, hostBehaviour, ...(c.tls ? { tls: c.tls } : {}) });
    return serve(ctx, 'true-api', emu, async () => {
      for (const h of emu.hosts) await write(ctx.stdout, `host ${h.index + 1}: ${h.url}\n`);
      ctx.stderr.write(`tanba emulate true-api: seed ${c.seed}, ${c.dataset.codes.size} codes, ${hosts} check hosts, X-API-KEY '${apiKey}'\n`);
    }, c);
  },
};

/** `tanba emulate local-module`. */
export const emulateLocalModuleCommand: Command = {
  async run(ctx, args) {
    const c = common(args);
    const status = stringFlag(args, 'status') ?? 'ready';
    if (!['not_configured', 'initialization', 'ready', 'sync_error'].includes(status)) throw new UsageError(`--status must be not_configured, initialization, ready or sync_error, got '${status}'`);
    const user = stringFlag(args, 'user') ?? LOCAL_MODULE_EMULATOR_LOGIN.user;
    const password = stringFlag(args, 'password') ?? LOCAL_MODULE_EMULATOR_LOGIN.password;
    const hours = intFlag(args, 'last-sync-hours', 0, 0, 100_000);
    const emu = new LocalModuleEmulator({
      dataset: c.dataset, port: c.port, seed: c.seed, faults: c.faults, user, password,
      status: status as 'ready', lastSync: Date.now() - hours * 3_600_000, ...(c.tls ? { tls: c.tls } : {}),
    });
    return serve(ctx, 'local-module', emu, async () => {
      ctx.stderr.write(`tanba emulate local-module: seed ${c.seed}, ${c.dataset.codes.size} codes, status ${status}, user '${user}' / password '${password}'\n`);
    }, c);
  },
};
