/**
 * The wire shapes of Kazakhstan's ИС МПТ on the xTrace platform (xTrace ICOM REST API v1.0),
 * shared by the provider (xtrace.ts) and its emulator. Field names are the platform's own.
 */
import * as z from 'zod';

/** Request paths. */
export const XTRACE_PATHS = {
  authenticate: '/api/users/authenticate',
  refresh: '/api/users/tokens/refresh',
  publicCodes: '/public/api/cod/public/codes',
  privateCodes: '/public/api/cod/private/codes',
} as const;

/** Code statuses (`status`). */
export const XTRACE_STATUSES = ['RECEIVED', 'APPLIED', 'INTRODUCED', 'WITHDRAWN', 'WRITTEN_OFF'] as const;
export type XtraceStatus = (typeof XTRACE_STATUSES)[number];

/** `POST /api/users/authenticate` body. */
export const xtraceLoginSchema = z.object({ login: z.string().min(1), password: z.string().min(1) });

/** The token answer of authenticate and refresh. `accessTokenExpiresIn` is a string of milliseconds. */
export const xtraceTokenSchema = z.object({
  accessToken: z.string().min(1).max(8192),
  accessTokenType: z.string().max(32).optional(),
  accessTokenExpiresIn: z.union([z.string().regex(/^\d{1,12}$/, 'must be a string of milliseconds'), z.number().int().nonnegative()]),
  refreshToken: z.string().min(1).max(8192).optional(),
});
export type XtraceToken = z.infer<typeof xtraceTokenSchema>;

/** `POST …/public/codes` body. */
export const xtraceCodesRequestSchema = z.object({
  codes: z.array(z.string().min(1).max(1000)).min(1).max(10_000),
  addCodeHistory: z.boolean().optional(),
});

const nullishString = z.string().max(1000).nullish();

/** One code of the answer (unknown fields are dropped; the ones the register uses are checked). */
export const xtraceCodeSchema = z.object({
  code: z.string().min(1).max(1000),
  template: nullishString,
  packageType: nullishString,
  /** A status this client does not know is kept as text and refused (never sold on a guess). */
  status: z.string().min(1).max(64),
  extendedStatus: nullishString,
  issuerShortInfo: z.object({
    issuerTin: nullishString,
    issuerName: z.object({ kz: nullishString, ru: nullishString, en: nullishString }).partial().nullish(),
  }).nullish(),
  productId: z.union([z.string(), z.number()]).nullish(),
  productGroupId: z.union([z.string(), z.number()]).nullish(),
  categoryId: z.union([z.string(), z.number()]).nullish(),
  gtin: nullishString,
  emissionDate: nullishString,
  issueDate: nullishString,
  productionDate: nullishString,
  expirationDate: nullishString,
  productSeries: nullishString,
});
export type XtraceCode = z.infer<typeof xtraceCodeSchema>;

/** The answer: a JSON array; a code the system does not know is absent. */
export const xtraceCodesResponseSchema = z.array(xtraceCodeSchema).max(10_000);
