/**
 * Tanba against the dictionary's rules, on the element strings generated from the dictionary
 * (cases.ts), whose verdicts are known by construction. Three settings:
 *   - "GS1 layer": each element string alone through parseElementString (GS1's rules only): the
 *     verdict, the error code (and the linter's error) and the pairing warning must all be the
 *     expected ones;
 *   - "marking code": the same element appended to a valid Kazakh marking code (two layouts),
 *     through parseCode: the verdict and the error code must be the expected ones, except where a
 *     documented marking-specific rule (serial and crypto lengths by product group) refuses what
 *     GS1 accepts; those are listed as exceptions.
 */
import { parseCode, parseElementString, type ParseResult } from '../../src/marking/index.ts';
import { dictionaryEntries, generateCases, joinScanned, mod10, type Case, type Expected } from './cases.ts';

const GS = '\x1d';
const GTIN = `0487001234567${mod10('0487001234567')}`;
/** A valid marking code of the 91+92 layout (shoes, medicines, oil, light industry). */
export const CONTEXT = `01${GTIN}213xK8pQ2mZa1bC${GS}91EE06${GS}92AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/AbCdE=`;

/** A valid marking code of the crypto tail (93) layout (beer, water, dairy, ...). */
export const CONTEXT_93 = `01${GTIN}213xK8pQ2mZa1bC${GS}93Ab1/`;

/** Tanba's refusals that are the marking layer's own rules, on top of GS1's. */
export const MARKING_RULES: Readonly<Record<string, string>> = {
  SERIAL_LENGTH: 'serial (21) length of the product group the code fits by its other AIs',
  CRYPTO_LENGTH: 'crypto part (91/92/93) lengths of the product group',
};

/** Rules of the dictionary Tanba checks only in part; the generated cases stay within what it checks. */
export const NOT_HELD: Readonly<Record<string, string>> = {
  packagetype: 'AI (7041): only the shape of the code (1-3 upper-case letters or digits) is checked, not membership of UN/ECE Recommendation 21 and GS1\'s additions (no public machine-readable list Tanba can install)',
  gcppos: 'GS1 Company Prefixes are not looked up (no GS1 prefix database); only that the data starts with 4 digits',
};

/** The AIs the marking code context already has. */
const CONTEXT_AIS = ['01', '21', '91', '92', '93'];

type Gs1Result = ReturnType<typeof parseElementString>;

export interface Mismatch {
  setting: string;
  ai: string;
  rule: string;
  data: string;
  expected: string;
  tanba: string;
}

export interface SettingReport {
  setting: string;
  total: number;
  agreed: number;
  exceptions: (Mismatch & { because: string })[];
  disagreements: Mismatch[];
}

function describeExpected(e: Expected): string {
  return e.ok ? 'accepted' : `refused ${e.code}${e.lint === undefined ? '' : ` (${e.lint})`}`;
}

function describe(r: ParseResult | Gs1Result): string {
  if (!r.ok) return `refused ${r.error.code}${r.error.detail === undefined ? '' : ` (${r.error.detail})`}: ${r.error.message}`;
  return r.warnings.length > 0 ? `accepted with warnings ${r.warnings.map((w) => `${w.code} ${w.ai}`).join(', ')}` : 'accepted';
}

/** Whether Tanba's answer is the expected one: verdict, error code, linter error. */
function matches(r: ParseResult | Gs1Result, e: Expected): boolean {
  if (r.ok || e.ok) return r.ok === e.ok;
  if (r.error.code !== e.code) return false;
  return e.lint === undefined || (r.error.detail ?? '').endsWith(`: ${e.lint}`);
}

/** Whether the pairing warning the case expects for its AI is there (or is not). */
function pairingHolds(r: Gs1Result, c: Case): boolean {
  if (c.pairing === undefined || !r.ok) return true;
  const p = c.pairing;
  return r.warnings.some((w) => w.code === p.code && w.ai === c.ai) === p.present;
}

function runGs1Layer(cases: readonly Case[]): SettingReport {
  const setting = 'GS1 layer (parseElementString)';
  const report: SettingReport = { setting, total: cases.length, agreed: 0, exceptions: [], disagreements: [] };
  for (const c of cases) {
    const r = parseElementString(c.data);
    if (matches(r, c.expected) && pairingHolds(r, c)) { report.agreed++; continue; }
    const expected = describeExpected(c.expected) + (c.pairing === undefined ? '' : `, ${c.pairing.present ? 'with' : 'without'} ${c.pairing.code} ${c.ai}`);
    report.disagreements.push({ setting, ai: c.ai, rule: c.rule, data: c.data, expected, tanba: describe(r) });
  }
  return report;
}

/**
 * A case appended to the marking code: partners the code already has (01, 21) are the code's own
 * rather than a second, different value.
 */
export function inMarkingCode(c: Case, entries: ReturnType<typeof dictionaryEntries>, context = CONTEXT): string {
  // In a pairing case of 01 or 21 the code's own (01) / (21) is the AI whose rule is exercised.
  const pairing = c.elements.length > 1;
  const own = c.elements.filter((el) => (el.startsWith(c.ai) && !(pairing && CONTEXT_AIS.includes(c.ai))) || !CONTEXT_AIS.some((ai) => el.startsWith(ai)));
  return `${context}${GS}${joinScanned(own, entries)}`;
}

/**
 * What the marking code with the case appended must give: the element's own verdict, except that
 * a valid value of an AI the code already has (01, 21, 91, 92, 93) repeats that AI with another
 * value, which GS1 forbids.
 */
function expectedInCode(c: Case, contextAis: readonly string[]): Expected {
  if (c.elements.length === 1 && contextAis.includes(c.ai) && c.expected.ok) return { ok: false, code: 'DUPLICATE_AI' };
  return c.expected;
}

function runMarking(setting: string, cases: readonly Case[], context: string): SettingReport {
  const entries = dictionaryEntries();
  const read = parseElementString(context);
  if (!read.ok) throw new Error(`the marking code context is not valid: ${read.error.message}`);
  const contextAis = read.elements.map((e) => e.ai);
  const report: SettingReport = { setting, total: cases.length, agreed: 0, exceptions: [], disagreements: [] };
  for (const c of cases) {
    const data = inMarkingCode(c, entries, context);
    const r = parseCode(data, { referenceYear: 2026 });
    const expected = expectedInCode(c, contextAis);
    if (matches(r, expected)) { report.agreed++; continue; }
    const m: Mismatch = { setting, ai: c.ai, rule: c.rule, data, expected: describeExpected(expected), tanba: describe(r) };
    const because = !r.ok && expected.ok ? MARKING_RULES[r.error.code] : undefined;
    if (because !== undefined) report.exceptions.push({ ...m, because });
    else report.disagreements.push(m);
  }
  return report;
}

/** How many cases expect each outcome: "accepted", or the error code (and linter error). */
export function expectedOutcomes(cases: readonly Case[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const c of cases) {
    const key = c.expected.ok ? 'accepted' : `${c.expected.code}${c.expected.lint === undefined ? '' : ` ${c.expected.lint}`}`;
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return new Map([...out].sort((a, b) => b[1] - a[1]));
}

/** Runs the three settings over every generated case. */
export function runConformance(cases: readonly Case[] = generateCases()): SettingReport[] {
  return [
    runGs1Layer(cases),
    runMarking('marking code 01+21+91+92 (parseCode)', cases, CONTEXT),
    runMarking('marking code 01+21+93 (parseCode)', cases, CONTEXT_93),
  ];
}
