/**
 * Defences of the loopback API against other web pages in the same browser:
 * - DNS rebinding: a page from evil.example that re-resolves its name to 127.0.0.1 sends
 *   `Host: evil.example` — only our own host names are accepted.
 * - CSRF: state-changing requests must carry an Origin of our own (or none, for non-browser
 *   clients such as the CLI and tests); authentication is a bearer header, never a cookie, so a
 *   foreign page cannot ride on a session anyway.
 */

/** Host names the API answers to, besides those configured. */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Builds the allow-list of `host:port` values for a server bound to `host` on `port`. */
export function allowedHosts(bindHost: string, port: number, extra: readonly string[] = []): Set<string> {
  const names = new Set<string>([...LOOPBACK_NAMES, ...extra]);
  if (bindHost !== '0.0.0.0' && bindHost !== '::') names.add(bindHost.includes(':') && !bindHost.startsWith('[') ? `[${bindHost}]` : bindHost);
  const out = new Set<string>();
  for (const n of names) {
    out.add(`${n}:${port}`.toLowerCase());
    if (port === 80) out.add(n.toLowerCase());
  }
  return out;
}

/** True when the Host header names this server. */
export function isAllowedHost(host: string | undefined, allowed: ReadonlySet<string>): boolean {
  return host !== undefined && allowed.has(host.toLowerCase());
}

/** True when an Origin header (if any) is this server's own. */
export function isAllowedOrigin(origin: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return allowed.has(url.host.toLowerCase());
}
