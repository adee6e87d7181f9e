/** The online check made for one scan: the configured marking systems in order, within one budget. */
import type { OnlineFacts } from '../checkout/index.ts';
import { parseCode, type ParseOptions } from '../marking/index.ts';
import type { ChainResult, FailureReason, MarkingChain, ProviderKind } from '../registry/index.ts';

/** What the online check did for a scan (`tanba check --online --json` prints it as "online"). */
export type OnlineReport =
  | { provider: ProviderKind; answered: true; requestId: string | null; ms: number }
  /** No answer: `provider` is the last one tried (null when none is configured or none was tried). */
  | { provider: ProviderKind | null; answered: false; reason: FailureReason | 'not_configured' | 'no_code'; ms: number; message?: string };

/** The chain's result as the facts the checkout takes (null: the cache decides). */
export function onlineFactsOf(result: ChainResult): OnlineFacts | null {
  const a = result.answer;
  if (a === null) return null;
  return { facts: a.facts, requestId: a.requestId, provider: a.provider, requestTime: a.requestTime, offline: a.offline };
}

/** The report of a chain's result. */
export function reportOf(result: ChainResult): OnlineReport {
  const a = result.answer;
  if (a !== null) return { provider: a.provider, answered: true, requestId: a.requestId, ms: result.ms };
  const last = result.attempts[result.attempts.length - 1];
  return {
    provider: last?.provider ?? null, answered: false, reason: last?.reason ?? 'not_configured', ms: result.ms,
    ...(result.attempts.length > 0 ? { message: result.attempts.map((t) => `${t.provider}: ${t.reason ?? 'answered'}${t.message ? ` (${t.message})` : ''}`).join('; ') } : {}),
  };
}

/**
 * Asks the marking systems about a scanned code, with what happened. The facts are null when no
 * system is configured, the code has nothing to ask about (unreadable, no CIS, a plain barcode or
 * a group pack) or none answered within `budgetMs`: then the cache decides (the verdict says it
 * was decided offline, and by whom).
 */
export async function onlineCheck(
  chain: MarkingChain | null, code: string, options: { budgetMs?: number; parseOptions?: ParseOptions },
): Promise<{ online: OnlineFacts | null; report: OnlineReport }> {
  if (chain === null) return { online: null, report: { provider: null, answered: false, reason: 'not_configured', ms: 0 } };
  const parsed = options.parseOptions ? parseCode(code, options.parseOptions) : parseCode(code);
  if (!parsed.ok || parsed.cis === null || parsed.kind === 'ean' || parsed.kind === 'sscc') {
    return { online: null, report: { provider: null, answered: false, reason: 'no_code', ms: 0 } };
  }
  const result = await chain.check([{ code: parsed.normalized, cis: parsed.cis }], options.budgetMs !== undefined ? { budgetMs: options.budgetMs } : {});
  return { online: onlineFactsOf(result), report: reportOf(result) };
}

/**
 * The facts only (the scan lane): null when nothing answered in time; `onNoAnswer` hears why.
 */
export async function onlineFactsFor(
  chain: MarkingChain | null, code: string, options: { budgetMs?: number; parseOptions?: ParseOptions; onNoAnswer?: (kind: string, reason: string) => void },
): Promise<OnlineFacts | null> {
  const { online, report } = await onlineCheck(chain, code, options);
  if (online === null && !report.answered && report.reason !== 'not_configured' && report.reason !== 'no_code') {
    options.onNoAnswer?.(report.reason, report.message ?? report.reason);
  }
  return online;
}
