/**
 * `tanba scanner listen`: the technician's first tool. Opens a serial port or a HID POS
 * scanner and prints every frame as it arrived — hex, printable text with GS visible,
 * symbology, and the marking-code parse result.
 *
 * `--json` contract (one line per frame):
 *   {"data":"<code text: GS as \u001d, no terminator, no AIM prefix>","hex":"<the frame bytes as
 *    received, AIM prefix included, terminator excluded; lowercase>","symbology":"<name>"|null,
 *    "parsed":<exactly what `tanba parse --json` prints for the frame as received (AIM prefix
 *    included, so its aimPrefix and symbology are the frame's), same config>}
 *   `symbology` is `parsed.symbology` whenever the code parses: the two never differ.
 *   {"error":{"code":"FRAME_TOO_LONG"|"INCOMPLETE_FRAME"|...,"message":"..."}}
 *
 * `--hid-replay FILE` (technician's replay tool): instead of a USB device, a fake node-hid
 * device with the --hid VID:PID replays recorded HID POS report sequences from FILE through the
 * real driver — to check a vendor profile against reports captured at a customer's site.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as z from 'zod';
import {
  SerialScanner, TERMINATORS, frameText, type FrameError, type Terminator,
} from '../../drivers/scanner/index.ts';
import type * as MarkingModule from '../marking/index.ts';
import { visibleGs } from '../marking/visible.ts';
import type { Lang, ParseOptions } from '../marking/index.ts';
import { UsageError, intFlag, noPositionals, stringFlag, write, type CliContext, type Command, type CommandArgs } from './types.ts';

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

type Marking = typeof MarkingModule;

/**
 * A replay file: recorded report sequences, each a list of input reports in hex as node-hid
 * delivered them (with or without the report id byte). A sequence that names a vendorId /
 * productId is replayed only for that --hid; other fields (vendor, code, notes) are ignored.
 */
export const hidReplaySchema = z.object({
  sequences: z.array(z.object({
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    reports: z.array(z.string().regex(/^(?:[0-9a-fA-F]{2})+$/, 'must be hex bytes')).min(1),
  })).min(1),
});

