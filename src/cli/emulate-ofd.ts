/**
 * `tanba emulate ofd`: the OFD emulator as a process (tests, training, demos), or `--dump` of
 * what an emulator database accepted. On start it prints exactly one line
 * `listening on 127.0.0.1:<port>` so a parent can read the port; afterwards, control lines on
 * stdin change faults at run time (see src/registry/ofd/README.md).
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensureDataDir } from '../config.ts';
import { openEmulatorDb, readEmulatorDocuments, seededRandom, startOfdEmulator, type OfdFaults } from '../../emulators/index.ts';
import { UsageError, intFlag, stringFlag, write, type Command, type CommandArgs } from './types.ts';

function probability(args: CommandArgs, name: string): number | undefined {
  const v = stringFlag(args, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new UsageError(`--${name} must be a probability between 0 and 1, got '${v}'`);
  return n;
}

/** `--device ID:TOKEN` values (decimal, each up to 4294967295). */
export function parseDevices(values: readonly string[]): Array<{ id: number; token: number }> {
  return values.map((v) => {
    const m = /^(\d{1,10}):(\d{1,10})$/.exec(v);
    const id = m ? Number(m[1]) : NaN;
    const token = m ? Number(m[2]) : NaN;
    if (!m || id > 0xffffffff || token > 0xffffffff) throw new UsageError(`--device must be ID:TOKEN with decimal numbers up to 4294967295, got '${v}'`);
    return { id, token };
  });
}

export const emulateOfdCommand: Command = {
  async run(ctx, args) {
    const dbPath = stringFlag(args, 'db') ?? join(ensureDataDir(ctx.dataDir), 'ofd-emulator.db');
    if (args.flags.dump === true) {
      const db = openEmulatorDb(dbPath);
      try {
        const lines = readEmulatorDocuments(db).map((d) => JSON.stringify(d)).join('\n');
        if (lines) await write(ctx.stdout, `${lines}\n`);
      } finally {
        db.close();
      }
      return 0;
    }
    const port = intFlag(args, 'port', 0, 0, 65535);
    const deviceFlag = args.flags.device;
    const devices = parseDevices(Array.isArray(deviceFlag) ? deviceFlag : typeof deviceFlag === 'string' ? [deviceFlag] : []);
    const faults: OfdFaults = {};
    const latency = intFlag(args, 'latency', 0, 0, 600_000);
    if (latency > 0) faults.latencyMs = latency;
    const dropBefore = probability(args, 'drop-before');
    if (dropBefore !== undefined) faults.dropBefore = dropBefore;
    const dropAfter = probability(args, 'drop-after');
    if (dropAfter !== undefined) faults.dropAfter = dropAfter;
    const malformed = probability(args, 'malformed');
    if (malformed !== undefined) faults.malformed = malformed;
    const fail = stringFlag(args, 'fail');
    if (fail !== undefined) {
      if (fail !== '254' && fail !== '255') throw new UsageError(`--fail must be 254 or 255, got '${fail}'`);
      faults.fail = fail === '254' ? 254 : 255;
      faults.failRate = probability(args, 'fail-rate') ?? 1;
    } else if (stringFlag(args, 'fail-rate') !== undefined) {
      throw new UsageError('--fail-rate needs --fail 254|255');
    }
    if (args.flags.blocked === true) faults.blocked = true;

    // Default device 1:1 only for a fresh file; a known device keeps its (rotated) token.
    const probe = openEmulatorDb(dbPath);
    const known = probe.prepare('SELECT count(*) FROM devices').pluck().get() as number;
    probe.close();
    const seedText = stringFlag(args, 'seed');
    if (seedText !== undefined && !/^\d+$/.test(seedText)) throw new UsageError(`--seed must be a whole number, got '${seedText}'`);
    const emulator = await startOfdEmulator({
      port, dbPath, faults, ...(seedText !== undefined ? { random: seededRandom(Number(seedText)) } : {}),
      devices: devices.length > 0 ? devices : known === 0 ? [{ id: 1, token: 1 }] : [],
    });
    await write(ctx.stdout, `listening on ${emulator.host}:${emulator.port}\n`);

    // Control lines on stdin; stdin closing does NOT stop the emulator (only a signal or "quit").
    const rl = createInterface({ input: ctx.stdin });
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => { stop = resolve; });
    const onSignal = (): void => stop();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    rl.on('line', (line) => {
      const text = line.trim();
      if (text === '') return;
      if (text === 'quit') { ctx.stdout.write('bye\n'); stop(); return; }
      let reply: string;
      try {
        reply = emulator.control(text);
      } catch (err) {
        reply = `error ${(err as Error).message}`;
      }
      ctx.stdout.write(`${reply}\n`);
    });
    await stopped;
    rl.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await emulator.close();
    return 0;
  },
};
