import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCode, PRODUCT_GROUPS, toJson, typeWithLayout, type ParsedCode, type ParseResult, type ProductGroupProfile } from './index.ts';
import { bracketed, gtin14, rawGs1, tobaccoPack, withCheck } from './testkit.ts';

const GS = '\u001d';
const GTIN = gtin14('0487000123456'); // Kazakhstan prefix 487
const SERIAL = '3aB!"%&\'()*+,'; // 13 characters, country KZ
const KEY = 'AbC9';
const CRYPTO44 = 'MDEwNDYwNzAwMDAwMDAwMDcyMTM=ABCDEFGHIJKLMNOP'.slice(0, 44);
const SHOES = { gtin: GTIN, serial: SERIAL, rest: [['91', KEY], ['92', CRYPTO44]] as const };
const RAW = rawGs1(SHOES);

function ok(r: ParseResult): ParsedCode {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r;
}

function err(r: ParseResult, code: string): void {
  assert.equal(r.ok, false, `expected ${code}, got ok`);
  if (!r.ok) {
    assert.equal(r.error.code, code, r.error.message);
    for (const lang of ['ru', 'kk', 'en'] as const) assert.ok(r.error.messages[lang].length > 10, `${code} ${lang}`);
  }
}

function samePartsAsRaw(p: ParsedCode): void {
  assert.equal(p.kind, 'gs1');
  assert.equal(p.gtin, GTIN);
  assert.equal(p.serial, SERIAL);
  assert.equal(p.verificationKey, KEY);
  assert.equal(p.cryptoCode, CRYPTO44);
  assert.equal(p.cis, `01${GTIN}21${SERIAL}`);
  assert.equal(p.normalized, RAW);
}

test('raw GS1 with GS separators: every field', () => {
  const p = ok(parseCode(RAW));
  samePartsAsRaw(p);
  assert.deepEqual(p.ais, { '01': GTIN, '21': SERIAL, '91': KEY, '92': CRYPTO44 });
  assert.equal(p.country, 'KZ');
  assert.equal(p.gtinPrefixCountry, 'KZ');
  assert.equal(p.symbology, 'gs1-datamatrix');
  assert.equal(p.aimPrefix, null);
  assert.deepEqual(p.repairs, []);
  assert.equal(p.cryptoTail, null);
  assert.equal(p.productGroup, null); // shoes, medicines, oil, light industry share this layout
});

test('leading GS / FNC1, trailing CR, LF, CRLF and spaces are not repairs', () => {
  for (const input of [GS + RAW, GS + GS + RAW, `${RAW}\r\n`, `${RAW}\n`, `${RAW}\r`, ` ${RAW} `, `${RAW}${GS}`]) {
    const p = ok(parseCode(input));
    samePartsAsRaw(p);
    assert.deepEqual(p.repairs, []);
  }
});

test('AIM prefixes: removed, recorded, symbology from the prefix', () => {
  const cases: [string, string][] = [[']d2', 'gs1-datamatrix'], [']d1', 'datamatrix'], [']Q3', 'gs1-qr'], [']Q1', 'qr'], [']C1', 'gs1-128'], [']e0', 'gs1-databar']];
  for (const [aim, symbology] of cases) {
    for (const input of [aim + RAW, aim + GS + RAW, GS + aim + RAW, `${aim}${RAW}\r\n`]) {
      const p = ok(parseCode(input));
      samePartsAsRaw(p);
      assert.equal(p.aimPrefix, aim);
      assert.equal(p.symbology, symbology);
      assert.deepEqual(p.repairs, []);
    }
  }
});

test('bracketed human form, with or without GS and spaces', () => {
  for (const input of [bracketed(SHOES), `(01)${GTIN} (21)${SERIAL} (91)${KEY} (92)${CRYPTO44}`, `(01)${GTIN}(21)${SERIAL}${GS}(91)${KEY}${GS}(92)${CRYPTO44}`, `]d2${bracketed(SHOES)}`]) {
    const p = ok(parseCode(input));
    samePartsAsRaw(p);
  }
});

