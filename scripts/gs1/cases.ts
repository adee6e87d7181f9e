/**
 * Element strings generated from GS1's Syntax Dictionary, each with the verdict its construction
 * gives: for every AI, valid values built to satisfy each component's type, length, character set
 * and linters (at the shortest and longest lengths, optional components left out or in), and
 * invalid ones made by one known mutation of a valid value — one character too many or too few, a
 * component missing, a character outside the set, a wrong check digit or pair, an impossible
 * date, a value outside a code list, a broken linter rule — each with the error it must give.
 * Plus, for every pairing rule (req= / ex=), the AI with and without its partners, with the
 * warning that must (or must not) follow. Nothing here asks Tanba what the answer is.
 * Used by test/gs1-dictionary.test.ts and the conformance report (scripts/gs1/conformance.ts).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { checkPair, mod10 } from '../../src/marking/gs1/testdata/oracles.ts';
import { parseDictionary, type DictEntry, type DictPart } from './dictionary.ts';
import { SAMPLES, type Samples } from './samples.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const GS = '\x1d';

/** What Tanba must answer: accepted, or refused with this error code (and linter error). */
export type Expected = { ok: true } | { ok: false; code: string; lint?: string };

/** A pairing warning that must be there (or must not be) for the case's AI. */
export interface PairingExpectation {
  code: 'MISSING_REQUIRED_AI' | 'INVALID_AI_PAIR';
  present: boolean;
}

export interface Case {
  ai: string;
  /** Which rule the value is at the edge of, e.g. "length max", "csum", "iso3166: 000". */
  rule: string;
  /** The element string as scanned (GS separators, no leading GS). */
  data: string;
  /** Its elements (AI + value), in order. */
  elements: string[];
  expected: Expected;
  pairing?: PairingExpectation;
}

export { mod10 };

/** Filler of each type: digits first (a GS1 Company Prefix must lead), then letters and punctuation. */
const FILL: Record<DictPart['cset'], string> = {
  N: '1234567890'.repeat(10),
  X: `12345Ab-c/D.e_F${'GhIjKlMnOp'.repeat(10)}`,
  Y: `12345AB-C/D#E${'FGHIJKLMNO'.repeat(10)}`,
  Z: `12345Ab-c_D${'eFgHiJkLmN'.repeat(10)}`,
};

/** A character each type refuses: a letter among digits, '#' outside CSET 82, lower case outside CSET 39, '!' outside CSET 64. */
const BAD: Record<DictPart['cset'], string> = { N: 'A', X: '#', Y: 'a', Z: '!' };

/** Linters a filler value satisfies once built by valueOf (check digit/pair computed). */
const BUILT = new Set(['csum', 'csumalpha', 'gcppos1', 'gcppos2', 'hasnondigit', 'nozeroprefix', 'nonzero', 'pcenc']);

/** A valid value of `len` characters for the component, or null when none can be built. */
function valueOf(part: DictPart, len: number, samples: Samples): string | null {
  const sampled = part.linters.find((l) => !BUILT.has(l));
  if (sampled !== undefined) return samples[sampled]?.valid.find((v) => v.length === len) ?? null;
  if ((part.linters.includes('gcppos1') && len < 4) || (part.linters.includes('gcppos2') && len < 5)) return null;
  if (part.linters.includes('csumalpha') && part.linters.includes('gcppos1') && len < 6) return null;
  if (part.linters.includes('pcenc')) return len >= 5 ? `A%20B${'C'.repeat(len - 5)}` : 'ABCD'.slice(0, len);
  let v = FILL[part.cset].slice(0, len);
  if (part.linters.includes('csum')) v = v.slice(0, len - 1) + mod10(v.slice(0, len - 1));
  if (part.linters.includes('csumalpha')) {
    if (len < 3 || (part.linters.includes('hasnondigit') && len < 8)) return null;
    v = v.slice(0, len - 2) + checkPair(v.slice(0, len - 2));
  }
  return v.length === len ? v : null;
}

/** A valid value and whether every component is exactly at the length asked for. */
interface Built { value: string; rule: string; exact: boolean; lengths: number[] }

