/**
 * `tanba parse [--json] [CODE ...]`: reads marking codes from the arguments, or one per line on
 * stdin as raw bytes (GS as the 0x1D byte, lines split on LF only, one trailing CR stripped),
 * and prints what the marking engine makes of each, in input order.
 */
import { parseCode, toJson, visibleGs, type Lang, type ParseOptions, type ParseResult } from '../marking/index.ts';
import { readAll, UsageError, write, type Command } from './types.ts';

const LANG_VALUES: readonly Lang[] = ['ru', 'kk', 'en'];

/** Splits raw stdin bytes into lines: LF only (never GS), one trailing CR per line stripped, no extra line after a final LF. */
export function splitLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== 0x0a) continue;
    lines.push(decodeLine(bytes, start, i));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(decodeLine(bytes, start, bytes.length));
  return lines;
}

function decodeLine(bytes: Buffer, start: number, end: number): string {
  const stop = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
  return bytes.toString('utf8', start, stop);
}

/** The readable block for one code (GS shown as <GS>). */
export function describe(index: number, input: string, result: ParseResult): string {
  const head = `#${index} ${visibleGs(input)}`;
  if (!result.ok) return `${head}\n  error:      ${result.error.code}: ${result.error.message}\n`;
  const rows: [string, string | null][] = [
    ['kind', result.kind],
    ['GTIN', result.gtin],
    ['serial', result.serial],
    ['CIS', result.cis],
    ['country', result.country],
    ['group', result.productGroup],
    ['symbology', result.symbology],
    ['MRP', result.maxRetailPrice === null ? null : String(result.maxRetailPrice)],
    ['expiry', result.expiry],
    ['repairs', result.repairs.length === 0 ? 'none' : result.repairs.map((r) => `${r.code}: ${r.message}`).join('\n              ')],
    ['normalized', visibleGs(result.normalized)],
  ];
  const lines = rows.filter(([, v]) => v !== null).map(([k, v]) => `  ${`${k}:`.padEnd(12)}${v}`);
  return `${head}\n${lines.join('\n')}\n`;
}

export const parseCommand: Command = {
  name: 'parse',
  summary: 'Parse and validate marking codes (arguments, or one per line on stdin)',
  usage: '[--json] [--lang ru|kk|en] [CODE ...]',
  flags: {
    json: { type: 'boolean', help: 'print one JSON object per input line, in input order' },
    lang: { type: 'string', help: 'language of the messages: ru, kk or en (default: the first configured language)' },
  },
  async run(ctx, args) {
    const langFlag = args.flags.lang;
    if (langFlag !== undefined && (typeof langFlag !== 'string' || !LANG_VALUES.includes(langFlag as Lang))) {
      throw new UsageError(`--lang must be one of ${LANG_VALUES.join(', ')}, got '${String(langFlag)}'`);
    }
    // A broken configuration fails the command (exit 1): the extra separators come from it.
    const config = ctx.config();
    const options: ParseOptions = {
      extraSeparators: config.marking.extraSeparators,
      lang: (langFlag as Lang | undefined) ?? config.languages[0] ?? 'en',
    };
    const inputs = args.positionals.length > 0 ? args.positionals : splitLines(await readAll(ctx.stdin));
    const json = args.flags.json === true;
    let out = '';
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i] as string;
      const result = parseCode(input, options);
      out += json ? `${JSON.stringify(toJson(result))}\n` : `${i > 0 ? '\n' : ''}${describe(i + 1, input, result)}`;
      if (out.length > 1 << 16) {
        await write(ctx.stdout, out);
        out = '';
      }
    }
    if (out.length > 0) await write(ctx.stdout, out);
    return 0;
  },
};
