/**
 * Where head office's view is: the overview with its filters (`/?store=S&problems=1&silent=H`)
 * or one register (`/register/S1/L2`). The path is the state, so a view can be linked and the
 * browser's Back works; `tanba hq serve` answers both paths with the same page.
 */
import type { HqStatusQuery } from '../../server/contract/index.ts';

/** One view of the app. */
export type HqRoute = { kind: 'overview'; filter: HqStatusQuery } | { kind: 'register'; store: string; register: string };

/** The route of a path and query string. */
export function parseRoute(pathname: string, search: string): HqRoute {
  const m = /^\/register\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (m) {
    try {
      return { kind: 'register', store: decodeURIComponent(m[1]!), register: decodeURIComponent(m[2]!) };
    } catch {
      // A malformed escape: show the overview rather than nothing.
    }
  }
  const q = new URLSearchParams(search);
  const filter: HqStatusQuery = {};
  const store = q.get('store')?.trim();
  if (store) filter.store = store;
  if (q.get('problems') === '1') filter.problems = '1';
  const silent = q.get('silent');
  if (silent && /^\d+$/.test(silent)) filter.silent = Number(silent);
  return { kind: 'overview', filter };
}

/** The path (with query) of a route. */
export function routePath(route: HqRoute): string {
  if (route.kind === 'register') return `/register/${encodeURIComponent(route.store)}/${encodeURIComponent(route.register)}`;
  const q = new URLSearchParams();
  if (route.filter.store) q.set('store', route.filter.store);
  if (route.filter.problems) q.set('problems', '1');
  if (route.filter.silent !== undefined) q.set('silent', String(route.filter.silent));
  const s = q.toString();
  return s ? `/?${s}` : '/';
}
