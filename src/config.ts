/**
 * Configuration: a JSON file in the data directory, overridden by TANBA_* environment
 * variables, validated with zod. Everything here crosses a process boundary, so nothing is
 * trusted until the schema has accepted it.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import * as z from 'zod';

const groupLimits = z.record(z.string(), z.number().positive());

const secret = z.string().min(1).max(4096);
const caFile = z.string().min(1).optional();

/**
 * One marking system of the `registry.marking` list (tried in order). Secrets are named password,
 * apiKey or token, so `config show` and the logs mask them.
 */
export const markingProviderSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('xtrace'), url: z.string().url(), login: z.string().min(1).optional(), password: secret.optional(), apiKey: secret.optional(), caFile,
  }).strict().refine((e) => (e.login !== undefined && e.password !== undefined) || e.apiKey !== undefined, { message: 'xtrace needs "login" and "password", or "apiKey"' }),
  z.object({ kind: z.literal('true-api'), discoveryUrl: z.string().url(), apiKey: secret, fiscalDriveNumber: z.string().min(1).max(64).optional(), caFile }).strict(),
  z.object({ kind: z.literal('local-module'), url: z.string().url(), user: z.string().min(1), password: secret, clientId: z.string().min(1).max(64).optional(), caFile }).strict(),
  z.object({ kind: z.literal('tanba-feed'), url: z.string().url(), token: secret.optional(), caFile }).strict(),
]);
export type MarkingProviderConfig = z.infer<typeof markingProviderSchema>;

/** The single-object form of `registry.marking` from before the list: a Tanba feed. */
const legacyMarkingSchema = z.object({
  url: z.string().url(),
  token: z.string().min(1).optional(),
  caFile: z.string().optional(),
});

const markingListSchema = z.array(markingProviderSchema).max(10);

/** `registry.marking`: a list, or the old object; an error names the entry and the field (not "invalid input"). */
const markingSchema = z.unknown().transform((value, ctx): z.infer<typeof markingListSchema> | z.infer<typeof legacyMarkingSchema> => {
  const result = Array.isArray(value) ? markingListSchema.safeParse(value) : legacyMarkingSchema.safeParse(value);
  if (result.success) return result.data;
  for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});

