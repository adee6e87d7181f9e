/**
 * `npm run gs1-report [-- --verbose]`: how many element strings, generated from GS1's Syntax
 * Dictionary with their verdicts known by construction, Tanba answers as the dictionary's rules
 * say (see scripts/gs1/conformance.ts). Exits 1 on any disagreement outside the documented
 * marking-specific rules.
 */
import { DICTIONARY_RELEASE } from '../src/marking/index.ts';
import { generateCases } from './gs1/cases.ts';
import { expectedOutcomes, MARKING_RULES, NOT_HELD, runConformance, type Mismatch } from './gs1/conformance.ts';

const verbose = process.argv.includes('--verbose');
const shown = (s: string): string => s.replaceAll('\x1d', '<GS>');
const line = (m: Mismatch): string => `    (${m.ai}) ${m.rule}: ${shown(m.data)}\n      expected: ${m.expected}\n      Tanba:    ${m.tanba}`;

const cases = generateCases();
console.log(`GS1 Syntax Dictionary ${DICTIONARY_RELEASE}: ${cases.length} element strings generated from it, each with the verdict its construction gives:`);
const outcomes = [...expectedOutcomes(cases)];
console.log(`  ${outcomes.map(([k, n]) => `${k}: ${n}`).join('; ')}`);
console.log(`  with the pairing warning each must (or must not) bring: ${cases.filter((c) => c.pairing !== undefined).length}`);
let failed = false;
for (const r of runConformance(cases)) {
  const outside = r.total - r.exceptions.length;
  const pct = (n: number, of: number): string => ((100 * n) / of).toFixed(2);
  console.log(`\n${r.setting}: as expected ${r.agreed} of ${r.total} (${pct(r.agreed, r.total)} %); outside the marking-specific rules ${r.agreed} of ${outside} (${pct(r.agreed, outside)} %)`);
  if (r.exceptions.length > 0) {
    console.log(`  marking-specific exceptions: ${r.exceptions.length}`);
    for (const [code, why] of Object.entries(MARKING_RULES)) {
      const of = r.exceptions.filter((e) => e.tanba.startsWith(`refused ${code}`));
      if (of.length === 0) continue;
      console.log(`    ${code} (${why}): ${of.length}, AIs ${[...new Set(of.map((e) => e.ai))].join(' ')}`);
      if (verbose) for (const e of of) console.log(line(e));
    }
  }
  if (r.disagreements.length > 0) {
    failed = true;
    console.log(`  DISAGREEMENTS: ${r.disagreements.length}`);
    for (const m of r.disagreements.slice(0, verbose ? Infinity : 30)) console.log(line(m));
  }
}
console.log('\nRules Tanba holds only in part (the generated cases stay within what it checks):');
for (const [rule, why] of Object.entries(NOT_HELD)) console.log(`  ${rule}: ${why}`);
process.exitCode = failed ? 1 : 0;
