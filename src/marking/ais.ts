/**
 * The GS1 application identifiers the engine accepts, with their lengths and formats from the
 * GS1 General Specifications (AI table, section 3). Lookup is by the numeric value of the
 * first 2, 3 or 4 digits (GS1 AIs are prefix-free), so reading an AI allocates nothing.
 */

export type CheckKind = 'gtin' | 'sscc' | 'gln';

export interface AiDef {
  ai: string;
  title: string;
  /** Exact length of the data, or 0 when variable. */
  fixed: number;
  min: number;
  max: number;
  /** N (digits only) or X (CSET 82). */
  numeric: boolean;
  /** One of the AIs whose length GS1 predefines (no FNC1/GS needed after it). */
  predefined: boolean;
  /** Check digit carried in the last position, or null. */
  check: CheckKind | null;
  /** YYMMDD date (day 00 allowed = last day of the month). */
  date: boolean;
  /** For AIs with an implied decimal point (310n ...): n; else -1. */
  decimals: number;
}

/**
 * GS1 General Specifications figure 7.8.5-2: element strings whose first two digits are one of
 * these have a predefined length and need no separator after them.
 */
const PREDEFINED_PREFIXES = new Set(['00', '01', '02', '03', '04', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20', '31', '32', '33', '34', '35', '36', '41']);

const AI2: (AiDef | undefined)[] = new Array<AiDef | undefined>(100);
const AI3: (AiDef | undefined)[] = new Array<AiDef | undefined>(1000);
const AI4: (AiDef | undefined)[] = new Array<AiDef | undefined>(10000);
const BY_NAME = new Map<string, AiDef>();

/** [ai, format, title, extra] where format is 'N14' (fixed) or 'X..20' / 'N..8' (variable). */
type Row = [string, string, string, { check?: CheckKind; date?: boolean; decimals?: number }?];

const ROWS: Row[] = [
  ['00', 'N18', 'SSCC', { check: 'sscc' }],
  ['01', 'N14', 'GTIN', { check: 'gtin' }],
  ['02', 'N14', 'CONTENT', { check: 'gtin' }],
  ['10', 'X..20', 'BATCH/LOT'],
  ['11', 'N6', 'PROD DATE', { date: true }],
  ['12', 'N6', 'DUE DATE', { date: true }],
  ['13', 'N6', 'PACK DATE', { date: true }],
  ['15', 'N6', 'BEST BEFORE', { date: true }],
  ['16', 'N6', 'SELL BY', { date: true }],
  ['17', 'N6', 'USE BY / EXPIRY', { date: true }],
  ['20', 'N2', 'VARIANT'],
  ['21', 'X..20', 'SERIAL'],
  ['22', 'X..20', 'CPV'],
  ['235', 'X..28', 'TPX'],
  ['240', 'X..30', 'ADDITIONAL ID'],
  ['241', 'X..30', 'CUST. PART No.'],
  ['242', 'N..6', 'MTO VARIANT'],
  ['243', 'X..20', 'PCN'],
  ['250', 'X..30', 'SECONDARY SERIAL'],
  ['251', 'X..30', 'REF. TO SOURCE'],
  ['253', 'X..30', 'GDTI'],
  ['254', 'X..20', 'GLN EXTENSION COMPONENT'],
  ['255', 'N..25', 'GCN'],
  ['30', 'N..8', 'VAR. COUNT'],
  ['37', 'N..8', 'COUNT'],
  ['400', 'X..30', 'ORDER NUMBER'],
  ['401', 'X..30', 'GINC'],
  ['402', 'N17', 'GSIN'],
  ['403', 'X..30', 'ROUTE'],
  ['410', 'N13', 'SHIP TO LOC', { check: 'gln' }],
  ['411', 'N13', 'BILL TO', { check: 'gln' }],
  ['412', 'N13', 'PURCHASE FROM', { check: 'gln' }],
  ['413', 'N13', 'SHIP FOR LOC', { check: 'gln' }],
  ['414', 'N13', 'LOC No.', { check: 'gln' }],
  ['415', 'N13', 'PAY TO', { check: 'gln' }],
  ['416', 'N13', 'PROD/SERV LOC', { check: 'gln' }],
  ['417', 'N13', 'PARTY', { check: 'gln' }],
  ['420', 'X..20', 'SHIP TO POST'],
  ['421', 'X..12', 'SHIP TO POST'],
  ['422', 'N3', 'ORIGIN'],
  ['423', 'N..15', 'COUNTRY - INITIAL PROCESS.'],
  ['424', 'N3', 'COUNTRY - PROCESS.'],
  ['425', 'N..15', 'COUNTRY - DISASSEMBLY'],
  ['426', 'N3', 'COUNTRY - FULL PROCESS'],
  ['427', 'X..3', 'ORIGIN SUBDIVISION'],
  ['7001', 'N13', 'NSN'],
  ['7002', 'X..30', 'MEAT CUT'],
  ['7003', 'N10', 'EXPIRY TIME'],
  ['7004', 'N..4', 'ACTIVE POTENCY'],
  ['7005', 'X..12', 'CATCH AREA'],
  ['7006', 'N6', 'FIRST FREEZE DATE', { date: true }],
  ['7007', 'N..12', 'HARVEST DATE'],
  ['7008', 'X..3', 'AQUATIC SPECIES'],
  ['7009', 'X..10', 'FISHING GEAR TYPE'],
  ['7010', 'X..2', 'PROD METHOD'],
  ['7020', 'X..20', 'REFURB LOT'],
  ['7021', 'X..20', 'FUNC STAT'],
  ['7022', 'X..20', 'REV STAT'],
  ['7023', 'X..30', 'GIAI - ASSEMBLY'],
  ['7040', 'X..4', 'UIC+EXT'],
  ['710', 'X..20', 'NHRN PZN'],
  ['711', 'X..20', 'NHRN CIP'],
  ['712', 'X..20', 'NHRN CN'],
  ['713', 'X..20', 'NHRN DRN'],
  ['714', 'X..20', 'NHRN AIM'],
  ['715', 'X..20', 'NHRN NDC'],
  ['8001', 'N14', 'DIMENSIONS'],
  ['8002', 'X..20', 'CMT No.'],
  ['8003', 'X..30', 'GRAI'],
  ['8004', 'X..30', 'GIAI'],
  ['8005', 'N6', 'PRICE PER UNIT'],
  ['8006', 'N18', 'ITIP'],
  ['8007', 'X..34', 'IBAN'],
  ['8008', 'N..12', 'PROD TIME'],
  ['8009', 'X..50', 'OPTSEN'],
  ['8010', 'X..30', 'CPID'],
  ['8011', 'N..12', 'CPID SERIAL'],
  ['8012', 'X..20', 'VERSION'],
  ['8013', 'X..25', 'GMN'],
  ['8017', 'N18', 'GSRN - PROVIDER'],
  ['8018', 'N18', 'GSRN - RECIPIENT'],
  ['8019', 'N..10', 'SRIN'],
  ['8020', 'X..25', 'REF No.'],
  ['8026', 'N18', 'ITIP CONTENT'],
  ['8110', 'X..70', 'COUPON'],
  ['8111', 'N4', 'POINTS'],
  ['8112', 'X..70', 'COUPON'],
  ['8200', 'X..70', 'PRODUCT URL'],
  ['90', 'X..30', 'INTERNAL'],
  ['91', 'X..90', 'INTERNAL (verification key)'],
  ['92', 'X..90', 'INTERNAL (verification code)'],
  ['93', 'X..90', 'INTERNAL (crypto tail)'],
  ['94', 'X..90', 'INTERNAL'],
  ['95', 'X..90', 'INTERNAL'],
  ['96', 'X..90', 'INTERNAL'],
  ['97', 'X..90', 'INTERNAL'],
  ['98', 'X..90', 'INTERNAL'],
  ['99', 'X..90', 'INTERNAL'],
];

/** Families with an implied decimal point: 4-digit AIs 'sssn', n = decimals 0..max. */
const DECIMAL_FAMILIES: [string, string, string, number][] = [
  ['310', 'N6', 'NET WEIGHT (kg)', 5],
  ['311', 'N6', 'LENGTH (m)', 5],
  ['312', 'N6', 'WIDTH (m)', 5],
  ['313', 'N6', 'HEIGHT (m)', 5],
  ['314', 'N6', 'AREA (m2)', 5],
  ['315', 'N6', 'NET VOLUME (l)', 5],
  ['316', 'N6', 'NET VOLUME (m3)', 5],
  ...['320', '321', '322', '323', '324', '325', '326', '327', '328', '329',
    '330', '331', '332', '333', '334', '335', '336', '337',
    '340', '341', '342', '343', '344', '345', '346', '347', '348', '349',
    '350', '351', '352', '353', '354', '355', '356', '357',
    '360', '361', '362', '363', '364', '365', '366', '367', '368', '369']
    .map((s): [string, string, string, number] => [s, 'N6', 'MEASURE', 5]),
  ['390', 'N..15', 'AMOUNT', 9],
  ['391', 'N..18', 'AMOUNT (ISO)', 9],
  ['392', 'N..15', 'PRICE', 9],
  ['393', 'N..18', 'PRICE (ISO)', 9],
  ['394', 'N4', 'PRCNT OFF', 3],
  ['395', 'N6', 'PRICE/UoM', 5],
];

function define(ai: string, format: string, title: string, extra: { check?: CheckKind; date?: boolean; decimals?: number } = {}): void {
  const numeric = format[0] === 'N';
  const variable = format.includes('..');
  const len = Number(format.slice(variable ? format.indexOf('..') + 2 : 1));
  // Every definition has the same fields in the same order: one hidden class, fast property loads.
  const def: AiDef = {
    ai, title,
    fixed: variable ? 0 : len,
    min: variable ? 1 : len,
    max: len,
    numeric,
    predefined: PREDEFINED_PREFIXES.has(ai.slice(0, 2)),
    check: extra.check ?? null,
    date: extra.date ?? false,
    decimals: extra.decimals ?? -1,
  };
  const n = Number(ai);
  if (ai.length === 2) AI2[n] = def;
  else if (ai.length === 3) AI3[n] = def;
  else AI4[n] = def;
  BY_NAME.set(ai, def);
}

for (const [ai, format, title, extra] of ROWS) define(ai, format, title, extra);
for (const [stem, format, title, maxN] of DECIMAL_FAMILIES) {
  for (let n = 0; n <= maxN; n++) define(`${stem}${n}`, format, title, { decimals: n });
}
for (let n = 0; n <= 9; n++) define(`703${n}`, 'X..30', `PROCESSOR # ${n}`);

/** The definition of an AI by its digits ('01', '3103', ...). */
export function aiDef(ai: string): AiDef | undefined {
  return BY_NAME.get(ai);
}

/** Every AI the engine accepts. */
export function allAis(): AiDef[] {
  return [...BY_NAME.values()];
}

/**
 * The AI starting at s[pos], or undefined when none is known there (including when fewer than
 * the needed digits remain before `end`). Allocation-free.
 */
export function aiAt(s: string, pos: number, end: number): AiDef | undefined {
  if (pos + 2 > end) return undefined;
  const d0 = s.charCodeAt(pos) - 48;
  const d1 = s.charCodeAt(pos + 1) - 48;
  if (d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9) return undefined;
  const n2 = d0 * 10 + d1;
  const two = AI2[n2];
  if (two !== undefined) return two;
  if (pos + 3 > end) return undefined;
  const d2 = s.charCodeAt(pos + 2) - 48;
  if (d2 < 0 || d2 > 9) return undefined;
  const n3 = n2 * 10 + d2;
  const three = AI3[n3];
  if (three !== undefined) return three;
  if (pos + 4 > end) return undefined;
  const d3 = s.charCodeAt(pos + 3) - 48;
  if (d3 < 0 || d3 > 9) return undefined;
  return AI4[n3 * 10 + d3];
}