test('bracketed form: a "(" inside a value stays data', () => {
  const p = ok(parseCode(bracketed(SHOES)));
  assert.ok(p.serial?.includes('('));
});

test('escaped separators: each built-in stand-in, reported as a repair', () => {
  for (const t of ['\\u001d', '\\x1d', '\\x1D', '<GS>', '{GS}', '^]', '[GS]', '\u2194']) {
    const p = ok(parseCode(RAW.replaceAll(GS, t)));
    samePartsAsRaw(p);
    assert.deepEqual(p.repairs.map((r) => r.code), ['SEPARATOR_UNESCAPED'], t);
    assert.match(p.repairs[0]?.messages.ru ?? '', /GS/);
  }
  // As the leading FNC1 too.
  samePartsAsRaw(ok(parseCode(`<GS>${RAW.replaceAll(GS, '<GS>')}`)));
});

test('escaped separators: the configurable list', () => {
  const p = ok(parseCode(RAW.replaceAll(GS, '|'), { extraSeparators: ['|'] }));
  samePartsAsRaw(p);
  assert.equal(p.repairs[0]?.code, 'SEPARATOR_UNESCAPED');
  samePartsAsRaw(ok(parseCode(RAW.replaceAll(GS, '~1'), { extraSeparators: ['~1'] })));
});

test('"<" in data is not a separator', () => {
  const serial = '3ABC<TYfDEFGH';
  const p = ok(parseCode(rawGs1({ gtin: GTIN, serial, rest: [['93', 'Ab<1']] })));
  assert.equal(p.serial, serial);
  assert.deepEqual(p.repairs, []);
});

test('lost separators, 91+92: rebuilt and reported', () => {
  const p = ok(parseCode(RAW.replaceAll(GS, '')));
  samePartsAsRaw(p);
  assert.deepEqual(p.repairs.map((r) => r.code), ['SEPARATORS_RESTORED']);
  assert.match(p.repairs[0]?.messages.en ?? '', /serial of 13 characters/);
});

test('lost separators: only one of two lost', () => {
  const [a, b] = RAW.split(GS) as [string, string, string];
  samePartsAsRaw(ok(parseCode(a + RAW.slice(a.length + 1))));
  const p = ok(parseCode(`${a}${GS}${b}${RAW.slice(a.length + b.length + 2)}`));
  samePartsAsRaw(p);
  assert.equal(p.repairs[0]?.code, 'SEPARATORS_RESTORED');
});

test('lost separators, 93 tail (water/beer/dairy) and with an AIM prefix', () => {
  const code = rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['93', 'x9Z/']] });
  const p = ok(parseCode(`]d2${code.replaceAll(GS, '')}\r\n`));
  assert.equal(p.serial, SERIAL);
  assert.equal(p.cryptoTail, 'x9Z/');
  assert.equal(p.normalized, code);
  assert.equal(p.aimPrefix, ']d2');
});

test('lost separators, tobacco block: group tobacco, MRP from 8005', () => {
  const code = rawGs1({ gtin: GTIN, serial: 'aB3"%&\'', rest: [['8005', '012500'], ['93', 'AbCd']] });
  assert.equal(code, `01${GTIN}21aB3"%&'${GS}8005012500${GS}93AbCd`);
  const p = ok(parseCode(code.replaceAll(GS, '')));
  assert.equal(p.kind, 'tobacco-block');
  assert.equal(p.productGroup, 'tobacco');
  assert.equal(p.maxRetailPrice, 12500);
  assert.equal(p.normalized, code);
});

test('lost separators, dairy with weight and medicines with expiry and batch', () => {
  const dairy = rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['93', 'Ab1_'], ['3103', '000450']] });
  const d = ok(parseCode(dairy.replaceAll(GS, '')));
  assert.equal(d.productGroup, 'dairy');
  assert.equal(d.netWeightGrams, 450);
  assert.equal(d.normalized, dairy);
  const med = rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['17', '270531'], ['10', 'LOT-7'], ['91', KEY], ['92', CRYPTO44]] });
  const m = ok(parseCode(med.replaceAll(GS, ''), { referenceYear: 2026 }));
  assert.equal(m.productGroup, 'medicines');
  assert.equal(m.expiry, '2027-05-31');
  assert.equal(m.batch, 'LOT-7');
  assert.equal(m.normalized, med);
});

