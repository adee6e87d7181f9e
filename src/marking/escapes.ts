/**
 * Textual stand-ins for GS that keyboard-wedge setups type, because GS has no key. Built-in ones
 * are matched case-insensitively; the configurable ones exactly as given. None of the built-in
 * stand-ins can be data except '<GS>' / '<FNC1>' ('<', 'G', 'S', '>' are all CSET 82): a serial
 * that really contains '<GS>' is not expected in practice and is read as a separator.
 */
import { GS } from './cset.ts';

/** Built-in stand-ins (lower case; matched ignoring case). */
export const BUILTIN_SEPARATORS: readonly string[] = [
  '\\u001d', '\\x1d', '\\035', '\\x{1d}',
  '<gs>', '{gs}', '[gs]', '<fnc1>', '{fnc1}', '[fnc1]',
  '^]',
  // Alt+29 on the numpad gives the OEM (CP437) character 29, which is '↔'.
  '\u2194',
];

/** Characters a built-in stand-in can start with: a fast pre-check. */
const TRIGGERS = new Set(BUILTIN_SEPARATORS.map((t) => t.charCodeAt(0)));

export interface Unescaped {
  text: string;
  /** How many stand-ins were replaced. */
  count: number;
  /** The stand-ins as they appeared (first spelling of each). */
  tokens: string[];
}

function lowerAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/**
 * Fast pre-check (the common case has no stand-in): native indexOf per trigger character; '<'
 * is CSET 82 data, so it counts only when '<g' / '<f' follows.
 */
function mayHaveStandIn(s: string, extra: readonly string[]): boolean {
  if (s.indexOf('\\') >= 0 || s.indexOf('{') >= 0 || s.indexOf('[') >= 0 || s.indexOf('^') >= 0 || s.indexOf('\u2194') >= 0) return true;
  for (let k = s.indexOf('<'); k >= 0; k = s.indexOf('<', k + 1)) {
    const c = s.charCodeAt(k + 1) | 0x20;
    if (c === 0x67 || c === 0x66) return true; // g, f
  }
  for (const e of extra) if (e.length > 0 && s.includes(e)) return true;
  return false;
}

/** Length of the built-in stand-in at s[i], or 0. */
function builtinAt(s: string, i: number): number {
  for (const token of BUILTIN_SEPARATORS) {
    const n = token.length;
    if (i + n > s.length) continue;
    let k = 0;
    while (k < n && lowerAscii(s.charCodeAt(i + k)) === token.charCodeAt(k)) k++;
    if (k === n) return n;
  }
  return 0;
}

/**
 * Replaces every stand-in with GS. Returns null when there is none (the common case), so the
 * caller keeps its string.
 */
export function unescapeSeparators(s: string, extra: readonly string[] = []): Unescaped | null {
  if (!mayHaveStandIn(s, extra)) return null;
  const extras = extra.length === 0 ? extra : extra.filter((e) => e.length > 0).sort((a, b) => b.length - a.length);
  let out: string[] | null = null;
  let last = 0;
  let count = 0;
  const tokens: string[] = [];
  for (let i = 0; i < s.length;) {
    const c = s.charCodeAt(i);
    let n = 0;
    for (const e of extras) {
      if (s.startsWith(e, i)) { n = e.length; break; }
    }
    if (n === 0 && TRIGGERS.has(c)) n = builtinAt(s, i);
    if (n > 0) {
      out ??= [];
      out.push(s.slice(last, i), GS);
      const token = s.slice(i, i + n);
      if (!tokens.some((t) => t.toLowerCase() === token.toLowerCase())) tokens.push(token);
      count++;
      i += n;
      last = i;
    } else {
      i++;
    }
  }
  if (out === null) return null;
  out.push(s.slice(last));
  return { text: out.join(''), count, tokens };
}
