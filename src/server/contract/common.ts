/** Schemas several contract modules share (kept apart so the modules do not import each other in a circle). */
import * as z from 'zod';

/** A PIN as typed at login: 4 to 12 digits (an old, weak PIN still signs in until it is reset). */
export const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');

/** Why a new PIN is refused; null when it is strong enough. */
export type PinWeakness = 'format' | 'all-same' | 'sequence' | 'repeated';

/** The rules a new PIN must meet, as one sentence (the API's error and the README say this). */
export const PIN_RULES = 'a new PIN is 4 to 12 digits, not one digit repeated (1111), not a run up or down (1234, 8765, 7890), and not a group of digits repeated (1212, 123123)';

const WEAKNESS_TEXT: Record<PinWeakness, string> = {
  format: 'must be 4 to 12 digits',
  'all-same': 'is one digit repeated (like 1111)',
  sequence: 'is a run of digits up or down (like 1234 or 8765)',
  repeated: 'is a group of digits repeated (like 1212 or 123123)',
};

/**
 * Checks a new PIN: the format, then the guesses an attacker tries first — one digit repeated,
 * a run up or down (wrapping 9→0 too), and a shorter group repeated.
 */
export function pinWeakness(pin: string): PinWeakness | null {
  if (!/^\d{4,12}$/.test(pin)) return 'format';
  const digits = [...pin].map(Number);
  if (digits.every((d) => d === digits[0])) return 'all-same';
  const steps = digits.slice(1).map((d, i) => (d - (digits[i] as number) + 10) % 10);
  if (steps.every((s) => s === 1) || steps.every((s) => s === 9)) return 'sequence';
  for (let size = 2; size <= pin.length / 2; size++) {
    if (pin.length % size === 0 && pin.slice(0, size).repeat(pin.length / size) === pin) return 'repeated';
  }
  return null;
}

/** A PIN being set (setup, a new user, a reset): {@link PIN_RULES}, the message naming the rule broken. */
export const newPinSchema = z.string().superRefine((pin, ctx) => {
  const weakness = pinWeakness(pin);
  if (weakness !== null) ctx.addIssue({ code: 'custom', message: `the PIN ${WEAKNESS_TEXT[weakness]}; ${PIN_RULES}`, params: { weakness } });
});
