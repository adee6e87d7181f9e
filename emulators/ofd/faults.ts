/**
 * Fault injection: the faults in force, the dice that decide whether one fires (a `...Next`
 * counter first, then a probability), and the run-time control lines.
 */
import type { OfdFaults } from './types.ts';

/** Parses a control line into a fault change; throws with a usage hint on anything else. */
export function parseControlLine(line: string, current: OfdFaults): OfdFaults {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, a, b] = words;
  const prob = (v: string | undefined, what: string): number => {
    const n = Number(v);
    if (v === undefined || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${what} needs a probability 0..1, got '${v ?? ''}'`);
    return n;
  };
  const count = (v: string | undefined, what: string): number => {
    if (v === undefined || !/^\d+$/.test(v)) throw new Error(`${what} needs a whole number, got '${v ?? ''}'`);
    return Number(v);
  };
  if (verb === 'latency') return { ...current, latencyMs: count(a, 'latency') };
  if (verb === 'block') {
    if (a === 'on') return { ...current, blocked: true };
    if (a === 'off') return { ...current, blocked: false };
    throw new Error("block needs 'on' or 'off'");
  }
  if (verb === 'fault') {
    switch (a) {
      case 'clear': return {};
      case 'drop-before': return { ...current, dropBefore: prob(b, 'drop-before') };
      case 'drop-after': return { ...current, dropAfter: prob(b, 'drop-after') };
      case 'drop-before-next': return { ...current, dropBeforeNext: count(b, 'drop-before-next') };
      case 'drop-after-next': return { ...current, dropAfterNext: count(b, 'drop-after-next') };
      case 'malformed': return { ...current, malformed: prob(b, 'malformed') };
      case 'malformed-next': return { ...current, malformedNext: count(b, 'malformed-next') };
      case '254': case '255': {
        const code = Number(a) as 254 | 255;
        const rest = words[3];
        if (b === 'next') return { ...current, fail: code, failNext: count(rest, `${a} next`) };
        return { ...current, fail: code, failRate: b === undefined ? 1 : prob(b, a) };
      }
      default: break;
    }
  }
  throw new Error(`unknown control '${line.trim()}'; try: latency MS | block on|off | fault clear | fault drop-before P | fault drop-after P | fault drop-before-next N | fault drop-after-next N | fault malformed P | fault malformed-next N | fault 254|255 [P | next N] | status`);
}

/** The faults of a running emulator. */
export interface FaultState {
  get(): OfdFaults;
  set(faults: OfdFaults): void;
  update(faults: Partial<OfdFaults>): void;
  /** Consumes one unit of a `...Next` counter or rolls a probability. */
  fire(nextKey: 'dropBeforeNext' | 'dropAfterNext' | 'failNext' | 'malformedNext', probKey: 'dropBefore' | 'dropAfter' | 'failRate' | 'malformed'): boolean;
}

/** Creates the fault state; `random` rolls the dice (tests pass a seeded one). */
export function createFaultState(initial: OfdFaults, random: () => number): FaultState {
  let faults: OfdFaults = { ...initial };
  return {
    get: () => faults,
    set(f) { faults = { ...f }; },
    update(f) { faults = { ...faults, ...f }; },
    fire(nextKey, probKey) {
      const n = faults[nextKey] ?? 0;
      if (n > 0) {
        faults = { ...faults, [nextKey]: n - 1 };
        return true;
      }
      const p = faults[probKey] ?? 0;
      return p > 0 && random() < p;
    },
  };
}
