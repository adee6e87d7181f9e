/**
 * GS1 element strings as scanned (GS-separated): reading them into elements, and writing the
 * canonical form. Values are validated by validate.ts; the bracketed human form is brackets.ts.
 */
import { aiAt, type AiDef } from './ais.ts';
import { GS, GS_CODE, isCset82Code } from './cset.ts';
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
  /**
   * AIs of fixed length that GS1 wants a GS after, found followed directly by the next AI: the
   * separator was lost and the value was split at its length. Null when none. A repair to report.
   */
  inserted: string[] | null;
}

/** Lengths an AI's data may have, for messages: "14", "1–20", "3/6/9/12/15", "13–30". */
export function lengthText(def: AiDef): string {
  if (def.fixed) return String(def.fixed);
  const parts = def.parts;
  if (parts.every((p) => p.min === p.max) && parts.length > 1) {
    const out: number[] = [];
    let sum = 0;
    for (const p of parts) {
      sum += p.max;
      if (p.optional || p === parts[parts.length - 1]) out.push(sum);
    }
    if (!(parts[0] as { optional: boolean }).optional && out[0] !== def.min) out.unshift(def.min);
    return [...new Set(out)].join('/');
  }
  return `${def.min}–${def.max}`;
}

export function lengthFail(def: AiDef, got: number): Fail {
  const t = aiTitle(def.ai, def.title);
  return fail('AI_LENGTH', { ai: def.ai, got, expected: lengthText(def), titleRu: t.ru, titleKk: t.kk, titleEn: t.en });
}

export function unknownAi(s: string, pos: number, after: string | undefined): Fail {
  let found = '';
  for (let i = pos; i < s.length && i < pos + 4 && s.charCodeAt(i) !== GS_CODE; i++) found += s[i];
  return fail('UNKNOWN_AI', { pos: pos + 1, found: found === '' ? '<GS>' : found, ...(after ? { after } : {}) });
}

/** Set by scanValue: index (in the value) of the first character the inline check refused, or -1. */
let scannedBad = -1;

/**
 * One pass over a value from `from` up to `to`: its end (the first GS, else `to`), and in
 * scannedBad the first character the AI's inline check (1 digits, 2 CSET 82, 0 none) refuses.
 */
function scanValue(s: string, from: number, to: number, cset: 0 | 1 | 2): number {
  let bad = -1;
  let k = from;
  for (; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c === GS_CODE) break;
    if (bad < 0 && (cset === 1 ? c < 48 || c > 57 : cset === 2 && !isCset82Code(c))) bad = k - from;
  }
  scannedBad = cset === 0 ? -2 : bad;
  return k;
}

/**
 * Reads a GS-separated element string (no AIM prefix, no leading GS). Values are not validated
 * here beyond their lengths (and their characters for one-component AIs); call validateElement.
 */
export function readElementString(s: string): Read | Fail {
  const n = s.length;
  const elements: Element[] = [];
  let canonical = true;
  let inserted: string[] | null = null;
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
    let vend: number;
    if (def.fixed) {
      // Fixed length: the value ends at its length, or earlier at a GS (then it is too short).
      vend = vstart + def.fixed;
      const stop = scanValue(s, vstart, vend < n ? vend : n, def.inlineCset);
      if (stop < vend) return lengthFail(def, stop - vstart);
      if (vend < n) {
        if (s.charCodeAt(vend) === GS_CODE) {
          if (def.predefined || vend + 1 === n) canonical = false;
          pos = vend + 1;
        } else {
          if (!def.predefined) {
            // GS1 requires a GS after this AI (8005, 7003, ...): its value runs to the next GS.
            // When what follows its length is no AI, the value is too long.
            if (aiAt(s, vend, n) === undefined) return lengthFail(def, scanValue(s, vstart, n, 0) - vstart);
            // Otherwise the GS was lost. The split is unambiguous (the length is fixed), but it
            // is a repair and is reported as one.
            canonical = false;
            (inserted ??= []).push(def.ai);
          }
          pos = vend;
        }
      } else {
        pos = vend;
      }
    } else {
      vend = scanValue(s, vstart, n, def.inlineCset);
      const len = vend - vstart;
      if (len < def.min || len > def.max) return lengthFail(def, len);
      if (vend < n && vend + 1 === n) canonical = false; // trailing GS
      pos = vend < n ? vend + 1 : n;
    }
    elements.push({ ai: def.ai, def, value: s.slice(vstart, vend), start: vstart, bad: scannedBad });
    after = def.ai;
  }
  return { elements, canonical, inserted };
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
