/**
 * The `tanba parse --json` contract, black box: every input goes through the spawned CLI
 * (node bin/tanba.mjs parse --json), as stdin bytes (GS as the 0x1D byte) or as arguments. The
 * codes are built here from first principles: GS1 mod-10 check digits, CSET 82 serials, the
 * marking layout of marking-codes.md, the Russian (ЙЦУКЕН) and Kazakh (KBDKAZ) keyboard layouts.
 * Nothing from src/marking is imported: the test must not share the engine's mistakes.
 *
 * Most inputs go through one spawn (one stdin line each) and are asserted one test per case.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const GS = '\x1d';

// ---------------------------------------------------------------------------------------------
// Builders from first principles.

/** GS1 mod-10: weights 3,1,3,... from the right of the payload. */
function checkDigit(payload: string): number {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    const d = payload.charCodeAt(payload.length - 1 - i) - 48;
    sum += d * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}
const withCheck = (payload: string): string => payload + checkDigit(payload);
const wrongCheck = (payload: string): string => payload + ((checkDigit(payload) + 1) % 10);

/**
 * A verification code of `n` characters (44 or 88) with the look of real ones: base64 of
 * n/4*3-1 bytes, so it ends in '=' and holds '+' and '/' often (all CSET 82).
 */
function b64(seed: string, n = 44): string {
  const bytes = Buffer.alloc((n / 4) * 3 - 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (seed.charCodeAt(i % seed.length) * 131 + i * 251) & 0xff;
  const out = bytes.toString('base64');
  if (out.length !== n) throw new Error(`b64: ${out.length} characters`);
  return out;
}

/** US key -> Russian ЙЦУКЕН character on the same key (letters, and the keys used here). */
const RU_KEYS: Record<string, string> = {};
const KK_KEYS: Record<string, string> = {};
{
  const us = 'qwertyuiop[]asdfghjkl;\'zxcvbnm,./';
  const ru = 'йцукенгшщзхъфывапролджэячсмитьбю.';
  for (let i = 0; i < us.length; i++) {
    const u = us[i] as string;
    const r = ru[i] as string;
    RU_KEYS[u] = r;
    KK_KEYS[u] = r;
    if (/[a-z]/.test(u)) {
      RU_KEYS[u.toUpperCase()] = r.toUpperCase();
      KK_KEYS[u.toUpperCase()] = r.toUpperCase();
    }
  }
  // Kazakh (Windows KBDKAZ): the digit row types Kazakh letters; '/' types '№'.
  const digits = '1234567890';
  const kk = '"әіңғ,.үұқ';
  for (let i = 0; i < 10; i++) KK_KEYS[digits[i] as string] = kk[i] as string;
  KK_KEYS['/'] = '№';
}
function typeWith(layout: Record<string, string>, s: string): string {
  let out = '';
  for (const ch of s) out += layout[ch] ?? ch;
  return out;
}

/** The canonical GS1 element string: GS after every variable-length AI followed by another. */
// GS1 General Specifications figure 7.8.5-2: only AIs starting 00-04, 11-20, 31-36, 41 have a
// predefined length; 8005 is fixed (N6) but not predefined, so a GS follows it.
const FIXED = new Set(['00', '01', '02', '11', '17', '3103']);
function element(els: readonly (readonly [string, string])[]): string {
  let out = '';
  els.forEach(([ai, v], i) => {
    out += ai + v;
    if (!FIXED.has(ai) && i < els.length - 1) out += GS;
  });
  return out;
}
const bracketed = (els: readonly (readonly [string, string])[]): string => els.map(([ai, v]) => `(${ai})${v}`).join('');
const noGs = (s: string): string => s.replaceAll(GS, '');

// Tobacco pack MRP: base 80 over the alphabet the engine's group table documents (A-Z a-z 0-9 and
// the CSET 82 punctuation without parentheses); the public pack 00000046209849Uon<TYfACyAJPHJ
// decodes to 16800 with it.
const MRP_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!"%&\'*+-./_,:;=<>?';
function encodeMrp(minor: number): string {
  let out = '';
  let v = minor;
  for (let i = 0; i < 4; i++) {
    out = (MRP_ALPHABET[v % 80] as string) + out;
    v = Math.floor(v / 80);
  }
  return out;
}
function decodeMrp(code: string): number {
  let v = 0;
  for (const ch of code) v = v * 80 + MRP_ALPHABET.indexOf(ch);
  return v;
}

// ---------------------------------------------------------------------------------------------
// Realistic codes.

const KZ_GTIN = withCheck('0487001234567');
const KZ_SERIAL = '3xK8"pQ%2mZ!a'; // 13 characters, issuing country 3 = KZ, punctuation from CSET 82
const KEY = 'EE06';
const CRYPTO = b64('tanba');
const KZ_ELS = [['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', CRYPTO]] as const;
const KZ = element(KZ_ELS);

// A code whose letters and digits only (and '/', '+', '=') make the layout cases readable.
const L_SERIAL = '3bQwErTy7uIoP';
const L_CRYPTO44 = b64('layout');
const L_ELS = [['01', KZ_GTIN], ['21', L_SERIAL], ['91', 'FFD0'], ['92', L_CRYPTO44]] as const;
const L_CODE = element(L_ELS);
// The Kazakh layout types no '+' '/' '=' as themselves in ways the engine could tell from data:
// use letters and digits only there.
const K_CRYPTO = 'MEUCIQDxKLpq7Ae9ZrTwB3vN1sYk0hGjFcW2uXo5mHyR';
const K_ELS = [['01', KZ_GTIN], ['21', L_SERIAL], ['91', 'FFD0'], ['92', K_CRYPTO]] as const;
const K_CODE = element(K_ELS);

const RU_GTIN = withCheck('0460123456789');
const RU5_SERIAL = '5Nk8-wq%RtZ3a';
const RUE_SERIAL = 'E7hB!c*dF+g.9';
const RU5 = element([['01', RU_GTIN], ['21', RU5_SERIAL], ['91', 'FFD0'], ['92', CRYPTO]]);
const RUE = element([['01', RU_GTIN], ['21', RUE_SERIAL], ['91', 'FFD0'], ['92', CRYPTO]]);

const WATER_GTIN = withCheck('0487011122233');
const WATER_ELS = [['01', WATER_GTIN], ['21', '3Wt:Ra;n?Ok=B'], ['93', 'dGh5']] as const;
const WATER = element(WATER_ELS);
const DAIRY_ELS = [['01', WATER_GTIN], ['21', '3Dy_mIlk-0042'], ['93', 'Q/1z'], ['3103', '000450']] as const;
const DAIRY = element(DAIRY_ELS);
const BEER_ELS = [['01', withCheck('0487055566677')], ['21', '3bEeR>lAg<er1'], ['93', "x'9&"]] as const;
const BEER = element(BEER_ELS);

const SHOES_CRYPTO88 = b64('shoes', 88);
const SHOES_ELS = [['01', withCheck('0487099988877')], ['21', '3sHoE5/bOoT.1'], ['91', 'AB12'], ['92', SHOES_CRYPTO88]] as const;
const SHOES = element(SHOES_ELS);

const MED_ELS = [['01', withCheck('0487077700011')], ['21', '3MeD1c1nE00Xy'], ['17', '270531'], ['10', 'LOT-7'], ['91', 'EE06'], ['92', CRYPTO]] as const;
const MED = element(MED_ELS);

const BLOCK_GTIN = withCheck('0487000111222');
const BLOCK_ELS = [['01', BLOCK_GTIN], ['21', '3Bk%"Ye'], ['8005', '012500'], ['93', 'x/9z']] as const;
const BLOCK = element(BLOCK_ELS);

const PACK_GTIN = withCheck('0487000111333');
const PACK_SERIAL = '3aZ!kQ9';
const PACK_MRP = encodeMrp(85000); // 850.00 tenge in tiyn
const PACK_CHECK = '"%&\'';
const PACK = PACK_GTIN + PACK_SERIAL + PACK_MRP + PACK_CHECK;
const PACK2_MRP = `!'*_`; // MRP alphabet punctuation, decoded independently below
const PACK2 = withCheck('0460705001234') + '5:;=<>?' + PACK2_MRP + '-./_';
// A pack whose GTIN starts with "01": not a GS1 code (its "GTIN" after 01 has a wrong check digit).
const PACK01_GTIN = withCheck('0123456789012');
const PACK01 = PACK01_GTIN + '3Ab!kQ9' + encodeMrp(12000) + 'zz%=';

const SSCC = withCheck('04870012300000001');
const EAN13 = withCheck('487001234567');
const EAN8 = withCheck('4870123');
const UPCA = withCheck('03600029145');

// ---------------------------------------------------------------------------------------------
// Expectations.

interface Ok {
  ok: true;
  kind: 'gs1' | 'tobacco-pack' | 'tobacco-block' | 'sscc' | 'ean';
  gtin: string | null;
  serial: string | null;
  cis: string | null;
  verificationKey: string | null;
  cryptoCode: string | null;
  cryptoTail: string | null;
  ais: Record<string, string>;
  country: string | null;
  symbology: string;
  repairs: string[];
  normalized: string;
  extra?: Record<string, unknown>;
}
interface Err {
  ok: false;
  code: string;
  /** Every one must occur in error.message: what was wrong, named. */
  mentions: readonly string[];
}
type Expect = Ok | Err;

const COUNTRY: Record<string, string> = { '1': 'AM', '2': 'BY', '3': 'KZ', '4': 'KG', '5': 'RU', E: 'RU' };

function gs1(els: readonly (readonly [string, string])[], over: Partial<Ok> = {}): Ok {
  const ais = Object.fromEntries(els);
  const gtin = ais['01'] as string;
  const serial = ais['21'] as string;
  return {
    ok: true,
    kind: ais['8005'] !== undefined ? 'tobacco-block' : 'gs1',
    gtin, serial, cis: `01${gtin}21${serial}`,
    verificationKey: ais['91'] ?? null, cryptoCode: ais['92'] ?? null, cryptoTail: ais['93'] ?? null,
    ais, country: COUNTRY[serial[0] as string] ?? null, symbology: 'gs1-datamatrix', repairs: [],
    normalized: element(els),
    ...over,
  };
}

function pack(code: string, over: Partial<Ok> = {}): Ok {
  const serial = code.slice(14, 21);
  return {
    ok: true, kind: 'tobacco-pack', gtin: code.slice(0, 14), serial, cis: code.slice(0, 21),
    verificationKey: null, cryptoCode: null, cryptoTail: code.slice(25, 29), ais: {},
    country: COUNTRY[serial[0] as string] ?? null, symbology: 'datamatrix', repairs: [], normalized: code,
    extra: { maxRetailPrice: decodeMrp(code.slice(21, 25)), productGroup: 'tobacco' },
    ...over,
  };
}

function ean(digits: string, symbology: string, over: Partial<Ok> = {}): Ok {
  return {
    ok: true, kind: 'ean', gtin: digits.padStart(14, '0'), serial: null, cis: null,
    verificationKey: null, cryptoCode: null, cryptoTail: null, ais: {}, country: null,
    symbology, repairs: [], normalized: digits, ...over,
  };
}

function sscc(over: Partial<Ok> = {}): Ok {
  return {
    ok: true, kind: 'sscc', gtin: null, serial: null, cis: null, verificationKey: null, cryptoCode: null,
    cryptoTail: null, ais: { '00': SSCC }, country: null, symbology: 'gs1-128', repairs: [],
    normalized: `00${SSCC}`, ...over,
  };
}

const err = (code: string, ...mentions: string[]): Err => ({ ok: false, code, mentions });

function assertContract(actual: Record<string, unknown> | undefined, exp: Expect, label: string): void {
  assert.ok(actual !== undefined, `${label}: no output line`);
  if (!exp.ok) {
    const e = actual.error as { code?: unknown; message?: unknown } | undefined;
    assert.equal(actual.ok, false, `${label}: ok (${JSON.stringify(actual)})`);
    assert.ok(e !== undefined, `${label}: error object`);
    assert.equal(e.code, exp.code, `${label}: error.code (${JSON.stringify(e)})`);
    assert.equal(typeof e.message, 'string');
    assert.ok((e.message as string).length > 0, `${label}: empty message`);
    for (const m of exp.mentions) assert.ok((e.message as string).includes(m), `${label}: message '${String(e.message)}' should name '${m}'`);
    return;
  }
  assert.equal(actual.ok, true, `${label}: ok (${JSON.stringify(actual)})`);
  for (const k of ['kind', 'gtin', 'serial', 'cis', 'verificationKey', 'cryptoCode', 'cryptoTail', 'country', 'symbology', 'normalized'] as const) {
    assert.deepEqual(actual[k], exp[k], `${label}: ${k}`);
  }
  assert.deepEqual(actual.ais, exp.ais, `${label}: ais`); // key order does not matter
  assert.ok(Array.isArray(actual.repairs), `${label}: repairs is an array`);
  const repairs = actual.repairs as { code: string; message: string }[];
  assert.deepEqual(repairs.map((r) => r.code), exp.repairs, `${label}: repairs`);
  for (const r of repairs) assert.ok(typeof r.message === 'string' && r.message.length > 0, `${label}: repair message`);
  for (const [k, v] of Object.entries(exp.extra ?? {})) assert.deepEqual(actual[k], v, `${label}: ${k}`);
}

// ---------------------------------------------------------------------------------------------
// Running the CLI.

interface Run { code: number | null; stdout: string; stderr: string }

function runCli(args: string[], stdin: Buffer | string = '', config?: object, extraEnv: NodeJS.ProcessEnv = {}): Run {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-contract-'));
  try {
    if (config !== undefined) writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
    const env: NodeJS.ProcessEnv = { ...process.env, TANBA_DATA_DIR: dir, TANBA_CONFIG: '', ...extraEnv };
    delete env.TANBA_LANGUAGES;
    const r = spawnSync(process.execPath, ['bin/tanba.mjs', ...args], {
      cwd: root, input: Buffer.isBuffer(stdin) ? stdin : Buffer.from(stdin, 'utf8'), env, timeout: 120_000, maxBuffer: 64 << 20,
    });
    return { code: r.status, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function jsonLines(r: Run): Record<string, unknown>[] {
  assert.equal(r.code, 0, r.stderr);
  if (r.stdout === '') return [];
  assert.ok(r.stdout.endsWith('\n'), 'output ends with a newline');
  return r.stdout.slice(0, -1).split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

// ---------------------------------------------------------------------------------------------
// The cases: [name, one stdin line (string: UTF-8; Buffer: raw bytes), expectation].

type Case = [string, string | Buffer, Expect];

const SEPARATOR_FORMS: [string, string][] = [['\\u001d', '\\u001d'], ['\\x1d', '\\x1d'], ['<GS>', '<GS>'], ['<gs>', '<gs>'], ['{GS}', '{GS}'], ['^]', '^]']];
const AIMS: [string, string][] = [[']d2', 'gs1-datamatrix'], [']d1', 'datamatrix'], [']Q3', 'gs1-qr'], [']Q1', 'qr'], [']C1', 'gs1-128'], [']D2', 'gs1-datamatrix'], [']q3', 'gs1-qr']];

const CASES: Case[] = [
  // Every delivery form of one KZ code.
  ['kz: raw, GS separators', KZ, gs1(KZ_ELS)],
  ['kz: leading GS (FNC1)', GS + KZ, gs1(KZ_ELS)],
  ['kz: two leading GS', GS + GS + KZ, gs1(KZ_ELS)],
  ['kz: trailing GS', KZ + GS, gs1(KZ_ELS)],
  ['kz: CRLF line end', `${KZ}\r`, gs1(KZ_ELS)],
  ['kz: spaces around', `  ${KZ} `, gs1(KZ_ELS)],
  ...AIMS.map(([aim, sym]): Case => [`kz: AIM ${aim}`, aim + KZ, gs1(KZ_ELS, { symbology: sym })]),
  ...AIMS.map(([aim, sym]): Case => [`kz: AIM ${aim} then GS`, aim + GS + KZ, gs1(KZ_ELS, { symbology: sym })]),
  ['kz: bracketed', bracketed(KZ_ELS), gs1(KZ_ELS)],
  ['kz: bracketed with AIM', `]d2${bracketed(KZ_ELS)}`, gs1(KZ_ELS)],
  ...SEPARATOR_FORMS.map(([name, token]): Case => [`kz: escaped ${name}`, KZ.replaceAll(GS, token), gs1(KZ_ELS, { repairs: ['SEPARATOR_UNESCAPED'] })]),
  ['kz: separators lost', noGs(KZ), gs1(KZ_ELS, { repairs: ['SEPARATORS_RESTORED'] })],
  ['kz: separators lost, AIM kept', `]d2${noGs(KZ)}`, gs1(KZ_ELS, { repairs: ['SEPARATORS_RESTORED'] })],
  ['kz: one of two separators lost', KZ.replace(GS, ''), gs1(KZ_ELS, { repairs: ['SEPARATORS_RESTORED'] })],

  // Keyboard layouts (the same physical keys typed with a Cyrillic layout active).
  ['layout: plain reference', L_CODE, gs1(L_ELS)],
  ['layout: Russian', typeWith(RU_KEYS, L_CODE), gs1(L_ELS, { repairs: ['KEYBOARD_LAYOUT'] })],
  ['layout: Russian, AIM ]d2 typed as ъв2', typeWith(RU_KEYS, `]d2${L_CODE}`), gs1(L_ELS, { repairs: ['KEYBOARD_LAYOUT'] })],
  ['layout: Russian, separators lost too', typeWith(RU_KEYS, noGs(L_CODE)), gs1(L_ELS, { repairs: ['KEYBOARD_LAYOUT', 'SEPARATORS_RESTORED'] })],
  ['layout: Kazakh (digits typed as Kazakh letters)', typeWith(KK_KEYS, K_CODE), gs1(K_ELS, { repairs: ['KEYBOARD_LAYOUT'] })],
  ['layout: Russian tobacco pack', typeWith(RU_KEYS, PACK_GTIN + '3aZbkQ9' + encodeMrp(45000) + 'AbCd'), pack(PACK_GTIN + '3aZbkQ9' + encodeMrp(45000) + 'AbCd', { repairs: ['KEYBOARD_LAYOUT'] })],

  // Countries and product groups.
  ['ru: serial starting 5', RU5, gs1([['01', RU_GTIN], ['21', RU5_SERIAL], ['91', 'FFD0'], ['92', CRYPTO]])],
  ['ru: serial starting E', RUE, gs1([['01', RU_GTIN], ['21', RUE_SERIAL], ['91', 'FFD0'], ['92', CRYPTO]])],
  ['water: 93 tail', WATER, gs1(WATER_ELS)],
  ['water: 93 tail, separators lost', noGs(WATER), gs1(WATER_ELS, { repairs: ['SEPARATORS_RESTORED'] })],
  ['water: bracketed', bracketed(WATER_ELS), gs1(WATER_ELS)],
  ['dairy: 93 + 3103 net weight', DAIRY, gs1(DAIRY_ELS, { extra: { netWeightGrams: 450, productGroup: 'dairy' } })],
  ['dairy: separators lost', noGs(DAIRY), gs1(DAIRY_ELS, { repairs: ['SEPARATORS_RESTORED'], extra: { netWeightGrams: 450 } })],
  ['beer: 93 tail, serial with < and >', BEER, gs1(BEER_ELS)],
  ['beer: ]Q3 GS1 QR', `]Q3${BEER}`, gs1(BEER_ELS, { symbology: 'gs1-qr' })],
  ['shoes: 92 of 88', SHOES, gs1(SHOES_ELS, { extra: { productGroup: 'shoes' } })],
  ['shoes: 92 of 88, separators lost', noGs(SHOES), gs1(SHOES_ELS, { repairs: ['SEPARATORS_RESTORED'], extra: { productGroup: 'shoes' } })],
  ['medicines: 17 + 10', MED, gs1(MED_ELS, { extra: { expiry: '2027-05-31', batch: 'LOT-7', productGroup: 'medicines' } })],
  ['medicines: GS1 healthcare order 01 17 21 10', element([['01', MED_ELS[0][1]], ['17', '270531'], ['21', MED_ELS[1][1]], ['10', 'LOT-7'], ['91', 'EE06'], ['92', CRYPTO]]),
    gs1(MED_ELS, { normalized: element([['01', MED_ELS[0][1]], ['17', '270531'], ['21', MED_ELS[1][1]], ['10', 'LOT-7'], ['91', 'EE06'], ['92', CRYPTO]]), extra: { expiry: '2027-05-31' } })],
  ['medicines: 01 17 21 10 order, separators lost', noGs(element([['01', MED_ELS[0][1]], ['17', '270531'], ['21', MED_ELS[1][1]], ['10', 'LOT-7'], ['91', 'EE06'], ['92', CRYPTO]])),
    gs1(MED_ELS, { normalized: element([['01', MED_ELS[0][1]], ['17', '270531'], ['21', MED_ELS[1][1]], ['10', 'LOT-7'], ['91', 'EE06'], ['92', CRYPTO]]), repairs: ['SEPARATORS_RESTORED'] })],
  ['medicines: bracketed', bracketed(MED_ELS), gs1(MED_ELS, { extra: { expiry: '2027-05-31' } })],
  ['medicines: day 00 = last day of the month', element([['01', MED_ELS[0][1]], ['21', MED_ELS[1][1]], ['17', '280200'], ['10', 'B1'], ['91', 'EE06'], ['92', CRYPTO]]),
    gs1([['01', MED_ELS[0][1]], ['21', MED_ELS[1][1]], ['17', '280200'], ['10', 'B1'], ['91', 'EE06'], ['92', CRYPTO]], { extra: { expiry: '2028-02-29' } })],
  ['tobacco block: 01 21 8005 93', BLOCK, gs1(BLOCK_ELS, { extra: { maxRetailPrice: 12500, productGroup: 'tobacco' } })],
  ['tobacco block: separators lost', noGs(BLOCK), gs1(BLOCK_ELS, { repairs: ['SEPARATORS_RESTORED'] })],
  ['tobacco block: bracketed', bracketed(BLOCK_ELS), gs1(BLOCK_ELS)],
  ['tobacco pack: 29 characters', PACK, pack(PACK)],
  ['tobacco pack: MRP 850.00 decoded', PACK, pack(PACK, { extra: { maxRetailPrice: 85000 } })],
  ['tobacco pack: punctuation of the MRP alphabet', PACK2, pack(PACK2)],
  ['tobacco pack: public example', '00000046209849Uon<TYfACyAJPHJ', pack('00000046209849Uon<TYfACyAJPHJ', { extra: { maxRetailPrice: 16800 } })],
  ['tobacco pack: AIM ]d1', `]d1${PACK}`, pack(PACK)],
  ['tobacco pack: leading GS', GS + PACK, pack(PACK)],
  ['tobacco pack: trailing GS', PACK + GS, pack(PACK)],
  ['tobacco pack: GTIN starting 01 is still a pack', PACK01, pack(PACK01)],
  ['sscc: 00 + 18 digits', `00${SSCC}`, sscc()],
  ['sscc: AIM ]C1', `]C1${GS}00${SSCC}`, sscc()],
  ['sscc: bracketed', `(00)${SSCC}`, sscc()],
  ['ean: EAN-13', EAN13, ean(EAN13, 'ean-13')],
  ['ean: EAN-13 with ]E0', `]E0${EAN13}`, ean(EAN13, 'ean-13')],
  ['ean: EAN-8', EAN8, ean(EAN8, 'ean-8')],
  ['ean: UPC-A', UPCA, ean(UPCA, 'upc-a')],

  // Data that looks like syntax.
  ['tricky: (21) inside the bracketed 92', bracketed([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQDab(21)cdEfGhIjKlMnOpQrStUvWxYz0123+/=']]),
    gs1([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQDab(21)cdEfGhIjKlMnOpQrStUvWxYz0123+/=']])],
  ['tricky: (93) inside the bracketed 92', bracketed([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQDab(93)cdEfGhIjKlMnOpQrStUvWxYz0123+/=']]),
    gs1([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQDab(93)cdEfGhIjKlMnOpQrStUvWxYz0123+/=']])],
  ['tricky: (91) inside the bracketed serial', bracketed([['01', KZ_GTIN], ['21', '3ab(91)cdEfGh'], ['93', 'dGh5']]),
    gs1([['01', KZ_GTIN], ['21', '3ab(91)cdEfGh'], ['93', 'dGh5']])],
  ['tricky: parentheses in the bracketed 93', bracketed([['01', WATER_GTIN], ['21', '3Wt:Ra;n?Ok=B'], ['93', '(a)b']]),
    gs1([['01', WATER_GTIN], ['21', '3Wt:Ra;n?Ok=B'], ['93', '(a)b']])],
  ['tricky: <GS> as data in the 92 (the separator reading fails)', element([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQDabcdefgh<GS>ijklmnopqrstuvwxyz0123+/=']]),
    gs1([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQDabcdefgh<GS>ijklmnopqrstuvwxyz0123+/=']])],
  ['tricky: <GS> as data in the serial', element([['01', KZ_GTIN], ['21', '3ab<GS>cdEfGh'], ['93', 'dGh5']]),
    gs1([['01', KZ_GTIN], ['21', '3ab<GS>cdEfGh'], ['93', 'dGh5']])],
  ['tricky: <GS> as data though "<GS>10..." would read too (only the data reading fits a group)', element([['01', KZ_GTIN], ['21', '3ab<GS>10EfGh'], ['93', 'dGh5']]),
    gs1([['01', KZ_GTIN], ['21', '3ab<GS>10EfGh'], ['93', 'dGh5']])],
  ['tricky: 92 holding the digits 91 and 93, separators lost', noGs(element([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQD9193abcdefghijklmnopqrstuvwxyz01+/=AB']])),
    gs1([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', 'MEUCIQD9193abcdefghijklmnopqrstuvwxyz01+/=AB']], { repairs: ['SEPARATORS_RESTORED'] })],

  // Failures, each naming what was wrong.
  ['bad: GTIN check digit', element([['01', wrongCheck('0487001234567')], ['21', KZ_SERIAL], ['91', KEY], ['92', CRYPTO]]), err('GTIN_CHECK_DIGIT', wrongCheck('0487001234567'))],
  ['bad: GTIN check digit, separators lost', noGs(element([['01', wrongCheck('0487001234567')], ['21', KZ_SERIAL], ['91', KEY], ['92', CRYPTO]])), err('GTIN_CHECK_DIGIT', wrongCheck('0487001234567'))],
  ['bad: GTIN check digit, bracketed', bracketed([['01', wrongCheck('0487001234567')], ['21', KZ_SERIAL], ['91', KEY], ['92', CRYPTO]]), err('GTIN_CHECK_DIGIT', wrongCheck('0487001234567'))],
  ['bad: pack GTIN check digit', wrongCheck('0487000111333') + PACK_SERIAL + PACK_MRP + PACK_CHECK, err('GTIN_CHECK_DIGIT', wrongCheck('0487000111333'))],
  ['bad: SSCC check digit', `00${wrongCheck('04870012300000001')}`, err('SSCC_CHECK_DIGIT', wrongCheck('04870012300000001'))],
  ['bad: EAN-13 check digit', wrongCheck('487001234567'), err('EAN_CHECK_DIGIT', wrongCheck('487001234567'))],
  ['bad: EAN-8 check digit', wrongCheck('4870123'), err('EAN_CHECK_DIGIT', wrongCheck('4870123'))],
  ['bad: UPC-A check digit', wrongCheck('03600029145'), err('EAN_CHECK_DIGIT', wrongCheck('03600029145'))],
  ['bad: (17) month 13', element([['01', KZ_GTIN], ['21', KZ_SERIAL], ['17', '261332'], ['10', 'B1'], ['91', KEY], ['92', CRYPTO]]), err('INVALID_DATE', '261332', '17')],
  ['bad: (17) 30 February', element([['01', KZ_GTIN], ['21', KZ_SERIAL], ['17', '280230'], ['10', 'B1'], ['91', KEY], ['92', CRYPTO]]), err('INVALID_DATE', '280230')],
  ['bad: (11) month 00', element([['01', KZ_GTIN], ['21', KZ_SERIAL], ['11', '260015'], ['91', KEY], ['92', CRYPTO]]), err('INVALID_DATE', '260015', '11')],
  ['bad: space in the serial', element([['01', KZ_GTIN], ['21', '3xK8 pQ%2mZ!a'], ['91', KEY], ['92', CRYPTO]]), err('INVALID_CHARACTER', 'U+0020', '21')],
  ['bad: ё in the serial', element([['01', KZ_GTIN], ['21', '3xK8ёpQ%2mZ!a'], ['91', KEY], ['92', CRYPTO]]), err('INVALID_CHARACTER', 'ё')],
  ['bad: # in the crypto code', element([['01', KZ_GTIN], ['21', KZ_SERIAL], ['91', KEY], ['92', CRYPTO.replace('t', '#')]]), err('INVALID_CHARACTER', '#', '92')],
  ['bad: truncated crypto code', KZ.slice(0, -14), err('CRYPTO_LENGTH', '92', '30')],
  ['bad: truncated 93 tail', WATER.slice(0, -2), err('CRYPTO_LENGTH', '93')],
  ['bad: serial of 21 characters', element([['01', KZ_GTIN], ['21', '3'.repeat(21)], ['91', KEY], ['92', CRYPTO]]), err('AI_LENGTH', '21', '21')],
  ['bad: unknown AI 2399', `${KZ}${GS}2399`, err('UNKNOWN_AI', '2399')],
  ['bad: GTIN only', `01${KZ_GTIN}`, err('MISSING_SERIAL', KZ_GTIN)],
  ['bad: empty line', '', err('EMPTY')],
  ['bad: a lone GS', GS, err('EMPTY')],
  ['bad: AIM prefix alone', ']d2', err('EMPTY')],
  ['bad: random binary bytes', Buffer.from([0x00, 0x01, 0x7f, 0xff, 0xfe, 0x1d, 0x80, 0x03]), err('UNKNOWN_FORMAT')],
  ['bad: Latin-1 byte (not UTF-8) in the serial', Buffer.concat([Buffer.from(`01${KZ_GTIN}213xK8`), Buffer.from([0xe9]), Buffer.from(`pQ%2mZ!a${GS}91${KEY}${GS}92${CRYPTO}`)]), err('INVALID_CHARACTER', '21')],
  ['bad: Latin-1 line', Buffer.from('caf\xe9 cr\xe8me', 'latin1'), err('UNKNOWN_FORMAT')],
];

describe('tanba parse --json: one stdin line per case', () => {
  let out: Record<string, unknown>[] = [];
  before(() => {
    const bytes = Buffer.concat(CASES.flatMap(([, input]) => [Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8'), Buffer.from('\n')]));
    out = jsonLines(runCli(['parse', '--json', '--lang', 'en'], bytes));
  });

  test('exactly one JSON object per input line', () => {
    assert.equal(out.length, CASES.length);
  });

  CASES.forEach(([name, , exp], i) => {
    test(name, () => assertContract(out[i], exp, name));
  });
});

test('arguments: each is one code; GS bytes and a trailing CR/LF inside an argument are fine', () => {
  const lines = jsonLines(runCli(['parse', '--json', KZ, `${KZ}\r\n`, `${KZ}\n`, `${KZ}\r`, PACK, `00${SSCC}`, EAN13]));
  assert.equal(lines.length, 7);
  for (let i = 0; i < 4; i++) assertContract(lines[i], gs1(KZ_ELS), `argument ${i}`);
  assertContract(lines[4], pack(PACK), 'pack argument');
  assertContract(lines[5], sscc(), 'sscc argument');
  assertContract(lines[6], ean(EAN13, 'ean-13'), 'ean argument');
});

test('messages for people in ru (default), kk and en', () => {
  const bad = `00${wrongCheck('04870012300000001')}`;
  const ru = jsonLines(runCli(['parse', '--json', bad]))[0]?.error as { message: string };
  assert.match(ru.message, /[а-яА-Я]/);
  assert.ok(ru.message.includes(wrongCheck('04870012300000001')));
  const kk = jsonLines(runCli(['parse', '--json', '--lang', 'kk', bad]))[0]?.error as { message: string };
  assert.match(kk.message, /бақылау/);
  const en = jsonLines(runCli(['parse', '--json', '--lang', 'en', bad]))[0]?.error as { message: string };
  assert.match(en.message, /check digit/);
});

test('line ends: CRLF, CR alone (scanner CR suffix), LF, none at the end; a BOM at the start', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const crlf = jsonLines(runCli(['parse', '--json'], Buffer.concat([bom, Buffer.from(`${KZ}\r\n${PACK}\r\n\r\n${EAN13}\r\n`)])));
  assert.equal(crlf.length, 4);
  assertContract(crlf[0], gs1(KZ_ELS), 'after the BOM');
  assertContract(crlf[1], pack(PACK), 'CRLF pack');
  assertContract(crlf[2], err('EMPTY'), 'empty CRLF line');
  assertContract(crlf[3], ean(EAN13, 'ean-13'), 'CRLF ean');
  const cr = jsonLines(runCli(['parse', '--json'], `${KZ}\r${WATER}\r${PACK}`));
  assert.equal(cr.length, 3);
  assertContract(cr[0], gs1(KZ_ELS), 'CR 1');
  assertContract(cr[1], gs1(WATER_ELS), 'CR 2');
  assertContract(cr[2], pack(PACK), 'CR 3');
  const doubled = jsonLines(runCli(['parse', '--json'], `${KZ}\r\r\n${PACK}\n`));
  assert.equal(doubled.length, 2, 'CR CR LF ends one line');
  assert.equal(jsonLines(runCli(['parse', '--json'], `${PACK}\n`)).length, 1, 'no line after the final LF');
  assert.equal(jsonLines(runCli(['parse', '--json'], '')).length, 0);
});

test('1,000 lines with CRLF endings: 1,000 objects in input order', () => {
  const inputs: string[] = [];
  const expected: Expect[] = [];
  for (let i = 0; i < 1000; i++) {
    const serial = `3${String(i).padStart(12, '0')}`;
    const els = [['01', KZ_GTIN], ['21', serial], ['91', KEY], ['92', CRYPTO]] as const;
    if (i % 10 === 3) {
      inputs.push(`00${withCheck(`048700123${String(i).padStart(8, '0')}`)}`);
      expected.push({ ...sscc(), ais: { '00': withCheck(`048700123${String(i).padStart(8, '0')}`) }, normalized: `00${withCheck(`048700123${String(i).padStart(8, '0')}`)}` });
    } else if (i % 10 === 7) {
      inputs.push(`01${KZ_GTIN}21${serial}${GS}17${String(i % 100).padStart(2, '0')}1399`);
      expected.push(err('INVALID_DATE'));
    } else if (i % 10 === 9) {
      inputs.push('');
      expected.push(err('EMPTY'));
    } else {
      inputs.push(i % 2 === 0 ? `]d2${element(els)}` : noGs(element(els)));
      expected.push(gs1(els, { repairs: i % 2 === 0 ? [] : ['SEPARATORS_RESTORED'] }));
    }
  }
  const lines = jsonLines(runCli(['parse', '--json'], `${inputs.join('\r\n')}\r\n`));
  assert.equal(lines.length, 1000);
  lines.forEach((l, i) => assertContract(l, expected[i] as Expect, `line ${i + 1}`));
});

test('configurable separators from the configuration file', () => {
  const lines = jsonLines(runCli(['parse', '--json'], `${KZ.replaceAll(GS, '|')}\n${KZ.replaceAll(GS, '~1')}\n`, { marking: { extraSeparators: ['|', '~1'] } }));
  assert.equal(lines.length, 2);
  assertContract(lines[0], gs1(KZ_ELS, { repairs: ['SEPARATOR_UNESCAPED'] }), '|');
  assertContract(lines[1], gs1(KZ_ELS, { repairs: ['SEPARATOR_UNESCAPED'] }), '~1');
});

test('tanba check --json on an empty data dir: the parse result plus a verdict, exit 0', () => {
  const r = runCli(['check', '--json', KZ, PACK, `00${wrongCheck('04870012300000001')}`], '', undefined, { TANBA_NOW: '2026-03-01T10:00:00Z' });
  assert.equal(r.code, 0, r.stderr);
  const lines = jsonLines(r);
  assert.equal(lines.length, 3);
  for (const [i, l] of lines.entries()) {
    const v = l.verdict as { decision?: unknown; reason?: unknown; source?: unknown } | undefined;
    assert.ok(v !== undefined && typeof v === 'object', `line ${i}: verdict object`);
    assert.equal(typeof v.decision, 'string', `line ${i}: verdict.decision`);
    assert.equal(typeof v.reason, 'string', `line ${i}: verdict.reason`);
    assert.equal(typeof v.source, 'string', `line ${i}: verdict.source`);
  }
  assert.equal(lines[0]?.ok, true);
  assert.equal(lines[0]?.cis, `01${KZ_GTIN}21${KZ_SERIAL}`);
  assert.deepEqual(lines[0]?.warnings, []);
  assert.equal(lines[2]?.ok, false);
});

test('tanba check --json: a GS1 pairing rule the code breaks is a warning beside the verdict, not a refusal', () => {
  // (02) must not be paired with (01) and needs (37): GS1's req= / ex= rules.
  const paired = `${KZ}${GS}02${KZ_GTIN}`;
  const r = runCli(['check', '--json', paired], '', undefined, { TANBA_NOW: '2026-03-01T10:00:00Z' });
  assert.equal(r.code, 0, r.stderr);
  const [line] = jsonLines(r);
  assert.equal(line?.ok, true);
  const warnings = line?.warnings as { code: string; message: string }[];
  assert.deepEqual(warnings.map((w) => w.code), ['INVALID_AI_PAIR', 'MISSING_REQUIRED_AI']);
  for (const w of warnings) assert.ok(w.message.length > 10);
  assert.equal(typeof (line?.verdict as { decision?: unknown }).decision, 'string');
});
