/** The contract every `tanba` subcommand implements. */
import type { Readable, Writable } from 'node:stream';
import { ClockEnvError, clockFromEnv, type Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { visibleLines } from '../marking/visible.ts';

/** A flag of a command, in node:util parseArgs terms. */
export interface FlagSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Shown in `tanba help COMMAND`, e.g. "--port N  TCP port to listen on". */
  help: string;
}

/** What a command gets to work with. Streams are injected so tests can drive commands in-process. */
export interface CliContext {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  stderr: Writable;
  /** The data directory after --data-dir / TANBA_DATA_DIR / OS default. Not created until needed. */
  dataDir: string;
  /** Loaded lazily: commands that do not need it never fail on a bad config file. */
  config(): Config;
  logger(): Logger;
  env: NodeJS.ProcessEnv;
}

/** Parsed flags and positional arguments. */
export interface CommandArgs {
  flags: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * A command's implementation: what its module exports. Its name, help and flags live in its
 * registry entry (registry.ts), so listing or parsing commands loads none of the modules.
 */
export interface Command {
  /** Returns the exit code: 0 success, 1 failure of the work, 2 bad usage. */
  run(ctx: CliContext, args: CommandArgs): Promise<number>;
}

/** One entry of the registry: what `tanba --help` shows, and how to load the work. */
export interface CommandEntry {
  /** May have several words ("cache import"). */
  name: string;
  summary: string;
  /** Usage line after `tanba NAME`, e.g. "[--json] [CODE ...]". */
  usage: string;
  flags: Record<string, FlagSpec>;
  /**
   * Imports the command's module only when the command runs, e.g.
   * `load: async () => (await import('./x.ts')).xCommand`: a static import here would
   * load SQLite, fastify or the drivers into every `tanba` start.
   */
  load(): Promise<Command>;
}

/** Bad usage: printed with the command's usage line, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Writes text and waits for it to be flushed (large outputs to pipes). */
export function write(stream: Writable, text: string): Promise<void> {
  // Control and escape bytes from feeds, codes or devices are shown, never sent raw to the terminal.
  const safe = visibleLines(text);
  return new Promise((resolve, reject) => {
    stream.write(safe, (err) => (err ? reject(err) : resolve()));
  });
}

/** Reads a stream to its end as raw bytes. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The `--json` flag of commands that print one JSON object. */
export const JSON_FLAG: FlagSpec = { type: 'boolean', help: 'print one JSON object' };

/** Refuses positional arguments for a command that takes none. */
export function noPositionals(args: CommandArgs): void {
  if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0] as string}'`);
}

/** A string flag's value, or undefined. */
export function stringFlag(args: CommandArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** An integer flag within bounds, or the fallback; anything else is a UsageError naming the flag. */
export function intFlag(args: CommandArgs, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = stringFlag(args, name);
  if (v === undefined) return fallback;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} must be a whole number, got '${v}'`);
  const n = Number(v);
  if (n < min || n > max) throw new UsageError(`--${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** The clock of a CLI run: TANBA_NOW (ISO-8601) when set, else the system clock; a bad value is misuse. */
export function cliClock(env: NodeJS.ProcessEnv): Clock {
  try {
    return clockFromEnv(env);
  } catch (err) {
    if (err instanceof ClockEnvError) throw new UsageError(err.message);
    throw err;
  }
}
