/**
 * Reads GS1's Barcode Syntax Dictionary (gs1-syntax-dictionary.txt) into plain entries, one per
 * AI (ranges such as 3100-3105 expanded). The grammar is the one the file's own header states:
 *
 *   AIs  [Flags]  Specification  [Attributes...]  [# Title]
 *
 * Used by scripts/gs1-generate.ts to write src/marking/gs1/dictionary.generated.ts, and by the
 * tests that check the generated table is the dictionary's.
 */

export type Cset = 'N' | 'X' | 'Y' | 'Z';

/** One component of an AI's data: type, length and the linters that validate it. */
export interface DictPart {
  cset: Cset;
  min: number;
  max: number;
  optional: boolean;
  linters: string[];
}

/** One AI of the dictionary. */
export interface DictEntry {
  ai: string;
  /** Flag '*': predefined length, no FNC1 (GS) needed after it. */
  predefined: boolean;
  /** Flag '?': permitted as a GS1 Digital Link data attribute. */
  dlAttribute: boolean;
  parts: DictPart[];
  /** Each `req=` key: alternatives, each a list of AI patterns that must all be present. */
  req: string[][][];
  /** Every `ex=` pattern (AIs or templates such as 310n) the AI must not be paired with. */
  ex: string[];
  /** `dlpkey` present: a GS1 Digital Link primary key. */
  dlpkey: boolean;
  title: string;
}

export interface Dictionary {
  /** "Release: YYYY-MM-DD" from the file's header, or 'UNSET'. */
  release: string;
  entries: DictEntry[];
}

const FLAG_CHARS = '*!?"$%&\'()+,-./:;<=>@[\\]^_`{|}~';
const PART = /^(\[)?([NXYZ])(\.\.)?(\d+)(\])?((?:,[a-z0-9]+)*)$/;

function parsePart(token: string, line: number): DictPart {
  const m = PART.exec(token);
  if (m === null) throw new Error(`line ${line}: '${token}' is not a component`);
  const [, open, cset, dots, len, close, linters] = m;
  if ((open === undefined) !== (close === undefined)) throw new Error(`line ${line}: unbalanced brackets in '${token}'`);
  const max = Number(len);
  return {
    cset: cset as Cset,
    min: dots === undefined ? max : 1,
    max,
    optional: open !== undefined,
    linters: (linters ?? '').split(',').filter((l) => l !== ''),
  };
}

function expandAis(spec: string, line: number): string[] {
  const m = /^(\d{2,4})(?:-(\d{2,4}))?$/.exec(spec);
  if (m === null) throw new Error(`line ${line}: '${spec}' is not an AI or a range of AIs`);
  const [, from, to] = m as unknown as [string, string, string | undefined];
  if (to === undefined) return [from];
  if (to.length !== from.length || Number(to) < Number(from)) throw new Error(`line ${line}: bad range '${spec}'`);
  const out: string[] = [];
  for (let n = Number(from); n <= Number(to); n++) out.push(String(n).padStart(from.length, '0'));
  return out;
}

/** Parses the whole file. Throws, naming the line, on anything the grammar does not allow. */
export function parseDictionary(text: string): Dictionary {
  const release = /^#\s*Release:\s*(\S+)/m.exec(text)?.[1] ?? 'UNSET';
  const entries: DictEntry[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trim();
    if (body === '') return;
    const title = hash >= 0 ? raw.slice(hash + 1).trim() : '';
    const tokens = body.split(/\s+/);
    const ais = expandAis(tokens.shift() as string, line);
    let flags = '';
    if (tokens[0] !== undefined && [...tokens[0]].every((c) => FLAG_CHARS.includes(c))) flags = tokens.shift() as string;
    const parts: DictPart[] = [];
    while (tokens[0] !== undefined && PART.test(tokens[0])) parts.push(parsePart(tokens.shift() as string, line));
    if (parts.length === 0) throw new Error(`line ${line}: no specification`);
    parts.forEach((p, i) => {
      if (p.min !== p.max && i !== parts.length - 1) throw new Error(`line ${line}: only the last component may have variable length`);
      if (!p.optional && parts.slice(0, i).some((q) => q.optional)) throw new Error(`line ${line}: a mandatory component follows an optional one`);
    });
    const req: string[][][] = [];
    const ex: string[] = [];
    let dlpkey = false;
    for (const t of tokens) {
      if (t.startsWith('req=')) req.push(t.slice(4).split(',').map((alt) => alt.split('+')));
      else if (t.startsWith('ex=')) ex.push(...t.slice(3).split(','));
      else if (t === 'dlpkey' || t.startsWith('dlpkey=')) dlpkey = true;
      else throw new Error(`line ${line}: unknown attribute '${t}'`);
    }
    for (const ai of ais) {
      entries.push({
        ai, predefined: flags.includes('*'), dlAttribute: flags.includes('?'),
        parts: parts.map((p) => ({ ...p, linters: [...p.linters] })),
        req: req.map((r) => r.map((alt) => [...alt])), ex: [...ex], dlpkey, title,
      });
    }
  });
  return { release, entries };
}