/** Valid values for the AI's components at the shortest and longest lengths, optional ones left out or in. */
function validValues(e: DictEntry, samples: Samples): Built[] {
  const out: Built[] = [];
  const build = (shortest: boolean, upto: number, rule: string): void => {
    let value = '';
    let exact = true;
    const lengths: number[] = [];
    for (let i = 0; i < upto; i++) {
      const p = e.parts[i] as DictPart;
      let v: string | null = null;
      for (let len = shortest ? p.min : p.max; v === null && len >= p.min && len <= p.max; len += shortest ? 1 : -1) v = valueOf(p, len, samples);
      if (v === null) return;
      if (v.length !== (shortest ? p.min : p.max)) exact = false;
      lengths.push(v.length);
      value += v;
    }
    out.push({ value, rule: exact ? rule : `${rule} (as near as valid values allow)`, exact, lengths });
  };
  const mandatory = e.parts.filter((p) => !p.optional).length;
  build(true, mandatory, 'length min');
  build(false, e.parts.length, 'length max');
  if (mandatory < e.parts.length) build(false, mandatory, 'optional components left out');
  return out;
}

/** The error a wrong check digit gives: the key's own code for SSCC and GTIN, the general one otherwise. */
function checkDigitCode(ai: string): string {
  if (ai === '00') return 'SSCC_CHECK_DIGIT';
  return ai === '01' || ai === '02' || ai === '03' ? 'GTIN_CHECK_DIGIT' : 'CHECK_DIGIT';
}

const refused = (code: string, lint?: string): Expected => (lint === undefined ? { ok: false, code } : { ok: false, code, lint });

/** A date linter's errors are INVALID_DATE; every other linter's are INVALID_VALUE. */
const DATE_LINTERS = new Set(['yymmd0', 'yymmdd', 'yyyymmdd']);
function lintExpected(linter: string, error: string): Expected {
  return refused(DATE_LINTERS.has(linter) && (error === 'ILLEGAL_MONTH' || error === 'ILLEGAL_DAY') ? 'INVALID_DATE' : 'INVALID_VALUE', error);
}

/** Mutations of one component of the longest valid value: a character outside its set, then each linter's. */
function componentCases(e: DictEntry, longest: Built, samples: Samples, add: (value: string, rule: string, expected: Expected) => void): void {
  let offset = 0;
  for (const [k, p] of e.parts.entries()) {
    const len = longest.lengths[k];
    if (len === undefined) break;
    const own = longest.value.slice(offset, offset + len);
    const before = longest.value.slice(0, offset);
    const after = longest.value.slice(offset + len);
    // Another value fits where this one is: of the same length, or of any length the last component allows.
    const fits = (v: string): boolean => v.length === len || (after === '' && k === e.parts.length - 1 && v.length >= p.min && v.length <= p.max);
    add(before + own.slice(0, -1) + BAD[p.cset] + after, `component ${k + 1} charset ${p.cset}`, refused('INVALID_CHARACTER'));
    for (const l of p.linters) {
      if (l === 'csum') add(before + own.slice(0, -1) + String((Number(own.at(-1)) + 1) % 10) + after, 'csum', refused(checkDigitCode(e.ai)));
      else if (l === 'csumalpha') add(before + own.slice(0, -1) + (own.at(-1) === 'Z' ? 'Y' : 'Z') + after, 'csumalpha', lintExpected(l, 'INCORRECT_CHECK_PAIR'));
      else if (l === 'gcppos1' && p.cset !== 'N') {
        // A letter where the company prefix's first digit must be; a check pair is computed again.
        let v = `A${own.slice(1)}`;
        if (p.linters.includes('csumalpha')) v = v.slice(0, -2) + checkPair(v.slice(0, -2));
        add(before + v + after, 'gcppos1', lintExpected(l, 'INVALID_GCP_PREFIX'));
      }
      else if (l === 'nozeroprefix') add(`${before}0${own.slice(1)}${after}`, 'nozeroprefix', lintExpected(l, 'ILLEGAL_ZERO_PREFIX'));
      else if (l === 'nonzero') add(before + '0'.repeat(own.length) + after, 'nonzero', lintExpected(l, 'ILLEGAL_ZERO_VALUE'));
      else for (const [bad, error] of samples[l]?.invalid ?? []) if (fits(bad)) add(before + bad + after, `${l}: ${bad}`, lintExpected(l, error));
      if (!BUILT.has(l)) for (const good of samples[l]?.valid ?? []) if (fits(good) && good !== own) add(before + good + after, `${l}: ${good}`, { ok: true });
    }
    offset += len;
  }
}

