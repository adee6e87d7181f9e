/**
 * An emulator of Kazakhstan's ИС МПТ on the xTrace platform, in its real shapes
 * (src/registry/marking/xtrace-wire.ts): login and refresh tokens that expire (30 min by default,
 * `accessTokenExpiresIn` as a string of ms), an empty 406 for any Accept narrower than *\/*,
 * `POST /public/api/cod/public/codes` answering a JSON array without the codes it does not know,
 * a 400 past the per-request maximum, and a 307 from private/codes to public/codes. Faults from
 * server.ts (latency, drops, a hang, 429, 5xx). Answers from the shared seeded dataset.
 */
import { randomBytes } from 'node:crypto';
import { XTRACE_PATHS, xtraceCodesRequestSchema, xtraceLoginSchema, type XtraceCode } from '../../src/registry/marking/index.ts';
import { RegistryDataset } from '../registry/index.ts';
import { codeOf, xtraceRecord } from './records.ts';
import { badRequest, EmulatorServer, Reply, SingleServerEmulator, type Request, type ServerOptions } from './server.ts';

/** Options of {@link XtraceEmulator}. */
export interface XtraceEmulatorOptions extends ServerOptions {
  dataset?: RegistryDataset;
  /** Dataset seed and size when no dataset is given (default 1, 10 000). */
  codes?: number;
  /** Accepted login and password (default tanba / tanba-emulator). */
  login?: string;
  password?: string;
  /** Accepted API keys (sent as the bearer token; default ['tanba-emulator-key']). */
  apiKeys?: readonly string[];
  /** Lifetime of an access token, ms (default 30 min). */
  tokenTtlMs?: number;
  /** Most codes in one request (default 100). */
  maxCodes?: number;
}

/** Default credentials of the emulator. */
export const XTRACE_EMULATOR_LOGIN = { login: 'tanba', password: 'tanba-emulator', apiKey: 'tanba-emulator-key' } as const;

interface Issued { expiresAt: number; refresh: string }

/** The emulated xTrace. */
export class XtraceEmulator extends SingleServerEmulator {
  readonly dataset: RegistryDataset;
  readonly server: EmulatorServer;
  readonly counters = { logins: 0, refreshes: 0, codeRequests: 0, unauthorized: 0, notAcceptable: 0, redirects: 0 };
  private readonly tokens = new Map<string, Issued>();
  private readonly refreshTokens = new Map<string, string>();
  private readonly overrides = new Map<string, Partial<XtraceCode> | null>();
  private tokenTtlMs: number;

  constructor(private readonly options: XtraceEmulatorOptions = {}) {
    super();
    this.dataset = options.dataset ?? new RegistryDataset({ seed: options.seed ?? 1, codes: options.codes ?? 10_000 });
    this.tokenTtlMs = options.tokenTtlMs ?? 1_800_000;
    this.server = new EmulatorServer({ ...options, seed: options.seed ?? this.dataset.options.seed }, (req) => this.handle(req));
  }

  /** Every access token issued so far stops working (the next call gets 401, as after expiry). */
  expireTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** Sets the lifetime of tokens issued from now on. */
  setTokenTtl(ms: number): void {
    this.tokenTtlMs = ms;
  }

  /** Overrides what the system says about one code (null: it does not know it). */
  setRecord(cis: string, record: Partial<XtraceCode> | null): void {
    this.overrides.set(cis, record);
  }

  /** Drops every override. */
  clearRecords(): void {
    this.overrides.clear();
  }

  private issue(): Record<string, string> {
    const access = randomBytes(24).toString('base64url');
    const refresh = randomBytes(24).toString('base64url');
    this.tokens.set(access, { expiresAt: Date.now() + this.tokenTtlMs, refresh });
    this.refreshTokens.set(refresh, access);
    return { accessToken: access, accessTokenType: 'BEARER', accessTokenExpiresIn: String(this.tokenTtlMs), refreshToken: refresh };
  }

