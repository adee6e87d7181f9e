/**
 * The status feed's record format (NDJSON, one record per line) and its validation. Unknown
 * fields are allowed and ignored (the format grows); known fields are checked strictly.
 *
 * Records:
 *   {"type":"snapshot"}                                  optional first record of a full snapshot
 *   {"type":"delta","from":"<cursor>"}                   optional first record of a delta: the cursor it continues
 *   {"type":"code","cis":"...","gtin":"...","status":"in_circulation|sold|withdrawn|not_introduced","expires":"YYYY-MM-DD","mrp":<minor units>}
 *   {"type":"block"|"unblock","cis":"..."} | {"type":"block"|"unblock","gtin":"..."} | {..., "gtin":"...","batch":"..."}
 *   {"type":"product","gtin":"...","name":"...","group":"tobacco|shoes|...","ai":false,"minPrice":N,"price":N,"unit":"pcs","partial":N,"vat":"standard|medicines|periodicals|zero|none"}
 *   {"type":"aggregate","code":"<SSCC 18 digits | CIS of a group pack / tobacco block>","contents":["<CIS>",...]}
 *                                                        the units inside a group pack (replaces what was known of it)
 *   {"type":"disaggregate","code":"..."}                 the pack was opened: forget its contents
 *   {"type":"cursor","cursor":"..."}                     closes the feed; REQUIRED (a feed without it is
 *                                                        refused as truncated); nothing may follow
 */
import * as z from 'zod';
import { isValidSscc } from '../marking/index.ts';
import { STATUS_CODES, toDayNumber } from '../store/cache-codes.ts';
import type { StagedRecord } from '../store/cache-import.ts';

/** Product groups the feed may name. */
export const PRODUCT_GROUPS = ['tobacco', 'shoes', 'medicines', 'beer', 'oil', 'dairy', 'water', 'light_industry', 'other'] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD')
  .refine((s) => { const d = new Date(`${s}T00:00:00Z`); return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s); }, 'is not a real date');
const minor = z.number().int('must be a whole number of minor units').nonnegative().max(Number.MAX_SAFE_INTEGER);
// A CIS is everything before the first GS: printable, no separators, bounded.
const cis = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces or GS');
const gtin = z.string().regex(/^\d{8,14}$/, 'must be 8-14 digits');

const codeRecord = z.object({
  type: z.literal('code'),
  cis,
  gtin: gtin.optional(),
  status: z.enum(['in_circulation', 'sold', 'withdrawn', 'not_introduced']),
  expires: date.nullish(),
  mrp: minor.nullish(),
});
const blockKeys = z.object({
  type: z.enum(['block', 'unblock']),
  cis: cis.optional(),
  gtin: gtin.optional(),
  batch: z.string().min(1).max(64).optional(),
}).refine((r) => (r.cis !== undefined) !== (r.gtin !== undefined), 'needs exactly one of "cis" or "gtin"')
  .refine((r) => r.batch === undefined || r.gtin !== undefined, '"batch" needs "gtin"');
const productRecord = z.object({
  type: z.literal('product'),
  gtin,
  name: z.string().min(1).max(500),
  /** The name in Kazakh (a Kazakh till shows it). */
  nameKk: z.string().min(1).max(500).nullish(),
  group: z.enum(PRODUCT_GROUPS),
  ai: z.boolean().default(false),
  minPrice: minor.nullish(),
  price: minor.nullish(),
  unit: z.string().min(1).max(32).nullish(),
  partial: z.number().int().positive().max(100000).nullish(),
  /** VAT category (the dated rate table is in the checkout), as in the National Catalogue file. */
  vat: z.enum(['standard', 'medicines', 'periodicals', 'zero', 'none']).nullish(),
});
/** Most units one aggregate record may list (a pallet of small goods stays well below). */
export const MAX_AGGREGATE_UNITS = 100_000;
// An aggregate's key: an SSCC (AI 00 value, 18 digits, valid check digit) or a CIS.
const aggregateCode = z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces or GS')
  .refine((s) => !/^\d{18}$/.test(s) || isValidSscc(s), 'is 18 digits but not a valid SSCC (check digit)');
const aggregateRecord = z.object({
  type: z.literal('aggregate'),
  code: aggregateCode,
  contents: z.array(cis).min(1, 'must list at least one unit (use {"type":"disaggregate"} to drop a pack)').max(MAX_AGGREGATE_UNITS),
}).refine((r) => new Set(r.contents).size === r.contents.length, { message: 'lists the same unit twice', path: ['contents'] })
  .refine((r) => !r.contents.includes(r.code), { message: 'lists the pack itself as one of its units', path: ['contents'] });
const disaggregateRecord = z.object({ type: z.literal('disaggregate'), code: aggregateCode });
const cursorRecord = z.object({ type: z.literal('cursor'), cursor: z.string().min(1).max(1000) });
const deltaHeader = z.object({ type: z.literal('delta'), from: z.string().min(1).max(1000) });
const snapshotHeader = z.object({ type: z.literal('snapshot') });

/** The zod schema of one feed record (exported for the registry emulator and tests). */
export const feedRecordSchema = z.union([codeRecord, blockKeys, productRecord, aggregateRecord, disaggregateRecord, cursorRecord, deltaHeader, snapshotHeader]);

/** A parsed line: data to stage, or a control record. */
export type FeedLine =
  | { kind: 'data'; record: StagedRecord }
  | { kind: 'cursor'; cursor: string }
  | { kind: 'delta'; from: string }
  | { kind: 'snapshot' };

