/**
 * Building the result of a read code: the GS1 element string validated and its parts collected
 * (with GS1's pairing rules as warnings), EAN and tobacco pack results, messages in the chosen
 * language, and the parse context shared with parse.ts.
 */
import { associationsOf } from './associations.ts';
import { aiDef } from './ais.ts';
import { parseGs1Date } from './dates.ts';
import { compileGroups, matchGroup, NO_GROUP, type CompiledGroup } from './fit.ts';
import { PRODUCT_GROUPS } from './groups.ts';
import { fail, writeElementString, type Element, type Fail } from './gs1.ts';
import { aiTitle, errorTexts, repairTexts, warningTexts, type RepairCode } from './messages.ts';
import { aimSymbology } from './aim.ts';
import { countryOfSerial, gtinPrefixCountry } from './tables.ts';
import type { Pack } from './tobacco.ts';
import type { CodeKind, Lang, ParsedCode, ParseFailure, ParseResult, ProductGroupProfile, Repair, Warning } from './types.ts';
import { validateElement } from './validate.ts';
import { checkDigitOf } from './check-digit.ts';

/** What one parse works with: language, product groups (compiled), stand-ins, reference year. */
export interface Ctx {
  lang: Lang;
  groups: readonly ProductGroupProfile[];
  compiled: readonly CompiledGroup[];
  /** Total lengths of the enabled tobacco pack formats (a quick test before looking them up). */
  packLengths: ReadonlySet<number>;
  extra: readonly string[];
  year: number | undefined;
}

/** Total lengths of the enabled tobacco pack formats of a group table. */
export function packLengthsOf(groups: readonly ProductGroupProfile[]): Set<number> {
  const out = new Set<number>();
  for (const g of groups) for (const f of g.packFormats ?? []) if (f.enabled) out.add(f.gtinLength + f.serialLength + f.mrpLength + f.checkLength);
  return out;
}

/** The context when no options are given: built-in groups, English. */
export const DEFAULT_CTX: Ctx = {
  lang: 'en', groups: PRODUCT_GROUPS, compiled: compileGroups(PRODUCT_GROUPS), packLengths: packLengthsOf(PRODUCT_GROUPS), extra: [], year: undefined,
};

let yearCachedAt = -Infinity;
let yearCached = 2000;
/** The current UTC year, looked up at most once a minute. */
function currentYear(): number {
  const now = Date.now();
  if (now - yearCachedAt > 60_000) {
    yearCached = new Date(now).getUTCFullYear();
    yearCachedAt = now;
  }
  return yearCached;
}

/** The reference year for YYMMDD centuries: the option, else the current UTC year. */
export function yearOf(ctx: Ctx): number {
  return ctx.year ?? currentYear();
}

/** Parses, validates and normalises one code. Never throws. */
/** A failure with its messages in every language. */
export function failure(f: Fail, lang: Lang): ParseFailure {
  const messages = errorTexts(f.fail, f.params);
  const error: ParseFailure['error'] = { code: f.fail, message: messages[lang], messages };
  if (f.detail !== undefined) error.detail = f.detail;
  return { ok: false, error };
}

/** A repair with its messages in every language. */
export function repair(code: RepairCode, params: Record<string, string | number>, lang: Lang): Repair {
  const messages = repairTexts(code, params);
  return { code, message: messages[lang], messages };
}

/** A GS1 code built from its elements, with what parse.ts needs to choose between readings. */
export interface Built {
  result: ParsedCode;
  /** False for SSCC codes, which belong to no product group. */
  grouped: boolean;
  /** The code fits some group's profile as read. */
  fits: boolean;
  /** No AI 91, 92 or 93. */
  noCrypto: boolean;
}

function symbologyOf(aim: string | null, kind: CodeKind, digits = 0): string | null {
  const fromAim = aim === null ? undefined : aimSymbology(aim);
  if (kind === 'ean') {
    const byLength = digits === 8 ? 'ean-8' : digits === 12 ? 'upc-a' : digits === 14 ? 'itf-14' : 'ean-13';
    if (fromAim === undefined || fromAim === 'ean-13') return byLength;
    return fromAim;
  }
  if (fromAim !== undefined) return fromAim;
  if (kind === 'tobacco-pack') return 'datamatrix';
  if (kind === 'sscc') return 'gs1-128';
  return 'gs1-datamatrix';
}

/** The repair for GS separators inserted after fixed-length AIs that GS1 wants one after. */
export function insertedRepair(inserted: readonly string[], lang: Lang): Repair {
  return repair('SEPARATOR_INSERTED', { ais: inserted.map((ai) => `AI (${ai})`).join(', ') }, lang);
}