test('lost separators: two readings that validate -> AMBIGUOUS_SEPARATORS', () => {
  // Batch "X17270101" or batch "X" + expiry 270101: both fit the medicines profile.
  const med = `01${GTIN}21${SERIAL}10X1727010191${KEY}92${CRYPTO44}`;
  const r = parseCode(med, { referenceYear: 2026 });
  err(r, 'AMBIGUOUS_SEPARATORS');
  if (!r.ok) assert.match(r.error.detail ?? '', /\|/);
});

test('Cyrillic from the Russian layout: repaired and reported', () => {
  const typed = typeWithLayout(RAW, 'ru');
  assert.notEqual(typed, RAW);
  const p = ok(parseCode(typed));
  samePartsAsRaw(p);
  assert.deepEqual(p.repairs.map((r) => r.code), ['KEYBOARD_LAYOUT']);
  assert.match(p.repairs[0]?.messages.ru ?? '', /русской/);
});

test('Cyrillic from the Kazakh layout (digits typed as Kazakh letters)', () => {
  const typed = typeWithLayout(RAW, 'kk');
  assert.match(typed, /[әіңғүұқөһ]/);
  const p = ok(parseCode(typed));
  samePartsAsRaw(p);
  assert.match(p.repairs[0]?.messages.en ?? '', /Kazakh/);
});

test('wrong layout and lost separators and AIM typed in the layout, together', () => {
  const p = ok(parseCode(typeWithLayout(`]d2${RAW.replaceAll(GS, '')}`, 'ru')));
  samePartsAsRaw(p);
  assert.equal(p.aimPrefix, ']d2');
  assert.deepEqual(p.repairs.map((r) => r.code), ['KEYBOARD_LAYOUT', 'SEPARATORS_RESTORED']);
});

test('Cyrillic letters only (digits and punctuation intact)', () => {
  const mixed = RAW.replace('aB', 'фИ');
  const p = ok(parseCode(mixed));
  samePartsAsRaw(p);
  assert.equal(p.repairs[0]?.code, 'KEYBOARD_LAYOUT');
});

test('Cyrillic that does not validate once mapped: INVALID_CHARACTER naming the character', () => {
  const r = parseCode(`01${GTIN}21ХХХ`); // Х is the [ key: '{' is not CSET 82 either
  err(r, 'INVALID_CHARACTER');
  if (!r.ok) assert.match(r.error.messages.en, /U\+0425/);
});

test('tobacco pack: 29 characters, MRP decoded, CIS = first 21', () => {
  const pack = tobaccoPack(gtin14('0000004620984'), 'Uon<TYf', 16800, 'JPHJ');
  assert.equal(pack, '00000046209849Uon<TYfACyAJPHJ');
  for (const input of [pack, `]d1${pack}`, `${pack}\r\n`]) {
    const p = ok(parseCode(input));
    assert.equal(p.kind, 'tobacco-pack');
    assert.equal(p.gtin, '00000046209849');
    assert.equal(p.serial, 'Uon<TYf');
    assert.equal(p.cis, '00000046209849Uon<TYf');
    assert.equal(p.maxRetailPrice, 16800);
    assert.equal(p.mrpCode, 'ACyA');
    assert.equal(p.cryptoTail, 'JPHJ');
    assert.equal(p.productGroup, 'tobacco');
    assert.equal(p.normalized, pack);
    assert.deepEqual(p.ais, {});
  }
  assert.equal(ok(parseCode(pack)).symbology, 'datamatrix');
  assert.equal(ok(parseCode(`${tobaccoPack(gtin14('0487000123456'), '3abcdef', 100, 'zzzz')}`)).country, 'KZ');
});

