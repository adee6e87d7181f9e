/**
 * `tanba scanner listen`: the technician's first tool. Opens a serial port or a HID POS
 * scanner and prints every frame as it arrived — hex, printable text with GS visible,
 * symbology, and the marking-code parse result.
 */
import { performance } from 'node:perf_hooks';
import {
  SerialScanner, TERMINATORS, frameText, type FrameError, type Terminator,
} from '../../drivers/scanner/index.ts';
import type * as MarkingModule from '../marking/index.ts';
import { UsageError, intFlag, stringFlag, write, type CliContext, type Command, type CommandArgs } from './types.ts';

/** What listen needs from a frame, whichever transport it came from. */
interface ListenFrame { data: Buffer; raw: Buffer; aim: string | null; symbology: string | null; endedBy: string; lastByteAt: number }
/** What listen needs from a scanner driver. */
interface ListenSource {
  open(): Promise<void>;
  close(): Promise<void>;
  on(event: 'frame', fn: (f: ListenFrame) => void): unknown;
  on(event: 'frame-error', fn: (e: Pick<FrameError, 'code' | 'message' | 'dropped'>) => void): unknown;
  on(event: 'status', fn: (s: { state: string; path: string | null; reason?: string }) => void): unknown;
}

/** `VID:PID` in hex (`0c2e:0b61`) → numbers, or a UsageError. */
export function parseVidPid(text: string): { vendorId: number; productId: number } {
  const m = /^(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})$/i.exec(text);
  if (!m) throw new UsageError(`--hid must be VID:PID in hex, like 0c2e:0b61, got '${text}'`);
  return { vendorId: parseInt(m[1] as string, 16), productId: parseInt(m[2] as string, 16) };
}

/** Text with GS and other control bytes made visible: GS as <GS>, CR as <CR>, others as <0xNN>. */
export function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const n = c.charCodeAt(0);
    if (n >= 0x20 && n !== 0x7f) out += c;
    else if (n === 0x1d) out += '<GS>';
    else if (n === 0x0d) out += '<CR>';
    else if (n === 0x0a) out += '<LF>';
    else out += `<0x${n.toString(16).padStart(2, '0')}>`;
  }
  return out;
}

type Marking = typeof MarkingModule;

async function loadMarking(): Promise<Marking | Error> {
  try {
    return await import('../marking/index.ts');
  } catch (err) {
    return err as Error;
  }
}

async function openSource(ctx: CliContext, args: CommandArgs): Promise<{ source: ListenSource; name: string }> {
  const port = stringFlag(args, 'port');
  const hid = stringFlag(args, 'hid');
  if ((port === undefined) === (hid === undefined)) throw new UsageError('give exactly one of --port PATH or --hid VID:PID');
  const terminatorText = stringFlag(args, 'terminator') ?? 'cr';
  if (!(TERMINATORS as readonly string[]).includes(terminatorText)) throw new UsageError(`--terminator must be one of ${TERMINATORS.join(', ')}, got '${terminatorText}'`);
  const terminator = terminatorText as Terminator;
  const maxLength = intFlag(args, 'max-length', 4096, 1, 16 * 1024 * 1024);
  const idleMs = intFlag(args, 'idle-ms', 50, 0, 60_000);
  if (terminator === 'none' && idleMs === 0) throw new UsageError("--terminator none needs --idle-ms > 0: a pause is then the only end of a frame");
  if (port !== undefined) {
    if (port === '') throw new UsageError('--port needs a path');
    const baudRate = intFlag(args, 'baud', 9600, 50, 4_000_000);
    const scanner = new SerialScanner({ port: { path: port }, baudRate, framing: { terminator, maxLength, idleMs } });
    return { source: scanner, name: port };
  }
  const ids = parseVidPid(hid as string);
  const { HidPosScanner } = await import('../../drivers/scanner/hid-pos/index.ts');
  const scanner = new HidPosScanner({ match: ids, maxLength });
  void ctx;
  return { source: scanner, name: hid as string };
}

