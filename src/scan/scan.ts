/**
 * One scan from any source, in the scan lane: the online check within its budget, the checkout's
 * decision, the check counted for the charts, then the verdict and the new basket announced.
 */
import type { BasketLine, Refusal } from '../checkout/index.ts';
import type { Register } from '../register/index.ts';
import type { BasketView, OnlineCheckView, ServerEvent, VerdictEvent } from '../server/contract/index.ts';
import { productNameByGtin, recordCheck } from '../store/index.ts';
import type { Lane } from './lane.ts';
import { onlineCheck } from './online.ts';
import { catalogFactsFor } from './catalog.ts';

/** A scan's outcome as the API and the events carry it. */
export interface ScanOutcome {
  verdict: VerdictEvent;
  basket: BasketView;
}

/** What {@link createScanFlow} needs. */
export interface ScanFlowDeps {
  register: Pick<Register, 'db' | 'clock' | 'checkout' | 'markingChain' | 'parseOptions' | 'catalog' | 'trainingMode' | 'training'>;
  lane: Lane;
  basket(): BasketView;
  emit(event: ServerEvent): void;
  /** Budget of the online check (default: the marking chain's budget, else 1.5 s). */
  onlineCheckMs?: number;
  log: { info(o: object, m: string): void; warn(o: object, m: string): void };
  /** Hears each online check that asked a marking system (the header's marking link). */
  checked?(check: OnlineCheckView): void;
}

/** A scan: code, where it came from, and an optional price / quantity. */
export type Scan = (code: string, source: string, options?: { price?: number; quantity?: number }) => Promise<ScanOutcome>;

/** The verdict event of a scan that became a line or a refusal. */
export function verdictOf(code: string, source: string, at: string, line: BasketLine | null, refusal: Refusal | null): VerdictEvent {
  const v = (line?.verdict ?? refusal?.verdict)!;
  return {
    type: 'verdict', code, cis: line?.cis ?? refusal?.cis ?? null, decision: v.decision, reason: v.reason, message: v.message, messages: v.messages,
    source: v.source, decidedBy: v.decidedBy ?? 'none', overridable: v.overridable, offline: v.offline, lineId: line?.id ?? null, refusalId: refusal?.id ?? null,
    scanSource: source, name: line?.name ?? refusal?.name ?? null, at, ...(v.lane ? { lane: v.lane } : {}),
  };
}

/** A refused code names its product when the price list, catalogue or feed knows its GTIN. */
function nameRefusal(db: ScanFlowDeps['register']['db'], refusal: Refusal, log: ScanFlowDeps['log']): void {
  if (refusal.name) return;
  const gtin = /^01(\d{14})/.exec(refusal.cis ?? refusal.code)?.[1];
  if (gtin === undefined) return;
  try {
    refusal.name = productNameByGtin(db, gtin);
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'could not look up a refused product\'s name');
  }
}

/** Creates the scan flow of a register. */
export function createScanFlow(deps: ScanFlowDeps): Scan {
  const { register, log } = deps;
  return (code, source, scanOptions = {}) => deps.lane.run(async () => {
    // The marking systems' online check and the National Catalogue lookup run side by side, each within its budget.
    const [online, catalog] = await Promise.all([
      onlineCheck(register.markingChain, code, {
        budgetMs: deps.onlineCheckMs ?? register.markingChain?.budgetMs ?? 1_500, parseOptions: register.parseOptions,
      }).then(({ online, report }) => {
        // Nothing asked (no system configured, or a code with nothing to ask about) says nothing about the link.
        if (report.answered || (report.reason !== 'not_configured' && report.reason !== 'no_code')) {
          const detail = report.answered ? null : report.message ?? report.reason;
          if (detail !== null) log.info({ kind: report.answered ? null : report.reason, reason: detail }, 'online check gave no answer; deciding from the cache');
          deps.checked?.({ answered: report.answered, at: register.clock.now().toISOString(), detail });
        }
        return online;
      }),
      catalogFactsFor(register, code),
    ]);
    const result = await register.checkout.scanGuarded(code, { ...scanOptions, online, catalog });
    if (!result.ok) nameRefusal(register.db, result.refusal, log);
    const at = register.clock.now().toISOString();
    const verdict = result.ok ? verdictOf(code, source, at, result.lines[0] ?? null, null) : verdictOf(code, source, at, null, result.refusal);
    try {
      recordCheck(register.db, { at: verdict.at, decision: verdict.decision, reason: verdict.reason, source: verdict.source, cis: verdict.cis, scanSource: source });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'could not log a check');
    }
    const basket = deps.basket();
    deps.emit(verdict);
    deps.emit({ type: 'basket', basket });
    return { verdict, basket };
  });
}