test('tobacco pack: bad GTIN check digit, bad MRP character', () => {
  err(parseCode('00000046209848Uon<TYfACyAJPHJ'), 'GTIN_CHECK_DIGIT');
  const r = parseCode('00000046209849Uon<TYfA(yAJPHJ');
  err(r, 'INVALID_CHARACTER');
  if (!r.ok) assert.match(r.error.messages.en, /MRP/);
});

test('Uzbek-style pack (14+7+8) is a table entry, off by default', () => {
  const uz = '04780101164394TF&csaNNW1kK0tL';
  const tobacco = PRODUCT_GROUPS.find((g) => g.id === 'tobacco') as ProductGroupProfile;
  const groups: ProductGroupProfile[] = PRODUCT_GROUPS.map((g) => g.id !== 'tobacco' ? g : {
    ...tobacco,
    packFormats: (tobacco.packFormats ?? []).map((f) => ({ ...f, enabled: f.id === 'uz' })),
  });
  const p = ok(parseCode(uz, { groups }));
  assert.equal(p.packFormat, 'uz');
  assert.equal(p.maxRetailPrice, null);
  assert.equal(p.cryptoTail, 'NW1kK0tL');
  assert.equal(ok(parseCode(uz)).packFormat, 'eaeu');
});

test('tobacco block with separators', () => {
  const block = rawGs1({ gtin: GTIN, serial: '3bcdefg', rest: [['8005', '098000'], ['93', 'Ab1=']] });
  const p = ok(parseCode(`]d2${block}`));
  assert.equal(p.kind, 'tobacco-block');
  assert.equal(p.cis, `01${GTIN}213bcdefg`);
  assert.equal(p.maxRetailPrice, 98000);
  assert.equal(p.productGroup, 'tobacco');
  assert.equal(p.country, 'KZ');
});

test('SSCC (00): check digit, kind sscc, no CIS', () => {
  const sscc = withCheck('14870001234567890');
  const p = ok(parseCode(`]C1${GS}00${sscc}`));
  assert.equal(p.kind, 'sscc');
  assert.equal(p.ais['00'], sscc);
  assert.equal(p.cis, null);
  assert.equal(p.gtin, null);
  assert.equal(p.symbology, 'gs1-128');
  assert.equal(ok(parseCode(`00${sscc}`)).symbology, 'gs1-128');
  const bad = `00${sscc.slice(0, 17)}${(Number(sscc[17]) + 1) % 10}`;
  err(parseCode(bad), 'SSCC_CHECK_DIGIT');
});

test('EAN-13, EAN-8, UPC-A: kind ean, not a marking code', () => {
  const e13 = withCheck('487000123456');
  const p = ok(parseCode(e13));
  assert.equal(p.kind, 'ean');
  assert.equal(p.symbology, 'ean-13');
  assert.equal(p.gtin, `0${e13}`);
  assert.equal(p.cis, null);
  assert.equal(p.normalized, e13);
  assert.equal(ok(parseCode(`]E0${e13}`)).aimPrefix, ']E0');
  assert.equal(ok(parseCode(withCheck('9638507'))).symbology, 'ean-8');
  assert.equal(ok(parseCode(`]E4${withCheck('9638507')}`)).symbology, 'ean-8');
  assert.equal(ok(parseCode(withCheck('03600029145'))).symbology, 'upc-a');
  err(parseCode('4870001234560'.slice(0, 12) + ((Number(e13[12]) + 1) % 10)), 'EAN_CHECK_DIGIT');
});

test('expiry (17) with day 00, net weight 310n, batch (10)', () => {
  const code = rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['17', '270200'], ['10', 'B12'], ['3102', '001250'], ['93', 'Ab1=']] });
  const p = ok(parseCode(code, { referenceYear: 2026 }));
  assert.equal(p.expiry, '2027-02-28');
  assert.equal(p.batch, 'B12');
  assert.equal(p.netWeightGrams, 12500);
  assert.equal(p.productGroup, null);
});

test('shoes with a 92 of 88 characters: group shoes', () => {
  const p = ok(parseCode(rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['91', KEY], ['92', CRYPTO44 + CRYPTO44]] })));
  assert.equal(p.productGroup, 'shoes');
});

