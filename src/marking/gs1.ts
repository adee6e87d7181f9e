/**
 * GS1 element strings: reading the scanned form (GS-separated) and the bracketed human form
 * into elements, validating each element against the AI table, and writing the canonical form.
 */
import { aiAt, aiDef, type AiDef } from './ais.ts';
import { checkDigitOf } from './check-digit.ts';
import { describeChar, GS, GS_CODE, isCset82Code } from './cset.ts';
import { parseGs1Date } from './dates.ts';
import { aiTitle, type ErrorCode } from './messages.ts';

export interface Element {
  ai: string;
  def: AiDef;
  value: string;
  /** Index of the value's first character in the text it was read from. */
  start: number;
  /**
   * Characters already checked while reading: -1 all allowed, >= 0 index (in the value) of the
   * first character not allowed, -2 not checked yet.
   */
  bad: number;
}

/** A failure before it is turned into messages. */
export interface Fail {
  fail: ErrorCode;
  params: Record<string, string | number>;
  detail?: string;
}

export function fail(code: ErrorCode, params: Record<string, string | number> = {}, detail?: string): Fail {
  return detail === undefined ? { fail: code, params } : { fail: code, params, detail };
}

export function isFail(x: unknown): x is Fail {
  return typeof x === 'object' && x !== null && 'fail' in x;
}

export interface Read {
  elements: Element[];
  /** True when the text already is the canonical form (so it can be used as is). */
  canonical: boolean;
}

function lengthText(def: AiDef): string {
  return def.fixed ? String(def.fixed) : `${def.min}–${def.max}`;
}

function lengthFail(def: AiDef, got: number): Fail {
  const t = aiTitle(def.ai, def.title);
  return fail('AI_LENGTH', { ai: def.ai, got, expected: lengthText(def), titleRu: t.ru, titleKk: t.kk, titleEn: t.en });
}

function unknownAi(s: string, pos: number, after: string | undefined): Fail {
  let found = '';
  for (let i = pos; i < s.length && i < pos + 4 && s.charCodeAt(i) !== GS_CODE; i++) found += s[i];
  return fail('UNKNOWN_AI', { pos: pos + 1, found: found === '' ? '<GS>' : found, ...(after ? { after } : {}) });
}

/**
 * Reads a GS-separated element string (no AIM prefix, no leading GS). Values are not validated
 * here beyond their lengths; call validateElement for each.
 */
export function readElementString(s: string): Read | Fail {
  const n = s.length;
  const elements: Element[] = [];
  let canonical = true;
  let pos = 0;
  let after: string | undefined;
  while (pos < n) {
    if (s.charCodeAt(pos) === GS_CODE) {
      canonical = false; // a GS where none is needed (double, or after a predefined-length AI)
      pos++;
      continue;
    }
    const def = aiAt(s, pos, n);
    if (def === undefined) return unknownAi(s, pos, after);
    const vstart = pos + def.ai.length;
    const numeric = def.numeric;
    let bad = -1;
    let vend: number;
    // One pass per value: find its end and check its characters (digits, or CSET 82).
    if (def.fixed) {
      vend = vstart + def.fixed;
      const stop = vend < n ? vend : n;
      let k = vstart;
      for (; k < stop; k++) {
        const c = s.charCodeAt(k);
        if (c === GS_CODE) break;
        if (bad < 0 && (numeric ? c < 48 || c > 57 : !isCset82Code(c))) bad = k - vstart;
      }
      if (k < vend) return lengthFail(def, k - vstart);
      if (vend < n) {
        if (s.charCodeAt(vend) === GS_CODE) {
          if (def.predefined || vend + 1 === n) canonical = false;
          pos = vend + 1;
        } else {
          if (!def.predefined) canonical = false; // e.g. 8005 not followed by GS
          pos = vend;
        }
      } else {
        pos = vend;
      }
    } else {
      let k = vstart;
      for (; k < n; k++) {
        const c = s.charCodeAt(k);
        if (c === GS_CODE) break;
        if (bad < 0 && (numeric ? c < 48 || c > 57 : !isCset82Code(c))) bad = k - vstart;
      }
      vend = k;
      const len = vend - vstart;
      if (len < def.min || len > def.max) return lengthFail(def, len);
      if (k < n) {
        if (k + 1 === n) canonical = false; // trailing GS
        pos = k + 1;
      } else {
        pos = n;
      }
    }
    elements.push({ ai: def.ai, def, value: s.slice(vstart, vend), start: vstart, bad });
    after = def.ai;
  }
  return { elements, canonical };
}

