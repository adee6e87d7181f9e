/**
 * AIM symbology identifiers (ISO/IEC 15424) in a scanner's frames: `]` + symbology letter +
 * modifier, sent in front of the data when the scanner is configured to. The names come from the
 * marking engine's one table (src/marking/aim.ts), so a frame's symbology is the one the parser
 * gives the same code; an unknown identifier is reported, not guessed.
 */
// The table's own file, not the marking index: a driver needs the table, not the parser.
import { AIM_SYMBOLOGIES, aimSymbology } from '../../src/marking/aim.ts';

export { AIM_SYMBOLOGIES };

const AIM_RE = /^\][A-Za-z][0-9A-Za-z]$/;

/** True if the first three bytes of `bytes` look like an AIM identifier. */
export function hasAimPrefix(bytes: Uint8Array): boolean {
  if (bytes.length < 3 || bytes[0] !== 0x5d) return false;
  return AIM_RE.test(String.fromCharCode(bytes[0], bytes[1] as number, bytes[2] as number));
}

/** The symbology name for an AIM identifier such as `]d2`; unknown ones come back as `aim:]X9`. */
export function symbologyOf(aim: string): string {
  return aimSymbology(aim) ?? `aim:${aim}`;
}

/** Splits an AIM prefix off a frame: `{ aim, data }`, `aim` null when there is none. */
export function splitAim(bytes: Buffer): { aim: string | null; data: Buffer } {
  if (!hasAimPrefix(bytes)) return { aim: null, data: bytes };
  return { aim: bytes.subarray(0, 3).toString('latin1'), data: bytes.subarray(3) };
}
