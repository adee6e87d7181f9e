/**
 * Property-based tests: any code built from random valid parts parses back to the same parts
 * from every delivery form; random text and bytes never throw.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BUILTIN_SEPARATORS, CSET82, parseCode, PRODUCT_GROUPS, toJson, typeWithLayout, type ParsedCode, type ParseResult } from './index.ts';
import { bracketed, gtin14, rawGs1, tobaccoPack, withCheck, type Gs1Parts } from './testkit.ts';

const GS = '\u001d';
const RUNS = Number(process.env.FC_RUNS ?? 300);
const YEAR = 2026;

const digits = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
const cset = (min: number, max = min): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...CSET82), minLength: min, maxLength: max });
const gtinArb = digits(13).map(gtin14);
/** YYMMDD; day 00 (end of month) only where the dictionary's linter is yymmd0 (11, 17), not yymmdd (7003). */
const dateOf = (minDay: number): fc.Arbitrary<string> => fc.tuple(fc.integer({ min: 0, max: 49 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: minDay, max: 28 }))
  .map(([y, m, d]) => [y, m, d].map((v) => String(v).padStart(2, '0')).join(''));
const dateArb = dateOf(0);

/** A GS1 marking code from one group profile of the built-in table, its extra AIs included at random. */
const gs1Arb: fc.Arbitrary<{ parts: Gs1Parts; group: string }> = fc.constantFrom(...PRODUCT_GROUPS).chain((g) => {
  const layout = fc.constantFrom(...g.crypto);
  return fc.record({
    gtin: gtinArb,
    serial: fc.constantFrom(...g.serialLengths).chain((n) => fc.tuple(fc.constantFrom(...'12345E'), cset(n - 1)).map(([c, s]) => c + s)),
    crypto: layout.chain((l) => (l.kind === '91+92'
      ? fc.tuple(fc.constantFrom(...l.keyLengths).chain((n) => cset(n)), fc.constantFrom(...l.codeLengths).chain((n) => cset(n)))
        .map(([k, c]): [string, string][] => [['91', k], ['92', c]])
      : fc.constantFrom(...l.tailLengths).chain((n) => cset(n)).map((t): [string, string][] => [['93', t]]))),
    extras: fc.subarray([...g.extraAis]).chain((ais) => fc.tuple(...ais.map((ai) => valueFor(ai).map((v): [string, string] => [ai, v])))),
    extrasFirst: fc.boolean(),
  }).map(({ gtin, serial, crypto, extras, extrasFirst }) => ({
    group: g.id,
    parts: { gtin, serial, rest: extrasFirst ? [...extras, ...crypto] : [...crypto, ...extras] },
  }));
});

