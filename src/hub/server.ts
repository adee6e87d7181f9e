/**
 * nats-server for a store (a leaf node with its own JetStream domain = the store id, a leafnode
 * remote to head office) or for the head-office hub (JetStream domain `hub`, a leafnode listener).
 * `storeServerConfig` / `hubServerConfig` write the file anyone can run with
 * `nats-server -c FILE`; `startNatsServer` runs it and restarts it when it dies (`tanba hub run`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../files.ts';
import { HUB_DOMAIN, storeDomain } from './names.ts';

/** Where a server listens and keeps its data. */
export interface ServerPlace {
  /** Directory for the config file and the JetStream store. */
  dir: string;
  host?: string;
  /** Client port. */
  port: number;
  /** Monitoring port (0 = none). */
  httpPort?: number;
}

const quote = (s: string): string => JSON.stringify(s);

/** The config of a store's leaf node; `hubLeafUrls` are the hub's leafnode URLs (none: a store alone). */
export function storeServerConfig(store: string, place: ServerPlace, hubLeafUrls: readonly string[] = []): string {
  const lines = [
    `server_name: ${quote(`tanba-store-${store}`)}`,
    `listen: ${quote(`${place.host ?? '0.0.0.0'}:${place.port}`)}`,
    ...(place.httpPort ? [`http_port: ${place.httpPort}`] : []),
    `jetstream { store_dir: ${quote(join(place.dir, 'jetstream'))}, domain: ${quote(storeDomain(store))} }`,
  ];
  if (hubLeafUrls.length > 0) lines.push(`leafnodes { reconnect: 1, remotes: [ { urls: [${hubLeafUrls.map(quote).join(', ')}] } ] }`);
  return `${lines.join('\n')}\n`;
}

/** A hub node's place in a cluster of hub nodes (docs/scale.md: 3–5 nodes, streams with 3 replicas). */
export interface HubClusterPlace {
  /** This node's server_name, unique in the cluster. */
  name: string;
  /** Where the other hub nodes route to this one. */
  port: number;
  /** The other nodes' route URLs, e.g. nats://hq2.example:6222 (this node's own URL may be listed too). */
  routes: readonly string[];
  /** The cluster's name, the same on every node (default `tanba-hub`). */
  clusterName?: string;
}

/**
 * The config of the head-office hub; `leafPort` is where store leaf nodes connect (every node of
 * a cluster listens for them). Without `cluster` it is the single node `tanba-hub`.
 */
export function hubServerConfig(place: ServerPlace & { leafPort: number; cluster?: HubClusterPlace }): string {
  const host = place.host ?? '0.0.0.0';
  const c = place.cluster;
  return [
    `server_name: ${quote(c?.name ?? 'tanba-hub')}`,
    `listen: ${quote(`${host}:${place.port}`)}`,
    ...(place.httpPort ? [`http_port: ${place.httpPort}`] : []),
    `jetstream { store_dir: ${quote(join(place.dir, 'jetstream'))}, domain: ${quote(HUB_DOMAIN)} }`,
    `leafnodes { listen: ${quote(`${host}:${place.leafPort}`)} }`,
    ...(c ? [`cluster { name: ${quote(c.clusterName ?? 'tanba-hub')}, listen: ${quote(`${host}:${c.port}`)}, routes: [${c.routes.map(quote).join(', ')}] }`] : []),
  ].join('\n') + '\n';
}

/**
 * Writes a config into `dir` and returns its path: atomically (a supervised nats-server restarted
 * while `tanba hub run` rewrites the file reads the old config or the new one, never half of one).
 */
export function writeServerConfig(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileAtomic(file, text);
  return file;
}

/** A supervised nats-server. */
export interface NatsServerProcess {
  readonly configFile: string;
  /** Resolves when the server accepts clients. */
  ready(): Promise<void>;
  /** Stops it (and its supervision). */
  stop(): Promise<void>;
  readonly pid: () => number | undefined;
}

/**
 * Runs `nats-server -c configFile` (binary: TANBA_NATS_SERVER or `nats-server` on PATH) and
 * restarts it after `restartMs` when it exits unexpectedly (`supervise: false` for tests that
 * stop and start servers themselves).
 */
export function startNatsServer(configFile: string, options: { bin?: string; supervise?: boolean; restartMs?: number; onLog?: (line: string) => void } = {}): NatsServerProcess {
  const bin = options.bin ?? process.env.TANBA_NATS_SERVER ?? 'nats-server';
  let child: ChildProcess | null = null;
  let stopping = false;
  let readyResolve: () => void = () => undefined;
  let readyReject: (e: Error) => void = () => undefined;
  const readyP = new Promise<void>((res, rej) => { readyResolve = res; readyReject = rej; });
  function run(): void {
    const c = spawn(bin, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = c;
    let buf = '';
    const onData = (d: Buffer): void => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        options.onLog?.(line);
        if (/Server is ready/.test(line)) readyResolve();
      }
    };
    c.stdout?.on('data', onData);
    c.stderr?.on('data', onData);
    c.on('error', (err) => readyReject(new Error(`cannot start ${bin}: ${err.message} (install nats-server or set TANBA_NATS_SERVER)`)));
    c.on('exit', (code) => {
      if (child === c) child = null;
      if (stopping) return;
      readyReject(new Error(`nats-server exited with code ${code}`));
      if (options.supervise !== false) setTimeout(() => { if (!stopping) run(); }, options.restartMs ?? 1_000);
    });
  }
  run();
  return {
    configFile,
    ready: () => readyP,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      const c = child;
      if (c === null || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        setTimeout(() => c.kill('SIGKILL'), 5_000).unref();
      });
    },
  };
}
