/**
 * `tanba emulate printer`: a virtual ESC/POS printer on a TCP port or a pty. Each receipt
 * (initialise .. cut) is rendered to --out as PNG and text. Control lines on stdin change its
 * condition: "paper out", "paper in", "cover open", "cover close", "offline", "online".
 */
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readFileSync } from 'node:fs';
import { VirtualPrinter, decodeReceiptPng } from '../../emulators/printer/index.ts';
import { visibleGs } from '../marking/index.ts';
import { UsageError, noPositionals, intFlag, stringFlag, write, type Command } from './types.ts';

/** `tanba emulate printer`. */
export const emulatePrinterCommand: Command = {
  async run(ctx, args) {
    noPositionals(args);
    const out = stringFlag(args, 'out');
    if (!out) throw new UsageError('--out DIR is required');
    const tcp = stringFlag(args, 'tcp');
    const pty = args.flags.pty === true;
    if ((tcp !== undefined) === pty) throw new UsageError('give exactly one of --tcp PORT or --pty');
    const width = stringFlag(args, 'width') ?? '80';
    if (width !== '58' && width !== '80') throw new UsageError(`--width must be 58 or 80, got '${width}'`);
    const paperOutAfter = stringFlag(args, 'paper-out-after') === undefined ? undefined : intFlag(args, 'paper-out-after', 0, 0);
    const port = tcp === undefined ? 0 : intFlag(args, 'tcp', 9100, 0, 65535);

    const vp = new VirtualPrinter({ outDir: out, width: width === '58' ? 58 : 80, ...(paperOutAfter !== undefined ? { paperOutAfter } : {}) });
    vp.on('warning', (m: string) => { ctx.stderr.write(`warning: ${m}\n`); });
    vp.on('receipt', (r: { index: number; pngPath: string; textPath: string; complete: boolean }) => {
      let line = `receipt ${r.index}${r.complete ? '' : ' (cut short)'}: ${r.pngPath} ${r.textPath}\n`;
      if (args.flags.decode === true) {
        for (const s of decodeReceiptPng(readFileSync(r.pngPath))) line += `  ${s.format}: ${visibleGs(s.text)}\n`;
      }
      ctx.stdout.write(line);
    });
    const rl = createInterface({ input: ctx.stdin });
    try {
      if (pty) {
        const path = await vp.openPty(stringFlag(args, 'pty-path') ?? join(out, 'ttyPRN'));
        await write(ctx.stdout, `pty ${path}\n`);
      } else {
        const bound = await vp.listenTcp(port, stringFlag(args, 'host') ?? '127.0.0.1');
        await write(ctx.stdout, `listening on ${stringFlag(args, 'host') ?? '127.0.0.1'}:${bound}\n`);
      }
      // Runs until stdin ends (Ctrl-D) or a signal; each stdin line is a control command.
      const stopped = new Promise<void>((resolve) => {
        rl.on('close', () => resolve());
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      });
      rl.on('line', (line) => {
        if (line.trim() === '') return;
        try { ctx.stdout.write(`${vp.control(line)}\n`); } catch (e) { ctx.stderr.write(`${(e as Error).message}\n`); }
      });
      await stopped;
      return 0;
    } finally {
      rl.close();
      await vp.close();
    }
  },
};
