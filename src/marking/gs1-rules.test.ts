/**
 * The GS1 rules the issue named, one by one: composite AIs, minimum lengths, check digits beyond
 * the GTIN, dates and times, code lists, CSET 39, pairing rules as warnings, lost separators
 * after fixed-length AIs as a reported repair, bracketed input, and AIs new in the dictionary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCode, parseElementString, toJson, type ParsedCode, type ParseResult } from './index.ts';
import { gtin14, withCheck } from './testkit.ts';

const GS = '\u001d';
const GTIN = gtin14('0487000123456');
const CODE = `01${GTIN}213aBcDeFgHiJkL${GS}91EE06${GS}92AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE=`;
const TAIL = `01${GTIN}213aBcDeFgHiJkL${GS}93Ab1/`;

function ok(r: ParseResult | ReturnType<typeof parseElementString>): void {
  if (!r.ok) assert.fail(`expected ok, got ${r.error.code}: ${r.error.message}`);
}

function refused(r: ParseResult | ReturnType<typeof parseElementString>, code: string, detail?: RegExp): void {
  assert.equal(r.ok, false, 'expected a refusal');
  if (r.ok) return;
  assert.equal(r.error.code, code, r.error.message);
  for (const lang of ['ru', 'kk', 'en'] as const) assert.ok(r.error.messages[lang].length > 15, `${code} ${lang}`);
  if (detail !== undefined) assert.match(r.error.detail ?? '', detail);
}

/** GS1 layer on its own: one element string. */
const el = (s: string): ReturnType<typeof parseElementString> => parseElementString(s);

test('composite AIs are validated component by component', () => {
  ok(el(`253${withCheck('123456789012')}ABC`));
  refused(el(`253${withCheck('123456789012').slice(0, 12)}A`), 'INVALID_CHARACTER'); // a letter where the 13th digit must be
  refused(el(`253${withCheck('123456789012').slice(0, 12)}0ABC`), 'CHECK_DIGIT');
  ok(el('421398ABC'));
  refused(el('421999ABC'), 'INVALID_VALUE', /iso3166/);
  refused(el('42139AABC'), 'INVALID_CHARACTER');
  ok(el('7030999AB'));
  refused(el('7030000AB'), 'INVALID_VALUE', /iso3166999/);
  ok(el(`80030${withCheck('123456789012')}SER1`));
  refused(el(`80031${withCheck('123456789012')}`), 'INVALID_VALUE', /zero/); // GRAI starts with a zero digit
  ok(el('70401ABC'));
  refused(el('70401AB!'), 'INVALID_VALUE', /importeridx/);
});

test('minimum lengths, and 423 / 425 in multiples of 3', () => {
  refused(el('253123456789012'), 'AI_LENGTH');
  refused(el('8003012345678'), 'AI_LENGTH');
  ok(el('423398643'));
  refused(el('4233986431'), 'AI_LENGTH');
  refused(el('42539864'), 'AI_LENGTH');
  refused(el('70072501'), 'AI_LENGTH');
  // A fixed-length AI that needs a GS after it: its value runs to the GS, so a character more
  // that starts no AI makes it too long (not an unknown AI).
  refused(el('4220041'), 'AI_LENGTH');
  refused(el('80051234567'), 'AI_LENGTH');
  refused(el('800825010112'.slice(0, 7)), 'AI_LENGTH');
});

test('check digits on 402, 8006, 8017, 8018, 8026, 255 and the GMN check pair', () => {
  ok(el(`402${withCheck('1234567890123456')}`));
  const gsin = withCheck('1234567890123456');
  refused(el(`402${gsin.slice(0, 16)}${(Number(gsin.slice(-1)) + 1) % 10}`), 'CHECK_DIGIT');
  ok(el(`8017${withCheck('12345678901234567')}`));
  ok(el(`8006${withCheck('1234567890123')}0102`));
  refused(el(`8006${withCheck('1234567890123')}0201`), 'INVALID_VALUE', /pieceoftotal/);
  ok(el('80131987654Ad4X4bL5ttr2310c2K'));
  refused(el('80131987654Ad4X4bL5ttr2310cXK'), 'INVALID_VALUE', /csumalpha/);
});

test('dates and times: day 00, month 13, Feb 29 2025, 24:00', () => {
  ok(el('70032402291200'));
  refused(el('70032502291200'), 'INVALID_DATE');
  refused(el('70032501012400'), 'INVALID_VALUE', /hhmi/);
  refused(el('7006250100'), 'INVALID_DATE');
  refused(el('700725130125'), 'INVALID_DATE');
  ok(el('8008250101235959'));
  refused(el('800825010124'), 'INVALID_VALUE', /hh/);
  ok(el('17250100')); // yymmd0: day 00 = end of month
  const r = el('17251301');
  refused(r, 'INVALID_DATE');
  if (!r.ok) assert.match(r.error.messages.en, /month 13/);
});

