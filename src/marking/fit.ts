/** Which product groups a read code fits, and why it fits none (serial or crypto length). */
import { cryptoAis } from './groups.ts';
import { fail, type Fail } from './gs1.ts';
import type { ProductGroupProfile } from './types.ts';

const CORE = new Set(['01', '21', '91', '92', '93']);

/**
 * The group table compiled into one uniform shape per group (fast property loads on the hot
 * path), cached per table.
 */
export interface CompiledGroup {
  id: string;
  fallback: boolean;
  serial: readonly number[];
  has9192: boolean;
  keyLens: readonly number[];
  codeLens: readonly number[];
  has93: boolean;
  tailLens: readonly number[];
  extras: readonly string[];
}

const COMPILED = new WeakMap<readonly ProductGroupProfile[], CompiledGroup[]>();

export function compileGroups(groups: readonly ProductGroupProfile[]): CompiledGroup[] {
  let c = COMPILED.get(groups);
  if (c === undefined) {
    c = groups.map((g) => {
      const l9192 = g.crypto.filter((l) => l.kind === '91+92');
      const l93 = g.crypto.filter((l) => l.kind === '93');
      return {
        id: g.id,
        fallback: g.fallback === true,
        serial: [...g.serialLengths],
        has9192: l9192.length > 0,
        keyLens: l9192.flatMap((l) => l.keyLengths),
        codeLens: l9192.flatMap((l) => l.codeLengths),
        has93: l93.length > 0,
        tailLens: l93.flatMap((l) => l.tailLengths),
        extras: [...g.extraAis],
      };
    });
    COMPILED.set(groups, c);
  }
  return c;
}

/** No group fits. */
export const NO_GROUP = -1;
/** Several specific groups fit: the code fits, but its group is not determined. */
export const MANY_GROUPS = -2;

/**
 * The group a GS1 code fits, from the lengths of its parts (-1 when absent) and its other AIs:
 * the index of the single specific group that fits, else of the fallback group when no specific
 * one fits; MANY_GROUPS when several specific ones do; NO_GROUP when none does.
 */
export function matchGroup(groups: readonly CompiledGroup[], serialLen: number, len91: number, len92: number, len93: number, extras: readonly string[] | null): number {
  // Codes without extra AIs come in a handful of shapes: remember the answer per shape.
  if (extras === null && serialLen < 128 && len91 < 127 && len92 < 127 && len93 < 127) {
    const key = (((serialLen + 1) * 128 + (len91 + 1)) * 128 + (len92 + 1)) * 128 + (len93 + 1);
    let memo = MEMO.get(groups);
    if (memo === undefined) {
      memo = new Map();
      MEMO.set(groups, memo);
    }
    const hit = memo.get(key);
    if (hit !== undefined) return hit;
    const r = matchGroupScan(groups, serialLen, len91, len92, len93, null);
    if (memo.size < 4096) memo.set(key, r);
    return r;
  }
  return matchGroupScan(groups, serialLen, len91, len92, len93, extras);
}

const MEMO = new WeakMap<readonly CompiledGroup[], Map<number, number>>();

function matchGroupScan(groups: readonly CompiledGroup[], serialLen: number, len91: number, len92: number, len93: number, extras: readonly string[] | null): number {
  let found = NO_GROUP;
  let fallback = NO_GROUP;
  const crypto = len91 >= 0 || len92 >= 0 || len93 >= 0;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i] as CompiledGroup;
    if (!g.serial.includes(serialLen)) continue;
    if (crypto) {
      const fits9192 = g.has9192 && len91 >= 0 && len92 >= 0 && len93 < 0 && g.keyLens.includes(len91) && g.codeLens.includes(len92);
      const fits93 = g.has93 && len93 >= 0 && len91 < 0 && len92 < 0 && g.tailLens.includes(len93);
      if (!fits9192 && !fits93) continue;
    }
    if (extras !== null) {
      let ok = true;
      for (let k = 0; k < extras.length; k++) if (!g.extras.includes(extras[k] as string)) { ok = false; break; }
      if (!ok) continue;
    }
    if (g.fallback) {
      if (fallback === NO_GROUP) fallback = i;
    } else if (found === NO_GROUP) {
      found = i;
    } else {
      found = MANY_GROUPS;
    }
  }
  return found === NO_GROUP ? fallback : found;
}

function union(lists: readonly (readonly number[])[]): number[] {
  return [...new Set(lists.flat())].sort((a, b) => a - b);
}

/** Lengths for a message: "44/88" (language-neutral). */
function orText(ns: readonly number[]): string {
  return ns.join('/');
}

const PART: Record<string, { partRu: string; partKk: string; partEn: string }> = {
  '91': { partRu: 'ключ проверки', partKk: 'тексеру кілті', partEn: 'verification key' },
  '92': { partRu: 'код проверки', partKk: 'тексеру коды', partEn: 'verification code' },
  '93': { partRu: 'код проверки (криптохвост)', partKk: 'тексеру коды (крипто-құйрық)', partEn: 'crypto tail' },
};

/**
 * For a code that fits no group: the error that says why, when the groups that share its crypto
 * layout and extra AIs all require other lengths. Null when the code is simply of no known group.
 */
export function diagnoseUnfit(groups: readonly ProductGroupProfile[], ais: Record<string, string>): Fail | null {
  const serial = ais['21'];
  if (serial === undefined) return null;
  const kind = ais['91'] !== undefined || ais['92'] !== undefined ? '91+92' : ais['93'] !== undefined ? '93' : null;
  const extras = Object.keys(ais).filter((ai) => !CORE.has(ai));
  if (kind === null && extras.length === 0) return null;
  let candidates = groups.filter((g) => extras.every((ai) => g.extraAis.includes(ai))
    && (kind === null || g.crypto.some((l) => l.kind === kind)));
  if (candidates.length === 0) return null;
  if (kind !== null) {
    const layouts = candidates.flatMap((g) => g.crypto.filter((l) => l.kind === kind));
    for (const ai of ['91', '92', '93']) {
      const v = ais[ai];
      if (v === undefined) continue;
      const allowed = union(layouts.map((l) => (l.kind === '91+92' ? (ai === '91' ? l.keyLengths : ai === '92' ? l.codeLengths : []) : ai === '93' ? l.tailLengths : [])));
      if (allowed.length > 0 && !allowed.includes(v.length)) {
        return fail('CRYPTO_LENGTH', { ai, got: v.length, expected: orText(allowed), ...(PART[ai] ?? {}) });
      }
    }
    candidates = candidates.filter((g) => g.crypto.some((l) => l.kind === kind && cryptoAis(l).every((ai) => {
      const v = ais[ai];
      if (v === undefined) return true;
      if (l.kind === '91+92') return ai === '91' ? l.keyLengths.includes(v.length) : l.codeLengths.includes(v.length);
      return l.tailLengths.includes(v.length);
    })));
    if (candidates.length === 0) return null;
  }
  const allowed = union(candidates.map((g) => g.serialLengths));
  if (allowed.includes(serial.length)) return null;
  const specific = candidates.filter((g) => !g.fallback);
  const named = specific.length > 0 ? specific : candidates;
  const groupNames = (lang: 'ru' | 'kk' | 'en'): string => named.map((g) => g.names[lang]).join(' / ');
  return fail('SERIAL_LENGTH', {
    serial, got: serial.length,
    expected: orText(allowed),
    groupRu: `группы «${groupNames('ru')}»`,
    groupKk: `«${groupNames('kk')}» тобы`,
    groupEn: `product group '${groupNames('en')}'`,
  });
}
