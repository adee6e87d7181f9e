/**
 * Providers from the configuration's `registry.marking` list (src/config.ts validates the shapes;
 * these are the same shapes as plain types, since the registry layer does not read the config).
 */
import type { Clock } from '../../clock.ts';
import { createMarkingClient, type MarkingRegistryClient } from './client.ts';
import { createLocalModuleProvider } from './local-module.ts';
import type { MarkingProvider } from './provider.ts';
import { tanbaFeedProvider } from './tanba-feed.ts';
import { createTrueApiProvider } from './true-api.ts';
import { createXtraceProvider } from './xtrace.ts';

/** One entry of `registry.marking`. */
export type ProviderConfig =
  | { kind: 'xtrace'; url: string; login?: string; password?: string; apiKey?: string; caFile?: string }
  | { kind: 'true-api'; discoveryUrl: string; apiKey: string; fiscalDriveNumber?: string; caFile?: string }
  | { kind: 'local-module'; url: string; user: string; password: string; clientId?: string; caFile?: string }
  | { kind: 'tanba-feed'; url: string; token?: string; caFile?: string };

/** What building a provider may need besides its entry. */
export interface ProviderContext {
  clock?: Clock;
  /** Budget of one online check, ms (the tanba-feed client's own timeout). */
  checkTimeoutMs?: number;
  /** The feed client the puller uses, shared with the first tanba-feed entry. */
  feedClient?: MarkingRegistryClient | null;
  /** Local module: status poll interval (tests). */
  localModulePollMs?: number;
}

/**
 * Builds one provider. `index` names the entry in messages (`registry.marking[2].url`).
 * @throws MarkingConfigError for an unusable entry (bad URL, plain http to another host, missing credentials).
 */
export function createProvider(entry: ProviderConfig, index: number, ctx: ProviderContext = {}): MarkingProvider {
  const where = `registry.marking[${index}]`;
  const clock = ctx.clock !== undefined ? { clock: ctx.clock } : {};
  switch (entry.kind) {
    case 'xtrace':
      return createXtraceProvider({ ...entry, ...clock, where });
    case 'true-api':
      return createTrueApiProvider({ ...entry, ...clock, where });
    case 'local-module':
      return createLocalModuleProvider({ ...entry, ...clock, where, ...(ctx.localModulePollMs !== undefined ? { pollMs: ctx.localModulePollMs } : {}) });
    case 'tanba-feed': {
      const shared = ctx.feedClient != null && ctx.feedClient.url === new URL(entry.url.endsWith('/') ? entry.url : `${entry.url}/`).href;
      const client = shared ? ctx.feedClient as MarkingRegistryClient : createMarkingClient({
        url: entry.url, ...(entry.token ? { token: entry.token } : {}), ...(entry.caFile ? { caFile: entry.caFile } : {}),
        ...(ctx.checkTimeoutMs !== undefined ? { checkTimeoutMs: ctx.checkTimeoutMs } : {}),
      });
      return tanbaFeedProvider(client, { shared });
    }
  }
}
