/**
 * The configured providers, tried in order within ONE budget (1.5 s by default, total across
 * providers): the first that answers decides; a provider that fails or runs out of time passes
 * what is left to the next. When none answers, the caller decides from the cache. The budget is
 * held even against a provider that ignores its abort signal: each attempt races a timer.
 */
import { performance } from 'node:perf_hooks';
import type { Clock } from '../../clock.ts';
import { createHealthBook, type ChainProviderHealth, type ProbeSchedule } from './health.ts';
import type { CodeQuery, FailureReason, MarkingProvider, ProviderAnswer, ProviderKind, ProviderOutcome, ProviderTestResult } from './provider.ts';

/** One provider's try. */
export interface ChainAttempt {
  provider: ProviderKind;
  target: string;
  answered: boolean;
  reason: FailureReason | null;
  message: string | null;
  ms: number;
}

/** What the chain got. */
export interface ChainResult {
  /** The first answer, or null: the cache decides. */
  answer: ProviderAnswer | null;
  attempts: ChainAttempt[];
  /** Time spent, ms. */
  ms: number;
}

/** The chain of providers. */
export interface MarkingChain {
  readonly providers: readonly MarkingProvider[];
  readonly budgetMs: number;
  /** Asks the providers in order within the budget. Never throws. */
  check(queries: readonly CodeQuery[], options?: { budgetMs?: number; signal?: AbortSignal }): Promise<ChainResult>;
  /** Each provider's health with its latest success and failure (no network). */
  health(): ChainProviderHealth[];
  /** Calls `listener` when a provider turns ok or failing (the dashboard pushes at once); returns the unsubscribe. */
  onHealthChange(listener: () => void): () => void;
  /** `tanba registry test`: every provider, one after the other (the health book records them). */
  test(options?: { timeoutMs?: number; probeCode?: string }): Promise<ProviderTestResult[]>;
  /** Starts the providers' background work and the re-probing of failed providers. */
  start(): void;
  close(): Promise<void>;
}

/** Options of {@link createMarkingChain}. */
export interface MarkingChainOptions {
  budgetMs?: number;
  /** Times of the health book (UTC). */
  clock?: Clock;
  /** When a provider whose latest word was a failure is asked again (default 15 s doubling to 5 min). */
  probe?: ProbeSchedule;
}

/** Builds the chain over providers that were created from the configuration (in its order). */
export function createMarkingChain(providers: readonly MarkingProvider[], options: MarkingChainOptions = {}): MarkingChain {
  const budgetMs = options.budgetMs ?? 1_500;
  if (!Number.isInteger(budgetMs) || budgetMs < 1) throw new RangeError(`the online check budget must be a positive whole number of ms, got ${budgetMs}`);
  const book = createHealthBook(providers, { ...(options.clock ? { clock: options.clock } : {}), ...(options.probe ? { schedule: options.probe } : {}) });

  async function tryOne(p: MarkingProvider, queries: readonly CodeQuery[], deadline: number, outer: AbortSignal | undefined): Promise<ProviderOutcome> {
    const remaining = Math.max(1, Math.floor(deadline - performance.now()));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), remaining);
    const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    const expired = new Promise<ProviderOutcome>((resolve) => {
      signal.addEventListener('abort', () => resolve({ kind: 'failed', provider: p.kind, reason: 'timeout', message: `no answer within the ${budgetMs} ms budget`, transient: true, status: null }), { once: true });
    });
    try {
      const work = p.check(queries, { signal, deadline }).catch((err: unknown): ProviderOutcome => ({
        kind: 'failed', provider: p.kind, reason: 'error', message: (err as Error).message, transient: true, status: null,
      }));
      return await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    providers,
    budgetMs,
    async check(queries, opts = {}) {
      const t0 = performance.now();
      const deadline = t0 + (opts.budgetMs ?? budgetMs);
      const attempts: ChainAttempt[] = [];
      for (const [i, p] of providers.entries()) {
        if (performance.now() >= deadline || opts.signal?.aborted) {
          attempts.push({ provider: p.kind, target: p.target, answered: false, reason: 'timeout', message: 'the budget was spent before its turn', ms: 0 });
          continue;
        }
        const t1 = performance.now();
        const outcome = await tryOne(p, queries, deadline, opts.signal);
        const ms = Math.round(performance.now() - t1);
        if (outcome.kind === 'answered') {
          book.succeeded(i);
          attempts.push({ provider: p.kind, target: p.target, answered: true, reason: null, message: null, ms });
          return { answer: outcome, attempts, ms: Math.round(performance.now() - t0) };
        }
        // A check the caller gave up on says nothing about the provider.
        if (!opts.signal?.aborted) book.failed(i, `${outcome.reason}: ${outcome.message}`);
        attempts.push({ provider: p.kind, target: p.target, answered: false, reason: outcome.reason, message: outcome.message, ms });
      }
      return { answer: null, attempts, ms: Math.round(performance.now() - t0) };
    },
    health: () => book.health(),
    onHealthChange: (listener) => book.onChange(listener),
    async test(opts = {}) {
      const out: ProviderTestResult[] = [];
      for (const [i, p] of providers.entries()) {
        const result = await p.test(opts);
        if (result.ok) book.succeeded(i);
        else book.failed(i, result.detail);
        out.push(result);
      }
      return out;
    },
    start() {
      for (const p of providers) p.start?.();
      book.start();
    },
    async close() {
      await book.close();
      await Promise.all(providers.map((p) => p.close().catch(() => undefined)));
    },
  };
}
