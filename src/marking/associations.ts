/**
 * GS1's pairing rules (the dictionary's `req=` and `ex=` attributes, and the General
 * Specifications' rule that a digital signature (8030) needs a serialised key) checked over the
 * AIs of one code. GS1 treats a message that breaks them as invalid; Tanba reports them as
 * warnings and never refuses a marking code for a pairing rule (a code may be one of several
 * carriers on an item).
 * The answer depends only on which AIs are present, so it is remembered per set of AIs.
 */
import { aiDef, type AiDef } from './ais.ts';
import type { Element } from './gs1.ts';

/** A broken pairing rule, before it is turned into messages. */
export interface Association {
  code: 'MISSING_REQUIRED_AI' | 'INVALID_AI_PAIR' | 'DIGSIG_SERIAL_MISSING';
  /** The AI the rule belongs to. */
  ai: string;
  /** MISSING_REQUIRED_AI: the alternatives ("01+21"); INVALID_AI_PAIR: the AI found; DIGSIG: the key AI. */
  other: readonly string[];
}

/** Pattern "35nn" against an AI: same length, digits equal where the pattern has digits. */
function matches(pattern: string, ai: string): boolean {
  if (pattern.length !== ai.length) return false;
  for (let i = 0; i < ai.length; i++) {
    const p = pattern.charCodeAt(i);
    if (p !== 110 && p !== ai.charCodeAt(i)) return false; // 'n' matches any digit
  }
  return true;
}

/** Some AI present, other than `self`, matches the pattern (GS1: an AI is not exclusive of itself). */
function present(pattern: string, ais: readonly string[], self: string): string | undefined {
  for (const ai of ais) if (ai !== self && matches(pattern, ai)) return ai;
  return undefined;
}

function evaluate(ais: readonly string[]): Association[] {
  const out: Association[] = [];
  for (const ai of ais) {
    const entry = (aiDef(ai) as AiDef).entry;
    for (const pattern of entry.ex) {
      const found = present(pattern, ais, ai);
      if (found !== undefined) out.push({ code: 'INVALID_AI_PAIR', ai, other: [found] });
    }
    for (const req of entry.req) {
      const ok = req.some((group) => group.every((pattern) => present(pattern, ais, ai) !== undefined));
      if (!ok) out.push({ code: 'MISSING_REQUIRED_AI', ai, other: req.map((group) => group.join('+')) });
    }
  }
  return out;
}

const MEMO = new Map<number | string, readonly Association[]>();
const MEMO_LIMIT = 4096;
const NONE: readonly Association[] = [];

/** A key for the set of AIs in order: exact small integers for up to 5 AIs, else a string. */
function keyOf(elements: readonly Element[]): number | string {
  const n = elements.length;
  if (n <= 5) {
    let k = 0;
    for (let i = 0; i < n; i++) k = k * 1024 + (elements[i] as Element).def.id + 1;
    return k;
  }
  let s = '';
  for (let i = 0; i < n; i++) s += `${(elements[i] as Element).def.id},`;
  return s;
}

/** AIs whose value must carry a serial component when a digital signature (8030) is present. */
const SERIALISED_WITH_DIGSIG = ['253', '255', '8003'];

/** The pairing rules the elements break (empty, and allocation-free, in the common case). */
export function associationsOf(elements: readonly Element[]): readonly Association[] {
  const key = keyOf(elements);
  let found = MEMO.get(key);
  if (found === undefined) {
    const ais = [...new Set(elements.map((e) => e.ai))];
    found = evaluate(ais);
    if (found.length === 0) found = NONE;
    if (MEMO.size < MEMO_LIMIT) MEMO.set(key, found);
  }
  if (found === NONE && !hasDigsig(elements)) return NONE;
  return [...found, ...digsigRule(elements)];
}

function hasDigsig(elements: readonly Element[]): boolean {
  for (let i = 0; i < elements.length; i++) if ((elements[i] as Element).ai === '8030') return true;
  return false;
}

/** With (8030), AIs (253), (255) and (8003) must include their optional serial component. */
function digsigRule(elements: readonly Element[]): Association[] {
  if (!hasDigsig(elements)) return [];
  const out: Association[] = [];
  for (const el of elements) {
    if (SERIALISED_WITH_DIGSIG.includes(el.ai) && el.value.length === el.def.min) out.push({ code: 'DIGSIG_SERIAL_MISSING', ai: '8030', other: [el.ai] });
  }
  return out;
}