/** GS1's pairing rules the elements break, as warnings in the context's language. */
export function warningsOf(elements: readonly Element[], lang: Lang): Warning[] {
  const found = associationsOf(elements);
  if (found.length === 0) return [];
  return found.map((a) => {
    const def = aiDef(a.ai);
    const t = aiTitle(a.ai, def?.title ?? '');
    const alternatives = (lang: Lang): string => a.other.map((alt) => alt.split('+').map((x) => `(${x})`).join(lang === 'en' ? ' with ' : ' + ')).join(lang === 'ru' ? ' или ' : lang === 'kk' ? ' немесе ' : ' or ');
    const messages = warningTexts(a.code, {
      ai: a.ai, other: a.other.join(', '), titleRu: t.ru, titleKk: t.kk, titleEn: t.en,
      alternativesRu: alternatives('ru'), alternativesKk: alternatives('kk'), alternativesEn: alternatives('en'),
    });
    return { code: a.code, message: messages[lang], messages, ai: a.ai };
  });
}

/** Validates GS1 elements and builds the parsed code with its group, repairs and warnings. */
export function buildGs1(elements: Element[], normalized: string | null, aim: string | null, repairs: readonly Repair[], ctx: Ctx, inserted: readonly string[] | null = null): Built | Fail {
  const count = elements.length;
  if (count === 0) return fail('EMPTY');
  // One pass: validate, collect the record, the parts and the shape.
  let gtin: string | undefined;
  let serial: string | undefined;
  let k91: string | undefined;
  let k92: string | undefined;
  let k93: string | undefined;
  let batch: string | undefined;
  let expiryRaw: string | undefined;
  let mrp: string | undefined;
  let weight: number | null = null;
  let extras: string[] | null = null;
  for (let i = 0; i < count; i++) {
    const el = elements[i] as Element;
    const f = validateElement(el);
    if (f !== null) return f;
    const ai = el.ai;
    const value = el.value;
    for (let j = 0; j < i; j++) {
      const prev = elements[j] as Element;
      if (prev.ai === ai && prev.value !== value) return fail('DUPLICATE_AI', { ai, a: prev.value, b: value });
    }
    switch (ai) {
      case '01': gtin = value; break;
      case '21': serial = value; break;
      case '91': k91 = value; break;
      case '92': k92 = value; break;
      case '93': k93 = value; break;
      default:
        if (ai === '10') batch = value;
        else if (ai === '17') expiryRaw = value;
        else if (ai === '8005') mrp = value;
        else if (weight === null && el.def.decimals >= 0 && ai.startsWith('310')) {
          const d = el.def.decimals;
          const units = Number(value);
          weight = d <= 3 ? units * 10 ** (3 - d) : units / 10 ** (d - 3);
        }
        (extras ??= []).push(ai);
    }
  }
  const ais = aisOf(elements);
  const first = (elements[0] as Element).ai;
  let kind: CodeKind;
  if (first === '00') kind = 'sscc';
  else if (gtin !== undefined) {
    if (serial === undefined) return fail('MISSING_SERIAL', { gtin });
    kind = mrp !== undefined ? 'tobacco-block' : 'gs1';
  } else {
    return fail('UNKNOWN_FORMAT', { len: count, start: `(${first})` });
  }
  const isCode = kind !== 'sscc';
  let groupIndex = NO_GROUP;
  if (isCode) {
    groupIndex = matchGroup(ctx.compiled, serial === undefined ? -1 : serial.length,
      k91 === undefined ? -1 : k91.length, k92 === undefined ? -1 : k92.length, k93 === undefined ? -1 : k93.length, extras);
  }
  const fits = groupIndex !== NO_GROUP;
  let expiry: string | null = null;
  if (expiryRaw !== undefined) {
    const d = parseGs1Date(expiryRaw, yearOf(ctx));
    if (d.ok) expiry = d.iso;
  }
  const result: ParsedCode = {
    ok: true,
    kind,
    gtin: isCode ? (gtin ?? null) : null,
    serial: isCode ? (serial ?? null) : null,
    cis: isCode && gtin !== undefined && serial !== undefined ? '01' + gtin + '21' + serial : null,
    verificationKey: k91 ?? null,
    cryptoCode: k92 ?? null,
    cryptoTail: k93 ?? null,
    ais,
    country: isCode ? countryOfSerial(serial ?? null) : null,
    symbology: symbologyOf(aim, kind),
    aimPrefix: aim,
    repairs: inserted === null ? (repairs.length === 0 ? [] : repairs.slice()) : [...repairs, insertedRepair(inserted, ctx.lang)],
    warnings: warningsOf(elements, ctx.lang),
    normalized: normalized ?? writeElementString(elements),
    productGroup: groupIndex >= 0 ? (ctx.compiled[groupIndex] as CompiledGroup).id : null,
    expiry,
    maxRetailPrice: mrp === undefined ? null : Number(mrp),
    batch: batch ?? null,
    netWeightGrams: weight,
    gtinPrefixCountry: isCode ? gtinPrefixCountry(gtin ?? null) : null,
    mrpCode: null,
    packFormat: null,
  };
  return { result, grouped: isCode, fits, noCrypto: k91 === undefined && k92 === undefined && k93 === undefined };
}

