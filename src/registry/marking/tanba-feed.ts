/**
 * A Tanba feed from the store's head office as a provider: today's `POST /check` (client.ts) behind
 * the provider interface. Its status feed is pulled into the cache by the puller as before.
 */
import { performance } from 'node:perf_hooks';
import type { MarkingRegistryClient } from './client.ts';
import { shownUrl } from './http.ts';
import { notFoundFacts, type CodeQuery, type FailureReason, type MarkingProvider, type ProviderCheckOptions, type ProviderHealth, type ProviderOutcome, type ProviderTestResult } from './provider.ts';

function reasonOf(kind: 'timeout' | 'unavailable' | 'error', status: number | null): FailureReason {
  if (kind !== 'error') return kind;
  return status === 401 || status === 403 ? 'auth' : 'error';
}

/** Wraps a feed client; `close()` closes the client too unless `shared` (the puller uses it). */
export function tanbaFeedProvider(client: MarkingRegistryClient, options: { shared?: boolean } = {}): MarkingProvider {
  let lastError: string | null = null;
  const target = shownUrl(client.url);
  async function check(queries: readonly CodeQuery[], opts: ProviderCheckOptions): Promise<ProviderOutcome> {
    const remaining = opts.deadline !== undefined ? Math.max(1, Math.floor(opts.deadline - performance.now())) : undefined;
    const outcome = await client.check(queries.map((q) => q.code), { signal: opts.signal, ...(remaining !== undefined ? { timeoutMs: remaining } : {}) });
    if (outcome.kind !== 'answered') {
      lastError = `${outcome.kind}: ${outcome.reason}`;
      const reason = opts.signal.aborted ? 'timeout' : reasonOf(outcome.kind, outcome.status);
      return { kind: 'failed', provider: 'tanba-feed', reason, message: outcome.reason, transient: outcome.transient, status: outcome.status };
    }
    lastError = null;
    const facts = new Map(queries.map((q) => [q.cis, outcome.facts.get(q.cis) ?? notFoundFacts()]));
    return { kind: 'answered', provider: 'tanba-feed', requestId: outcome.requestId, requestTime: outcome.checkedAt, facts, unresolved: outcome.unresolved, offline: false };
  }
  return {
    kind: 'tanba-feed',
    target,
    check,
    async test(options = {}): Promise<ProviderTestResult> {
      const probe = options.probeCode ?? '0104870000000009215AAAAAAA';
      const t0 = performance.now();
      const outcome = await client.check([probe], { timeoutMs: options.timeoutMs ?? 5_000 });
      const ms = Math.round(performance.now() - t0);
      const ok = outcome.kind === 'answered';
      const detail = ok ? `check answered (request ${outcome.requestId})` : `${reasonOf(outcome.kind, outcome.status)}: ${outcome.reason}`;
      return { provider: 'tanba-feed', target, ok, latencyMs: ok ? ms : null, detail: `check ${ok ? 'ok' : 'FAILED'}: ${detail}`, steps: [{ step: 'check', ok, detail, ms: ok ? ms : null }] };
    },
    health(): ProviderHealth {
      return { provider: 'tanba-feed', target, state: lastError === null ? 'ok' : 'failing', detail: lastError ?? 'answering', lastSyncAt: null };
    },
    async close() {
      if (!options.shared) client.close();
    },
  };
}
