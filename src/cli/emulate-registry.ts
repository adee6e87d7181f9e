/**
 * `tanba emulate registry`: the marking system's status feed and online check, served from a
 * seeded dataset with fault injection. Prints `listening on http://127.0.0.1:<port>` as its first
 * stdout line and runs until SIGINT / SIGTERM. See src/registry/marking/README.md for the API.
 */
import { resolve } from 'node:path';
import { type Faults } from '../registry/marking/index.ts';
import { generateDataset, RegistryEmulator, writeFeedFile } from '../../emulators/index.ts';
import { rateFlag, serveEmulator, tlsFlags } from './emulate-serve.ts';
import { UsageError, noPositionals, intFlag, stringFlag, write, type Command } from './types.ts';

/** `tanba emulate registry`. */
export const emulateRegistryCommand: Command = {
  async run(ctx, args) {
    noPositionals(args);
    const port = intFlag(args, 'port', 0, 0, 65535);
    const seed = intFlag(args, 'seed', 1, 0, 0xffffffff);
    const codes = intFlag(args, 'codes', 10_000, 1, 50_000_000);
    const token = stringFlag(args, 'token');
    const noAuth = args.flags['no-auth'] === true;
    if (noAuth && token !== undefined) throw new UsageError('--token and --no-auth exclude each other');
    if (token !== undefined && !/^[\x21-\x7e]{1,4096}$/.test(token)) throw new UsageError('--token must be printable ASCII without spaces');
    const scope = stringFlag(args, 'fault-scope') ?? 'all';
    if (scope !== 'all' && scope !== 'check' && scope !== 'feed') throw new UsageError(`--fault-scope must be all, check or feed, got '${scope}'`);
    const faults: Faults = {
      latencyMs: intFlag(args, 'latency', 0, 0, 600_000),
      status5xxRate: rateFlag(args, 'fail-rate'),
      status429Rate: rateFlag(args, 'rate-limit'),
      dropRate: rateFlag(args, 'drop-rate'),
      lostResponseRate: rateFlag(args, 'lost-rate'),
      malformedRate: rateFlag(args, 'malformed-rate'),
      retryAfterSeconds: intFlag(args, 'retry-after', 1, 0, 3600),
      scope,
    };
    const deltaEveryMs = intFlag(args, 'delta-every', 0, 0, 86_400_000);
    const mutationsPerTick = intFlag(args, 'mutations', 5, 1, 1_000_000);
    const dump = intFlag(args, 'dump-codes', 0, 0, 10_000);
    const tls = tlsFlags(args);

    const dataset = generateDataset({ seed, codes });
    const feedFile = stringFlag(args, 'write-feed');
    if (feedFile !== undefined) {
      if (feedFile === '') throw new UsageError('--write-feed needs a file name');
      const path = resolve(feedFile);
      const { lines, bytes } = writeFeedFile(path, dataset);
      await write(ctx.stdout, `wrote ${lines} lines (${bytes} bytes) to ${path}\n`);
      return 0;
    }

    const emu = new RegistryEmulator({
      dataset, port, faults, deltaEveryMs, mutationsPerTick,
      token: noAuth ? null : token ?? 'tanba-emulator',
      ...tls,
    });
    return serveEmulator(ctx, emu, {
      name: 'registry',
      after: async () => {
        ctx.stderr.write(`tanba emulate registry: seed ${seed}, ${dataset.codes.size} codes, ${noAuth ? 'no authentication' : `token '${token ?? 'tanba-emulator'}'`}, cursor ${dataset.cursor()}\n`);
      },
      dump: { dataset, count: dump },
      stopNote: () => `after ${emu.counters.requests} requests`,
    });
  },
};