/**
 * Reads the bracketed human form "(01)…(21)…". A value runs to the next "(AI)" whose AI is
 * known; GS characters and spaces around the brackets are ignored.
 */
export function readBracketed(s: string): Read | Fail {
  const n = s.length;
  const elements: Element[] = [];
  // Start of each "(AI)" group: found by scanning, so '(' inside values stays data.
  let next = bracketAt(s, 0);
  if (next === null) return unknownAi(s, 0, undefined);
  while (next !== null) {
    const { def, end } = next;
    let vstart = end;
    while (vstart < n && s.charCodeAt(vstart) === 32) vstart++;
    let following: { def: AiDef; end: number; at: number } | null = null;
    for (let k = s.indexOf('(', vstart); k >= 0; k = s.indexOf('(', k + 1)) {
      const b = bracketAt(s, k);
      if (b !== null) { following = { ...b, at: k }; break; }
    }
    let vend = following === null ? n : following.at;
    while (vend > vstart && (s.charCodeAt(vend - 1) === 32 || s.charCodeAt(vend - 1) === GS_CODE)) vend--;
    const value = s.slice(vstart, vend);
    const len = value.length;
    if (def.fixed ? len !== def.fixed : len < def.min || len > def.max) return lengthFail(def, len);
    elements.push({ ai: def.ai, def, value, start: vstart, bad: -2 });
    next = following;
  }
  return { elements, canonical: false };
}

/** Upper bounds for bracketReadings, so a hostile input cannot make the search slow. */
const MAX_BRACKET_STEPS = 20_000;
const MAX_BRACKET_READINGS = 64;

/**
 * Every reading of the bracketed form in which each value has a length its AI allows: a "(NN)"
 * with a known AI may be a boundary or data (crypto codes may hold '(' and ')', so "(21)" can
 * occur inside a (92) value). Nearest boundaries first, so the first reading is readBracketed's.
 * Values are not validated beyond their lengths.
 */
export function bracketReadings(s: string): Read[] {
  const n = s.length;
  const marks: { def: AiDef; at: number; end: number }[] = [];
  for (let k = s.indexOf('('); k >= 0; k = s.indexOf('(', k + 1)) {
    const b = bracketAt(s, k);
    if (b !== null) marks.push({ ...b, at: k });
  }
  const out: Read[] = [];
  if (marks.length === 0 || (marks[0] as { at: number }).at !== 0) return out;
  const stack: Element[] = [];
  let steps = 0;
  const search = (m: number): void => {
    const { def, end } = marks[m] as { def: AiDef; end: number };
    let vstart = end;
    while (vstart < n && s.charCodeAt(vstart) === 32) vstart++;
    for (let next = m + 1; next <= marks.length; next++) {
      if (++steps > MAX_BRACKET_STEPS || out.length >= MAX_BRACKET_READINGS) return;
      const at = next < marks.length ? (marks[next] as { at: number }).at : n;
      if (at < vstart) continue;
      let vend = at;
      while (vend > vstart && (s.charCodeAt(vend - 1) === 32 || s.charCodeAt(vend - 1) === GS_CODE)) vend--;
      const len = vend - vstart;
      if (def.fixed ? len !== def.fixed : len < def.min || len > def.max) {
        if (len > def.max) return; // later boundaries only make the value longer
        continue;
      }
      stack.push({ ai: def.ai, def, value: s.slice(vstart, vend), start: vstart, bad: -2 });
      if (next === marks.length) out.push({ elements: stack.slice(), canonical: false });
      else search(next);
      stack.pop();
    }
  };
  search(0);
  return out;
}

