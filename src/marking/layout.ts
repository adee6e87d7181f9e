/**
 * Keyboard layouts: a keyboard-wedge scanner "presses keys", so with a Russian or Kazakh layout
 * active the Latin letters of a code come out as the Cyrillic letters on the same physical keys
 * (and, on the Kazakh layout, most digits come out as the Kazakh letters of the digit row).
 *
 * Each layout is a row of 47 characters aligned key by key with the US layout, unshifted and
 * shifted. Kazakh: Microsoft KBDKAZ (the Windows "Kazakh" layout): digit row ( " ә і ң ғ , . ү ұ қ ө һ.
 */

export type LayoutId = 'ru' | 'kk';

interface LayoutRows {
  id: LayoutId;
  normal: string;
  shift: string;
}

const US_NORMAL = '`1234567890-=qwertyuiop[]\\asdfghjkl;\'zxcvbnm,./';
const US_SHIFT = '~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:"ZXCVBNM<>?';

export const LAYOUTS: readonly LayoutRows[] = [
  {
    id: 'ru',
    normal: 'ё1234567890-=йцукенгшщзхъ\\фывапролджэячсмитьбю.',
    shift: 'Ё!"№;%:?*()_+ЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ,',
  },
  {
    id: 'kk',
    normal: '("әіңғ,.үұқөһйцукенгшщзхъ\\фывапролджэячсмитьбю№',
    shift: ')!ӘІҢҒ;:ҮҰҚӨҺЙЦУКЕНГШЩЗХЪ/ФЫВАПРОЛДЖЭЯЧСМИТЬБЮ?',
  },
];

export const LAYOUT_NAMES: Record<LayoutId, Record<'ru' | 'kk' | 'en', string>> = {
  ru: { ru: 'русской', kk: 'орыс', en: 'Russian' },
  kk: { ru: 'казахской', kk: 'қазақ', en: 'Kazakh' },
};

interface CompiledLayout {
  id: LayoutId;
  /** typed character -> the US character of the same key and shift state. */
  toUs: Map<string, string>;
  /** US character -> the character this layout types for it (for tests and fixtures). */
  fromUs: Map<string, string>;
  /** Every character the layout can type. */
  produces: Set<string>;
}

/** Every character on the US layout's keys. */
const US_CHARS = new Set([...US_NORMAL, ...US_SHIFT]);

function compile(rows: LayoutRows): CompiledLayout {
  const toUs = new Map<string, string>();
  const fromUs = new Map<string, string>();
  const produces = new Set<string>();
  const pairs: [string, string][] = [[rows.normal, US_NORMAL], [rows.shift, US_SHIFT]];
  for (const [typed, us] of pairs) {
    const t = [...typed];
    const u = [...us];
    if (t.length !== u.length) throw new Error(`layout ${rows.id}: ${t.length} keys, expected ${u.length}`);
    for (let i = 0; i < t.length; i++) {
      const tc = t[i] as string;
      const uc = u[i] as string;
      produces.add(tc);
      fromUs.set(uc, tc);
      if (tc !== uc) toUs.set(tc, uc);
    }
  }
  return { id: rows.id, toUs, fromUs, produces };
}

const COMPILED: readonly CompiledLayout[] = LAYOUTS.map(compile);

/** Cyrillic letter keys shared by both layouts -> Latin key (letters only, case-preserving). */
const LETTERS_ONLY = new Map<string, string>();
for (const layout of COMPILED) {
  for (const [typed, us] of layout.toUs) {
    if (/\p{L}/u.test(typed) && !/[A-Za-z]/.test(typed)) LETTERS_ONLY.set(typed, us);
  }
}

/** True when the text contains a character some layout here types in place of a US one. */
export function hasLayoutCharacters(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x400 && s.charCodeAt(i) <= 0x4ff) return true;
    if (s.charCodeAt(i) === 0x2116) return true; // №
  }
  return false;
}

export interface LayoutReading {
  /** The layout assumed; 'letters' = only Cyrillic letters mapped back, other characters kept. */
  layout: LayoutId | 'letters';
  text: string;
  changed: number;
  example: [string, string] | null;
}

function mapText(s: string, map: Map<string, string>): LayoutReading & { layout: 'letters' } {
  let changed = 0;
  let example: [string, string] | null = null;
  let out = '';
  for (const ch of s) {
    const m = map.get(ch);
    if (m !== undefined) {
      changed++;
      example ??= [ch, m];
      out += m;
    } else {
      out += ch;
    }
  }
  return { layout: 'letters', text: out, changed, example };
}

/**
 * Readings of a text typed with a Cyrillic layout active, most literal first: one per layout
 * that could have typed every keyboard character of it (the whole text remapped key by key),
 * then a letters-only reading. Empty when the text has no Cyrillic letter.
 */
export function layoutReadings(s: string): { full: LayoutReading[]; lettersOnly: LayoutReading | null } {
  if (!hasLayoutCharacters(s)) return { full: [], lettersOnly: null };
  const full: LayoutReading[] = [];
  for (const layout of COMPILED) {
    let possible = true;
    for (const ch of s) {
      if ((US_CHARS.has(ch) || layout.toUs.has(ch) || LETTERS_ONLY.has(ch) || ch === '№') && !layout.produces.has(ch)) {
        possible = false;
        break;
      }
    }
    if (!possible) continue;
    const r = mapText(s, layout.toUs);
    if (r.changed > 0) full.push({ ...r, layout: layout.id });
  }
  const letters = mapText(s, LETTERS_ONLY);
  const lettersOnly = letters.changed > 0 && !full.some((f) => f.text === letters.text) ? letters : null;
  return { full, lettersOnly };
}

/** What a keyboard-wedge scanner types for `s` with the given layout active (tests, fixtures). */
export function typeWithLayout(s: string, layout: LayoutId): string {
  const compiled = COMPILED.find((l) => l.id === layout) as CompiledLayout;
  let out = '';
  for (const ch of s) out += compiled.fromUs.get(ch) ?? ch;
  return out;
}