/** `tanba scanner listen`. */
export const scannerListenCommand: Command = {
  name: 'scanner listen',
  summary: 'print every frame a scanner sends: hex, text with GS visible, symbology, parse result',
  usage: '(--port PATH | --hid VID:PID) [--baud N] [--json] [--count N] [--timeout MS] [--terminator cr|lf|crlf|none] [--max-length N] [--idle-ms N]',
  flags: {
    port: { type: 'string', help: 'serial port to open, e.g. /dev/ttyACM0 or COM3' },
    hid: { type: 'string', help: 'HID POS scanner by USB id in hex, e.g. 0c2e:0b61' },
    baud: { type: 'string', help: 'baud rate of the serial port (default 9600; USB CDC ignores it)' },
    json: { type: 'boolean', help: 'one JSON object per frame: {"data","hex","symbology","parsed"} or {"error":{"code","message"}}' },
    count: { type: 'string', help: 'exit after N frames (and errors)' },
    timeout: { type: 'string', help: 'exit after MS milliseconds (exit 1 if --count was not reached)' },
    terminator: { type: 'string', help: 'what ends a frame: cr (default), lf, crlf, none (pause only)' },
    'max-length': { type: 'string', help: 'longest frame in bytes (default 4096); longer ones are cut with an error' },
    'idle-ms': { type: 'string', help: 'a pause this long ends a frame (default 50; 0 = only the terminator)' },
  },
  async run(ctx, args) {
    if (args.positionals.length > 0) throw new UsageError(`unexpected argument '${args.positionals[0] as string}'`);
    const json = args.flags.json === true;
    const count = intFlag(args, 'count', 0, 1, Number.MAX_SAFE_INTEGER);
    const timeout = intFlag(args, 'timeout', 0, 1, 24 * 3600 * 1000);
    const { source, name } = await openSource(ctx, args);
    const marking = await loadMarking();
    if (marking instanceof Error) ctx.stderr.write(`tanba scanner listen: marking-code parser unavailable (${marking.message}); printing raw frames only\n`);

    let seen = 0;
    let chain = Promise.resolve();
    let finish: (code: number) => void = () => undefined;
    const done = new Promise<number>((resolve) => { finish = resolve; });
    const emit = (text: string): void => { chain = chain.then(() => write(ctx.stdout, text)); };
    const counted = (): void => { seen++; if (count > 0 && seen >= count) finish(0); };

    source.on('frame', (f) => {
      if (count > 0 && seen >= count) return;
      const text = frameText(f.data);
      const hex = f.raw.toString('hex');
      const result = marking instanceof Error ? null : marking.parseCode(text);
      if (json) {
        emit(`${JSON.stringify({ data: text, hex, symbology: f.symbology, parsed: result === null || marking instanceof Error ? null : marking.toJson(result) })}\n`);
      } else {
        const ms = (performance.now() - f.lastByteAt).toFixed(1);
        const lines = [
          `#${seen + 1}  ${f.raw.length} bytes  symbology ${f.symbology ?? '(no AIM prefix)'}${f.aim ? ` ${f.aim}` : ''}  ended by ${f.endedBy}  (+${ms} ms)`,
          `  hex:  ${hex}`,
          `  text: ${printable(text)}`,
        ];
        if (result !== null) {
          if (result.ok) {
            const r = result as unknown as Record<string, unknown>;
            lines.push(`  parse: ok ${String(r.kind)}  gtin ${String(r.gtin)}  serial ${String(r.serial)}  cis ${printable(String(r.cis))}`);
            const repairs = r.repairs;
            if (Array.isArray(repairs) && repairs.length > 0) lines.push(`  repairs: ${JSON.stringify(repairs)}`);
          } else {
            lines.push(`  parse: ERROR ${result.error.code}: ${result.error.message}`);
          }
        }
        emit(`${lines.join('\n')}\n`);
      }
      counted();
    });
    source.on('frame-error', (e) => {
      if (count > 0 && seen >= count) return;
      if (json) emit(`${JSON.stringify({ error: { code: e.code, message: e.message } })}\n`);
      else emit(`#${seen + 1}  ERROR ${e.code}: ${e.message}\n`);
      counted();
    });
    source.on('status', (s) => {
      if (s.state === 'closed') return;
      ctx.stderr.write(`tanba scanner listen: ${name} ${s.state}${s.reason ? ` (${s.reason})` : ''}\n`);
    });

    const onSignal = (): void => finish(0);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const onEnd = (): void => finish(0);
    ctx.stdin.once('end', onEnd);
    ctx.stdin.resume();
    const timer = timeout > 0 ? setTimeout(() => {
      if (count > 0) ctx.stderr.write(`tanba scanner listen: timed out after ${timeout} ms with ${seen} of ${count} frames\n`);
      finish(count > 0 ? 1 : 0);
    }, timeout) : undefined;
    try {
      await source.open();
      if (!json) ctx.stderr.write(`tanba scanner listen: reading ${name}; Ctrl-C to stop\n`);
      const code = await done;
      await chain;
      return code;
    } finally {
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      ctx.stdin.removeListener('end', onEnd);
      ctx.stdin.pause();
      await source.close();
    }
  },
};

export const scannerCommands: readonly Command[] = [scannerListenCommand];