/** The validated configuration of one register. */
export const configSchema = z.object({
  store: z.object({
    name: z.string().min(1).default('Training store'),
    address: z.string().default(''),
    bin: z.string().regex(/^\d{12}$/, 'BIN must be 12 digits').optional(),
    /** The store's identity in a chain, the same on all its lanes (issue 19); absent: a lone register. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'store id: 1-32 letters, digits, _ or -').optional(),
    /**
     * The store's NATS (its leaf node; `tanba hub run`). Absent: nothing changes, the register
     * needs only its SQLite file. Present: lanes share sold / in-basket codes and publish their
     * documents to head office through it.
     */
    nats: z.object({
      servers: z.array(z.string().regex(/^(nats|tls|wss?):\/\/\S+$/, 'a NATS URL like nats://127.0.0.1:4222')).min(1),
      /** A NATS credentials file (JWT + seed), when the server asks for one. */
      credentials: z.string().min(1).optional(),
      /** Reservation budget: past it the sale proceeds unguarded (default 400 ms). */
      reserveTimeoutMs: z.number().int().min(10).max(5_000).default(400),
      /** How long a reservation outlives a lane that stopped refreshing it (default 120 s). */
      reservationTtlSeconds: z.number().int().min(1).max(86_400).default(120),
      /** Seconds between heartbeats to head office (default 30). */
      heartbeatSeconds: z.number().int().min(1).max(3_600).default(30),
      /** The store group whose head-office updates (configuration, catalogue) this store applies. */
      group: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'group: 1-32 letters, digits, _ or -').default('all'),
      /**
       * One lane of the store downloads the status feed for all (the others apply what it
       * publishes): how long it keeps that lead without renewing it, e.g. after it died (default 30 s).
       */
      feedLeaseSeconds: z.number().int().min(1).max(3_600).default(30),
      /**
       * A lane that cannot reach the store's NATS for this long pulls the status feed from the
       * registry itself until it is back (default 300 s).
       */
      feedFallbackSeconds: z.number().int().min(1).max(86_400).default(300),
    }).optional(),
    /** The store is a VAT payer (VAT on tickets by the dated table); false: no tax on the ticket. */
    vatPayer: z.boolean().default(true),
  }).default({ name: 'Training store', address: '', vatPayer: true }),
  register: z.object({
    id: z.string().min(1).default('REG-1'),
  }).default({ id: 'REG-1' }),
  /** Receipt and message languages, first is the primary one. */
  languages: z.array(z.enum(['ru', 'kk', 'en'])).min(1).default(['ru', 'kk']),
  cache: z.object({
    /** Hours without a successful sync after which the cache is stale (law: 72 h). */
    offlineLimitHours: z.number().positive().max(72).default(72),
    /** Per product group, only ever lower than the general limit. */
    groupOfflineLimitHours: groupLimits.default({}),
  }).default({ offlineLimitHours: 72, groupOfflineLimitHours: {} }),
  marking: z.object({
    /** Extra textual stand-ins for GS that keyboard-wedge setups type (besides the built-in ones). */
    extraSeparators: z.array(z.string().min(1)).default([]),
    /**
     * Keyboard-wedge scanners programmed to send a prefix / suffix around each code (the
     * technician's scanner settings): the till's decoder frames a burst by them and strips them.
     */
    wedgePrefix: z.string().max(8, 'a wedge prefix is at most 8 characters').default(''),
    wedgeSuffix: z.string().max(8, 'a wedge suffix is at most 8 characters').default(''),
  }).default({ extraSeparators: [], wedgePrefix: '', wedgeSuffix: '' }),
  registry: z.object({
    /** No OFD configured means training mode. */
    ofd: z.object({
      host: z.string().min(1),
      port: z.number().int().min(1).max(65535),
      deviceId: z.number().int().nonnegative(),
      token: z.number().int().nonnegative(),
      /** The register's registration number at КГД: sent in a return's parent_ticket (2.0.3). */
      kgdKkmId: z.string().min(1).optional(),
      /** Where the register stands (degrees), sent as ServiceRequest.security_stats.geo_position (2.0.3). */
      geo: z.object({
        latitude: z.number().min(-90).max(90),
        longitude: z.number().min(-180).max(180),
        source: z.enum(['GPS', 'MANUAL', 'CELL', 'UNKNOWN']).default('MANUAL'),
      }).optional(),
    }).optional(),
    /** Marking systems, tried in order (the old single object is read as one tanba-feed entry). */
    marking: markingSchema.optional(),
  }).default({}),
  /** National Catalogue (НКТ) lookups through the OFD (COMMAND_NOMENCLATURE with a barcode). */
  catalog: z.object({
    /** Hours a stored answer counts as fresh (no new lookup). */
    ttlHours: z.number().positive().max(24 * 365).default(24 * 7),
    /** A product not in the catalogue: warn and sell without NTIN, or refuse the scan. */
    notFound: z.enum(['warn', 'refuse']).default('warn'),
    /** Longest a scan waits for the OFD's answer (ms); then the local table decides. */
    lookupBudgetMs: z.number().int().min(50).max(5_000).default(800),
  }).default({ ttlHours: 24 * 7, notFound: 'warn', lookupBudgetMs: 800 }),
  /**
   * `tanba serve --lm-port N` serves the local-module API to other tills; they log in with these
   * (HTTP Basic).
   */
  localModule: z.object({
    user: z.string().min(1).regex(/^[^:]+$/, 'must not contain ":"'),
    password: secret,
  }).strict().optional(),
  privacy: z.object({
    /** Days an e-receipt contact is kept after its e-receipt was delivered (then purged). */
    contactRetentionDays: z.number().int().min(1).max(365).default(30),
  }).default({ contactRetentionDays: 30 }),
  /** The login screen. */
  login: z.object({
    /** Show the cashiers' and managers' names as tiles (technicians and the administrator type theirs). */
    userTiles: z.boolean().default(true),
  }).default({ userTiles: true }),
  /** Returns at the till. */
  returns: z.object({
    /** Every return needs a manager's (or the administrator's) name and PIN at the till. */
    requireApproval: z.boolean().default(false),
  }).default({ requireApproval: false }),
  printing: z.object({
    /** Days a printed receipt's bytes are kept for a reprint (then deleted); unprinted ones stay. */
    receiptRetentionDays: z.number().int().min(1).max(3650).default(30),
  }).default({ receiptRetentionDays: 30 }),
  log: z.object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('warn'),
  }).default({ level: 'warn' }),
});

