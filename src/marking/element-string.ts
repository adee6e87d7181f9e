/**
 * The GS1 layer on its own: any GS1 element string, validated exactly by GS1's rules (the Syntax
 * Dictionary's lengths, character sets and linters; pairing rules as warnings), with none of the
 * marking layer's rules (product groups, serial and crypto lengths) and none of its repairs
 * (stand-ins, keyboard layouts, lost separators). parseCode builds on the same pieces.
 */
import { readBracketed } from './brackets.ts';
import { failure, warningsOf } from './build.ts';
import { GS_CODE } from './cset.ts';
import { fail, isFail, readElementString, type Element, type Fail } from './gs1.ts';
import type { Lang, ParseFailure, Warning } from './types.ts';
import { validateElement } from './validate.ts';

/** One AI and its value, as in the element string. */
export interface Gs1Element {
  ai: string;
  value: string;
}

/** A valid GS1 element string: its elements in order and the pairing rules it breaks. */
export interface Gs1ElementString {
  ok: true;
  elements: Gs1Element[];
  warnings: Warning[];
}

export type Gs1Result = Gs1ElementString | ParseFailure;

function check(elements: readonly Element[]): Fail | null {
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i] as Element;
    const f = validateElement(el);
    if (f !== null) return f;
    for (let j = 0; j < i; j++) {
      const prev = elements[j] as Element;
      if (prev.ai === el.ai && prev.value !== el.value) return fail('DUPLICATE_AI', { ai: el.ai, a: prev.value, b: el.value });
    }
  }
  return null;
}

/**
 * Reads and validates a GS1 element string: the bracketed form "(01)…(10)…" (every "(AI)" a
 * boundary, as GS1 reads it) or the scanned form with GS (0x1D) separators, a leading GS allowed.
 * Never throws.
 */
export function parseElementString(text: string, options?: { lang?: Lang }): Gs1Result {
  const lang: Lang = options?.lang === 'ru' || options?.lang === 'kk' ? options.lang : 'en';
  try {
    if (typeof text !== 'string' || text.length === 0) return failure(fail('EMPTY'), lang);
    let read;
    if (text.charCodeAt(0) === 40) {
      read = readBracketed(text);
    } else {
      let start = 0;
      while (start < text.length && text.charCodeAt(start) === GS_CODE) start++;
      const body = text.slice(start);
      if (body.length === 0) return failure(fail('EMPTY'), lang);
      read = readElementString(body);
      if (!isFail(read) && read.inserted !== null) {
        const ai = read.inserted[0] as string;
        const el = read.elements.find((e) => e.ai === ai) as Element;
        return failure(fail('MISSING_SEPARATOR', { ai, len: el.value.length, pos: start + el.start + el.value.length + 1 }), lang);
      }
    }
    if (isFail(read)) return failure(read, lang);
    const f = check(read.elements);
    if (f !== null) return failure(f, lang);
    return { ok: true, elements: read.elements.map((e) => ({ ai: e.ai, value: e.value })), warnings: warningsOf(read.elements, lang) };
  } catch (err) {
    return failure(fail('INTERNAL', { detail: err instanceof Error ? err.message : String(err) }), lang);
  }
}