/** "(AI)" at s[k] with a known AI, or null. */
function bracketAt(s: string, k: number): { def: AiDef; end: number } | null {
  if (s.charCodeAt(k) !== 40) return null; // (
  let j = k + 1;
  while (j < s.length && j <= k + 5 && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
  const len = j - k - 1;
  if (len < 2 || len > 4 || s.charCodeAt(j) !== 41) return null; // )
  const def = aiDef(s.slice(k + 1, j));
  return def === undefined ? null : { def, end: j + 1 };
}

const ALLOWED_N = { allowedRu: 'допустимы только цифры', allowedKk: 'тек цифрлар рұқсат етіледі', allowedEn: 'digits only' };
const ALLOWED_X = { allowedRu: 'допустимы только символы GS1 CSET 82', allowedKk: 'тек GS1 CSET 82 таңбалары рұқсат етіледі', allowedEn: 'GS1 CSET 82 characters only' };

/** Validates one element's characters, check digit and date. Null when valid. */
export function validateElement(el: Element, referenceYear: number): Fail | null {
  const { def, value } = el;
  const n = value.length;
  if (el.bad >= 0) {
    const i = el.bad;
    return fail('INVALID_CHARACTER', { where: `AI (${def.ai})`, char: describeChar(charAt(value, i)), pos: el.start + i + 1, ...(def.numeric ? ALLOWED_N : ALLOWED_X) });
  }
  if (el.bad === -1) {
    // checked while reading
  } else if (def.numeric) {
    for (let i = 0; i < n; i++) {
      const c = value.charCodeAt(i);
      if (c < 48 || c > 57) {
        return fail('INVALID_CHARACTER', { where: `AI (${def.ai})`, char: describeChar(charAt(value, i)), pos: el.start + i + 1, ...ALLOWED_N });
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (!isCset82Code(value.charCodeAt(i))) {
        return fail('INVALID_CHARACTER', { where: `AI (${def.ai})`, char: describeChar(charAt(value, i)), pos: el.start + i + 1, ...ALLOWED_X });
      }
    }
  }
  if (def.check !== null) {
    const expected = checkDigitOf(value, 0, n - 1);
    const got = value.charCodeAt(n - 1) - 48;
    if (expected !== got) {
      const code: ErrorCode = def.check === 'gtin' ? 'GTIN_CHECK_DIGIT' : def.check === 'sscc' ? 'SSCC_CHECK_DIGIT' : 'CHECK_DIGIT';
      return fail(code, { ai: def.ai, value, got, expected });
    }
  }
  if (def.date) {
    const d = parseGs1Date(value, referenceYear);
    if (!d.ok) return fail('INVALID_DATE', { ai: def.ai, value, reasonRu: d.reason.ru, reasonKk: d.reason.kk, reasonEn: d.reason.en });
  }
  return null;
}

/** The whole character at i (a surrogate pair stays whole in messages). */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

/** Canonical element string: GS after every AI without a predefined length that is followed by another. */
export function writeElementString(elements: readonly Element[]): string {
  let out = '';
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i] as Element;
    out += el.ai + el.value;
    if (!el.def.predefined && i < elements.length - 1) out += GS;
  }
  return out;
}

/** The AIs as a record, values as in the code. A repeated AI with another value is an error. */
export function aisRecord(elements: readonly Element[]): Record<string, string> | Fail {
  const ais: Record<string, string> = {};
  for (const el of elements) {
    const prev = ais[el.ai];
    if (prev !== undefined && prev !== el.value) return fail('DUPLICATE_AI', { ai: el.ai, a: prev, b: el.value });
    ais[el.ai] = el.value;
  }
  return ais;
}