export type Config = z.infer<typeof configSchema>;

/** Thrown when the configuration file or an environment variable is invalid. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** The per-OS default data directory: XDG on Linux, %APPDATA% on Windows, Application Support on macOS. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? join(env.USERPROFILE ?? homedir(), 'AppData', 'Roaming');
    return join(appData, 'Tanba');
  }
  if (platform === 'darwin') return join(env.HOME ?? homedir(), 'Library', 'Application Support', 'Tanba');
  const xdg = env.XDG_DATA_HOME && env.XDG_DATA_HOME.startsWith('/') ? env.XDG_DATA_HOME : join(env.HOME ?? homedir(), '.local', 'share');
  return join(xdg, 'tanba');
}

/** `--data-dir` wins over TANBA_DATA_DIR, which wins over the OS default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag !== undefined && flag !== '') return resolve(flag);
  if (env.TANBA_DATA_DIR) return resolve(env.TANBA_DATA_DIR);
  return defaultDataDir(env);
}

/** Environment variables that override the file, mapped to their place in the config. */
const ENV_OVERRIDES: ReadonlyArray<[string, (c: Record<string, unknown>, v: string) => void]> = [
  ['TANBA_LOG_LEVEL', (c, v) => { section(c, 'log').level = v; }],
  ['TANBA_STORE_NAME', (c, v) => { section(c, 'store').name = v; }],
  ['TANBA_REGISTER_ID', (c, v) => { section(c, 'register').id = v; }],
  ['TANBA_STORE_ID', (c, v) => { section(c, 'store').id = v; }],
  ['TANBA_STORE_NATS', (c, v) => { section(section(c, 'store'), 'nats').servers = v.split(',').map((s) => s.trim()).filter(Boolean); }],
  ['TANBA_LANGUAGES', (c, v) => { c.languages = v.split(',').map((s) => s.trim()).filter(Boolean); }],
  ['TANBA_OFFLINE_LIMIT_HOURS', (c, v) => { section(c, 'cache').offlineLimitHours = Number(v); }],
  ['TANBA_MARKING_URL', (c, v) => { feedEntry(c).url = v; }],
  ['TANBA_MARKING_TOKEN', (c, v) => { feedEntry(c).token = v; }],
];

/**
 * Where TANBA_MARKING_URL / _TOKEN go: the old single object, or, when `registry.marking` is a
 * list, its first tanba-feed entry (appended when there is none).
 */
function feedEntry(c: Record<string, unknown>): Record<string, unknown> {
  const registry = section(c, 'registry');
  const list = registry.marking;
  if (!Array.isArray(list)) return section(registry, 'marking');
  const found = list.find((e): e is Record<string, unknown> => e !== null && typeof e === 'object' && (e as Record<string, unknown>).kind === 'tanba-feed');
  if (found !== undefined) return found;
  const fresh: Record<string, unknown> = { kind: 'tanba-feed' };
  list.push(fresh);
  return fresh;
}

/** The configured marking systems in order: the old single object reads as one tanba-feed entry. */
export function markingProviders(config: Config): MarkingProviderConfig[] {
  const m = config.registry.marking;
  if (m === undefined) return [];
  if (Array.isArray(m)) return m;
  return [{ kind: 'tanba-feed', url: m.url, ...(m.token !== undefined ? { token: m.token } : {}), ...(m.caFile !== undefined ? { caFile: m.caFile } : {}) }];
}

function section(obj: Record<string, unknown>, key: string): Record<string, unknown> {
  const existing = obj[key];
  if (existing !== null && typeof existing === 'object' && !Array.isArray(existing)) return existing as Record<string, unknown>;
  const fresh: Record<string, unknown> = {};
  obj[key] = fresh;
  return fresh;
}

