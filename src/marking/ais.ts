/**
 * The GS1 application identifiers, compiled once from the table generated from GS1's Syntax
 * Dictionary (gs1/dictionary.generated.ts) into one uniform shape per AI. Lookup is by the numeric
 * value of the first 2, 3 or 4 digits (GS1 AIs are prefix-free), so reading an AI allocates nothing.
 */
import { DICTIONARY, type DictionaryEntry, type LinterName } from './gs1/dictionary.generated.ts';
import { CSET_LINTERS, LINTERS, type Linter } from './gs1/linters.ts';

export type CheckKind = 'gtin' | 'sscc' | 'gln';

/** Component character sets: N digits, X CSET 82, Y CSET 39, Z CSET 64. */
export type Cset = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI's data. */
export interface AiPart {
  cset: Cset;
  min: number;
  max: number;
  optional: boolean;
  /** The character-set linter, then the dictionary's linters (those the type does not already imply). */
  linters: readonly Linter[];
  linterNames: readonly LinterName[];
}

export interface AiDef {
  ai: string;
  title: string;
  /** Exact length of the data when every component has a fixed length and none is optional, else 0. */
  fixed: number;
  /** Shortest data: the mandatory components' minimum lengths. */
  min: number;
  /** Longest data: every component's maximum length. */
  max: number;
  /**
   * What reading checks character by character: 1 digits, 2 CSET 82, 0 nothing (several
   * components, or CSET 39 / 64: validation checks them component by component).
   */
  inlineCset: 0 | 1 | 2;
  /** One component and no linter beyond its character set: the inline check is the whole validation. */
  charsOnly: boolean;
  /** Flag '*': a length GS1 predefines, no FNC1 (GS) needed after it. */
  predefined: boolean;
  parts: readonly AiPart[];
  /** Check digit (csum) carried in the first component's last position, or null. */
  check: CheckKind | null;
  /** For AIs with an implied decimal point (310n ...): n; else -1. */
  decimals: number;
  /** Index in the table (small integer, for memo keys). */
  id: number;
  entry: DictionaryEntry;
}

const AI2: (AiDef | undefined)[] = new Array<AiDef | undefined>(100);
const AI3: (AiDef | undefined)[] = new Array<AiDef | undefined>(1000);
const AI4: (AiDef | undefined)[] = new Array<AiDef | undefined>(10000);
const BY_NAME = new Map<string, AiDef>();
const ALL: AiDef[] = [];

/**
 * A linter the component's type and length already guarantee: the GS1 Company Prefix linters only
 * look at the first digits (no prefix lookup), so on an N component long enough they always pass.
 */
function implied(name: LinterName, cset: Cset, min: number): boolean {
  return cset === 'N' && ((name === 'gcppos1' && min >= 4) || (name === 'gcppos2' && min >= 5));
}

/** Families whose last digit places an implied decimal point (GS1 General Specifications 3.6). */
const DECIMAL_STEMS = /^(3[1-6]\d|39[0-5])$/;

function compile(entry: DictionaryEntry, id: number): AiDef {
  const parts: AiPart[] = entry.parts.map((p) => {
    const names = p.linters.filter((n) => !implied(n, p.cset, p.min));
    return { cset: p.cset, min: p.min, max: p.max, optional: p.optional, linters: [CSET_LINTERS[p.cset], ...names.map((n) => LINTERS[n])], linterNames: names };
  });
  const first = parts[0] as AiPart;
  const allFixed = parts.every((p) => p.min === p.max && !p.optional);
  const max = parts.reduce((n, p) => n + p.max, 0);
  const ai = entry.ai;
  const csum = first.linterNames.includes('csum');
  const single = parts.length === 1;
  // Every definition has the same fields in the same order: one hidden class, fast property loads.
  return {
    ai,
    title: entry.title,
    fixed: allFixed ? max : 0,
    min: parts.reduce((n, p) => n + (p.optional ? 0 : p.min), 0),
    max,
    inlineCset: single && first.cset === 'N' ? 1 : single && first.cset === 'X' ? 2 : 0,
    charsOnly: single && first.linterNames.length === 0 && (first.cset === 'N' || first.cset === 'X'),
    predefined: entry.predefined,
    parts,
    check: !csum ? null : ai === '00' ? 'sscc' : ai === '01' || ai === '02' || ai === '03' ? 'gtin' : 'gln',
    decimals: ai.length === 4 && DECIMAL_STEMS.test(ai.slice(0, 3)) ? ai.charCodeAt(3) - 48 : -1,
    id,
    entry,
  };
}

DICTIONARY.forEach((entry, i) => {
  const def = compile(entry, i);
  const n = Number(def.ai);
  if (def.ai.length === 2) AI2[n] = def;
  else if (def.ai.length === 3) AI3[n] = def;
  else AI4[n] = def;
  BY_NAME.set(def.ai, def);
  ALL.push(def);
});

/** The definition of an AI by its digits ('01', '3103', ...). */
export function aiDef(ai: string): AiDef | undefined {
  return BY_NAME.get(ai);
}

/** Every AI the engine accepts: every AI of the GS1 Syntax Dictionary. */
export function allAis(): readonly AiDef[] {
  return ALL;
}

/**
 * The AI starting at s[pos], or undefined when none is known there (including when fewer than
 * the needed digits remain before `end`). Allocation-free.
 */
export function aiAt(s: string, pos: number, end: number): AiDef | undefined {
  if (pos + 2 > end) return undefined;
  const d0 = s.charCodeAt(pos) - 48;
  const d1 = s.charCodeAt(pos + 1) - 48;
  if (d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9) return undefined;
  const n2 = d0 * 10 + d1;
  const two = AI2[n2];
  if (two !== undefined) return two;
  if (pos + 3 > end) return undefined;
  const d2 = s.charCodeAt(pos + 2) - 48;
  if (d2 < 0 || d2 > 9) return undefined;
  const n3 = n2 * 10 + d2;
  const three = AI3[n3];
  if (three !== undefined) return three;
  if (pos + 4 > end) return undefined;
  const d3 = s.charCodeAt(pos + 3) - 48;
  if (d3 < 0 || d3 > 9) return undefined;
  return AI4[n3 * 10 + d3];
}
