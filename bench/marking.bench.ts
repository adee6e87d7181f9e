/**
 * Parse throughput of the marking engine (parseCode) against gs1-barcode-parser-mod
 * (parseBarcode), on the same 10,000 generated raw GS1 codes with GS separators, in the same run.
 * Target: parseCode at least 5x the baseline's throughput while validating more (GS1's dictionary
 * rules and pairing rules, product-group profiles, country, canonical form).
 */
import { createRequire } from 'node:module';
import { parseCode, gs1CheckDigit } from '../src/marking/index.ts';
import { pickChars, seededRandom } from '../src/marking/testkit.ts';
import { report, throughput, type Bench } from './lib.ts';

const require = createRequire(import.meta.url);
const { parseBarcode } = require('gs1-barcode-parser-mod') as { parseBarcode: (code: string) => unknown };

const GS = '\u001d';
const CSET = '!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Deterministic pseudo-random numbers, so every run parses the same codes. */
const rng = seededRandom;

const pick = pickChars;

function gtin(r: () => number): string {
  const body = `0${['487', '460', '481'][Math.floor(r() * 3)]}${pick(r, '0123456789', 9)}`;
  return body + gs1CheckDigit(body);
}

/** Raw GS1 marking codes as a scanner in serial/HID POS mode delivers them. */
export function generateCodes(count: number, seed = 42): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const serial = pick(r, '12345E', 1) + pick(r, CSET, 12);
    const kind = i % 4;
    if (kind === 0 || kind === 1) out.push(`01${gtin(r)}21${serial}${GS}91${pick(r, CSET, 4)}${GS}92${pick(r, B64, 44)}`);
    else if (kind === 2) out.push(`01${gtin(r)}21${serial}${GS}93${pick(r, CSET, 4)}`);
    else out.push(`01${gtin(r)}21${pick(r, CSET, 7)}${GS}8005${pick(r, '0123456789', 6)}${GS}93${pick(r, CSET, 4)}`);
  }
  return out;
}

const bench: Bench = async ({ quick }) => {
  const codes = generateCodes(10_000);
  // Both sides must accept every input, or the comparison would be of error paths.
  let bad = 0;
  for (const c of codes) {
    if (!parseCode(c).ok) bad++;
    try { parseBarcode(c); } catch { bad++; }
  }
  if (bad > 0) throw new Error(`${bad} generated codes were rejected`);
  // Both sides use their result, so neither can be optimised away. Rounds alternate and the
  // best of each side is kept: the machine is shared, and a busy moment must not decide the ratio.
  let sink = 0;
  const ours = (c: string): void => {
    const r = parseCode(c);
    if (r.ok) sink += r.normalized.length;
  };
  const theirs = (c: string): void => {
    const r = parseBarcode(c) as { parsedCodeItems: unknown[] };
    sink += r.parsedCodeItems.length;
  };
  const ms = quick ? 200 : 1500;
  const rounds = quick ? 1 : 3;
  let base = 0;
  let mine = 0;
  for (let i = 0; i < rounds; i++) {
    base = Math.max(base, throughput(codes, theirs, ms));
    mine = Math.max(mine, throughput(codes, ours, ms));
  }
  if (sink === 0) throw new Error('no result was used');
  report('gs1-barcode-parser-mod', { 'ops/s': base });
  report('marking parseCode', { 'ops/s': mine });
  report('marking vs baseline', { ratio: `${(mine / base).toFixed(2)}x`, target: '>=5x', codes: codes.length, rounds });
};

export default bench;