/** Path of the configuration file: TANBA_CONFIG, else config.json in the data directory. */
export function configPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.TANBA_CONFIG ? resolve(env.TANBA_CONFIG) : join(dataDir, 'config.json');
}

/** Reads, merges and validates the configuration. A missing file means all defaults. */
export function loadConfig(dataDir: string, env: NodeJS.ProcessEnv = process.env): Config {
  const file = configPath(dataDir, env);
  let raw: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`${file}: not valid JSON (${(err as Error).message})`);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new ConfigError(`${file}: the configuration must be a JSON object`);
    }
    raw = parsed as Record<string, unknown>;
  }
  for (const [name, apply] of ENV_OVERRIDES) {
    const value = env[name];
    if (value !== undefined && value !== '') apply(raw, value);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const first = result.error.issues[0];
    const where = first ? first.path.join('.') || '(root)' : '(root)';
    throw new ConfigError(`invalid configuration (${file} or TANBA_* environment): ${where}: ${first?.message ?? 'invalid'}`);
  }
  return result.data;
}

/**
 * Creates the data directory if it does not exist and makes it 0700 (it holds sales, contacts
 * and PIN hashes), also when it existed with a wider mode; refuses with a clear message when the
 * mode cannot be fixed (the directory belongs to another user).
 */
export function ensureDataDir(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return dataDir;
  const mode = statSync(dataDir).mode & 0o777;
  if (mode !== 0o700) {
    try {
      chmodSync(dataDir, 0o700);
    } catch (err) {
      throw new ConfigError(`the data directory ${dataDir} has mode ${mode.toString(8).padStart(4, '0')} (other users may read it) and cannot be made 0700 (${(err as Error).message}); its owner must run: chmod 700 '${dataDir}'`);
    }
  }
  return dataDir;
}

/** Training mode: no registry connection configured. */
export function isTrainingMode(config: Config): boolean {
  return config.registry.ofd === undefined;
}

/** Words of a key name that mark its value as a secret (compared whole, case-insensitively). */
const SECRET_WORDS = new Set(['token', 'password', 'passwd', 'pwd', 'pass', 'secret', 'pin', 'apikey', 'credential', 'credentials', 'auth', 'authorization', 'cookie', 'signature', 'sig', 'privatekey', 'passphrase', 'jwt', 'bearer']);

/** The words of a key: camelCase, snake_case, kebab-case and dotted names split; "api key" also as "apikey". */
function keyWords(key: string): string[] {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const joined = words.slice(1).map((w, i) => `${words[i]}${w}`);
  return [...words, ...joined, key.toLowerCase().replace(/[^a-z0-9]/g, '')];
}

/** True when a key's name says its value is a secret (token, password, apiKey, client_secret, pin, ...). */
export function isSecretKey(key: string): boolean {
  return keyWords(key).some((w) => SECRET_WORDS.has(w));
}

/** A URL with its credentials masked: user:password@ and the values of secret-looking query parameters. */
export function maskUrl(text: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return text;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not parseable: mask anything between "://" and "@" all the same.
    return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
  }
  // user:password@ keeps the user name; a lone user@ is often a token itself.
  if (url.password !== '') url.password = '***';
  else if (url.username !== '') url.username = '***';
  for (const name of [...url.searchParams.keys()]) {
    if (isSecretKey(name) || /key$/i.test(name)) url.searchParams.set(name, '***');
  }
  return url.toString().replace(/%2A%2A%2A/g, '***');
}

/**
 * The one masker of configuration for display (`GET /api/config`, `/api/diagnostics`,
 * `tanba config show`): recursive, key-based — the value of any key whose name looks secret
 * (token, password, apiKey, secret, pin, credentials ...) becomes "***", whatever its type or
 * nesting (lists of providers included) — and every URL-shaped string loses its credentials
 * (user:password@, ?apikey=, ?token=, ...).
 */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === 'string') return maskUrl(value);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && v !== undefined && v !== null && v !== '' ? '***' : maskSecrets(v);
    return out;
  }
  return value;
}
