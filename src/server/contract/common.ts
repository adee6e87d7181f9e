/** Schemas several contract modules share (kept apart so the modules do not import each other in a circle). */
import { z } from 'zod';

/** A PIN: 4 to 12 digits. */
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
