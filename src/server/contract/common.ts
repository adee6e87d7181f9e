/** Schemas several contract modules share (kept apart so the modules do not import each other in a circle). */
import * as z from 'zod';

/** A PIN as typed at login: 4 to 12 digits (an old, weak PIN still signs in until it is reset). */
export const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');

/** True when y-m-d is a real calendar day (2026-02-30 and 2026-13-01 are not). */
function isCalendarDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/**
 * A time bound of a query: a calendar day YYYY-MM-DD or an ISO-8601 date-time with a zone
 * (2026-03-01T10:00:00Z, 2026-03-01T13:00+03:00), years 2000-2999. Anything else — an impossible
 * day or hour, a time without a zone — is refused with the parameter's name.
 */
export function timeBound(name: string) {
  return z.string().max(40).refine((v) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(v);
    if (!m) return false;
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y < 2000 || y > 2999 || !isCalendarDay(y, mo, d)) return false;
    if (m[4] !== undefined && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6] ?? 0) > 59)) return false;
    return !Number.isNaN(Date.parse(v));
  }, `${name} must be a real day YYYY-MM-DD or an ISO time with a zone (e.g. 2026-03-01 or 2026-03-01T10:00:00Z)`);
}

/** A list's `limit` query parameter: a whole number from 1 to `max`, default `def`. */
export function listLimit(max: number, def: number) {
  return z.coerce.number().int('limit must be a whole number').min(1, 'limit must be at least 1').max(max, `limit must be at most ${max}`).default(def);
}

/** GET /api/audit */
export const auditQuery = z.object({
  action: z.string().min(1).max(100).optional(),
  limit: listLimit(1000, 200),
});

/** GET /api/overrides */
export const overridesQuery = z.object({ limit: listLimit(5000, 200) });
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

/** Why a phone number for an e-receipt cannot be taken. */
export type PhoneProblem = 'phone' | 'phoneKz';

/**
 * A customer's phone number in one form, +7XXXXXXXXXX for Kazakhstan (and Russia): the local
 * trunk prefix 8 (87011234567), a bare 7 (77011234567) or the ten digits alone (7011234567) all
 * become +77011234567. Another country's number keeps its own + code. Spaces, dashes, dots and
 * brackets people type are dropped. `phone`: wrong length or characters; `phoneKz`: digits
 * that are no +7 number and carry no country code.
 */
export function normalisePhone(typed: string): { phone: string } | { problem: PhoneProblem } {
  const s = typed.replace(/[\s().-]/g, '');
  if (/^\+7\d{10}$/.test(s)) return { phone: s };
  if (/^\+7/.test(s)) return { problem: /^\+\d+$/.test(s) ? 'phoneKz' : 'phone' };
  if (/^\+[1-9]\d{9,14}$/.test(s)) return { phone: s };
  if (/^[78]\d{10}$/.test(s)) return { phone: `+7${s.slice(1)}` };
  if (/^7\d{9}$/.test(s)) return { phone: `+7${s}` };
  if (/^\d{10,15}$/.test(s)) return { problem: 'phoneKz' };
  return { problem: 'phone' };
}

/** A phone number normalised by {@link normalisePhone}; an invalid one is refused by name. */
export const phoneSchema = z.string().transform((typed, ctx) => {
  const n = normalisePhone(typed);
  if ('phone' in n) return n.phone;
  ctx.addIssue({ code: 'custom', message: n.problem === 'phoneKz' ? 'phone: a Kazakhstan number is +7 and 10 digits, e.g. +77011234567' : 'phone: 10 to 15 digits, e.g. +77011234567' });
  return z.NEVER;
});
