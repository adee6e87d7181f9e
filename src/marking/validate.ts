/**
 * Validates one element's value as the dictionary's grammar says: component by component, each
 * consuming a prefix of its length, running the component's character-set linter and then the
 * dictionary's linters for it. The first failure is turned into an error
 * that names the AI, the component's value and what is wrong, in every language.
 */
import type { AiDef, AiPart, Cset } from './ais.ts';
import { checkDigitOf } from './check-digit.ts';
import { describeChar } from './cset.ts';
import { fail, lengthFail, type Element, type Fail } from './gs1.ts';
import type { LintFailure } from './gs1/linters.ts';
import { daysIn } from './gs1/lint-values.ts';
import { lintReason } from './gs1/reasons.ts';
import { aiTitle, type ErrorCode } from './messages.ts';

const ALLOWED: Record<Cset, { allowedRu: string; allowedKk: string; allowedEn: string }> = {
  N: { allowedRu: 'допустимы только цифры', allowedKk: 'тек цифрлар рұқсат етіледі', allowedEn: 'digits only' },
  X: { allowedRu: 'допустимы только символы GS1 CSET 82', allowedKk: 'тек GS1 CSET 82 таңбалары рұқсат етіледі', allowedEn: 'GS1 CSET 82 characters only' },
  Y: { allowedRu: 'допустимы только символы GS1 CSET 39: A–Z, 0–9, #, -, /', allowedKk: 'тек GS1 CSET 39 таңбалары рұқсат етіледі: A–Z, 0–9, #, -, /', allowedEn: 'GS1 CSET 39 characters only: A–Z, 0–9, #, -, /' },
  Z: { allowedRu: 'допустимы только символы GS1 CSET 64 (base64url)', allowedKk: 'тек GS1 CSET 64 (base64url) таңбалары рұқсат етіледі', allowedEn: 'GS1 CSET 64 (base64url) characters only' },
};

const CHAR_ERRORS = new Set(['NON_DIGIT_CHARACTER', 'INVALID_CSET82_CHARACTER', 'INVALID_CSET39_CHARACTER', 'INVALID_CSET64_CHARACTER']);

/** The whole character at i (a surrogate pair stays whole in messages). */
function charAt(s: string, i: number): string {
  const cp = s.codePointAt(i);
  return cp === undefined ? '' : String.fromCodePoint(cp);
}

function charFail(el: Element, i: number, cset: Cset): Fail {
  return fail('INVALID_CHARACTER', { where: `AI (${el.def.ai})`, char: describeChar(charAt(el.value, i)), pos: el.start + i + 1, ...ALLOWED[cset] });
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The reason a date component was refused, with its numbers. */
function dateReason(value: string, f: LintFailure, from: number, len: number): { reasonRu: string; reasonKk: string; reasonEn: string } {
  const at = from + (len === 8 ? 4 : 2);
  const mm = Number(value.slice(at, at + 2));
  const dd = Number(value.slice(at + 2, at + 4));
  if (f.error === 'ILLEGAL_MONTH') return { reasonRu: `месяц ${pad2(mm)}`, reasonKk: `ай ${pad2(mm)}`, reasonEn: `month ${pad2(mm)}` };
  if (dd === 0) return { reasonRu: 'день 00 здесь недопустим', reasonKk: 'мұнда 00 күні жарамсыз', reasonEn: 'day 00 is not allowed here' };
  const yy = Number(value.slice(from, from + (len === 8 ? 4 : 2)));
  const year = len === 8 ? yy : yy >= 72 ? 1900 + yy : 2000 + yy;
  const last = daysIn(year, mm);
  return { reasonRu: `день ${pad2(dd)}, в месяце ${last} дн.`, reasonKk: `күн ${pad2(dd)}, айда ${last} күн`, reasonEn: `day ${pad2(dd)}, the month has ${last} days` };
}

const DATE_LINTERS = new Set(['yymmd0', 'yymmdd', 'yyyymmdd']);

/** A linter's failure on the component value[from, from + len) as an engine error. */
function lintFailure(el: Element, part: AiPart, linter: number, from: number, len: number, f: LintFailure): Fail {
  const def = el.def;
  const value = el.value;
  if (CHAR_ERRORS.has(f.error)) return charFail(el, from + f.pos, linter === 0 ? part.cset : 'N');
  const component = value.slice(from, from + len);
  const name = linter === 0 ? `cset ${part.cset}` : (part.linterNames[linter - 1] as string);
  if (f.error === 'INCORRECT_CHECK_DIGIT') {
    const code: ErrorCode = def.check === 'gtin' ? 'GTIN_CHECK_DIGIT' : def.check === 'sscc' ? 'SSCC_CHECK_DIGIT' : 'CHECK_DIGIT';
    return fail(code, { ai: def.ai, value: component, got: component.charCodeAt(len - 1) - 48, expected: checkDigitOf(component, 0, len - 1) });
  }
  if (DATE_LINTERS.has(name) && (f.error === 'ILLEGAL_MONTH' || f.error === 'ILLEGAL_DAY')) {
    const format = len === 8 ? { formatRu: 'ГГГГММДД', formatKk: 'ЖЖЖЖААКК', formatEn: 'YYYYMMDD' } : { formatRu: 'ГГММДД', formatKk: 'ЖЖААКК', formatEn: 'YYMMDD' };
    return fail('INVALID_DATE', { ai: def.ai, value: component, ...format, ...dateReason(value, f, from, len) }, `GS1 linter ${name}: ${f.error}`);
  }
  const reason = lintReason(f.error);
  const t = aiTitle(def.ai, def.title);
  return fail('INVALID_VALUE', {
    ai: def.ai, value: component, titleRu: t.ru, titleKk: t.kk, titleEn: t.en, reasonRu: reason.ru, reasonKk: reason.kk, reasonEn: reason.en,
  }, `GS1 linter ${name}: ${f.error}`);
}

/** Validates one element's value against its AI's components and linters. Null when valid. */
export function validateElement(el: Element): Fail | null {
  const def: AiDef = el.def;
  if (el.bad >= 0) return charFail(el, el.bad, def.inlineCset === 1 ? 'N' : 'X');
  // Checked while reading and nothing else to check: the common case of marking codes.
  if (el.bad === -1 && def.charsOnly) return null;
  const value = el.value;
  const n = value.length;
  const parts = def.parts;
  // The character-set linter already ran while reading (one-component AIs only).
  const firstLinter = el.bad === -1 ? 1 : 0;
  let p = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] as AiPart;
    const len = n - p < part.max ? n - p : part.max;
    if (part.optional && len === 0) continue;
    if (len < part.min) return lengthFail(def, n);
    const linters = part.linters;
    for (let j = firstLinter; j < linters.length; j++) {
      const f = (linters[j] as (s: string, a: number, b: number) => LintFailure | null)(value, p, p + len);
      if (f !== null) return lintFailure(el, part, j, p, len, f);
    }
    p += len;
  }
  return p < n ? lengthFail(def, n) : null;
}