/** Reads and checks a replay file; the reports of the sequences meant for `ids`, in order. */
export function loadHidReplay(file: string, ids: { vendorId: number; productId: number }): Buffer[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--hid-replay ${file}: ${(err as Error).message}`);
  }
  const r = hidReplaySchema.safeParse(json);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new UsageError(`--hid-replay ${file}: ${i ? `${i.path.join('.') || '(file)'}: ${i.message}` : 'invalid'}`);
  }
  const mine = r.data.sequences.filter((s) => (s.vendorId === undefined || s.vendorId === ids.vendorId) && (s.productId === undefined || s.productId === ids.productId));
  const id = `${ids.vendorId.toString(16).padStart(4, '0')}:${ids.productId.toString(16).padStart(4, '0')}`;
  if (mine.length === 0) throw new UsageError(`--hid-replay ${file}: no sequence for ${id}`);
  return mine.flatMap((s) => s.reports.map((h) => Buffer.from(h, 'hex')));
}

/** The options `tanba parse` uses, so `parsed` is what it prints; defaults when there is no usable config. */
function parseOptions(ctx: CliContext, lang: Lang | undefined): { options: ParseOptions; warning: string | null } {
  try {
    const config = ctx.config();
    return { options: { extraSeparators: config.marking.extraSeparators, lang: lang ?? config.languages[0] ?? 'en' }, warning: null };
  } catch (err) {
    return { options: lang ? { lang } : {}, warning: `configuration not usable (${(err as Error).message}); parsing with defaults` };
  }
}

async function loadMarking(): Promise<Marking | Error> {
  try {
    return await import('../marking/index.ts');
  } catch (err) {
    return err as Error;
  }
}

interface Opened { source: ListenSource; name: string; replay?: () => Promise<void> }

async function openSource(args: CommandArgs): Promise<Opened> {
  const port = stringFlag(args, 'port');
  const hid = stringFlag(args, 'hid');
  if ((port === undefined) === (hid === undefined)) throw new UsageError('give exactly one of --port PATH or --hid VID:PID');
  const replayFile = stringFlag(args, 'hid-replay');
  if (replayFile !== undefined && hid === undefined) throw new UsageError('--hid-replay needs --hid VID:PID (the id the recorded device had)');
  const profile = stringFlag(args, 'profile');
  if (profile !== undefined && hid === undefined) throw new UsageError('--profile is for --hid scanners');
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
  const { HidPosScanner, HID_POS_PROFILES } = await import('../../drivers/scanner/hid-pos/index.ts');
  if (profile !== undefined && !(profile in HID_POS_PROFILES)) throw new UsageError(`--profile must be one of ${Object.keys(HID_POS_PROFILES).join(', ')}, got '${profile}'`);
  if (replayFile === undefined) {
    const scanner = new HidPosScanner({ match: ids, maxLength, ...(profile ? { profile } : {}) });
    return { source: scanner, name: hid as string };
  }
  const reports = loadHidReplay(replayFile, ids);
  const { FakeHidBus } = await import('../../emulators/scanner/fake-hid.ts');
  const bus = new FakeHidBus();
  const path = `replay:${replayFile}`;
  bus.plug({ vendorId: ids.vendorId, productId: ids.productId, path, release: 0, interface: 0, usagePage: 0x8c, usage: 0x02, product: 'replay' });
  const scanner = new HidPosScanner({ match: ids, maxLength, hid: bus, reconnect: false, ...(profile ? { profile } : {}) });
  const replay = async (): Promise<void> => {
    const device = bus.opened.get(path);
    if (!device) throw new Error(`replay device ${path} was not opened`);
    device.replay(reports);
  };
  return { source: scanner, name: `${hid as string} (replay of ${replayFile})`, replay };
}

/** `tanba scanner listen`. */
export const scannerListenCommand: Command = {
  async run(ctx, args) {
    noPositionals(args);
    const json = args.flags.json === true;
    const count = intFlag(args, 'count', 0, 1, Number.MAX_SAFE_INTEGER);
    const timeout = intFlag(args, 'timeout', 0, 1, 24 * 3600 * 1000);
    const langFlag = stringFlag(args, 'lang');
    if (langFlag !== undefined && !['ru', 'kk', 'en'].includes(langFlag)) throw new UsageError(`--lang must be one of ru, kk, en, got '${langFlag}'`);
    const { source, name, replay } = await openSource(args);
    const marking = await loadMarking();
    if (marking instanceof Error) ctx.stderr.write(`tanba scanner listen: marking-code parser unavailable (${marking.message}); printing raw frames only\n`);
    const { options: parseOpts, warning } = parseOptions(ctx, langFlag as Lang | undefined);
    if (warning !== null) ctx.stderr.write(`tanba scanner listen: ${warning}\n`);

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
      // The parser reads the frame as received, AIM identifier included, so `parsed` is what
      // `tanba parse --json` prints for it and names the same symbology as the frame (one table:
      // src/marking/aim.ts); the parse's name wins where it knows more (an EAN's length).
      const result = marking instanceof Error ? null : marking.parseCode((f.aim ?? '') + text, parseOpts);
      const symbology = result?.ok === true ? result.symbology : f.symbology;
      if (json) {
        emit(`${JSON.stringify({ data: text, hex, symbology, parsed: result === null || marking instanceof Error ? null : marking.toJson(result) })}\n`);
      } else {
        const ms = (performance.now() - f.lastByteAt).toFixed(1);
        const lines = [
          `#${seen + 1}  ${f.raw.length} bytes  symbology ${symbology ?? '(no AIM prefix)'}${f.aim ? ` ${f.aim}` : ''}  ended by ${f.endedBy}  (+${ms} ms)`,
          `  hex:  ${hex}`,
          `  text: ${visibleGs(text)}`,
        ];
        if (result !== null) {
          if (result.ok) {
            const r = result as unknown as Record<string, unknown>;
            lines.push(`  parse: ok ${String(r.kind)}  gtin ${String(r.gtin)}  serial ${String(r.serial)}  cis ${visibleGs(String(r.cis))}`);
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
    // A replay ends by itself; stdin (often /dev/null in scripts) must not end it first.
    if (!replay) {
      ctx.stdin.once('end', onEnd);
      ctx.stdin.resume();
    }
    const timer = timeout > 0 ? setTimeout(() => {
      if (count > 0) ctx.stderr.write(`tanba scanner listen: timed out after ${timeout} ms with ${seen} of ${count} frames\n`);
      finish(count > 0 ? 1 : 0);
    }, timeout) : undefined;
    try {
      await source.open();
      if (!json) ctx.stderr.write(`tanba scanner listen: reading ${name}; Ctrl-C to stop\n`);
      if (replay) {
        await replay();
        // Past the driver's wait for a next report, so a cut sequence is reported too.
        setTimeout(() => finish(count > 0 && seen < count ? 1 : 0), 600);
      }
      const code = await done;
      await chain;
      return code;
    } finally {
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      ctx.stdin.removeListener('end', onEnd);
      if (!replay) ctx.stdin.pause();
      await source.close();
    }
  },
};

export const scannerCommands: readonly Command[] = [scannerListenCommand];
