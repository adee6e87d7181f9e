/**
 * The typed API client: one function per endpoint. Request and response types come from the
 * server's contract (src/server/contract), so a change there breaks the UI at compile time.
 * Functions for routes that do not exist yet reject with {@link NOT_CONNECTED}; the screens
 * show that plainly. To connect one, replace its body with a `request(...)` call — the
 * screens already handle its result.
 */
import type {
  AuditResponse, ConfigResponse, ConfigView, CreateUserRequest, CreateUserResponse, HealthResponse, LoginRequest,
  LoginResponse, MeResponse, SetupRequest, SetupState, UsersResponse,
} from '../../server/contract/index.ts';
import type { BasketView, OverrideRequest, PaymentMethod, SaleResult, ScanResult, SyncView } from './pending.ts';

/** The error code of functions whose server route does not exist yet. */
export const NOT_CONNECTED = 'NOT_CONNECTED';

/** A failed API call: the server's error body, or a network failure (status 0). */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** Seconds from a Retry-After header, if any. */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

/** True if `err` says the route is not connected yet. */
export function isNotConnected(err: unknown): boolean {
  return err instanceof ApiFailure && err.code === NOT_CONNECTED;
}

function notConnected(feature: string): Promise<never> {
  return Promise.reject(new ApiFailure(0, NOT_CONNECTED, `${feature}: not connected yet`));
}

function isErrorBody(value: unknown): value is { error: { code: string; message: string; details?: unknown } } {
  if (value === null || typeof value !== 'object' || !('error' in value)) return false;
  const e = (value as { error: unknown }).error;
  return e !== null && typeof e === 'object' && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { message?: unknown }).message === 'string';
}

/** What the client needs from its host: the session token and what to do when it is refused. */
export interface ApiOptions {
  baseUrl?: string;
  token(): string | null;
  /** Called on 401 from an authenticated call (the session expired or was revoked). */
  onUnauthenticated?(): void;
  fetch?: typeof fetch;
}

/** The client; see {@link createApi}. */
export type Api = ReturnType<typeof createApi>;

/** Builds the client. */
export function createApi(options: ApiOptions) {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new ApiFailure(0, 'NETWORK', (err as Error).message || 'network error');
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new ApiFailure(response.status, 'BAD_RESPONSE', `${method} ${path}: the server did not answer with JSON (HTTP ${response.status})`);
      }
    }
    if (!response.ok) {
      const retry = Number(response.headers.get('retry-after'));
      if (response.status === 401 && token) options.onUnauthenticated?.();
      if (isErrorBody(parsed)) throw new ApiFailure(response.status, parsed.error.code, parsed.error.message, parsed.error.details, Number.isFinite(retry) && retry > 0 ? retry : undefined);
      throw new ApiFailure(response.status, `HTTP_${response.status}`, `${method} ${path}: HTTP ${response.status}`);
    }
    return parsed as T;
  }

  const query = (params: Record<string, string | number | undefined>) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
    const s = q.toString();
    return s ? `?${s}` : '';
  };

  return {
    request,
    // --- core (exists) ---
    health: () => request<HealthResponse>('GET', '/api/health'),
    setupState: () => request<SetupState>('GET', '/api/setup'),
    setup: (body: SetupRequest) => request<{ configured: true }>('POST', '/api/setup', body),
    login: (body: LoginRequest) => request<LoginResponse>('POST', '/api/login', body),
    logout: () => request<{ ok: true }>('POST', '/api/logout', {}),
    me: () => request<MeResponse>('GET', '/api/me'),
    users: () => request<UsersResponse>('GET', '/api/users'),
    createUser: (body: CreateUserRequest) => request<CreateUserResponse>('POST', '/api/users', body),
    audit: (params: { action?: string; limit?: number } = {}) => request<AuditResponse>('GET', `/api/audit${query(params)}`),
    config: () => request<ConfigResponse>('GET', '/api/config'),
    updateConfig: (patch: ConfigView) => request<ConfigResponse>('PUT', '/api/config', patch),

    // --- routes not written yet: each rejects with NOT_CONNECTED until its route lands ---
    /** Checks one scanned code (GS as 0x1D) and adds it to the basket if it may be sold. */
    scan: (_raw: string): Promise<ScanResult> => notConnected('scan'),
    /** The open basket. */
    basket: (): Promise<BasketView> => notConnected('basket'),
    /** Completes the sale of the open basket. */
    pay: (_method: PaymentMethod): Promise<SaleResult> => notConnected('sale'),
    /** Starts a return of a sold code. */
    returnItem: (_raw: string): Promise<BasketView> => notConnected('return'),
    /** A manager's override of a refusal. */
    override: (_body: OverrideRequest): Promise<BasketView> => notConnected('override'),
    /** Sync health for the manager's dashboard and the offline banner. */
    syncStatus: (): Promise<SyncView> => notConnected('sync'),
  };
}