test('errors: every code names what was wrong', () => {
  err(parseCode(''), 'EMPTY');
  err(parseCode('\r\n'), 'EMPTY');
  err(parseCode(']d2'), 'EMPTY');
  err(parseCode(GS), 'EMPTY');
  err(parseCode('hello'), 'UNKNOWN_FORMAT');
  const unknownAi = parseCode(`01${GTIN}2312345`);
  err(unknownAi, 'UNKNOWN_AI');
  if (!unknownAi.ok) assert.match(unknownAi.error.message, /position 17/);
  const len = parseCode(`01${GTIN.slice(0, 10)}${GS}21ABC`);
  err(len, 'AI_LENGTH');
  if (!len.ok) assert.match(len.error.message, /length 10, expected 14/);
  const badGtin = `${GTIN.slice(0, 13)}${(Number(GTIN[13]) + 1) % 10}`;
  const g = parseCode(RAW.replace(GTIN, badGtin));
  err(g, 'GTIN_CHECK_DIGIT');
  if (!g.ok) assert.match(g.error.messages.ru, new RegExp(`ожидается ${GTIN[13]}`));
  err(parseCode(`01${GTIN}17271301`), 'INVALID_DATE');
  err(parseCode(`01${GTIN}11270230`), 'INVALID_DATE');
  err(parseCode(`01${GTIN}`), 'MISSING_SERIAL');
  err(parseCode(bracketed({ gtin: GTIN, serial: 'ABCDEFGHIJ', rest: [['91', KEY], ['92', CRYPTO44]] })), 'SERIAL_LENGTH');
  const crypto = parseCode(rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['91', KEY], ['92', CRYPTO44.slice(0, 40)]] }));
  err(crypto, 'CRYPTO_LENGTH');
  if (!crypto.ok) assert.match(crypto.error.message, /\(92\).*length 40, expected 44\/88/);
  const block = parseCode(rawGs1({ gtin: GTIN, serial: SERIAL, rest: [['8005', '012000'], ['93', 'Ab1=']] }));
  err(block, 'SERIAL_LENGTH');
  const ch = parseCode(RAW.replace(SERIAL, `3${SERIAL.slice(1, 12)}~`));
  err(ch, 'INVALID_CHARACTER');
  if (!ch.ok) assert.match(ch.error.message, /AI \(21\): character '~' \(U\+007E\) at position 31/);
  err(parseCode(`01${GTIN}21ABC${GS}10X${GS}10Y`), 'DUPLICATE_AI');
});

test('messages in the language asked for; all three always present', () => {
  const r = parseCode('', { lang: 'kk' });
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.equal(r.error.message, r.error.messages.kk);
    assert.notEqual(r.error.messages.ru, r.error.messages.en);
  }
  const p = ok(parseCode(RAW.replaceAll(GS, ''), { lang: 'ru' }));
  assert.equal(p.repairs[0]?.message, p.repairs[0]?.messages.ru);
});

test('never throws, whatever it is given', () => {
  for (const x of [undefined, null, 42, {}, '\u0000', '\ud800', ']', ']d', '(', '()', '(01', '(99)', '01', '0'.repeat(5000)]) {
    const r = parseCode(x as unknown as string);
    assert.equal(typeof r.ok, 'boolean');
  }
});

test('toJson: the fields of the contract', () => {
  const j = toJson(parseCode(`]d2${RAW}`));
  for (const k of ['ok', 'kind', 'gtin', 'serial', 'cis', 'verificationKey', 'cryptoCode', 'cryptoTail', 'ais', 'country', 'symbology', 'repairs', 'normalized']) assert.ok(k in j, k);
  assert.equal(j.cis, `01${GTIN}21${SERIAL}`);
  const f = toJson(parseCode('x'));
  assert.deepEqual(Object.keys(f), ['ok', 'error']);
  assert.equal((f.error as { code: string }).code, 'UNKNOWN_FORMAT');
  assert.equal(JSON.parse(JSON.stringify(toJson(parseCode(RAW)))).normalized, RAW);
});