function valueFor(ai: string): fc.Arbitrary<string> {
  if (ai === '17' || ai === '11') return dateArb;
  if (ai === '10') return cset(1, 20);
  if (ai === '7003') return fc.tuple(dateOf(1), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
    .map(([d, h, m]) => d + String(h).padStart(2, '0') + String(m).padStart(2, '0'));
  return digits(6); // 3103, 8005
}

/** Values that would be read differently in some form for reasons outside the property (data that looks like syntax). */
function plausible(p: Gs1Parts): boolean {
  const values = [p.serial, ...(p.rest ?? []).map(([, v]) => v)];
  return values.every((v) => !/<(g|f)/i.test(v) && !/\(\d{2,4}\)/.test(v));
}

function assertSameParts(r: ParseResult, p: Gs1Parts, form: string): ParsedCode {
  if (!r.ok) throw new Error(`${form}: ${r.error.code} ${r.error.message}`);
  assert.equal(r.gtin, p.gtin, form);
  assert.equal(r.serial, p.serial, form);
  const rest = Object.fromEntries(p.rest ?? []);
  assert.equal(r.verificationKey, rest['91'] ?? null, form);
  assert.equal(r.cryptoCode, rest['92'] ?? null, form);
  assert.equal(r.cryptoTail, rest['93'] ?? null, form);
  assert.deepEqual(r.ais, { '01': p.gtin, '21': p.serial, ...rest }, form);
  assert.equal(r.normalized, rawGs1(p), form);
  return r;
}

const opts = { referenceYear: YEAR };

test('GS1 marking codes: same parts from raw, leading GS, AIM prefixes, CR/LF, brackets and every escape', () => {
  fc.assert(fc.property(gs1Arb, fc.constantFrom(']d2', ']Q3', ']C1', ']d1'), ({ parts }, aim) => {
    fc.pre(plausible(parts));
    const raw = rawGs1(parts);
    const forms: [string, string][] = [
      ['raw', raw],
      ['leading GS', GS + raw],
      ['AIM', aim + raw],
      ['AIM + GS + CRLF', `${aim}${GS}${raw}\r\n`],
      ['LF', `${raw}\n`],
      ['brackets', bracketed(parts)],
      ...BUILTIN_SEPARATORS.map((t): [string, string] => [`escape ${t}`, raw.replaceAll(GS, t)]),
      ...BUILTIN_SEPARATORS.filter((t) => /[a-z]/.test(t)).map((t): [string, string] => [`escape ${t.toUpperCase()}`, raw.replaceAll(GS, t.toUpperCase())]),
    ];
    for (const [form, input] of forms) {
      const r = assertSameParts(parseCode(input, opts), parts, form);
      if (form.startsWith('escape') && raw.includes(GS)) assert.equal(r.repairs[0]?.code, 'SEPARATOR_UNESCAPED', form);
      if (form.startsWith('AIM')) assert.equal(r.aimPrefix, aim);
    }
    for (const sep of ['|', '~1', '##']) {
      assertSameParts(parseCode(raw.replaceAll(GS, sep), { ...opts, extraSeparators: [sep] }), parts, `extra ${sep}`);
    }
  }), { numRuns: RUNS });
});

test('GS1 marking codes: lost separators give the same parts, or refuse as ambiguous, never another reading', () => {
  let rebuilt = 0;
  let ambiguous = 0;
  fc.assert(fc.property(gs1Arb, fc.boolean(), ({ parts, group }, withAim) => {
    fc.pre(plausible(parts));
    const lost = (withAim ? ']d2' : '') + rawGs1(parts).replaceAll(GS, '');
    const r = parseCode(lost, opts);
    if (!r.ok) {
      assert.equal(r.error.code, 'AMBIGUOUS_SEPARATORS', `${group}: ${r.error.code} ${r.error.message}`);
      ambiguous++;
      return;
    }
    assertSameParts(r, parts, `lost separators (${group})`);
    if (rawGs1(parts).includes(GS)) assert.ok(r.repairs.some((x) => x.code === 'SEPARATORS_RESTORED'));
    rebuilt++;
  }), { numRuns: RUNS });
  assert.ok(rebuilt > ambiguous * 5, `rebuilt ${rebuilt}, ambiguous ${ambiguous}`);
});

test('GS1 marking codes: typed in the Russian or Kazakh layout give the same parts (or refuse as ambiguous)', () => {
  fc.assert(fc.property(gs1Arb, fc.constantFrom('ru' as const, 'kk' as const), fc.boolean(), ({ parts }, layout, lost) => {
    fc.pre(plausible(parts));
    const raw = rawGs1(parts);
    const typed = typeWithLayout(lost ? raw.replaceAll(GS, '') : raw, layout);
    fc.pre(/[\u0400-\u04ff]/.test(typed)); // a code with no letter typed the same on every layout
    const r = parseCode(typed, opts);
    if (!r.ok) {
      assert.ok(['AMBIGUOUS_LAYOUT', 'AMBIGUOUS_SEPARATORS'].includes(r.error.code), `${r.error.code}: ${r.error.message}`);
      return;
    }
    assertSameParts(r, parts, `layout ${layout}`);
    assert.equal(r.repairs[0]?.code, 'KEYBOARD_LAYOUT');
  }), { numRuns: RUNS });
});

test('tobacco packs: same parts raw, with AIM ]d1, with CR/LF and typed in a Cyrillic layout', () => {
  const packArb = fc.record({
    gtin: gtinArb,
    serial: cset(7).filter((s) => !/<(g|f)/i.test(s)),
    mrp: fc.integer({ min: 0, max: 80 ** 4 - 1 }),
    check: cset(4),
  });
  fc.assert(fc.property(packArb, ({ gtin, serial, mrp, check }) => {
    const pack = tobaccoPack(gtin, serial, mrp, check);
    fc.pre(!/<(g|f)/i.test(pack));
    const forms = [pack, `]d1${pack}`, `${pack}\r\n`, typeWithLayout(pack, 'kk')];
    for (const input of forms) {
      const r = parseCode(input, opts);
      if (!r.ok) throw new Error(`${input}: ${r.error.code} ${r.error.message}`);
      if (pack.startsWith('01') && r.kind !== 'tobacco-pack') return; // a 29-character GS1 reading that fits a group wins
      assert.equal(r.kind, 'tobacco-pack');
      assert.equal(r.gtin, gtin);
      assert.equal(r.serial, serial);
      assert.equal(r.cis, gtin + serial);
      assert.equal(r.maxRetailPrice, mrp);
      assert.equal(r.cryptoTail, check);
      assert.equal(r.normalized, pack);
    }
  }), { numRuns: RUNS });
});

test('SSCC and EAN: same parts raw and with AIM prefixes', () => {
  fc.assert(fc.property(digits(17), fc.constantFrom(7, 11, 12), digits(12), (sscc17, eanLen, eanDigits) => {
    const sscc = withCheck(sscc17);
    for (const input of [`00${sscc}`, `]C1${GS}00${sscc}`, `(00)${sscc}`]) {
      const r = parseCode(input);
      assert.ok(r.ok && r.kind === 'sscc' && r.ais['00'] === sscc, input);
    }
    const ean = withCheck(eanDigits.slice(0, eanLen));
    for (const input of [ean, `]E0${ean}`, `${ean}\r\n`]) {
      const r = parseCode(input);
      assert.ok(r.ok && r.kind === 'ean' && r.normalized === ean && r.gtin === ean.padStart(14, '0'), input);
    }
  }), { numRuns: RUNS });
});

function neverThrows(s: string): void {
  const r = parseCode(s);
  assert.equal(typeof r.ok, 'boolean');
  JSON.stringify(toJson(r));
  if (!r.ok) assert.ok(r.error.code.length > 0 && r.error.messages.kk.length > 0);
}

test('random strings never throw', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), neverThrows), { numRuns: RUNS * 3 });
  fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...'0123456789()]d2\u001d<GS>\\x1dйцукенәіңғ', ...CSET82), maxLength: 120 }), neverThrows), { numRuns: RUNS * 3 });
});

test('random bytes never throw (decoded as UTF-8 and as latin1)', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
    const b = Buffer.from(bytes);
    neverThrows(b.toString('utf8'));
    neverThrows(b.toString('latin1'));
  }), { numRuns: RUNS * 3 });
});

test('mutated valid codes never throw and never come back ok with another GTIN check digit', () => {
  fc.assert(fc.property(gs1Arb, fc.nat(), fc.constantFrom(...'0123456789X\u001d'), ({ parts }, at, ch) => {
    const raw = rawGs1(parts);
    const i = at % raw.length;
    const mutated = raw.slice(0, i) + ch + raw.slice(i + 1);
    const r = parseCode(mutated, opts);
    if (r.ok && r.gtin !== null && r.kind !== 'ean') assert.ok(/^\d{14}$/.test(r.gtin));
  }), { numRuns: RUNS });
});
