/**
 * parseCode: from the text a scanner (or a person) delivered to a validated, canonical code.
 *
 * Order of work: trim CR/LF and spaces -> textual GS stand-ins -> leading GS and AIM prefix ->
 * by shape: bracketed form, EAN, tobacco pack, GS1 element string (with the lost-separator
 * rebuild when the code fits no profile as read) -> if it still fails and has Cyrillic letters,
 * the same again on the text remapped key by key from the Russian / Kazakh layout.
 * The common case (a GS1 code with its GS) takes one pass and no regular expression.
 */
import { bracketReadings, readBracketed } from './brackets.ts';
import { buildGs1, DEFAULT_CTX, failure, packLengthsOf, packResult, parseEan, repair, type Built, type Ctx } from './build.ts';
import { GS_CODE, firstNonDigit } from './cset.ts';
import { checkDigitOf } from './check-digit.ts';
import { unescapeSeparators } from './escapes.ts';
import { compileGroups, diagnoseUnfit, matchGroup, NO_GROUP } from './fit.ts';
import { PRODUCT_GROUPS, groupById } from './groups.ts';
import { fail, isFail, readElementString, type Fail } from './gs1.ts';
import { hasLayoutCharacters, layoutReadings, LAYOUT_NAMES, type LayoutReading } from './layout.ts';
import { rebuildSeparators, type Reading } from './rebuild.ts';
import { looksLikePack, packFormatsOfLength, readPack, type Pack } from './tobacco.ts';
import type { Lang, ParsedCode, ParseFailure, ParseOptions, ParseResult, Repair } from './types.ts';
import { visibleGs } from './visible.ts';

/** Parses, validates and normalises one code. Never throws. */
export function parseCode(raw: string, options?: ParseOptions): ParseResult {
  let lang: Lang = 'en';
  try {
    const groups = options?.groups ?? PRODUCT_GROUPS;
    const ctx: Ctx = options === undefined ? DEFAULT_CTX : {
      lang: options.lang ?? 'en',
      groups,
      compiled: groups === PRODUCT_GROUPS ? DEFAULT_CTX.compiled : compileGroups(groups),
      packLengths: groups === PRODUCT_GROUPS ? DEFAULT_CTX.packLengths : packLengthsOf(groups),
      extra: options.extraSeparators ?? [],
      year: options.referenceYear,
    };
    lang = ctx.lang === 'ru' || ctx.lang === 'kk' ? ctx.lang : 'en';
    if (lang !== ctx.lang) ctx.lang = lang;
    if (typeof raw !== 'string') return failure(fail('EMPTY'), lang);
    return parseWithLayouts(raw, ctx);
  } catch (err) {
    return failure(fail('INTERNAL', { detail: err instanceof Error ? err.message : String(err) }), lang);
  }
}

function parseWithLayouts(raw: string, ctx: Ctx): ParseResult {
  const first = parseOnce(raw, ctx, NO_REPAIRS);
  if (first.ok || !hasLayoutCharacters(raw)) return first;
  const { full, lettersOnly } = layoutReadings(raw);
  const ok: ParsedCode[] = [];
  let fullFailure: ParseFailure | null = null;
  for (const reading of full) {
    const r = parseOnce(reading.text, ctx, [layoutRepair(reading, ctx.lang)]);
    if (r.ok) {
      if (!ok.some((o) => o.normalized === r.normalized)) ok.push(r);
    } else {
      fullFailure ??= r;
    }
  }
  if (ok.length === 1) return ok[0] as ParsedCode;
  if (ok.length > 1) return failure(fail('AMBIGUOUS_LAYOUT', { count: ok.length }), ctx.lang);
  if (lettersOnly !== null) {
    const r = parseOnce(lettersOnly.text, ctx, [layoutRepair(lettersOnly, ctx.lang)]);
    if (r.ok) return r;
  }
  // Only one layout could have typed the text: what is wrong with the code is what is wrong
  // with that reading (the raw text's error would only name a Cyrillic letter), unless that
  // too is a bad character, which is best named as the person sees it.
  if (full.length === 1 && fullFailure !== null && fullFailure.error.code !== 'INVALID_CHARACTER') return fullFailure;
  return first;
}

