/**
 * The wire shapes of Russia's Chestny ZNAK True API online check ("разрешительный режим") and of
 * the local module (ЛМ ЧЗ), which answers in the same per-code shape. Shared by the providers and
 * their emulators. Field names are the systems' own.
 */
import * as z from 'zod';

/** True API paths (the discovery host and each check host). */
export const TRUE_API_PATHS = {
  info: '/api/v4/true-api/cdn/info',
  health: '/api/v4/true-api/cdn/health/check',
  check: '/api/v4/true-api/codes/check',
} as const;

/** Local-module paths. */
export const LOCAL_MODULE_PATHS = {
  status: '/api/v1/status',
  outCheckV1: '/api/v1/cis/outCheck',
  outCheckV2: '/api/v2/cis/outCheck',
} as const;

/** Envelope codes: 0 answered; 204 an answer made right after emergency mode, still valid. */
export const ENVELOPE_OK = 0;
export const ENVELOPE_AFTER_EMERGENCY = 204;
/** The body code of a 5xx that asks to retry the same host. */
export const RETRY_SAME_HOST = 5000;

/** Most codes in one check request. */
export const TRUE_API_MAX_CODES = 100;

const text = z.string().max(2000).nullish();
const flag = z.boolean().nullish();
const count = z.number().int().nonnegative().nullish();

/** `GET {cdn}/api/v4/true-api/cdn/info`. */
export const cdnInfoSchema = z.object({
  code: z.number().int(),
  description: text,
  hosts: z.array(z.object({ host: z.string().min(1).max(500) })).max(100).nullish(),
});

/** `GET {host}/api/v4/true-api/cdn/health/check`: usable when code is 0. */
export const healthCheckSchema = z.object({
  code: z.number().int(),
  description: text,
  avgTimeMs: z.number().nonnegative().nullish(),
});

/** `POST {host}/api/v4/true-api/codes/check` body: full codes, GS as \u001d. */
export const trueApiCheckRequestSchema = z.object({
  codes: z.array(z.string().min(1).max(1000)).min(1).max(TRUE_API_MAX_CODES),
  fiscalDriveNumber: z.string().max(64).optional(),
});

/** One code of a check answer (True API, and the local module offline). */
export const crptCodeSchema = z.object({
  cis: z.string().min(1).max(1000),
  valid: flag,
  printView: text,
  gtin: text,
  groupIds: z.array(z.number().int()).max(100).nullish(),
  verified: flag,
  found: flag,
  realizable: flag,
  utilised: flag,
  isBlocked: flag,
  ogvs: z.array(z.string().max(200)).max(100).nullish(),
  expireDate: text,
  variableExpirations: flag,
  productionDate: text,
  productWeight: z.number().nullish(),
  prVetDocument: text,
  isOwner: flag,
  errorCode: z.number().int().nullish(),
  message: text,
  isTracking: flag,
  sold: flag,
  eliminationState: z.number().int().nullish(),
  /** Kopecks. */
  mrp: count,
  smp: count,
  grayZone: flag,
  innerUnitCount: count,
  soldUnitCount: count,
  packageType: text,
  parent: text,
  producerInn: text,
});
export type CrptCode = z.infer<typeof crptCodeSchema>;

/** The check answer's envelope. `reqTimestamp` is ms since the epoch (some gateways send it as a string). */
export const checkEnvelopeSchema = z.object({
  code: z.number().int(),
  description: text,
  codes: z.array(crptCodeSchema).max(TRUE_API_MAX_CODES).nullish(),
  reqId: z.string().max(200).nullish(),
  reqTimestamp: z.union([z.number(), z.string().regex(/^\d{1,16}$/)]).nullish(),
});
export type CheckEnvelope = z.infer<typeof checkEnvelopeSchema>;

/** The local module's envelope: the True API one plus `inst` and `version`. */
export const localModuleEnvelopeSchema = checkEnvelopeSchema.extend({
  inst: text,
  version: text,
});

/** `POST /api/v2/cis/outCheck` body and answer. */
export const outCheckV2RequestSchema = z.object({
  cis_list: z.array(z.object({ cis: z.string().min(1).max(1000), pg: z.string().max(64).optional() })).min(1).max(TRUE_API_MAX_CODES),
});
export const outCheckV2ResponseSchema = z.object({ results: z.array(localModuleEnvelopeSchema).max(TRUE_API_MAX_CODES) });

/** Local-module states; only `ready` answers usefully; `sync_error` needs init again. */
export const LOCAL_MODULE_STATES = ['not_configured', 'initialization', 'ready', 'sync_error'] as const;
export type LocalModuleState = (typeof LOCAL_MODULE_STATES)[number];

const docCount = z.object({ localDocCount: count, serverDocCount: count, timeLag: z.number().nullish() }).partial();

/** `GET /api/v1/status`. Unknown states are kept as text (and treated as not ready). */
export const localModuleStatusSchema = z.object({
  version: text,
  status: z.string().min(1).max(64),
  operationMode: text,
  name: text,
  inst: text,
  inn: text,
  dbVersion: text,
  serviceUrl: text,
  lastUpdate: z.union([z.number(), z.string()]).nullish(),
  /** ms since the epoch of the last successful sync. */
  lastSync: z.union([z.number(), z.string()]).nullish(),
  requiresDownload: flag,
  replicationStatus: z.object({ cis: docCount, blocked_gtin: docCount, blocked_cis: docCount, blocked_series: docCount }).partial().nullish(),
});
export type LocalModuleStatus = z.infer<typeof localModuleStatusSchema>;
