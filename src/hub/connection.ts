/**
 * One connection to the store's NATS, watched: `connected()` is what the guard asks before
 * reserving (a disconnected client would buffer the request and make the sale wait).
 */
import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';

/** Where and how to connect. */
export interface NatsTarget {
  servers: readonly string[];
  credentials?: string | undefined;
}

/** A watched connection. */
export interface StoreConnection {
  readonly nc: NatsConnection;
  connected(): boolean;
  /** Since when (ms since the epoch) the connection is down; null while it is up. */
  downSince(): number | null;
  /** Called on every (re)connection (reconciliation runs then). */
  onReconnect(fn: () => void): void;
  close(): Promise<void>;
}

/**
 * Connects once within `timeoutMs` (rejects when nothing answers). `reconnect: false` for a
 * short CLI run; the server's register keeps reconnecting for ever.
 */
export async function openStoreConnection(target: NatsTarget, options: { timeoutMs: number; reconnect: boolean; name: string }): Promise<StoreConnection> {
  const nc = await connect({
    servers: [...target.servers], timeout: options.timeoutMs, name: options.name,
    reconnect: options.reconnect, maxReconnectAttempts: -1, reconnectTimeWait: 500, pingInterval: 5_000,
    ...(target.credentials ? { authenticator: credsAuthenticator(readFileSync(target.credentials)) } : {}),
  });
  let up = true;
  let downAt: number | null = null;
  const listeners: (() => void)[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') {
        up = false;
        downAt ??= Date.now();
      } else if (s.type === 'reconnect') {
        up = true;
        downAt = null;
        for (const fn of listeners) fn();
      }
    }
  })().catch(() => undefined);
  void nc.closed().then(() => { up = false; downAt ??= Date.now(); });
  return {
    nc,
    connected: () => up && !nc.isClosed(),
    downSince: () => (up && !nc.isClosed() ? null : downAt ?? Date.now()),
    onReconnect(fn) { listeners.push(fn); },
    async close() {
      up = false;
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
