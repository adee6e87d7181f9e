/**
 * Vectors for the character-set, check-digit and small value linters (lint-core.ts).
 */
import { ISO5218 } from '../../code-lists.ts';
import { checkPair, mod10 } from '../oracles.ts';
import { bad, ok, PROBE_CHARS, type Vector } from './types.ts';

/** The characters from `first` to `last`. */
const range = (first: string, last: string): string =>
  Array.from({ length: last.charCodeAt(0) - first.charCodeAt(0) + 1 }, (_, i) => String.fromCharCode(first.charCodeAt(0) + i)).join('');
const DIGITS = range('0', '9');
const UPPER = range('A', 'Z');
const LOWER = range('a', 'z');

/** Figure 7.11-1: ! " % & ' ( ) * + , - . / 0-9 : ; < = > ? A-Z _ a-z */
const SPEC_CSET82 = `!"%&'()*+,-./${DIGITS}:;<=>?${UPPER}_${LOWER}`;
/** Figure 7.11-2: # - / 0-9 A-Z */
const SPEC_CSET39 = `#-/${DIGITS}${UPPER}`;
/** Figure 7.11-3 (base64url): - 0-9 A-Z _ a-z */
const SPEC_CSET64 = `-${DIGITS}${UPPER}_${LOWER}`;

/** Each probe character alone and in the middle of valid data: accepted iff the set has it. */
function charsetVectors(set: string, filler: string, error: 'INVALID_CSET82_CHARACTER' | 'INVALID_CSET39_CHARACTER' | 'INVALID_CSET64_CHARACTER' | 'NON_DIGIT_CHARACTER'): Vector[] {
  const out: Vector[] = [];
  for (const c of PROBE_CHARS) {
    if (set.includes(c)) out.push(ok(c), ok(`${filler}${c}${filler}`));
    else out.push(bad(c, error, [0, 1]), bad(`${filler}${c}${filler}`, error, [filler.length, 1]));
  }
  return out;
}

const csetnumeric = charsetVectors(DIGITS, '12', 'NON_DIGIT_CHARACTER');
const cset82 = charsetVectors(SPEC_CSET82, 'Ab', 'INVALID_CSET82_CHARACTER');
const cset39 = charsetVectors(SPEC_CSET39, 'AB', 'INVALID_CSET39_CHARACTER');
const cset64 = [
  ...charsetVectors(SPEC_CSET64, 'Ab', 'INVALID_CSET64_CHARACTER').filter((v) => v.data !== '=' && !v.data.endsWith('=')),
  // '=' is padding: only at the end and at most two of it, completing a group of four (RFC 4648).
  ok('AbC='), ok('Ab=='), ok('AbCd'), ok('AbCdEf=='), ok('AbC'),
  bad('Ab=cd', 'INVALID_CSET64_CHARACTER', [2, 1]),
  bad('AbC===', 'INVALID_CSET64_PADDING'), bad('Ab=', 'INVALID_CSET64_PADDING'), bad('AbCdE=', 'INVALID_CSET64_PADDING'),
  bad('==', 'INVALID_CSET64_PADDING'), bad('=', 'INVALID_CSET64_PADDING'),
];

/** Bodies of GTIN-8, GTIN-12, GTIN-13, GTIN-14, GSIN (17) and SSCC (18) lengths. */
const CSUM_BODIES = ['9638507', '03600029145', '400638133393', '629104150021', '0487001234567', '0000000000000', '9999999999999',
  '4870001234567890', '37610425002123456', '1'];