function layoutRepair(reading: LayoutReading, lang: Lang): Repair {
  const names = reading.layout === 'letters' ? { ru: 'кириллической', kk: 'кирилл', en: 'Cyrillic' } : LAYOUT_NAMES[reading.layout];
  const [from, to] = reading.example ?? ['', ''];
  return repair('KEYBOARD_LAYOUT', { layoutRu: names.ru, layoutKk: names.kk, layoutEn: names.en, count: reading.changed, from, to }, lang);
}

const NO_REPAIRS: readonly Repair[] = [];

function isSpace(c: number): boolean {
  return c === 13 || c === 10 || c === 32 || c === 9;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function parseOnce(raw: string, ctx: Ctx, repairsIn: readonly Repair[]): ParseResult {
  let start = 0;
  let end = raw.length;
  while (end > start && isSpace(raw.charCodeAt(end - 1))) end--;
  while (start < end && isSpace(raw.charCodeAt(start))) start++;
  if (start === end) return failure(fail('EMPTY'), ctx.lang);
  const text = start === 0 && end === raw.length ? raw : raw.slice(start, end);
  // Optimistic: read the text as it is. Stand-ins for GS are looked for only when that fails,
  // or when the text has one that could pass for data ('<GS>' is four CSET 82 characters).
  const first = parsePrepared(text, repairsIn, ctx);
  if (first.ok && !mayHideStandIn(text, ctx.extra)) return first;
  const un = unescapeSeparators(text, ctx.extra);
  if (un === null) return first;
  const unescaped = repair('SEPARATOR_UNESCAPED', { tokens: un.tokens.map((t) => `'${visibleGs(t)}'`).join(', '), count: un.count }, ctx.lang);
  const second = parsePrepared(un.text, [...repairsIn, unescaped], ctx);
  if (!second.ok) return first.ok ? first : second;
  // Both readings are valid ('<GS>' can be data: '<', 'G', 'S', '>' are CSET 82). The stand-in
  // must not eat real data when the text tells: the reading that fits a product-group profile
  // wins. When both fit (or neither), the separator reading wins: setups typing '<GS>' are far
  // more common than serials containing it, and the repair it reports makes it visible.
  if (first.ok && fitsGroup(first, ctx) && !fitsGroup(second, ctx)) return first;
  return second;
}

const CORE_AIS = new Set(['01', '21', '91', '92', '93']);

/** A GS1 code fits some product-group profile (other kinds always "fit"). */
function fitsGroup(r: ParsedCode, ctx: Ctx): boolean {
  if (r.kind !== 'gs1' && r.kind !== 'tobacco-block') return true;
  const len = (ai: string): number => r.ais[ai]?.length ?? -1;
  const extras = Object.keys(r.ais).filter((ai) => !CORE_AIS.has(ai));
  return matchGroup(ctx.compiled, len('21'), len('91'), len('92'), len('93'), extras.length === 0 ? null : extras) !== NO_GROUP;
}

/** A stand-in made of CSET 82 characters ('<GS>', '<FNC1>') or a configured one, present in the text. */
function mayHideStandIn(text: string, extra: readonly string[]): boolean {
  for (let k = text.indexOf('<'); k >= 0; k = text.indexOf('<', k + 1)) {
    const c = text.charCodeAt(k + 1) | 0x20;
    if (c === 0x67 || c === 0x66) return true; // <g, <f
  }
  for (let i = 0; i < extra.length; i++) {
    const e = extra[i] as string;
    if (e.length > 0 && text.includes(e)) return true;
  }
  return false;
}

/** Leading GS, AIM prefix, then the body. */
function parsePrepared(text: string, repairs: readonly Repair[], ctx: Ctx): ParseResult {
  const n = text.length;
  let i = 0;
  while (i < n && text.charCodeAt(i) === GS_CODE) i++;
  let aim: string | null = null;
  if (i + 3 <= n && text.charCodeAt(i) === 93 && isAlpha(text.charCodeAt(i + 1))) {
    const m = text.charCodeAt(i + 2);
    if (isAlpha(m) || (m >= 48 && m <= 57)) {
      aim = text.slice(i, i + 3);
      i += 3;
      while (i < n && text.charCodeAt(i) === GS_CODE) i++;
    }
  }
  // A trailing GS carries nothing (some scanners end every code with one): dropped, so a
  // tobacco pack or an EAN followed by GS reads as itself.
  let end = n;
  while (end > i && text.charCodeAt(end - 1) === GS_CODE) end--;
  const body = i === 0 && end === n ? text : text.slice(i, end);
  if (body.length === 0) return failure(fail('EMPTY'), ctx.lang);
  return parseBody(body, aim, repairs, ctx);
}

function parseBody(body: string, aim: string | null, repairs: readonly Repair[], ctx: Ctx): ParseResult {
  const n = body.length;
  const c0 = body.charCodeAt(0);
  if (c0 === 40) { // (
    const read = readBracketed(body);
    const built = isFail(read) ? read : buildGs1(read.elements, null, aim, repairs, ctx);
    if (!isFail(built) && (built.fits || !built.grouped)) return built.result;
    // A "(NN)" read as a boundary may be data inside a value (a crypto code holding "(21)"):
    // the other readings are tried, and one that fits a product group is taken when it is the
    // only one.
    const fitting: ParsedCode[] = [];
    for (const alt of bracketReadings(body)) {
      const b = buildGs1(alt.elements, null, aim, repairs, ctx);
      if (isFail(b) || !b.fits || !b.grouped) continue;
      if (!fitting.some((f) => f.normalized === b.result.normalized)) fitting.push(b.result);
    }
    if (fitting.length === 1) return fitting[0] as ParsedCode;
    if (fitting.length > 1) {
      return failure(fail('AMBIGUOUS_BRACKETS', { count: fitting.length, a: visibleGs(fitting[0]?.normalized ?? ''), b: visibleGs(fitting[1]?.normalized ?? '') }), ctx.lang);
    }
    if (isFail(built)) return failure(built, ctx.lang);
    return finishUnfit(built, ctx);
  }
  if (c0 < 48 || c0 > 57) {
    return failure(fail('UNKNOWN_FORMAT', { len: n, start: visibleGs(body.slice(0, 6)) }), ctx.lang);
  }
  if ((n === 8 || n === 12 || n === 13 || n === 14) && firstNonDigit(body) === -1) return parseEan(body, aim, repairs, ctx);

  // Tobacco pack: the only 29-character shape without separators.
  let pack: Pack | Fail | null = null;
  if (ctx.packLengths.has(n) && body.indexOf('\u001d') < 0) {
    for (const { format, groupId } of packFormatsOfLength(ctx.groups, n)) {
      if (!looksLikePack(body, format)) continue;
      const p = readPack(body, format, groupId);
      if (pack === null || (isFail(pack) && !isFail(p))) pack = p;
      if (!isFail(p)) break;
    }
  }
  const startsWith01 = c0 === 48 && body.charCodeAt(1) === 49;
  if (pack !== null && (!startsWith01 || !isFail(pack))) {
    if (!startsWith01) return isFail(pack) ? failure(pack, ctx.lang) : packResult(pack, body, aim, repairs, ctx);
    // Starts with 01 and reads as a pack: a GS1 reading wins only if it fits a group as it stands.
    const read = readElementString(body);
    if (!isFail(read)) {
      const built = buildGs1(read.elements, read.canonical ? body : null, aim, repairs, ctx, read.inserted);
      if (!isFail(built) && built.fits) return built.result;
    }
    return packResult(pack as Pack, body, aim, repairs, ctx);
  }

  // GS1 element string.
  const read = readElementString(body);
  let std: Built | Fail;
  if (isFail(read)) std = read;
  else std = buildGs1(read.elements, read.canonical ? body : null, aim, repairs, ctx, read.inserted);
  // A marking code as scanned always carries its crypto part: a code without one and without any
  // GS may be one whose separators were lost (serial 7 + 93 reads as a 13-character serial).
  const maybeLost = !isFail(std) && std.grouped && std.noCrypto && body.indexOf('\u001d') < 0;
  if (!isFail(std) && !maybeLost && (std.fits || !std.grouped)) return std.result;

  const tryRebuild = startsWith01 && (!isFail(std) || (std.fail !== 'GTIN_CHECK_DIGIT' && std.fail !== 'INVALID_DATE' && std.fail !== 'DUPLICATE_AI'));
  if (tryRebuild) {
    const readings = rebuildSeparators(body, ctx.groups);
    if (readings.length === 1) {
      const reading = readings[0] as Reading;
      const built = buildGs1(reading.elements, reading.normalized, aim, [...repairs, restoredRepair(reading, ctx)], ctx);
      if (!isFail(built)) return built.result;
    } else if (readings.length > 1) {
      return failure(ambiguous(readings), ctx.lang);
    }
  }
  if (isFail(std)) {
    // A wrong GTIN is the first thing wrong with the code, even when reading stopped later (a
    // code without its GS fails on the serial's length before the GTIN is validated).
    if (startsWith01 && std.fail !== 'GTIN_CHECK_DIGIT' && n >= 16 && firstNonDigit(body, 2, 16) === -1) {
      const expected = checkDigitOf(body, 2, 15);
      const got = body.charCodeAt(15) - 48;
      if (expected !== got) return failure(fail('GTIN_CHECK_DIGIT', { value: body.slice(2, 16), got, expected }), ctx.lang);
    }
    return failure(std, ctx.lang);
  }
  return finishUnfit(std, ctx);
}

/** A code that fits no group as read and could not be rebuilt: fine, unless its lengths betray it. */
function finishUnfit(built: Built, ctx: Ctx): ParseResult {
  if (built.fits || !built.grouped) return built.result;
  const diag = diagnoseUnfit(ctx.groups, built.result.ais);
  return diag === null ? built.result : failure(diag, ctx.lang);
}

function ambiguous(readings: readonly Reading[]): Fail {
  const serialOf = (r: Reading): string => r.elements.find((e) => e.ai === '21')?.value ?? '';
  const [a, b] = readings as [Reading, Reading];
  const sa = serialOf(a);
  const sb = serialOf(b);
  return fail('AMBIGUOUS_SEPARATORS', {
    count: readings.length,
    a: sa !== sb ? sa : visibleGs(a.normalized),
    b: sa !== sb ? sb : visibleGs(b.normalized),
  }, readings.map((r) => visibleGs(r.normalized)).join(' | '));
}

function restoredRepair(reading: Reading, ctx: Ctx): Repair {
  const groups = reading.groups.map((id) => groupById(ctx.groups, id)).filter((g) => g !== undefined);
  const specific = groups.filter((g) => !g.fallback);
  const named = specific.length > 0 ? specific : groups;
  const name = (lang: Lang): string => named.map((g) => g.names[lang]).join(' / ');
  const serial = reading.elements.find((e) => e.ai === '21')?.value.length ?? 0;
  const rest = reading.elements.filter((e) => e.ai !== '01' && e.ai !== '21').map((e) => `(${e.ai})`).join(' ');
  return repair('SEPARATORS_RESTORED', {
    groupRu: name('ru'), groupKk: name('kk'), groupEn: name('en'),
    layoutRu: `серийный номер из ${serial} симв.${rest ? `, затем ${rest}` : ''}`,
    layoutKk: `${serial} таңбалы сериялық нөмір${rest ? `, одан кейін ${rest}` : ''}`,
    layoutEn: `serial of ${serial} characters${rest ? `, then ${rest}` : ''}`,
  }, ctx.lang);
}

