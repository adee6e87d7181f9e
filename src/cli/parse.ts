/**
 * `tanba parse [--json] [CODE ...]`: reads marking codes from the arguments, or one per line on
 * stdin as raw bytes (GS as the 0x1D byte; lines end at LF, CRLF or CR; see splitLines),
 * and prints what the marking engine makes of each, in input order.
 */
import { parseCode, toJson, visibleGs, type Lang, type ParseOptions, type ParseResult } from '../marking/index.ts';
import { readAll, UsageError, write, type Command } from './types.ts';

const LANG_VALUES: readonly Lang[] = ['ru', 'kk', 'en'];

/**
 * Splits raw stdin bytes into lines, never on GS. A line ends at LF, CRLF or a lone CR (scanners
 * set to a CR suffix send nothing else); CRs right before an LF or the end are part of that line
 * end, so "CODE\r\r\n" is one line. No extra line after a final line end. A UTF-8 byte order mark
 * at the very start (Windows editors, PowerShell) is dropped.
 */
export function splitLines(bytes: Buffer): string[] {
  const lines: string[] = [];
  const n = bytes.length;
  let start = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  for (let i = start; i < n; i++) {
    const b = bytes[i];
    if (b === 0x0a) {
      lines.push(decodeLine(bytes, start, i));
      start = i + 1;
    } else if (b === 0x0d) {
      let j = i + 1;
      while (j < n && bytes[j] === 0x0d) j++;
      if (j < n && bytes[j] !== 0x0a) {
        lines.push(decodeLine(bytes, start, i));
        start = i + 1;
      }
    }
  }
  if (start < n) lines.push(decodeLine(bytes, start, n));
  return lines;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * One line without its trailing CRs. Bytes that are not valid UTF-8 are read as Latin-1 (one
 * character per byte), so the engine's error names the offending byte and position rather than
 * a replacement character; no Latin-1 character above 0x7F is CSET 82, so such a line is never
 * accepted.
 */
function decodeLine(bytes: Buffer, start: number, end: number): string {
  let stop = end;
  while (stop > start && bytes[stop - 1] === 0x0d) stop--;
  const slice = bytes.subarray(start, stop);
  try {
    return UTF8.decode(slice);
  } catch {
    return slice.toString('latin1');
  }
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
    ['warnings', result.warnings.length === 0 ? null : result.warnings.map((w) => `${w.code}: ${w.message}`).join('\n              ')],
    ['normalized', visibleGs(result.normalized)],
  ];
  const lines = rows.filter(([, v]) => v !== null).map(([k, v]) => `  ${`${k}:`.padEnd(12)}${v}`);
  return `${head}\n${lines.join('\n')}\n`;
}

export const parseCommand: Command = {
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
