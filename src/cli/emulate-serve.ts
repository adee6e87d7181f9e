/**
 * What every `tanba emulate` of the marking systems shares (registry, xtrace, true-api,
 * local-module): the probability and PEM flags, and `serveEmulator`, which starts an emulator,
 * prints `listening on <url>` first, the command's own lines, the optional code dump, and runs
 * until SIGINT / SIGTERM, closing the emulator whatever happens.
 */
import { readFileSync } from 'node:fs';
import { SAMPLE_KINDS, type RegistryDataset } from '../../emulators/index.ts';
import { UsageError, stringFlag, write, type CliContext, type CommandArgs } from './types.ts';

/** A probability flag (0..1), 0 when absent. */
export function rateFlag(args: CommandArgs, name: string): number {
  const v = stringFlag(args, name);
  if (v === undefined) return 0;
  if (!/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(v)) throw new UsageError(`--${name} must be a probability between 0 and 1 (e.g. 0.1), got '${v}'`);
  return Number(v);
}

/** A PEM file named by a flag, or undefined. */
export function readPem(args: CommandArgs, name: string): Buffer | undefined {
  const path = stringFlag(args, name);
  if (path === undefined) return undefined;
  try {
    return readFileSync(path);
  } catch (err) {
    throw new UsageError(`cannot read --${name} ${path}: ${(err as Error).message}`);
  }
}

/** `--tls-cert` and `--tls-key` (both or neither), read. */
export function tlsFlags(args: CommandArgs): { tls?: { cert: Buffer; key: Buffer } } {
  const cert = readPem(args, 'tls-cert');
  const key = readPem(args, 'tls-key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together');
  return cert !== undefined && key !== undefined ? { tls: { cert, key } } : {};
}

/** An emulator `serveEmulator` can run. */
export interface ServedEmulator {
  start(): Promise<string>;
  close(): Promise<void>;
}

/** How `serveEmulator` runs one command's emulator. */
export interface ServeOptions {
  /** The command's name after `tanba emulate` (in the stopping line). */
  name: string;
  /** Lines after `listening on <url>` (host URLs on stdout, credentials on stderr). */
  after(url: string): Promise<void>;
  /** `--dump-codes N`: N sample codes of each kind as JSON lines on stdout (0: none). */
  dump: { dataset: RegistryDataset; count: number };
  /** Appended to the stopping line (`after 12 requests`). */
  stopNote?(): string;
}

/** Prints the first lines, runs until a signal, closes. Resolves to the exit code. */
export async function serveEmulator(ctx: CliContext, emu: ServedEmulator, o: ServeOptions): Promise<number> {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((r) => { stop = r; });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const url = await emu.start();
    await write(ctx.stdout, `listening on ${url}\n`);
    await o.after(url);
    if (o.dump.count > 0) {
      for (const kind of SAMPLE_KINDS) {
        for (const s of o.dump.dataset.sample(kind, o.dump.count)) await write(ctx.stdout, `${JSON.stringify({ kind, ...s })}\n`);
      }
    }
    await stopped;
    const note = o.stopNote?.();
    ctx.stderr.write(`tanba emulate ${o.name}: stopping${note ? ` ${note}` : ''}\n`);
    return 0;
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
    await emu.close();
  }
}
