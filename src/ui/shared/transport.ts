/**
 * How the API client talks to the server (src/ui/shared/api.ts holds one function per
 * endpoint): the bearer token on every call, JSON in and out, downloads, uploads with progress,
 * and one error type (ApiFailure) for the server's error body, a bad answer or a lost network.
 */

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

/** An HTTP method the API uses. */
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Progress of an upload: bytes sent of the total. */
export type UploadProgress = (sent: number, total: number) => void;

/** The calls every endpoint is made of. */
export interface Transport {
  /** A JSON call; the answer parsed (undefined for an empty body). */
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
  /** A GET whose body is a file (CSV, PNG): fetched with the bearer token, never with it in the URL. */
  download(path: string, accept: string): Promise<Blob>;
  /** Uploads a file as the raw request body with progress; the answer is parsed like any other. */
  upload<T>(path: string, file: Blob, contentType: string, onProgress?: UploadProgress): Promise<T>;
}

/** Builds the transport of one client. */
export function createTransport(options: ApiOptions): Transport {
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

  return { request, download, upload };
}
