/**
 * `tanba decode IMAGE...`: reads GS1 DataMatrix, DataMatrix, QR and EAN codes from PNG images
 * (photos, screenshots, camera frames) and prints them like `tanba scanner listen` does.
 */
import { readFile } from 'node:fs/promises';
import { decodePng, type ImageFormat } from '../../drivers/scanner/image/index.ts';
import type * as MarkingModule from '../marking/index.ts';
import { visibleGs } from '../marking/visible.ts';
import { UsageError, stringFlag, write, type Command } from './types.ts';

const ALL: readonly ImageFormat[] = ['datamatrix', 'qr', 'ean-13', 'ean-8'];

async function loadMarking(): Promise<typeof MarkingModule | null> {
  try {
    return await import('../marking/index.ts');
  } catch {
    return null;
  }
}

/** `tanba decode`. */
export const decodeCommand: Command = {
  async run(ctx, args) {
    if (args.positionals.length === 0) throw new UsageError('give at least one image file');
    const fText = stringFlag(args, 'formats');
    const formats = fText === undefined ? ALL : fText.split(',').map((s) => s.trim()) as ImageFormat[];
    for (const f of formats) if (!ALL.includes(f)) throw new UsageError(`--formats: unknown format '${f}'; known: ${ALL.join(', ')}`);
    const json = args.flags.json === true;
    const marking = await loadMarking();
    let failed = 0;
    const fail = async (file: string, code: string, message: string): Promise<void> => {
      failed++;
      if (json) await write(ctx.stdout, `${JSON.stringify({ file, error: { code, message } })}\n`);
      ctx.stderr.write(`tanba decode: ${file}: ${message}\n`);
    };
    for (const file of args.positionals) {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (err) {
        await fail(file, 'READ_FAILED', `cannot read (${(err as Error).message})`);
        continue;
      }
      let found;
      try {
        found = decodePng(bytes, formats);
      } catch (err) {
        await fail(file, 'BAD_IMAGE', (err as Error).message);
        continue;
      }
      if (found === null) { await fail(file, 'NO_CODE', 'no code found in the image'); continue; }
      const hex = Buffer.from(`${found.aim}${found.text}`, 'utf8').toString('hex');
      const parsed = marking ? marking.parseCode(found.text) : null;
      if (json) {
        await write(ctx.stdout, `${JSON.stringify({ file, data: found.text, hex, symbology: found.symbology, parsed: parsed && marking ? marking.toJson(parsed) : null })}\n`);
      } else {
        const verdict = parsed === null ? '' : parsed.ok ? '  parse: ok' : `  parse: ERROR ${parsed.error.code}: ${parsed.error.message}`;
        await write(ctx.stdout, `${file}: ${found.symbology} ${found.aim}\n  text: ${visibleGs(found.text)}\n  hex:  ${hex}\n${verdict ? `${verdict}\n` : ''}`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
};
