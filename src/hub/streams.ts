/**
 * The streams: the store's stream on its leaf (documents, heartbeats, status deltas), the hub's
 * `TANBA_HQ` that sources every store's stream from the leaf's JetStream domain, and the
 * head-office configuration stream per store group. Creating is idempotent: every lane and the
 * `hub run` process ensure what they use.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { openStoreConnection } from './connection.ts';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { configStream, configSubject, heartbeatStream, HQ_HB_STREAM, HQ_STREAM, HUB_DOMAIN, storeDomain, storeStream, storeSubjects } from './names.ts';

const DAY_NS = nanos(86_400_000);

/** Adds a stream, or updates it when its configuration differs (never loses messages). */
async function ensure(jsm: JetStreamManager, config: Partial<StreamConfig> & { name: string }): Promise<void> {
  try {
    await jsm.streams.info(config.name);
    await jsm.streams.update(config.name, config).catch(() => undefined);
  } catch {
    await jsm.streams.add(config);
  }
}

/**
 * The store's stream: kept 30 days (the store's WAN may be down that long and still drain), the
 * de-duplication window a day (a lane restarted after a crash resends what it had not marked sent).
 */
export async function ensureStoreStream(jsm: JetStreamManager, store: string, group?: string, maxAgeMs = 30 * 86_400_000): Promise<void> {
  // The store group's head-office updates are sourced from the hub's domain (buffered here).
  const sources = group === undefined ? {} : { sources: [{ name: configStream(group), domain: HUB_DOMAIN }] };
  // nats-server refuses a de-duplication window longer than the max age.
  const maxAge = nanos(maxAgeMs);
  await ensure(jsm, { name: storeStream(store), subjects: storeSubjects(store), max_age: maxAge, duplicate_window: Math.min(DAY_NS, maxAge), ...sources });
  await ensure(jsm, { name: heartbeatStream(store), subjects: [`tanba.hb.${store}.>`], max_msgs_per_subject: 1, max_age: 30 * DAY_NS });
}

/**
 * The hub's streams sourcing each store's documents and heartbeats from its leaf domain (WAN
 * outages drain later). `replicas` (3 on a hub cluster) is set when a stream is created; an
 * existing stream keeps its own.
 */
export async function ensureHqStream(jsm: JetStreamManager, stores: readonly string[], replicas = 1): Promise<void> {
  // Only the documents: a store's status feeds (snapshots in parts) and the updates it sources from the hub stay in the store.
  await ensureSourced(jsm, HQ_STREAM, stores.map((s) => ({ name: storeStream(s), domain: storeDomain(s), filter_subject: `tanba.doc.${s}.>` })), { max_age: 90 * DAY_NS, duplicate_window: DAY_NS, num_replicas: replicas });
  await ensureSourced(jsm, HQ_HB_STREAM, stores.map((s) => ({ name: heartbeatStream(s), domain: storeDomain(s) })), { max_msgs_per_subject: 1, max_age: 30 * DAY_NS, num_replicas: replicas });
}

/** A sourcing stream: created, or its missing sources added (read-modify-write of the source list). */
async function ensureSourced(jsm: JetStreamManager, name: string, wanted: { name: string; domain: string; filter_subject?: string }[], limits: Partial<StreamConfig>): Promise<void> {
  try {
    const info = await jsm.streams.info(name);
    const have = new Set((info.config.sources ?? []).map((s) => s.name));
    const missing = wanted.filter((s) => !have.has(s.name));
    if (missing.length === 0) return;
    const kept = (info.config.sources ?? []).map((s) => ({ name: s.name, domain: storeDomainOf(s.name), ...(s.filter_subject ? { filter_subject: s.filter_subject } : {}) }));
    const sources = [...kept, ...missing];
    await jsm.streams.update(name, { sources });
  } catch (err) {
    if (!/not found/i.test(String(err))) throw err;
    await jsm.streams.add({ name, sources: wanted, ...limits });
  }
}

function storeDomainOf(stream: string): string {
  return stream.replace(/^TANBA_(HB_)?/, '');
}

/** Head office's configuration / catalogue updates for one store group (kept a year). */
export function ensureConfigStream(jsm: JetStreamManager, group: string): Promise<void> {
  return ensure(jsm, { name: configStream(group), subjects: [configSubject(group)], max_age: 365 * DAY_NS });
}

/**
 * Connects to the hub and makes TANBA_HQ source the given stores (`tanba hub run --hub --stores`);
 * `replicas` for streams created now (`--replicas`, 3 on a hub cluster).
 */
export async function sourceStores(hubUrl: string, stores: readonly string[], replicas = 1): Promise<void> {
  const conn = await openStoreConnection({ servers: [hubUrl] }, { timeoutMs: 5_000, reconnect: false, name: 'tanba hq setup' });
  try {
    await ensureHqStream(await jetstreamManager(conn.nc, { timeout: 5_000 }), stores, replicas);
  } finally {
    await conn.close();
  }
}

/** Publishes a head-office update to a store group (ensuring the group's stream on the hub). */
export async function publishToGroup(hubUrl: readonly string[], group: string, publish: (js: ReturnType<typeof jetstream>) => Promise<number>): Promise<number> {
  const conn = await openStoreConnection({ servers: hubUrl }, { timeoutMs: 5_000, reconnect: false, name: 'tanba hq publish' });
  try {
    await ensureConfigStream(await jetstreamManager(conn.nc, { timeout: 5_000 }), group);
    return await publish(jetstream(conn.nc, { timeout: 10_000 }));
  } finally {
    await conn.close();
  }
}