test('ISO 3166 / ISO 4217, IBAN, CSET 39 both ways, coupons', () => {
  refused(el('422000'), 'INVALID_VALUE', /iso3166/);
  ok(el('3911398100'));
  refused(el('3911000100'), 'INVALID_VALUE', /iso4217/);
  ok(el('8007GB82WEST12345698765432'));
  refused(el('8007GB83WEST12345698765432'), 'INVALID_VALUE', /iban/);
  ok(el('80101234AB#-/'));
  refused(el('80101234ab'), 'INVALID_CHARACTER');
  refused(el('8110999'), 'INVALID_VALUE', /couponcode/);
});

test('pairing rules are warnings with codes and messages in three languages, never refusals', () => {
  const r = parseCode(`${CODE}${GS}02${GTIN}`, { lang: 'ru' });
  ok(r);
  const p = r as ParsedCode;
  // (02) ex=01,03 req=37: GS1 holds such a message invalid; Tanba reads it and warns.
  assert.deepEqual(p.warnings.map((w) => [w.code, w.ai]), [['INVALID_AI_PAIR', '02'], ['MISSING_REQUIRED_AI', '02']]);
  for (const w of p.warnings) {
    assert.equal(w.message, w.messages.ru);
    for (const lang of ['ru', 'kk', 'en'] as const) assert.ok(w.messages[lang].includes('('), lang);
  }
  assert.deepEqual((toJson(p).warnings as { code: string }[]).map((w) => w.code), ['INVALID_AI_PAIR', 'MISSING_REQUIRED_AI']);
  const plain = parseCode(CODE);
  assert.ok(plain.ok && plain.warnings.length === 0 && Array.isArray(toJson(plain).warnings));
  const alone = el('10ABC');
  assert.ok(alone.ok);
  if (alone.ok) {
    assert.equal(alone.warnings[0]?.code, 'MISSING_REQUIRED_AI');
    assert.match(alone.warnings[0]?.messages.en ?? '', /\(01\), \(02\)|\(01\) or \(02\)/);
  }
});

test('a lost GS after a fixed-length AI GS1 wants one after: a reported repair, not silent', () => {
  const block = `01${GTIN}213Bk%"Ye${GS}8005012500${'93x/9z'}`;
  const r = parseCode(block);
  ok(r);
  const p = r as ParsedCode;
  assert.deepEqual(p.repairs.map((x) => x.code), ['SEPARATOR_INSERTED']);
  assert.match(p.repairs[0]?.messages.en ?? '', /\(8005\)/);
  assert.equal(p.normalized, `01${GTIN}213Bk%"Ye${GS}8005012500${GS}93x/9z`);
  assert.equal(p.ais['8005'], '012500');
  const dairy = parseCode(`${TAIL}${GS}70032512311200${'3103000500'}`);
  ok(dairy);
  assert.deepEqual((dairy as ParsedCode).repairs.map((x) => x.code), ['SEPARATOR_INSERTED']);
  // With the GS, nothing to repair; the GS1 layer alone refuses the missing one.
  assert.deepEqual((parseCode(`01${GTIN}213Bk%"Ye${GS}8005012500${GS}93x/9z`) as ParsedCode).repairs, []);
  refused(el('8005012500' + '93x/9z'), 'MISSING_SEPARATOR');
});

test('bracketed input refuses empty values, a bracket with no value and unknown AIs', () => {
  const head = `(01)${GTIN}(21)3aBcDeFgHiJkL`;
  refused(parseCode(`${head}(10)(11)250101(93)Ab1/`), 'EMPTY_VALUE');
  refused(parseCode(`${head}(93)Ab1/(10)12345(11)`), 'EMPTY_VALUE');
  const unknown = parseCode(`${head}(2345)xyz(93)Ab1/`);
  refused(unknown, 'UNKNOWN_AI');
  if (!unknown.ok) assert.match(unknown.error.message, /2345/);
  refused(el('(10)(11)98765'), 'EMPTY_VALUE');
  refused(el('(10)12345(11)'), 'EMPTY_VALUE');
  // A "(" inside a value that is no AI stays data.
  ok(parseCode(`(01)${GTIN}(21)3aB()*+,-./:;(93)Ab1/`));
});

test('AIs new in the dictionary are known: 03, 4300-4333, 7011, 7041, 716, 717, 7230-7259, 8014, 8030, 8040-8043', () => {
  const known = ['03', '4300', '4309', '4326', '4333', '7011', '7041', '716', '717', '7230', '7242', '7250', '7259', '8014', '8030', '8040', '8041', '8042', '8043'];
  for (const ai of known) {
    const r = el(`(${ai})1`);
    assert.ok(r.ok || r.error.code !== 'UNKNOWN_AI', `${ai}: ${r.ok ? 'ok' : r.error.message}`);
  }
  ok(el(`(01)${GTIN}(21)ABC(8040)123456789012345`));
  ok(el('(7041)BX'));
  // Only the shape of a package type code is checked (code-lists.ts says why).
  refused(el('(7041)bx'), 'INVALID_VALUE', /packagetype/);
  refused(el('(7041)BOXX'), 'INVALID_VALUE', /packagetype/);
});
