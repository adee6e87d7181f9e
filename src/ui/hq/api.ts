/**
 * Head office's API client: the routes of `tanba hq serve` (src/hub/hq-web.ts, typed in
 * src/server/contract/hq.ts) over the register UI's transport (bearer token, one error type).
 */
import type { HqRegisterDocuments, HqSessionView, HqStatusQuery, HqStatusView } from '../../server/contract/index.ts';
import { queryString } from '../shared/api.ts';
import { createTransport, type ApiOptions } from '../shared/transport.ts';

/** The client; see {@link createHqApi}. */
export type HqApi = ReturnType<typeof createHqApi>;

/** Builds the client. */
export function createHqApi(options: ApiOptions) {
  const { request, download } = createTransport(options);
  const id = (value: string) => encodeURIComponent(value);
  return {
    session: () => request<HqSessionView>('GET', '/api/hq/session'),
    status: (query: HqStatusQuery) => request<HqStatusView>('GET', `/api/hq/status${queryString(query)}`),
    statusCsv: (query: HqStatusQuery) => download(`/api/hq/status.csv${queryString(query)}`, 'text/csv'),
    register: (store: string, register: string, before?: number) =>
      request<HqRegisterDocuments>('GET', `/api/hq/registers/${id(store)}/${id(register)}${before === undefined ? '' : `?before=${before}`}`),
  };
}
