/**
 * `tanba emulate scanner`: a virtual serial scanner on a pty pair. Prints the path to open on
 * its first stdout line, then sends codes (one per line from --file or stdin) the way a real
 * scanner would.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { SerialScannerEmulator, unescapeCode } from '../../emulators/scanner/index.ts';
import { TERMINATORS, type Terminator } from '../../drivers/scanner/index.ts';
import { UsageError, noPositionals, intFlag, stringFlag, write, type Command } from './types.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `tanba emulate scanner`. */
export const emulateScannerCommand: Command = {
  async run(ctx, args) {
    noPositionals(args);
    const terminator = stringFlag(args, 'terminator') ?? 'cr';
    if (!(TERMINATORS as readonly string[]).includes(terminator)) throw new UsageError(`--terminator must be one of ${TERMINATORS.join(', ')}, got '${terminator}'`);
    const aim = stringFlag(args, 'aim');
    if (aim !== undefined && !/^\][A-Za-z][0-9A-Za-z]$/.test(aim)) throw new UsageError(`--aim must be an AIM identifier like ]d2, got '${aim}'`);
    const delayMs = intFlag(args, 'delay-ms', 0, 0, 10_000);
    const baudRate = intFlag(args, 'baud', 0, 0, 4_000_000);
    const unplugAfter = intFlag(args, 'unplug-after', 0, 1);
    const replugAfter = intFlag(args, 'replug-after', -1, 0, 600_000);
    if ((unplugAfter > 0) !== (replugAfter >= 0)) throw new UsageError('--unplug-after and --replug-after go together');
    const linger = intFlag(args, 'linger-ms', 500, 0, 3_600_000);
    const link = stringFlag(args, 'link');
    if (link === '') throw new UsageError('--link needs a path');
    const file = stringFlag(args, 'file');
    const input = file !== undefined ? createReadStream(file) : ctx.stdin;
    const fileError = new Promise<never>((_, reject) => {
      if (file !== undefined) input.once('error', (err: Error) => reject(new Error(`cannot read --file ${file}: ${err.message}`, { cause: err })));
    });
    fileError.catch(() => undefined);

    const emu = new SerialScannerEmulator({ ...(link ? { link } : {}), terminator: terminator as Terminator, aim: aim ?? null, delayMs, baudRate, noise: args.flags.noise === true });
    let stop = false;
    // Closing the emulator also ends a send that waits for a host that never opens the port,
    // so a signal always gets socat stopped (an orphaned socat would keep the path alive).
    const onSignal = (): void => { stop = true; input.destroy(); void emu.close(); };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      await emu.start();
      await write(ctx.stdout, `${emu.path}\n`);
      let sent = 0;
      const lines = createInterface({ input, crlfDelay: Infinity });
      const sendAll = (async () => {
        for await (const line of lines) {
          if (stop) break;
          const text = line.replace(/\r$/, '');
          if (text === '') continue;
          await emu.send(unescapeCode(text));
          sent++;
          if (sent === unplugAfter) {
            ctx.stderr.write(`tanba emulate scanner: unplugged ${emu.path} after ${sent} codes\n`);
            await emu.unplug();
            await sleep(replugAfter);
            await emu.replug();
            ctx.stderr.write(`tanba emulate scanner: plugged back in at ${emu.path}\n`);
          }
        }
      })();
      await Promise.race([sendAll.catch((err: unknown) => { if (!stop) throw err; }), fileError]);
      ctx.stderr.write(`tanba emulate scanner: sent ${sent} codes\n`);
      if (!stop) await sleep(linger);
      return 0;
    } finally {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      await emu.close();
    }
  },
};
