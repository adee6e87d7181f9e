// Real nats-server processes for the hub tests: configs from src/hub (the same files `tanba hub
// run` writes), ephemeral ports, JetStream stores in mkdtemp directories; stop() kills them.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubServerConfig, startNatsServer, storeServerConfig, writeServerConfig, type NatsServerProcess } from '../../src/hub/index.ts';

/** A free TCP port on loopback (asked of the OS, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** A running test server that can be stopped and started again on the same port and data. */
export interface TestNats {
  url: string;
  port: number;
  leafUrl?: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  done(): Promise<void>;
}

async function running(dir: string, name: string, text: string, port: number, extra: { leafUrl?: string } = {}): Promise<TestNats> {
  const file = writeServerConfig(dir, name, text);
  let proc: NatsServerProcess | null = null;
  const t: TestNats = {
    url: `nats://127.0.0.1:${port}`, port, ...extra,
    async start() {
      proc = startNatsServer(file, { supervise: false });
      await proc.ready();
    },
    async stop() {
      await proc?.stop();
      proc = null;
    },
    async done() {
      await t.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await t.start();
  return t;
}

/** Head office's hub (JetStream domain hub) with a leaf node listener. */
export async function startHub(): Promise<TestNats> {
  const dir = mkdtempSync(join(tmpdir(), 'tanba-hub-'));
  const port = await freePort();
  const leafPort = await freePort();
  return running(dir, 'hub.conf', hubServerConfig({ dir, host: '127.0.0.1', port, leafPort }), port, { leafUrl: `nats-leaf://127.0.0.1:${leafPort}` });
}

/** A store's leaf node (JetStream domain = store id), connected to `hub` when given. */
export async function startStore(store: string, hub?: TestNats): Promise<TestNats> {
  const dir = mkdtempSync(join(tmpdir(), `tanba-store-${store}-`));
  const port = await freePort();
  return running(dir, `store-${store}.conf`, storeServerConfig(store, { dir, host: '127.0.0.1', port }, hub?.leafUrl ? [hub.leafUrl] : []), port);
}
