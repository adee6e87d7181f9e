/**
 * Codes whose GS separators were lost (keyboard wedge without a GS stand-in): every product-group
 * profile says how long the serial is and which AIs follow, so the code can be split again.
 * Every profile and every split is tried; the readings that validate are compared, and the code
 * is accepted only when they all agree. GS characters that did survive are hard boundaries.
 */
import { aiDef, type AiDef } from './ais.ts';
import { GS_CODE } from './cset.ts';
import { cryptoAis } from './groups.ts';
import { writeElementString, type Element } from './gs1.ts';
import { validateElement } from './validate.ts';
import type { CryptoLayout, ProductGroupProfile } from './types.ts';

export interface Reading {
  elements: Element[];
  normalized: string;
  /** Groups whose profile produced this reading, in table order. */
  groups: string[];
}

/** Upper bound on search steps, so a hostile input cannot make the search slow. */
const MAX_STEPS = 50_000;

interface Spec {
  def: AiDef;
  lengths: readonly number[];
}

function lengthsOf(def: AiDef): number[] {
  if (def.fixed) return [def.fixed];
  const out: number[] = [];
  for (let n = def.min; n <= def.max; n++) out.push(n);
  return out;
}

function specsFor(g: ProductGroupProfile, layout: CryptoLayout): Map<string, Spec> | null {
  const specs = new Map<string, Spec>();
  const d21 = aiDef('21');
  if (d21 === undefined) return null;
  specs.set('21', { def: d21, lengths: [...g.serialLengths].sort((a, b) => a - b) });
  for (const ai of cryptoAis(layout)) {
    const def = aiDef(ai);
    if (def === undefined) return null;
    const lengths = layout.kind === '91+92' ? (ai === '91' ? layout.keyLengths : layout.codeLengths) : layout.tailLengths;
    specs.set(ai, { def, lengths: [...lengths].sort((a, b) => a - b) });
  }
  for (const ai of g.extraAis) {
    const def = aiDef(ai);
    if (def !== undefined && !specs.has(ai)) specs.set(ai, { def, lengths: lengthsOf(def) });
  }
  return specs;
}

/**
 * All readings of `s` (which starts with '01' + GTIN) that fit some profile and validate.
 * Readings are keyed by their canonical form; the same split found by several groups is one reading.
 */
export function rebuildSeparators(s: string, groups: readonly ProductGroupProfile[]): Reading[] {
  const n = s.length;
  const d01 = aiDef('01');
  if (d01 === undefined || n < 18 || !s.startsWith('01')) return [];
  const gtin: Element = { ai: '01', def: d01, value: s.slice(2, 16), start: 2, bad: -2 };
  if (validateElement(gtin) !== null) return [];
  const found = new Map<string, Reading>();
  let steps = 0;

  for (const g of groups) {
    for (const layout of g.crypto) {
      const specs = specsFor(g, layout);
      if (specs === null) continue;
      const required = ['21', ...cryptoAis(layout)];
      const used = new Set<string>();
      const stack: Element[] = [gtin];

      const search = (pos: number): void => {
        if (++steps > MAX_STEPS) return;
        while (pos < n && s.charCodeAt(pos) === GS_CODE) pos++;
        if (pos === n) {
          if (required.every((ai) => used.has(ai))) accept(stack.slice(), g.id);
          return;
        }
        // (21) comes right after (01), or after AIs of predefined length that may precede it
        // (GS1 healthcare order 01 17 10 21 puts (17) first); the others in any order.
        const before21 = !used.has('21');
        for (const [ai, spec] of specs) {
          if (used.has(ai) || (before21 && ai !== '21' && !spec.def.predefined)) continue;
          if (!s.startsWith(ai, pos)) continue;
          const vstart = pos + ai.length;
          for (const len of spec.lengths) {
            const vend = vstart + len;
            if (vend > n) break;
            let hasGs = false;
            for (let k = vstart; k < vend; k++) if (s.charCodeAt(k) === GS_CODE) { hasGs = true; break; }
            if (hasGs) break; // longer values would contain it too
            const el: Element = { ai, def: spec.def, value: s.slice(vstart, vend), start: vstart, bad: -2 };
            if (validateElement(el) !== null) continue;
            used.add(ai);
            stack.push(el);
            search(vend);
            stack.pop();
            used.delete(ai);
          }
        }
      };
      search(16);
    }
  }

  function accept(elements: Element[], groupId: string): void {
    const normalized = writeElementString(elements);
    const prev = found.get(normalized);
    if (prev === undefined) found.set(normalized, { elements, normalized, groups: [groupId] });
    else if (!prev.groups.includes(groupId)) prev.groups.push(groupId);
  }

  return [...found.values()];
}