/** Every case for one AI, bare (no other AI). */
function casesOf(e: DictEntry, samples: Samples): Case[] {
  const out: Case[] = [];
  // An AI with req= breaks that rule when it stands alone: a warning, never a refusal.
  const pairing: PairingExpectation | undefined = e.req.length > 0 ? { code: 'MISSING_REQUIRED_AI', present: true } : undefined;
  const add = (value: string, rule: string, expected: Expected): void => {
    out.push({ ai: e.ai, rule, data: e.ai + value, elements: [e.ai + value], expected, ...(expected.ok && pairing !== undefined ? { pairing } : {}) });
  };
  const valids = validValues(e, samples);
  for (const v of valids) add(v.value, v.rule, { ok: true });
  const shortest = valids[0];
  const longest = valids.find((v) => v.rule.startsWith('length max')) ?? shortest;
  if (shortest === undefined || longest === undefined) return out;
  if (shortest.exact) add(shortest.value.slice(0, -1), 'length min - 1', refused('AI_LENGTH'));
  // Without its last mandatory component (when it has more than one).
  const mandatory = e.parts.filter((p) => !p.optional).length;
  if (shortest.exact && mandatory > 1) add(shortest.value.slice(0, -(shortest.lengths[mandatory - 1] as number)), `component ${mandatory} missing`, refused('AI_LENGTH'));
  if (longest.exact) {
    // One character more: inside the value of a variable or FNC1-terminated AI; after a
    // predefined-length AI it starts the next AI, and no AI is one digit long.
    const extra = e.parts.at(-1)?.cset === 'N' ? '1' : 'A';
    add(longest.value + extra, 'length max + 1', refused(e.predefined ? 'UNKNOWN_AI' : 'AI_LENGTH'));
  }
  componentCases(e, longest, samples, add);
  return out;
}

/** A valid element of an AI (for pairing cases), or null. */
function elementOf(e: DictEntry, samples: Samples): string | null {
  const v = validValues(e, samples)[0];
  return v === undefined ? null : e.ai + v.value;
}

/** The AI an element starts with. */
function aiOf(element: string, entries: ReadonlyMap<string, DictEntry>): string {
  for (let n = 2; n <= 4; n++) if (entries.has(element.slice(0, n))) return element.slice(0, n);
  throw new Error(`no AI at the start of ${element}`);
}

/** Joins elements as scanned: GS after each AI that is not of predefined length, except the last. */
export function joinScanned(elements: readonly string[], entries: ReadonlyMap<string, DictEntry>): string {
  return elements.map((el, i) => (i < elements.length - 1 && !(entries.get(aiOf(el, entries))?.predefined ?? false) ? el + GS : el)).join('');
}

/** Pairing cases: each req= alternative satisfied (no MISSING_REQUIRED_AI for the AI), each ex= partner present (INVALID_AI_PAIR). */
function pairingCases(e: DictEntry, byAi: ReadonlyMap<string, DictEntry>, samples: Samples): Case[] {
  const out: Case[] = [];
  const self = elementOf(e, samples);
  if (self === null) return out;
  const concrete = (pattern: string): DictEntry | undefined => [...byAi.values()].find((x) => x.ai.length === pattern.length && [...pattern].every((c, i) => c === 'n' || c === x.ai[i]) && x.ai !== e.ai);
  const sequence = (pats: readonly string[]): string[] | null => {
    const els = pats.map((p) => { const x = concrete(p); return x === undefined ? null : elementOf(x, samples); });
    return els.includes(null) ? null : (els as string[]);
  };
  // With more than one req= key, satisfying one alternative of one key leaves the others broken.
  const reqSatisfied = e.req.length === 1;
  for (const req of e.req) {
    for (const group of req) {
      const els = sequence(group);
      if (els === null) continue;
      const pairing: PairingExpectation = { code: 'MISSING_REQUIRED_AI', present: !reqSatisfied };
      out.push({ ai: e.ai, rule: `req ${group.join('+')}`, data: joinScanned([...els, self], byAi), elements: [...els, self], expected: { ok: true }, pairing });
    }
  }
  for (const pattern of e.ex) {
    const els = sequence([pattern]);
    if (els !== null) out.push({ ai: e.ai, rule: `ex ${pattern}`, data: joinScanned([self, ...els], byAi), elements: [self, ...els], expected: { ok: true }, pairing: { code: 'INVALID_AI_PAIR', present: true } });
  }
  return out;
}

/** The vendored dictionary's entries by AI. */
export function dictionaryEntries(): Map<string, DictEntry> {
  const dict = parseDictionary(readFileSync(join(root, 'vendor', 'gs1-syntax-dictionary', 'gs1-syntax-dictionary.txt'), 'utf8'));
  return new Map(dict.entries.map((e) => [e.ai, e]));
}

/** Every generated case, from the vendored dictionary. */
export function generateCases(): Case[] {
  const byAi = dictionaryEntries();
  const out: Case[] = [];
  for (const e of byAi.values()) out.push(...casesOf(e, SAMPLES), ...pairingCases(e, byAi, SAMPLES));
  const seen = new Set<string>();
  return out.filter((c) => (seen.has(c.data) ? false : (seen.add(c.data), true)));
}
