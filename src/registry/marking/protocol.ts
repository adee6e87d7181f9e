/**
 * The wire protocol of the marking-system adapter (status feed + online check), shared by the
 * client and the emulator. Everything that crosses the network is described here with zod, so
 * the two sides cannot drift apart silently. See README.md for the HTTP API.
 */
import * as z from 'zod';

/** Request paths. */
export const PATHS = {
  snapshot: '/feed/snapshot',
  delta: '/feed/delta',
  check: '/check',
  health: '/health',
} as const;

/** Media type of the status feed (one JSON record per line, the format `tanba cache import` reads). */
export const NDJSON = 'application/x-ndjson';

/** At most this many codes per online check request (400 beyond it). */
export const MAX_CHECK_CODES = 100;

/** Registry statuses of a code. */
export const CODE_STATUSES = ['in_circulation', 'sold', 'withdrawn', 'not_introduced'] as const;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');
const minor = z.number().int('must be whole minor units').nonnegative().max(Number.MAX_SAFE_INTEGER);

/** Body of `POST /check`. Codes may be as scanned (GS = 0x1D kept) or bare CIS. */
export const checkRequestSchema = z.object({
  codes: z.array(z.string().min(1).max(1000)).min(1).max(MAX_CHECK_CODES),
});
export type CheckRequest = z.infer<typeof checkRequestSchema>;

/** One code's answer. `cis` is null when the registry could not read the code at all. */
export const checkResultSchema = z.object({
  /** The code exactly as it was sent. */
  code: z.string(),
  cis: z.string().min(1).max(128).nullable(),
  found: z.boolean(),
  status: z.enum(CODE_STATUSES).nullable(),
  blocked: z.boolean(),
  blockedBy: z.enum(['code', 'gtin', 'batch']).nullable(),
  expires: date.nullable(),
  mrp: minor.nullable(),
  minPrice: minor.nullable(),
  group: z.string().min(1).max(64).nullable(),
});
export type CheckResultWire = z.infer<typeof checkResultSchema>;

/** Body of a `200` answer to `POST /check`. */
export const checkResponseSchema = z.object({
  requestId: z.string().min(1).max(200),
  checkedAt: z.iso.datetime({ message: 'must be a UTC ISO-8601 time' }),
  results: z.array(checkResultSchema).max(MAX_CHECK_CODES),
});
export type CheckResponse = z.infer<typeof checkResponseSchema>;

/** Error codes of the `{"error":{code,message}}` body every non-2xx answer carries. */
export const ERROR_CODES = ['unauthorized', 'forbidden', 'bad_request', 'not_found', 'cursor_gone', 'rate_limited', 'internal', 'unavailable'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Body of a non-2xx answer. Parsed leniently: a proxy may answer with anything. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string().max(64), message: z.string().max(2000) }),
});

/** Runtime faults of the emulator (`POST /admin/faults`, also the CLI flags). Rates are 0..1. */
export const faultsSchema = z.object({
  /** Delay before answering, milliseconds. */
  latencyMs: z.number().int().min(0).max(600_000),
  /** Destroy the socket before anything is processed. */
  dropRate: z.number().min(0).max(1),
  /** Process the request, then destroy the socket (a feed: half-way through the body). */
  lostResponseRate: z.number().min(0).max(1),
  /** Answer 503. */
  status5xxRate: z.number().min(0).max(1),
  /** Answer 429 with Retry-After. */
  status429Rate: z.number().min(0).max(1),
  /** Answer 200 with a truncated / garbled body. */
  malformedRate: z.number().min(0).max(1),
  /** Retry-After of a 429, seconds. */
  retryAfterSeconds: z.number().int().min(0).max(3600),
  /** Which endpoints the faults hit. */
  scope: z.enum(['all', 'check', 'feed']),
});
export type Faults = z.infer<typeof faultsSchema>;

/** No faults. */
export const NO_FAULTS: Faults = {
  latencyMs: 0, dropRate: 0, lostResponseRate: 0, status5xxRate: 0, status429Rate: 0, malformedRate: 0, retryAfterSeconds: 1, scope: 'all',
};