/** Thrown for a line that is not a valid record; `detail` names what was wrong. */
export class RecordError extends Error {
  override name = 'RecordError';
}

function issue(err: z.ZodError): string {
  const first = err.issues[0];
  if (first === undefined) return 'invalid record';
  const where = first.path.length > 0 ? `"${first.path.join('.')}" ` : '';
  return `${where}${first.message}`;
}

function check<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new RecordError(issue(r.error));
  return r.data;
}

const STATUS: Record<string, number> = STATUS_CODES;

/**
 * Fast path for the one record type that makes up almost all of a feed. Returns null when the
 * value is not a plain, well-formed code record, so zod decides (and explains) everything else.
 */
function fastCode(v: Record<string, unknown>): StagedRecord | null {
  const c = v.cis, s = v.status, e = v.expires, m = v.mrp, g = v.gtin;
  if (typeof c !== 'string' || c.length === 0 || c.length > 128 || !/^[\x21-\x7e]+$/.test(c)) return null;
  const status = typeof s === 'string' ? STATUS[s] : undefined;
  if (status === undefined) return null;
  if (g !== undefined && (typeof g !== 'string' || !/^\d{8,14}$/.test(g))) return null;
  let expires: number | null = null;
  if (e !== undefined && e !== null) {
    if (typeof e !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(e)) return null;
    const day = dayOf(e);
    if (day === null) return null;
    expires = day;
  }
  if (m !== undefined && m !== null && !(typeof m === 'number' && Number.isSafeInteger(m) && m >= 0)) return null;
  return { t: 'code', cis: c, status, expires, mrp: (m as number | null | undefined) ?? null };
}

/**
 * The exact shape the registry emulator and most feeds write, matched without JSON.parse. The
 * character classes exclude '"' and '\\', so a match IS the JSON object it looks like; anything
 * else (other field order, extra fields, escapes) takes the general path below.
 */
const CODE_LINE = /^\{"type":"code","cis":"([\x21\x23-\x5b\x5d-\x7e]{1,128})"(?:,"gtin":"\d{8,14}")?,"status":"(in_circulation|sold|withdrawn|not_introduced)"(?:,"expires":"(\d{4}-\d{2}-\d{2})")?(?:,"mrp":(0|[1-9]\d{0,14}))?\}$/;

const dayCache = new Map<string, number | null>();
/** Day number of a YYYY-MM-DD string, null when it is not a real date (memoised: feeds repeat dates). */
function dayOf(date: string): number | null {
  let d = dayCache.get(date);
  if (d === undefined) {
    const t = new Date(`${date}T00:00:00Z`);
    d = !Number.isNaN(t.getTime()) && t.toISOString().startsWith(date) ? toDayNumber(date) : null;
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(date, d);
  }
  return d;
}

/** Parses and validates one non-blank line. @throws RecordError naming what is wrong. */
export function parseFeedLine(text: string): FeedLine {
  const m = CODE_LINE.exec(text);
  if (m !== null) {
    const expires = m[3] === undefined ? null : dayOf(m[3]);
    if (m[3] === undefined || expires !== null) {
      return { kind: 'data', record: { t: 'code', cis: m[1] as string, status: STATUS[m[2] as string] as number, expires, mrp: m[4] === undefined ? null : Number(m[4]) } };
    }
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RecordError(`not valid JSON (${(err as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new RecordError('a record must be a JSON object');
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 'code': {
      const fast = fastCode(v);
      if (fast !== null) return { kind: 'data', record: fast };
      const r = check(codeRecord, v);
      return { kind: 'data', record: { t: 'code', cis: r.cis, status: STATUS_CODES[r.status], expires: r.expires ? toDayNumber(r.expires) : null, mrp: r.mrp ?? null } };
    }
    case 'block':
    case 'unblock': {
      const r = check(blockKeys, v);
      const op = r.type === 'block' ? 1 : 0;
      if (r.cis !== undefined) return { kind: 'data', record: { t: 'block', kind: 1, key: r.cis, batch: '', op } };
      const g = r.gtin as string;
      if (r.batch !== undefined) return { kind: 'data', record: { t: 'block', kind: 3, key: g, batch: r.batch, op } };
      return { kind: 'data', record: { t: 'block', kind: 2, key: g, batch: '', op } };
    }
    case 'product': {
      const r = check(productRecord, v);
      return {
        kind: 'data',
        record: { t: 'product', gtin: r.gtin, name: r.name, grp: r.group, ai: r.ai ? 1 : 0, unit: r.unit ?? null, minPrice: r.minPrice ?? null, price: r.price ?? null, partial: r.partial ?? null, vat: r.vat ?? null, nameKk: r.nameKk ?? null },
      };
    }
    case 'aggregate': {
      const r = check(aggregateRecord, v);
      return { kind: 'data', record: { t: 'aggregate', code: r.code, contents: r.contents } };
    }
    case 'disaggregate': return { kind: 'data', record: { t: 'aggregate', code: check(disaggregateRecord, v).code, contents: null } };
    case 'cursor': return { kind: 'cursor', cursor: check(cursorRecord, v).cursor };
    case 'delta': return { kind: 'delta', from: check(deltaHeader, v).from };
    case 'snapshot': return { kind: 'snapshot' };
    default:
      throw new RecordError(`unknown record type ${JSON.stringify(v.type)} (expected code, block, unblock, product, aggregate, disaggregate, cursor, delta or snapshot)`);
  }
}
