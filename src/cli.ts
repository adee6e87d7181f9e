/**
 * The `tanba` command: global flags, command lookup (multi-word names), flag parsing with
 * clear errors (exit 2), and the context every command runs in.
 *
 * Startup cost is paid per command: help, lookup and flag parsing use only the registry's
 * metadata; the configuration (zod) and the command's own module load once a command runs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { COMMANDS } from './cli/registry.ts';
import { UsageError, type CliContext, type CommandEntry } from './cli/types.ts';
import type { Config } from './config.ts';
import { createLogger, type Logger } from './log.ts';
// The helper's own file, not the marking index: every command (--help too) loads this module,
// and the index would bring the whole GS1 engine with it.
import { visibleLines } from './marking/visible.ts';
import { TANBA_VERSION as VERSION } from './version.ts';


const GLOBAL_HELP = `Global flags:
  --data-dir DIR   data directory (default: per OS; env TANBA_DATA_DIR)
  -h, --help       help for tanba or a command
  --version        print the version`;

/** Streams and environment for a run; defaults are the process's own. */
export interface MainIO {
  stdin?: CliContext['stdin'];
  stdout?: CliContext['stdout'];
  stderr?: CliContext['stderr'];
  env?: NodeJS.ProcessEnv;
}

function findCommand(argv: readonly string[]): { command: CommandEntry; rest: string[] } | undefined {
  // Longest name first, so "cache import" wins over a hypothetical "cache".
  const sorted = [...COMMANDS].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  for (const command of sorted) {
    const words = command.name.split(' ');
    if (words.every((w, i) => argv[i] === w)) return { command, rest: argv.slice(words.length) };
  }
  return undefined;
}

/** Summaries start with a capital letter in the listings, whatever their module wrote. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Text of `tanba --help`. */
export function globalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${sentence(c.summary)}`);
  return `tanba ${VERSION} — checkout companion for marked goods\n\nUsage: tanba [--data-dir DIR] COMMAND [flags]\n\nCommands:\n${lines.join('\n')}\n\n${GLOBAL_HELP}\n\nRun 'tanba COMMAND --help' for a command's flags.\n`;
}

/** Text of `tanba COMMAND --help`. */
export function commandHelp(command: CommandEntry): string {
  const flagLines = Object.entries(command.flags).map(([name, spec]) => {
    const short = spec.short ? `-${spec.short}, ` : '';
    return `  ${short}--${name}${spec.type === 'string' ? ' VALUE' : ''}\n      ${spec.help}`;
  });
  return `Usage: tanba ${command.name} ${command.usage}\n\n${sentence(command.summary)}\n${flagLines.length ? `\nFlags:\n${flagLines.join('\n')}\n` : ''}\n${GLOBAL_HELP}\n`;
}

/** Pulls the global flags out of argv wherever they stand. */
function extractGlobals(argv: readonly string[]): { dataDir?: string; help: boolean; version: boolean; rest: string[] } {
  const rest: string[] = [];
  let dataDir: string | undefined;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') { rest.push(...argv.slice(i)); break; }
    if (a === '--data-dir') {
      const v = argv[i + 1];
      if (v === undefined || v.startsWith('--')) throw new UsageError('--data-dir needs a directory');
      dataDir = v; i++;
    } else if (a.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a === '--help' || a === '-h') help = true;
    else if (a === '--version') version = true;
    else rest.push(a);
  }
  return { dataDir, help, version, rest };
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: MainIO = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  let globals: ReturnType<typeof extractGlobals>;
  try {
    globals = extractGlobals(argv);
  } catch (err) {
    stderr.write(`tanba: ${(err as Error).message}\n`);
    return 2;
  }
  if (globals.version) { stdout.write(`${VERSION}\n`); return 0; }
  const words = globals.rest;
  if (words.length === 0 || words[0] === 'help') {
    const target = words.length > 1 ? findCommand(words.slice(1)) : undefined;
    if (words.length > 1 && target === undefined) {
      stderr.write(`tanba: unknown command '${words.slice(1).join(' ')}'\n`);
      return 2;
    }
    stdout.write(target ? commandHelp(target.command) : globalHelp());
    return words.length === 0 && !globals.help ? 2 : 0;
  }
  const found = findCommand(words);
  if (found === undefined) {
    const known = COMMANDS.map((c) => c.name).filter((n) => n.split(' ')[0] === words[0]);
    const hint = known.length > 0 ? ` (did you mean: ${known.join(', ')}?)` : '';
    stderr.write(`tanba: unknown command '${words.filter((w) => !w.startsWith('-')).join(' ')}'${hint}\nRun 'tanba --help' for the list of commands.\n`);
    return 2;
  }
  const { command, rest } = found;
  if (globals.help) { stdout.write(commandHelp(command)); return 0; }

  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, spec] of Object.entries(command.flags)) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  let parsed: { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: true, strict: true });
  } catch (err) {
    stderr.write(`tanba ${command.name}: ${cleanParseError((err as Error).message)}\nUsage: tanba ${command.name} ${command.usage}\n`);
    return 2;
  }
  const loaded = await Promise.all([command.load(), import('./config.ts')]).catch((err: unknown) => err as Error);
  if (loaded instanceof Error) {
    // A module that cannot load (a native module built for another Node, a missing file).
    stderr.write(`tanba ${command.name}: ${loaded.message}\n`);
    return 1;
  }
  const [implementation, { ConfigError, loadConfig, resolveDataDir }] = loaded;
  const dataDir = resolveDataDir(globals.dataDir, env);
  // Whatever a command creates in the data directory (database, exports, emulator files) is the user's alone.
  if (process.platform !== 'win32') process.umask(0o077);
  let config: Config | undefined;
  let logger: Logger | undefined;
  const ctx: CliContext = {
    stdin: io.stdin ?? process.stdin,
    stdout,
    stderr,
    env,
    dataDir,
    config: () => (config ??= loadConfig(dataDir, env)),
    logger: () => (logger ??= createLogger(env.TANBA_LOG_LEVEL ? ctx.config().log.level : (config?.log.level ?? 'warn'))),
  };
  try {
    return await implementation.run(ctx, { flags: parsed.values as Record<string, string | boolean | string[] | undefined>, positionals: parsed.positionals });
  } catch (err) {
    if (err instanceof UsageError) {
      stderr.write(`tanba ${command.name}: ${err.message}\nUsage: tanba ${command.name} ${command.usage}\n`);
      return 2;
    }
    if (err instanceof ConfigError) {
      stderr.write(`tanba: ${visibleLines(err.message)}\n`);
      return 1;
    }
    stderr.write(`tanba ${command.name}: ${visibleLines((err as Error).message)}\n`);
    return 1;
  }
}

function cleanParseError(message: string): string {
  // node's messages mention "parseArgs" and internal hints; keep the part a person needs.
  return message.replace(/\. To specify a positional argument starting with a '-'.*$/s, '').replace(/^TypeError \[[A-Z_]+\]: /, '');
}
