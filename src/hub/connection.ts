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
  const listeners: (() => void)[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      if (s.type === 'disconnect') up = false;
      else if (s.type === 'reconnect') {
        up = true;
        for (const fn of listeners) fn();
      }
    }
  })().catch(() => undefined);
  void nc.closed().then(() => { up = false; });
  return {
    nc,
    connected: () => up && !nc.isClosed(),
    onReconnect(fn) { listeners.push(fn); },
    async close() {
      up = false;
      if (!nc.isClosed()) await nc.drain().catch(() => nc.close());
    },
  };
}
