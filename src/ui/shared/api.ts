/**
 * The typed API client: one function per endpoint. Request and response types come from the
 * server's contract (src/server/contract), so a change there breaks the UI at compile time.
 * Paths are those of docs/api.md. Nothing here retries: a cashier's action that failed is
 * reported on screen, and the core (not the page) owns every durable record.
 */
import type {
  AssignDeviceRequest, AuditResponse, CashRequest, CashResponse, OpenShiftRequest, BasketView, CacheImportResponse, CacheResponse, CacheResyncResponse, CompleteResponse,
  ConfigResponse, ConfigView, ConfigureDeviceRequest, ConsentsResponse, CreateUserRequest, CreateUserResponse, DeviceResponse,
  DevicesResponse, DiagnosticsBundle, DiscoverResponse, HealthResponse, LoginRequest, LoginResponse, LoginUsersResponse, LogsQuery, LogsResponse,
  MeResponse, OverrideRequest, OverrideResponse, OverridesResponse, PayRequest, PrintView, PurgeResponse, ReceiptResponse,
  RegistryTestResponse, ReturnRequest, ReturnSalesQuery, ReturnSalesResponse, SaleDetailResponse, SalesCsvQuery, SalesQuery, SalesResponse, ScanRequest, ScanResponse,
  SetupRequest, SetupState, ShiftReportResponse, ShiftResponse, StatsQuery, StatsResponse, SyncDashboard, SyncNowResponse,
  SyncRetryResponse, TestPrintRequest, TestPrintResponse, TestScanRequest, TestScanResponse, TrainingControlRequest,
  TrainingControlResponse, TrainingView, UsersResponse, ResetPinRequest, TicketPurpose, TicketResponse, UserResponse,
} from '../../server/contract/index.ts';

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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A query string from the defined, non-empty values (`?a=1&b=x`, or ''). */
export function queryString(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' ? v !== '' : typeof v === 'number' || typeof v === 'boolean') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Progress of an upload: bytes sent of the total. */
export type UploadProgress = (sent: number, total: number) => void;

/** Builds the client. */
export function createApi(options: ApiOptions) {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));

  function failure(status: number, text: string, method: string, path: string, retryAfter: string | null, token: string | null): ApiFailure {
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const retry = Number(retryAfter);
    if (status === 401 && token) options.onUnauthenticated?.();
    if (isErrorBody(parsed)) return new ApiFailure(status, parsed.error.code, parsed.error.message, parsed.error.details, Number.isFinite(retry) && retry > 0 ? retry : undefined);
    return new ApiFailure(status, `HTTP_${status}`, `${method} ${path}: HTTP ${status}`);
  }

  async function send(method: Method, path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    const token = options.token();
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new ApiFailure(0, 'NETWORK', (err as Error).message || 'network error');
    }
    if (!response.ok) throw failure(response.status, await response.text(), method, path, response.headers.get('retry-after'), token);
    return response;
  }

  async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const response = await send(method, path, body);
    const text = await response.text();
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiFailure(response.status, 'BAD_RESPONSE', `${method} ${path}: the server did not answer with JSON (HTTP ${response.status})`);
    }
  }

  /** A GET whose body is a file (CSV, PNG): fetched with the bearer token, never with it in the URL. */
  async function download(path: string, accept: string): Promise<Blob> {
    const response = await send('GET', path, undefined, accept);
    return response.blob();
  }

  /**
   * Uploads a file as the raw request body with progress (fetch cannot report upload progress,
   * XMLHttpRequest can). The answer is parsed like any other.
   */
  function upload<T>(path: string, file: Blob, contentType: string, onProgress?: UploadProgress): Promise<T> {
    const token = options.token();
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}${path}`);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('content-type', contentType);
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onerror = () => reject(new ApiFailure(0, 'NETWORK', `POST ${path}: network error`));
      xhr.onload = () => {
        const text = xhr.responseText;
        if (xhr.status < 200 || xhr.status >= 300) return reject(failure(xhr.status, text, 'POST', path, xhr.getResponseHeader('retry-after'), token));
        try {
          resolve(JSON.parse(text) as T);
        } catch {
          reject(new ApiFailure(xhr.status, 'BAD_RESPONSE', `POST ${path}: the server did not answer with JSON (HTTP ${xhr.status})`));
        }
      };
      xhr.send(file);
    });
  }

  const id = (value: string | number) => encodeURIComponent(String(value));

  return {
    request,
    download,
    // --- session, setup, users, audit, configuration ---
    health: () => request<HealthResponse>('GET', '/api/health'),
    setupState: () => request<SetupState>('GET', '/api/setup'),
    setup: (body: SetupRequest) => request<{ configured: true }>('POST', '/api/setup', body),
    login: (body: LoginRequest) => request<LoginResponse>('POST', '/api/login', body),
    loginUsers: () => request<LoginUsersResponse>('GET', '/api/login/users'),
    logout: () => request<{ ok: true }>('POST', '/api/logout', {}),
    me: () => request<MeResponse>('GET', '/api/me'),
    /** A one-use ticket for a URL that cannot carry the header (the event WebSocket, an image). */
    ticket: (purpose: TicketPurpose) => request<TicketResponse>('POST', '/api/tickets', { purpose }),
    users: () => request<UsersResponse>('GET', '/api/users'),
    createUser: (body: CreateUserRequest) => request<CreateUserResponse>('POST', '/api/users', body),
    disableUser: (userId: string) => request<UserResponse>('POST', `/api/users/${id(userId)}/disable`, {}),
    enableUser: (userId: string) => request<UserResponse>('POST', `/api/users/${id(userId)}/enable`, {}),
    unlockUser: (userId: string) => request<UserResponse>('POST', `/api/users/${id(userId)}/unlock`, {}),
    resetPin: (userId: string, body: ResetPinRequest) => request<UserResponse>('PUT', `/api/users/${id(userId)}/pin`, body),
    audit: (params: { action?: string; limit?: number } = {}) => request<AuditResponse>('GET', `/api/audit${queryString(params)}`),
    config: () => request<ConfigResponse>('GET', '/api/config'),
    updateConfig: (patch: ConfigView) => request<ConfigResponse>('PUT', '/api/config', patch),

    // --- checkout ---
    /** Checks one scanned code (GS as U+001D) and adds it to the basket if it may be sold. */
    scan: (body: ScanRequest) => request<ScanResponse>('POST', '/api/checkout/scan', body),
    /** The open basket (lines, refusals, total, shift). */
    basket: () => request<BasketView>('GET', '/api/checkout/basket'),
    /** Removes one line of the open basket. */
    removeLine: (lineId: string) => request<{ basket: BasketView }>('DELETE', `/api/checkout/lines/${id(lineId)}`),
    /** Sets the unit price of a line (minor units). */
    setPrice: (lineId: string, price: number) => request<{ basket: BasketView }>('PUT', `/api/checkout/lines/${id(lineId)}/price`, { price }),
    /** Empties the open basket (nothing is recorded). */
    cancelBasket: () => request<{ basket: BasketView }>('POST', '/api/checkout/cancel', {}),
    /** Completes the sale of the open basket. */
    pay: (body: PayRequest) => request<CompleteResponse>('POST', '/api/checkout/pay', body),
    /** A return against a committed sale. */
    returnItems: (body: ReturnRequest) => request<CompleteResponse>('POST', '/api/checkout/return', body),
    returnSales: (query: ReturnSalesQuery = {}) => request<ReturnSalesResponse>('GET', `/api/checkout/returns/sales${queryString(query)}`),
    /** A manager's override of a refusal. */
    override: (body: OverrideRequest) => request<OverrideResponse>('POST', '/api/checkout/override', body),
    receipt: (documentId: string) => request<ReceiptResponse>('GET', `/api/receipts/${id(documentId)}`),
    /** The rendered receipt as a PNG (404 until printed). */
    receiptPng: (documentId: string) => download(`/api/receipts/${id(documentId)}/png`, 'image/png'),
    reprint: (documentId: string) => request<{ print: PrintView }>('POST', `/api/receipts/${id(documentId)}/print`, {}),
    currentShift: () => request<ShiftResponse>('GET', '/api/shifts/current'),
    openShift: (body: OpenShiftRequest = {}) => request<ShiftResponse>('POST', '/api/shifts/open', body),
    moveCash: (body: CashRequest) => request<CashResponse>('POST', '/api/shifts/cash', body),
    printXReport: () => request<ShiftReportResponse>('POST', '/api/shifts/x/print', {}),
    closeShift: () => request<ShiftReportResponse>('POST', '/api/shifts/close', {}),
    xReport: () => request<ShiftReportResponse>('GET', '/api/shifts/x'),

    // --- sync, sales, overrides, privacy, charts ---
    /** Sync health for the manager's dashboard and the offline banner. */
    syncStatus: () => request<SyncDashboard>('GET', '/api/sync/status'),
    syncNow: () => request<SyncNowResponse>('POST', '/api/sync/now', {}),
    retry: (outboxId: number) => request<SyncRetryResponse>('POST', `/api/sync/retry/${id(outboxId)}`, {}),
    sales: (query: SalesQuery = {}) => request<SalesResponse>('GET', `/api/sales${queryString(query)}`),
    salesCsv: (query: SalesCsvQuery = {}) => download(`/api/sales.csv${queryString({ ...query, limit: query.limit ?? 10_000 })}`, 'text/csv'),
    salesLinesCsv: (query: SalesCsvQuery = {}) => download(`/api/sales/lines.csv${queryString({ ...query, limit: query.limit ?? 10_000 })}`, 'text/csv'),
    sale: (saleId: string) => request<SaleDetailResponse>('GET', `/api/sales/${id(saleId)}`),
    overrides: (limit = 200) => request<OverridesResponse>('GET', `/api/overrides${queryString({ limit })}`),
    consents: () => request<ConsentsResponse>('GET', '/api/privacy/consents'),
    withdrawConsent: (consentId: string) => request<PurgeResponse>('POST', `/api/privacy/consents/${id(consentId)}/withdraw`, {}),
    purge: () => request<PurgeResponse>('POST', '/api/privacy/purge', {}),
    stats: (query: StatsQuery = {}) => request<StatsResponse>('GET', `/api/stats${queryString(query)}`),

    // --- cache ---
    cache: () => request<CacheResponse>('GET', '/api/cache'),
    /** Uploads an NDJSON feed file; `full` replaces the cache, else it is a delta. */
    importCache: (file: Blob, full: boolean, onProgress?: UploadProgress) =>
      upload<CacheImportResponse>(`/api/cache/import${queryString({ full: full ? '1' : '0' })}`, file, 'application/x-ndjson', onProgress),
    resync: () => request<CacheResyncResponse>('POST', '/api/cache/resync', {}),

    // --- devices ---
    devices: () => request<DevicesResponse>('GET', '/api/devices'),
    discover: () => request<DiscoverResponse>('GET', '/api/devices/discover'),
    assignDevice: (body: AssignDeviceRequest) => request<DeviceResponse>('POST', '/api/devices', body),
    configureDevice: (deviceId: string, body: ConfigureDeviceRequest) => request<DeviceResponse>('PATCH', `/api/devices/${id(deviceId)}`, body),
    removeDevice: (deviceId: string) => request<{ ok: true }>('DELETE', `/api/devices/${id(deviceId)}`),
    testScan: (body: TestScanRequest) => request<TestScanResponse>('POST', '/api/devices/test-scan', body),
    testPrint: (body: TestPrintRequest = {}) => request<TestPrintResponse>('POST', '/api/devices/test-print', body),

    // --- maintenance ---
    registryTest: () => request<RegistryTestResponse>('POST', '/api/registry/test', {}),
    logs: (query: LogsQuery = {}) => request<LogsResponse>('GET', `/api/logs${queryString(query)}`),
    diagnostics: () => request<DiagnosticsBundle>('GET', '/api/diagnostics'),
    trainingState: () => request<{ training: TrainingView | null }>('GET', '/api/training'),
    training: (body: TrainingControlRequest) => request<TrainingControlResponse>('POST', '/api/training/emulators', body),
  };
}

/** Offers a Blob to the user as a file download (the browser's own "save" flow). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the download a moment to start before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