  private authorize(req: Request): void {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    const token = m?.[1];
    const keys = this.options.apiKeys ?? [XTRACE_EMULATOR_LOGIN.apiKey];
    if (token !== undefined && keys.includes(token)) return;
    const issued = token === undefined ? undefined : this.tokens.get(token);
    if (issued === undefined || issued.expiresAt <= Date.now()) {
      this.counters.unauthorized++;
      throw new Reply(401, { error: 'Unauthorized', message: issued === undefined ? 'no valid bearer token' : 'the token has expired' });
    }
  }

  private async handle(req: Request): Promise<unknown> {
    const accept = String(req.headers.accept ?? '');
    if (!req.path.startsWith('/admin/') && !accept.split(',').some((a) => a.trim().startsWith('*/*'))) {
      // The platform's own behaviour: anything narrower than */* gets an empty 406.
      this.counters.notAcceptable++;
      throw new Reply(406, undefined);
    }
    const post = (): void => { if (req.method !== 'POST') throw new Reply(405, { error: 'Method Not Allowed' }); };
    switch (req.path) {
      case XTRACE_PATHS.authenticate: {
        post();
        const body = xtraceLoginSchema.safeParse(await req.json());
        if (!body.success) throw badRequest(body.error);
        const login = this.options.login ?? XTRACE_EMULATOR_LOGIN.login;
        const password = this.options.password ?? XTRACE_EMULATOR_LOGIN.password;
        if (body.data.login !== login || body.data.password !== password) {
          this.counters.unauthorized++;
          throw new Reply(401, { error: 'Unauthorized', message: 'bad login or password' });
        }
        this.counters.logins++;
        return this.issue();
      }
      case XTRACE_PATHS.refresh: {
        post();
        const refresh = new URLSearchParams(await req.text()).get('refreshToken') ?? '';
        const old = this.refreshTokens.get(refresh);
        if (old === undefined) {
          this.counters.unauthorized++;
          throw new Reply(401, { error: 'Unauthorized', message: 'unknown refresh token' });
        }
        this.refreshTokens.delete(refresh);
        this.tokens.delete(old);
        this.counters.refreshes++;
        return this.issue();
      }
      case XTRACE_PATHS.privateCodes:
        post();
        this.authorize(req);
        // No MARKING-CODE.READ permission for the emulator's users: go to the public record.
        this.counters.redirects++;
        throw new Reply(307, undefined, { location: XTRACE_PATHS.publicCodes });
      case XTRACE_PATHS.publicCodes: {
        post();
        this.authorize(req);
        this.counters.codeRequests++;
        const body = xtraceCodesRequestSchema.safeParse(await req.json());
        if (!body.success) throw badRequest(body.error);
        const max = this.options.maxCodes ?? 100;
        if (body.data.codes.length > max) throw new Reply(400, { error: 'Bad Request', message: `at most ${max} codes per request` });
        return body.data.codes.flatMap((sent) => this.recordFor(sent));
      }
      case '/admin/faults':
        if (req.method === 'POST') return this.server.setFaults(await req.json() as Record<string, never>);
        return this.server.getFaults();
      default:
        throw new Reply(404, { error: 'Not Found', message: `${req.method} ${req.path}` });
    }
  }

  private recordFor(sent: string): XtraceCode[] {
    const cis = this.dataset.resolveCis(sent);
    const override = cis === null ? undefined : this.overrides.get(cis);
    if (override === null) return [];
    const c = codeOf(this.dataset, sent);
    if (c === undefined) return override === undefined ? [] : [{ code: sent, status: 'INTRODUCED', ...override }];
    return [{ ...xtraceRecord(this.dataset, c, sent), ...override }];
  }
}

/** Starts an xTrace emulator. */
export async function startXtraceEmulator(options: XtraceEmulatorOptions = {}): Promise<XtraceEmulator> {
  const emu = new XtraceEmulator(options);
  await emu.start();
  return emu;
}
