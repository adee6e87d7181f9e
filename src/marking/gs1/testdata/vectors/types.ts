/**
 * Test vectors for the GS1 linters, written for Tanba from the rules of the GS1 General
 * Specifications and the Syntax Dictionary (not taken from any other implementation). Expected
 * values come from ../oracles.ts, from the standards' own lists, or are spelled out with the rule
 * that decides them. Run by ../linters.test.ts.
 */
import type { LintError } from '../../reasons.ts';

/** One vector: the data, and null when the linter must accept it, else the error it must report. */
export interface Vector {
  data: string;
  error: LintError | null;
  /** Where the error must point (relative to the data), when the rule says. */
  at?: readonly [pos: number, len: number];
}

export const ok = (data: string): Vector => ({ data, error: null });
export const bad = (data: string, error: LintError, at?: readonly [number, number]): Vector => (at === undefined ? { data, error } : { data, error, at });

/** Every two-digit string 00-99. */
export const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Printable ASCII (space to '~') and a few characters beyond it that no GS1 set has. */
export const PROBE_CHARS: readonly string[] = [
  ...Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)), '\x1d', '\x7f', 'é', 'Ж', '€',
];