const csum: Vector[] = [
  // Published examples: EAN-8 96385074, UPC-A 036000291452, EAN-13 4006381333931, GS1's 6291041500213.
  ok('96385074'), ok('036000291452'), ok('4006381333931'), ok('6291041500213'),
  ...CSUM_BODIES.flatMap((body) => {
    const check = mod10(body);
    const wrong = String((Number(check) + 1) % 10);
    return [ok(body + check), bad(body + wrong, 'INCORRECT_CHECK_DIGIT', [body.length, 1])];
  }),
  ok('0'), bad('1', 'INCORRECT_CHECK_DIGIT', [0, 1]),
  bad('', 'TOO_SHORT_FOR_CHECK_DIGIT'),
  bad('48700A1234567', 'NON_DIGIT_CHARACTER', [5, 1]),
  bad('487001234567X', 'NON_DIGIT_CHARACTER', [12, 1]),
];

/** GMN bodies: the General Specifications' example, CSET 82 edges, one character, 23 characters. */
const PAIR_BODIES = ['1987654Ad4X4bL5ttr2310c', '4870012345', '!', 'z', '"%&\'()*+,-./:;<=>?_', 'ABCDEFGHIJKLMNOPQRSTUVW', '0'];
const csumalpha: Vector[] = [
  ok('1987654Ad4X4bL5ttr2310c2K'),
  ...PAIR_BODIES.flatMap((body) => {
    const pair = checkPair(body);
    const other = (c: string): string => (c === '2' ? '3' : '2');
    return [
      ok(body + pair),
      bad(body + other(pair[0] as string) + pair[1], 'INCORRECT_CHECK_PAIR', [body.length, 2]),
      bad(body + pair[0] + other(pair[1] as string), 'INCORRECT_CHECK_PAIR', [body.length, 2]),
      // The pair is upper case: the same letters in lower case are wrong.
      ...(pair.toLowerCase() === pair ? [] : [bad(body + pair.toLowerCase(), 'INCORRECT_CHECK_PAIR', [body.length, 2])]),
    ];
  }),
  ok('22'), bad('23', 'INCORRECT_CHECK_PAIR'),
  bad('2', 'TOO_SHORT_FOR_CHECK_PAIR'), bad('', 'TOO_SHORT_FOR_CHECK_PAIR'),
  bad(`12 4${checkPair('1234')}`, 'INVALID_CSET82_CHARACTER', [2, 1]),
];

const gcppos1: Vector[] = [ok('1234'), ok('12345A'), ok('4870'), bad('123', 'TOO_SHORT_FOR_GCP'), bad('', 'TOO_SHORT_FOR_GCP'),
  bad('12A4', 'INVALID_GCP_PREFIX', [2, 1]), bad('A234', 'INVALID_GCP_PREFIX', [0, 1]), bad('123-5', 'INVALID_GCP_PREFIX', [3, 1])];
const gcppos2: Vector[] = [ok('A1234'), ok('01234'), ok('9487012'), bad('1', 'TOO_SHORT_FOR_GCP'), bad('A123', 'TOO_SHORT_FOR_GCP'),
  bad('A12B4', 'INVALID_GCP_PREFIX', [3, 1]), bad('1A234', 'INVALID_GCP_PREFIX', [1, 1])];

const hasnondigit: Vector[] = [ok('A'), ok('12A'), ok('A12'), ok('1-2'), bad('123', 'REQUIRES_NON_DIGIT_CHARACTER'), bad('0', 'REQUIRES_NON_DIGIT_CHARACTER'),
  bad('', 'REQUIRES_NON_DIGIT_CHARACTER')];
const nonzero: Vector[] = [ok('1'), ok('0001'), ok('1000'), ok('00000000000001'), bad('0', 'ILLEGAL_ZERO_VALUE'), bad('0000', 'ILLEGAL_ZERO_VALUE'),
  bad('00A0', 'NON_DIGIT_CHARACTER', [2, 1])];
// The number zero itself is written "0": that is no zero prefix.
const nozeroprefix: Vector[] = [ok('1'), ok('10'), ok('900000000000'), ok('0'), bad('00', 'ILLEGAL_ZERO_PREFIX', [0, 1]), bad('01', 'ILLEGAL_ZERO_PREFIX', [0, 1]), bad('000000000001', 'ILLEGAL_ZERO_PREFIX', [0, 1]),
  bad('1A', 'NON_DIGIT_CHARACTER', [1, 1])];
