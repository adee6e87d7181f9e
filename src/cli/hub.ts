/**
 * `tanba hub ...`: a lane's view of its store (status, reconcile, conflicts) and `hub run`, which
 * writes a nats-server configuration for a store leaf node (or the head-office hub) and runs and
 * supervises it. The file it writes can as well be run by hand: `nats-server -c FILE`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HubConflict } from '../store/index.ts';
import { hubServerConfig, sourceStores, type HubClusterPlace, startNatsServer, storeServerConfig, writeServerConfig } from '../hub/index.ts';
import { openRegister, type CliRegister, type OpenOptions } from './register.ts';
import { intFlag, readAll, stringFlag, UsageError, write, type CliContext, type Command } from './types.ts';

/**
 * A lane's status, conflicts and reconcile read this register's sales: none yet is an error, not a
 * new register. Publishing a status delta reads nothing of the register's own (`emptyWhenMissing`).
 */
function laneRegister(ctx: CliContext, options: OpenOptions = { existing: true }): CliRegister & { hub: NonNullable<CliRegister['hub']> } {
  const reg = openRegister(ctx, options);
  if (reg.hub === null) {
    reg.close();
    throw new UsageError('this register has no store NATS: set store.id and store.nats.servers in its configuration (see README, "A store")');
  }
  return reg as CliRegister & { hub: NonNullable<CliRegister['hub']> };
}

async function withLane<T>(ctx: CliContext, fn: (reg: CliRegister & { hub: NonNullable<CliRegister['hub']> }) => Promise<T>, options?: OpenOptions): Promise<T> {
  const reg = laneRegister(ctx, options);
  try {
    await reg.hub.connectOnce();
    return await fn(reg);
  } finally {
    await reg.hub.stop();
    reg.close();
  }
}

const conflictLine = (c: HubConflict): string =>
  `${c.cis}  first: ${c.first.store}/${c.first.register} sale ${c.first.saleId} at ${c.first.at}  second: ${c.second.store}/${c.second.register} sale ${c.second.saleId} at ${c.second.at}`;

export const hubStatusCommand: Command = {
  async run(ctx, args) {
    return withLane(ctx, async (reg) => {
      const s = { ...reg.hub.status(), statusDownloadBy: await reg.hub.statusDownloader() };
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify(s)}\n`);
      else {
        await write(ctx.stdout, [
          `store ${s.store}, lane ${s.register}: ${s.connected ? 'connected' : 'NOT CONNECTED'} (${s.servers.join(', ')})`,
          `status feed downloaded for the store by: ${s.statusDownloadBy ?? 'no lane now'}${s.pullsFeedItself ? ' (this lane pulls it itself until a fresh snapshot from the store applies)' : ''}`,
          `unguarded sales to reconcile: ${s.unguarded}`, `cross-lane conflicts: ${s.conflicts}`,
          `documents waiting for head office: ${s.queue}${s.oldestUnpublished ? ` (oldest ${s.oldestUnpublished})` : ''}`,
        ].join('\n') + '\n');
      }
      return 0;
    });
  },
};

export const hubReconcileCommand: Command = {
  async run(ctx, args) {
    return withLane(ctx, async (reg) => {
      const r = await reg.hub.reconcile();
      const s = reg.hub.status();
      const out = { store: s.store, register: s.register, connected: r.connected, confirmed: r.confirmed, published: r.published, unguarded: s.unguarded, conflicts: r.conflicts.map(({ id: _id, ...c }) => c) };
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify(out)}\n`);
      else {
        const lines = [r.connected ? `confirmed ${r.confirmed} code(s), published ${r.published} document(s); ${s.unguarded} unguarded sale(s) left` : 'the store NATS is unreachable: nothing reconciled'];
        for (const c of r.conflicts) lines.push(`CONFLICT ${conflictLine({ ...c, id: 0 })}`);
        await write(ctx.stdout, `${lines.join('\n')}\n`);
      }
      return r.connected ? 0 : 1;
    });
  },
};

export const hubConflictsCommand: Command = {
  async run(ctx, args) {
    const reg = laneRegister(ctx);
    try {
      const list = reg.hub.conflicts();
      if (args.flags.json === true) await write(ctx.stdout, `${JSON.stringify({ conflicts: list })}\n`);
      else await write(ctx.stdout, list.length === 0 ? 'no conflicts\n' : `${list.map(conflictLine).join('\n')}\n`);
      return 0;
    } finally {
      reg.close();
    }
  },
};

const CLUSTER_FLAGS = ['name', 'cluster-port', 'route', 'replicas'] as const;

