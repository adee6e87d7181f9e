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
  MeResponse, NtinChoiceRequest, NtinChoiceResponse, OverrideRequest, OverrideResponse, OverridesResponse, PayRequest, PrintView, PurgeResponse, ReceiptResponse,
  RegistryTestResponse, ReturnRequest, ReturnSalesQuery, ReturnSalesResponse, SaleDetailResponse, SalesCsvQuery, SalesQuery, SalesResponse, ScanRequest, ScanResponse,
  SetupRequest, SetupState, ShiftReportResponse, ShiftResponse, StatsQuery, StatsResponse, SyncDashboard, SyncNowResponse,
  SyncRetryResponse, TestPrintRequest, TestPrintResponse, TestScanRequest, TestScanResponse, TrainingControlRequest,
  TrainingControlResponse, TrainingView, UsersResponse, ResetPinRequest, TicketPurpose, TicketResponse, UserResponse,
  UnprintedReceiptsResponse, OverrideAskResponse, OverrideAsksResponse,
} from '../../server/contract/index.ts';
import type { AddProductRequest, DiscountRequest, WedgeFraming, ParkedListResponse, ParkResponse, ProductSearchResponse, RecallResponse } from '../../server/contract/index.ts';

import { createTransport, type ApiOptions, type UploadProgress } from './transport.ts';

export { ApiFailure, type ApiOptions, type UploadProgress } from './transport.ts';

/** The client; see {@link createApi}. */
export type Api = ReturnType<typeof createApi>;

/** A query string from the defined, non-empty values (`?a=1&b=x`, or ''). */
export function queryString(params: object): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' ? v !== '' : typeof v === 'number' || typeof v === 'boolean') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Builds the client. */
export function createApi(options: ApiOptions) {
  const { request, download, upload } = createTransport(options);
  const id = (value: string | number) => encodeURIComponent(String(value));

  return {
    request,
    download,
    // --- session, setup, users, audit, configuration ---
    health: () => request<HealthResponse>('GET', '/api/health'),
    setupState: () => request<SetupState>('GET', '/api/setup'),
    /** The keyboard-wedge prefix / suffix the technician set (read before login). */
    wedge: () => request<WedgeFraming>('GET', '/api/wedge'),
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
    /** Products of the price list, the catalogue and the feed by name or barcode. */
    searchProducts: (q: string) => request<ProductSearchResponse>('GET', `/api/products${queryString({ q })}`),
    /** An unmarked product by barcode, with its quantity and a typed price. */
    addProduct: (body: AddProductRequest) => request<ScanResponse>('POST', '/api/checkout/add', body),
    /** Sets the quantity of a line of unmarked goods. */
    setQuantity: (lineId: string, quantity: number) => request<{ basket: BasketView }>('PUT', `/api/checkout/lines/${id(lineId)}/quantity`, { quantity }),
    /** A line discount (percent or new price), with a manager's name and PIN when the user may not alone. */
    discountLine: (lineId: string, body: DiscountRequest) => request<{ basket: BasketView }>('POST', `/api/checkout/lines/${id(lineId)}/discount`, body),
    parkBasket: () => request<ParkResponse>('POST', '/api/checkout/park', {}),
    parkedBaskets: () => request<ParkedListResponse>('GET', '/api/checkout/parked'),
    recallBasket: (parkedId: string) => request<RecallResponse>('POST', `/api/checkout/parked/${id(parkedId)}/recall`, {}),
    /** Empties the open basket (nothing is recorded). */
    cancelBasket: () => request<{ basket: BasketView }>('POST', '/api/checkout/cancel', {}),
    /** Completes the sale of the open basket. */
    pay: (body: PayRequest) => request<CompleteResponse>('POST', '/api/checkout/pay', body),
    /** A return against a committed sale. */
    returnItems: (body: ReturnRequest) => request<CompleteResponse>('POST', '/api/checkout/return', body),
    returnSales: (query: ReturnSalesQuery = {}) => request<ReturnSalesResponse>('GET', `/api/checkout/returns/sales${queryString(query)}`),
    /** A manager's override of a refusal. */
    override: (body: OverrideRequest) => request<OverrideResponse>('POST', '/api/checkout/override', body),
    /** The cashier's pick among a barcode's National Catalogue NTINs (remembered for the barcode). */
    ntinChoice: (body: NtinChoiceRequest) => request<NtinChoiceResponse>('POST', '/api/checkout/ntin-choice', body),
    /** Asks for the override on the approvers' own screens (no PIN at the till). */
    askOverride: (body: { refusalId: string; reason: string }) => request<OverrideAskResponse>('POST', '/api/checkout/override/requests', body),
    /** Approval requests waiting (managers, the administrator). */
    overrideAsks: () => request<OverrideAsksResponse>('GET', '/api/checkout/override/requests'),
    approveOverrideAsk: (askId: string) => request<OverrideResponse>('POST', `/api/checkout/override/requests/${id(askId)}/approve`, {}),
    declineOverrideAsk: (askId: string) => request<{ ok: true }>('POST', `/api/checkout/override/requests/${id(askId)}/decline`, {}),
    receipt: (documentId: string) => request<ReceiptResponse>('GET', `/api/receipts/${id(documentId)}`),
    /** The rendered receipt as a PNG (404 until printed). */
    receiptPng: (documentId: string) => download(`/api/receipts/${id(documentId)}/png`, 'image/png'),
    /** Committed documents whose receipt never printed (a crash between COMMIT and the printer, a printer fault). */
    unprintedReceipts: () => request<UnprintedReceiptsResponse>('GET', '/api/receipts/unprinted'),
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
