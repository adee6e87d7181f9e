/**
 * `tanba print test`: prints a test receipt (QR, a DataMatrix of a sample marking code with
 * GS, Kazakh letters) to a printer on TCP, a serial port or a device file, checking its status
 * before and after.
 */
import {
  PrinterError, ReceiptPrinter, encodeReceipt, getProfile, openTransport, testReceipt,
  type Lang, type PrinterProfile, type TransportSpec,
} from '../../drivers/printer/index.ts';
import { UsageError, intFlag, noPositionals, stringFlag, write, type Command, type CommandArgs } from './types.ts';

/** Where to print, from --tcp / --port / --device (exactly one). */
export function transportSpecFromFlags(args: CommandArgs): TransportSpec {
  const tcp = stringFlag(args, 'tcp');
  const port = stringFlag(args, 'port');
  const device = stringFlag(args, 'device');
  const given = [tcp, port, device].filter((x) => x !== undefined);
  if (given.length !== 1) throw new UsageError('give exactly one of --tcp HOST:PORT, --port PATH, --device FILE');
  if (tcp !== undefined) {
    const m = /^(.+):(\d{1,5})$/.exec(tcp);
    if (!m) throw new UsageError(`--tcp must be HOST:PORT, got '${tcp}'`);
    const n = Number(m[2]);
    if (n < 1 || n > 65535) throw new UsageError(`--tcp port must be 1..65535, got ${n}`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[(.*)\]$/, '$1'), port: n };
  }
  if (port !== undefined) {
    if (port === '') throw new UsageError('--port needs a path');
    return { kind: 'serial', path: port, baudRate: intFlag(args, 'baud', 9600, 1, 4_000_000) };
  }
  if (device === '') throw new UsageError('--device needs a path');
  return { kind: 'device', path: device! };
}

/** The profile from --profile, else the generic one for --width. */
export function profileFromFlags(args: CommandArgs): PrinterProfile {
  const id = stringFlag(args, 'profile');
  const width = stringFlag(args, 'width');
  if (width !== undefined && width !== '58' && width !== '80') throw new UsageError(`--width must be 58 or 80, got '${width}'`);
  if (id !== undefined) {
    let p: PrinterProfile;
    try { p = getProfile(id); } catch (e) { throw new UsageError((e as Error).message); }
    if (width !== undefined && String(p.paperWidth) !== width) throw new UsageError(`profile ${id} is ${p.paperWidth} mm, not ${width} mm`);
    return p;
  }
  return getProfile(`generic-${width ?? '80'}`);
}

/** Languages from --lang kk,ru. */
export function langsFromFlag(args: CommandArgs): Lang[] {
  const v = stringFlag(args, 'lang') ?? 'kk,ru';
  const langs = v.split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const l of langs) if (l !== 'kk' && l !== 'ru' && l !== 'en') throw new UsageError(`--lang takes kk, ru, en separated by commas, got '${l}'`);
  if (langs.length === 0) throw new UsageError('--lang needs at least one language');
  return langs as Lang[];
}

/** `tanba print test`. */
export const printTestCommand: Command = {
  async run(ctx, args) {
    noPositionals(args);
    const spec = transportSpecFromFlags(args);
    const profile = profileFromFlags(args);
    const job = encodeReceipt(testReceipt(langsFromFlag(args)), profile);
    let printer: ReceiptPrinter | undefined;
    try {
      printer = new ReceiptPrinter(await openTransport(spec), profile);
      const status = await printer.printJob(job);
      await write(ctx.stdout, `printed test receipt (${job.length} bytes, profile ${profile.id}) to ${printer.transport.description}${status?.paperNearEnd ? '; paper is nearly out' : ''}\n`);
      return 0;
    } catch (e) {
      const msg = e instanceof PrinterError ? `${e.message} [${e.code}]` : (e as Error).message;
      await write(ctx.stderr, `tanba print test: ${msg}\n`);
      return 1;
    } finally {
      await printer?.close();
    }
  },
};
