/** The online check made for one scan, within its time budget. */
import type { OnlineFacts } from '../checkout/index.ts';
import { parseCode, type ParseOptions } from '../marking/index.ts';
import type { MarkingRegistryClient } from '../registry/index.ts';

/**
 * Asks the marking registry about a scanned code. Null when there is no registry, the code has
 * nothing to ask about (unreadable, no CIS, a plain barcode or a group pack) or no answer came
 * within `budgetMs`: then the cache decides (the verdict says it was decided offline).
 */
export async function onlineFactsFor(
  marking: MarkingRegistryClient | null, code: string, options: { budgetMs: number; parseOptions?: ParseOptions; onNoAnswer?: (kind: string, reason: string) => void },
): Promise<OnlineFacts | null> {
  if (marking === null) return null;
  const parsed = options.parseOptions ? parseCode(code, options.parseOptions) : parseCode(code);
  if (!parsed.ok || parsed.cis === null || parsed.kind === 'ean' || parsed.kind === 'sscc') return null;
  const outcome = await marking.check([code], { timeoutMs: options.budgetMs });
  if (outcome.kind === 'answered') return { facts: outcome.facts, requestId: outcome.requestId };
  options.onNoAnswer?.(outcome.kind, outcome.reason);
  return null;
}