/** `--name N --cluster-port P --route URL...`: this hub node's place in a hub cluster, or none (one node). */
function hubCluster(args: Parameters<Command['run']>[1]): HubClusterPlace | undefined {
  const name = stringFlag(args, 'name');
  const routes = (args.flags.route as string[] | undefined) ?? [];
  if (name === undefined && args.flags['cluster-port'] === undefined && routes.length === 0) return undefined;
  if (name === undefined || !/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`a hub cluster node needs --name N (letters, digits, . _ -), unique in the cluster${name === undefined ? '' : `, got '${name}'`}`);
  if (args.flags['cluster-port'] === undefined) throw new UsageError('a hub cluster node needs --cluster-port P (where the other hub nodes route to it)');
  for (const r of routes) if (!/^nats(-route)?:\/\/[^\s/]+:\d+$/.test(r)) throw new UsageError(`--route must be nats://HOST:PORT (another hub node's cluster port), got '${r}'`);
  return { name, port: intFlag(args, 'cluster-port', 6222, 0, 65535), routes };
}

/** Makes TANBA_HQ source the stores, retrying while a hub cluster is still electing its JetStream leader. */
async function sourceStoresWhenReady(url: string, stores: readonly string[], replicas: number, waitMs: number): Promise<void> {
  const end = Date.now() + waitMs;
  for (;;) {
    try {
      await sourceStores(url, stores, replicas);
      return;
    } catch (err) {
      if (waitMs === 0) throw err;
      if (Date.now() > end) throw new Error(`cannot create the hub's streams with ${replicas} replica(s): ${err instanceof Error ? err.message : String(err)} (are enough hub nodes running and routed?)`, { cause: err });
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

export const hubRunCommand: Command = {
  async run(ctx, args) {
    const port = intFlag(args, 'port', 4222, 0, 65535);
    const dir = stringFlag(args, 'dir') ?? join(ctx.dataDir, 'nats');
    let text: string;
    let name: string;
    let replicas = 1;
    let cluster: HubClusterPlace | undefined;
    if (args.flags.hub === true) {
      cluster = hubCluster(args);
      // A cluster keeps the hub's streams on 3 nodes (docs/scale.md); one node can hold only 1 replica.
      replicas = intFlag(args, 'replicas', cluster ? 3 : 1, 1, 5);
      text = hubServerConfig({ dir, port, leafPort: intFlag(args, 'leaf-port', 7422, 0, 65535), ...(cluster ? { cluster } : {}) });
      name = cluster ? `hub-${cluster.name}.conf` : 'hub.conf';
    } else {
      const wrong = CLUSTER_FLAGS.find((f) => args.flags[f] !== undefined);
      if (wrong !== undefined) throw new UsageError(`--${wrong} is for a hub node: add --hub`);
      const store = stringFlag(args, 'store') ?? ctx.config().store.id;
      if (store === undefined) throw new UsageError('give --store ID (or set store.id in the configuration)');
      const urls = (args.flags['hub-url'] as string[] | undefined) ?? [];
      text = storeServerConfig(store, { dir, port }, urls);
      name = `store-${store}.conf`;
    }
    if (args.flags['print-config'] === true) { await write(ctx.stdout, text); return 0; }
    const file = writeServerConfig(dir, name, text);
    const server = startNatsServer(file, { onLog: (line) => { ctx.stderr.write(`${line}\n`); } });
    await server.ready();
    const stores = (stringFlag(args, 'stores') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    if (args.flags.hub === true && stores.length > 0) await sourceStoresWhenReady(`nats://127.0.0.1:${port}`, stores, replicas, cluster ? 120_000 : 0);
    await write(ctx.stdout, `nats-server running with ${file} (client port ${port}); Ctrl-C stops it\n`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
    await server.stop();
    return 0;
  },
};

export const hubPublishStatusCommand: Command = {
  async run(ctx, args) {
    const [file] = args.positionals;
    if (file === undefined) throw new UsageError('give the delta file (NDJSON feed lines, "-" for standard input)');
    const text = file === '-' ? (await readAll(ctx.stdin)).toString('utf8') : readFileSync(file, 'utf8');
    if (!/^\{"type":"delta"/.test(text.trimStart())) throw new UsageError(`${file}: a status delta starts with {"type":"delta","from":CURSOR}`);
    return withLane(ctx, async (reg) => {
      const seq = await reg.hub.publishStatus(text, stringFlag(args, 'id'));
      await write(ctx.stdout, `published as ${reg.hub.status().store} status delta ${seq}\n`);
      return 0;
    }, { emptyWhenMissing: true });
  },
};