const zero: Vector[] = [ok('0'), bad('1', 'NOT_ZERO'), bad('9', 'NOT_ZERO'), bad('A', 'NOT_ZERO'), bad('', 'NOT_ZERO')];

/** A one-character code from `allowed` among every digit and a few other characters. */
function oneOf(allowed: string, error: 'NOT_ZERO_OR_ONE' | 'INVALID_WINDING_DIRECTION' | 'INVALID_BIOLOGICAL_SEX_CODE'): Vector[] {
  return [...'0123456789A-', ''].map((c) => (c !== '' && allowed.includes(c) ? ok(c) : bad(c, error)))
    .concat([bad(`${allowed[0]}${allowed[0]}`, error)]);
}

const yesno = oneOf('01', 'NOT_ZERO_OR_ONE');
const winding = oneOf('019', 'INVALID_WINDING_DIRECTION');
const iso5218 = oneOf(ISO5218, 'INVALID_BIOLOGICAL_SEX_CODE');
const hyphen: Vector[] = [ok('-'), bad('A', 'NOT_HYPHEN'), bad('_', 'NOT_HYPHEN'), bad('', 'NOT_HYPHEN')];
const importeridx: Vector[] = [
  ...PROBE_CHARS.map((c) => (SPEC_CSET64.includes(c) ? ok(c) : bad(c, 'INVALID_IMPORT_IDX_CHARACTER'))),
  bad('AB', 'IMPORTER_IDX_MUST_BE_ONE_CHARACTER'), bad('', 'IMPORTER_IDX_MUST_BE_ONE_CHARACTER'),
];
const pcenc: Vector[] = [ok('ABC'), ok('%20'), ok('A%2fB'), ok('%41%42'), ok('100%25'), ok('%FF'), ok(''),
  bad('%', 'INVALID_PERCENT_SEQUENCE', [0, 1]), bad('A%2', 'INVALID_PERCENT_SEQUENCE', [1, 2]), bad('%G0', 'INVALID_PERCENT_SEQUENCE', [0, 3]),
  bad('%0G', 'INVALID_PERCENT_SEQUENCE', [0, 3]), bad('%20%', 'INVALID_PERCENT_SEQUENCE', [3, 1]), bad('50% off', 'INVALID_PERCENT_SEQUENCE', [2, 3])];

/** Ten digits: degrees offset and times 10^7, at most `max`. */
function coordinate(max: number, lengthError: 'LATITUDE_INVALID_LENGTH' | 'LONGITUDE_INVALID_LENGTH', rangeError: 'INVALID_LATITUDE' | 'INVALID_LONGITUDE'): Vector[] {
  const ten = (n: number): string => String(n).padStart(10, '0');
  return [ok(ten(0)), ok(ten(1)), ok(ten(max - 1)), ok(ten(max)), ok(ten(max / 2)),
    bad(ten(max + 1), rangeError), bad('9999999999', rangeError),
    bad(ten(max).slice(1), lengthError), bad(`${ten(max)}0`, lengthError), bad('', lengthError),
    bad('000000000A', 'NON_DIGIT_CHARACTER', [9, 1])];
}

const latitude = coordinate(1_800_000_000, 'LATITUDE_INVALID_LENGTH', 'INVALID_LATITUDE');
const longitude = coordinate(3_600_000_000, 'LONGITUDE_INVALID_LENGTH', 'INVALID_LONGITUDE');

export const CORE_VECTORS: Readonly<Record<string, readonly Vector[]>> = {
  csetnumeric, cset82, cset39, cset64, csum, csumalpha, gcppos1, gcppos2, hasnondigit, nonzero, nozeroprefix, zero,
  yesno, winding, iso5218, hyphen, importeridx, pcenc, latitude, longitude,
};