/**
 * The AIs as a record. Storing integer-like keys ('21', '91') into a fresh object one by one is
 * slow in V8 (about 250 ns a key), while an object literal of the same keys is not, so the
 * shapes marking codes come in are written as literals. Order of keys is the engine's: integer
 * keys enumerate first in any case.
 */
function aisOf(els: readonly Element[]): Record<string, string> {
  const n = els.length;
  const a0 = (els[0] as Element);
  if (n >= 2 && a0.ai === '01' && (els[1] as Element).ai === '21') {
    const v0 = a0.value;
    const v1 = (els[1] as Element).value;
    if (n === 2) return { '01': v0, '21': v1 };
    const e2 = els[2] as Element;
    if (n === 3) {
      if (e2.ai === '93') return { '01': v0, '21': v1, '93': e2.value };
      if (e2.ai === '91') return { '01': v0, '21': v1, '91': e2.value };
      if (e2.ai === '92') return { '01': v0, '21': v1, '92': e2.value };
    } else if (n === 4) {
      const e3 = els[3] as Element;
      if (e2.ai === '91' && e3.ai === '92') return { '01': v0, '21': v1, '91': e2.value, '92': e3.value };
      if (e2.ai === '8005' && e3.ai === '93') return { '01': v0, '21': v1, '8005': e2.value, '93': e3.value };
      if (e2.ai === '93' && e3.ai === '3103') return { '01': v0, '21': v1, '93': e2.value, '3103': e3.value };
    }
  }
  const ais: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const el = els[i] as Element;
    ais[el.ai] = el.value;
  }
  return ais;
}

/** A plain retail barcode (EAN-8/13, UPC-A, ITF-14) after its check digit. */
export function parseEan(body: string, aim: string | null, repairs: readonly Repair[], ctx: Ctx): ParseResult {
  const n = body.length;
  const expected = checkDigitOf(body, 0, n - 1);
  const got = body.charCodeAt(n - 1) - 48;
  if (expected !== got) return failure(fail('EAN_CHECK_DIGIT', { value: body, got, expected }), ctx.lang);
  const gtin = n === 14 ? body : '00000000000000'.slice(n) + body;
  return {
    ok: true, kind: 'ean', gtin, serial: null, cis: null,
    verificationKey: null, cryptoCode: null, cryptoTail: null, ais: {},
    country: null, symbology: symbologyOf(aim, 'ean', n), aimPrefix: aim,
    repairs: repairs.slice(), warnings: [], normalized: body, productGroup: null, expiry: null,
    maxRetailPrice: null, batch: null, netWeightGrams: null,
    gtinPrefixCountry: gtinPrefixCountry(gtin), mrpCode: null, packFormat: null,
  };
}

/** The result for a tobacco pack code. */
export function packResult(pack: Pack, body: string, aim: string | null, repairs: readonly Repair[], _ctx: Ctx): ParsedCode {
  return {
    ok: true, kind: 'tobacco-pack', gtin: pack.gtin, serial: pack.serial,
    cis: body.slice(0, pack.format.gtinLength + pack.format.serialLength),
    verificationKey: null, cryptoCode: null, cryptoTail: pack.check, ais: {},
    country: countryOfSerial(pack.serial), symbology: symbologyOf(aim, 'tobacco-pack'), aimPrefix: aim,
    repairs: repairs.slice(), warnings: [], normalized: body, productGroup: pack.groupId, expiry: null,
    maxRetailPrice: pack.mrp, batch: null, netWeightGrams: null,
    gtinPrefixCountry: gtinPrefixCountry(pack.gtin), mrpCode: pack.mrpCode, packFormat: pack.format.id,
  };
}
