/**
 * The bracketed human form "(01)…(21)…" that phone apps and people type. GS1's syntax makes every
 * "(" start an AI; apps do not escape a "(" inside data, so a "(NN)" whose AI is known may be a
 * boundary or data, and every reading is considered (parse.ts picks the one that fits a product
 * group). Refused outright, as GS1 refuses them: an unknown AI in brackets, a bracketed AI with
 * no value (nothing after it, or another "(AI)" right after it).
 */
import { aiDef, type AiDef } from './ais.ts';
import { GS_CODE } from './cset.ts';
import { fail, lengthFail, type Element, type Fail, type Read } from './gs1.ts';

/** A "(AI)" with a known AI: where it starts, where its value may start, and whether it must be a boundary. */
interface Mark {
  def: AiDef;
  at: number;
  /** First character of the value (spaces after ")" skipped). */
  vstart: number;
  /** Right after another "(AI)", or nothing but spaces / GS after it: it cannot be data. */
  forced: boolean;
}

/** "(" + 2-4 digits + ")" at s[k]: the digits' end (the ")"), else -1. */
function bracketDigitsEnd(s: string, k: number): number {
  if (s.charCodeAt(k) !== 40) return -1; // (
  let j = k + 1;
  while (j < s.length && j <= k + 5 && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  const len = j - k - 1;
  return len >= 2 && len <= 4 && s.charCodeAt(j) === 41 ? j : -1;
}

function isPad(c: number): boolean {
  return c === 32 || c === GS_CODE;
}

/** Every AI-shaped bracket; an unknown AI among them is an error. */
function marksOf(s: string): Mark[] | Fail {
  const n = s.length;
  const marks: Mark[] = [];
  for (let k = s.indexOf('('); k >= 0; k = s.indexOf('(', k + 1)) {
    const close = bracketDigitsEnd(s, k);
    if (close < 0) continue;
    const digits = s.slice(k + 1, close);
    const def = aiDef(digits);
    if (def === undefined) return fail('UNKNOWN_AI', { pos: k + 1, found: `(${digits})` });
    let vstart = close + 1;
    while (vstart < n && s.charCodeAt(vstart) === 32) vstart++;
    let rest = vstart;
    while (rest < n && isPad(s.charCodeAt(rest))) rest++;
    const prev = marks[marks.length - 1];
    marks.push({ def, at: k, vstart, forced: rest === n || (prev !== undefined && prev.vstart === k) });
  }
  return marks;
}

function emptyValue(m: Mark): Fail {
  return fail('EMPTY_VALUE', { ai: m.def.ai, pos: m.at + 1 });
}

/** The value of mark `m` when the next boundary starts at `at`: its end with spaces and GS trimmed. */
function valueEndBefore(s: string, m: Mark, at: number): number {
  let vend = at;
  while (vend > m.vstart && isPad(s.charCodeAt(vend - 1))) vend--;
  return vend;
}

function lengthOk(def: AiDef, len: number): boolean {
  return def.fixed ? len === def.fixed : len >= def.min && len <= def.max;
}

/**
 * Reads the bracketed form with every known "(AI)" a boundary. GS characters and spaces around
 * the brackets are ignored. Values are not validated beyond their lengths.
 */
export function readBracketed(s: string): Read | Fail {
  const marks = marksOf(s);
  if (!Array.isArray(marks)) return marks;
  if (marks.length === 0 || (marks[0] as Mark).at !== 0) return fail('UNKNOWN_AI', { pos: 1, found: s.slice(0, 4) });
  const elements: Element[] = [];
  for (let i = 0; i < marks.length; i++) {
    const m = marks[i] as Mark;
    const next = marks[i + 1];
    const vend = valueEndBefore(s, m, next === undefined ? s.length : next.at);
    const len = vend - m.vstart;
    if (len === 0) return emptyValue(m);
    if (!lengthOk(m.def, len)) return lengthFail(m.def, len);
    elements.push({ ai: m.def.ai, def: m.def, value: s.slice(m.vstart, vend), start: m.vstart, bad: -2 });
  }
  return { elements, canonical: false, inserted: null };
}

/** Upper bounds for bracketReadings, so a hostile input cannot make the search slow. */
const MAX_BRACKET_STEPS = 20_000;
const MAX_BRACKET_READINGS = 64;

/**
 * Every reading of the bracketed form in which each value has a length its AI allows: a "(NN)"
 * with a known AI may be a boundary or data (crypto codes may hold '(' and ')', so "(21)" can
 * occur inside a (92) value), unless it is forced to be a boundary. Nearest boundaries first, so
 * the first reading is readBracketed's. Values are not validated beyond their lengths.
 */
export function bracketReadings(s: string): Read[] {
  const n = s.length;
  const marks = marksOf(s);
  const out: Read[] = [];
  if (!Array.isArray(marks) || marks.length === 0 || (marks[0] as Mark).at !== 0) return out;
  const stack: Element[] = [];
  let steps = 0;
  const search = (mi: number): void => {
    const m = marks[mi] as Mark;
    for (let next = mi + 1; next <= marks.length; next++) {
      if (++steps > MAX_BRACKET_STEPS || out.length >= MAX_BRACKET_READINGS) return;
      const following = marks[next];
      const at = following === undefined ? n : following.at;
      if (at < m.vstart) continue;
      const vend = valueEndBefore(s, m, at);
      const len = vend - m.vstart;
      if (len > m.def.max) return; // later boundaries only make the value longer
      if (len > 0 && lengthOk(m.def, len)) {
        stack.push({ ai: m.def.ai, def: m.def, value: s.slice(m.vstart, vend), start: m.vstart, bad: -2 });
        if (following === undefined) out.push({ elements: stack.slice(), canonical: false, inserted: null });
        else search(next);
        stack.pop();
      }
      if (following?.forced === true) return; // it cannot be data of this value
    }
  };
  search(0);
  return out;
}
