/**
 * `tanba check [--online] [--json] [--return] [--price N] CODE...` (or one code per stdin line):
 * parses each code and decides it from the local cache with today's date and the product's price
 * from the feed, exactly as the checkout would offline. With --online it first asks the
 * configured marking systems (`registry.marking`, in order, within the 1.5 s budget), exactly as
 * the till does, and the JSON adds "online": which provider answered, its request id and the time
 * taken (or why none answered).
 *
 * TANBA_NOW (ISO-8601 time) fixes the clock — for tests, acceptance runs and demos of a stale
 * cache. Exit 0 when every input was processed (whatever the verdicts), 1 on failure, 2 on misuse.
 */
import { answerContext, getProduct, type CheckResult } from '../cache/index.ts';
import { parseCode, toJson, visibleGs } from '../marking/index.ts';
import type { MarkingChain } from '../registry/index.ts';
import type { ParseOptions } from '../marking/index.ts';
import type { OnlineFacts } from '../cache/index.ts';
import type { OnlineReport } from '../scan/online.ts';
import type { CliRegister } from './register.ts';
import { openDecisions } from './register-db.ts';
import { UsageError, readAll, stringFlag, write, type CliContext, type Command } from './types.ts';

/** The object `check --json` prints for one input. */
export function checkJson(parsedJson: unknown, result: CheckResult): Record<string, unknown> {
  const base = typeof parsedJson === 'string' ? JSON.parse(parsedJson) as unknown : parsedJson;
  const v = result.verdict;
  return {
    ...(base !== null && typeof base === 'object' ? base as Record<string, unknown> : { parse: base }),
    verdict: {
      decision: v.decision, reason: v.reason, source: v.source, message: v.message, overridable: v.overridable,
      offline: v.offline, rule: v.rule, messages: v.messages, freshness: result.freshness.state, checkedAt: result.checkedAt,
    },
    ...(result.product !== null ? { product: result.product } : {}),
  };
}

export const checkCommand: Command = {
  async run(ctx: CliContext, args) {
    const priceText = stringFlag(args, 'price');
    if (priceText !== undefined && !/^\d+$/.test(priceText)) throw new UsageError(`--price must be a whole number of minor units, got '${priceText}'`);
    const priceOverride = priceText === undefined ? null : Number(priceText);
    const json = args.flags.json === true;
    const operation = args.flags.return === true ? 'return' : 'sale';

    let inputs: string[];
    if (args.positionals.length > 0) inputs = args.positionals;
    else {
      if (ctx.stdin.isTTY) throw new UsageError('give codes as arguments or pipe them, one per line');
      inputs = (await readAll(ctx.stdin)).toString('utf8').split('\n').filter((l) => l !== '' && l !== '\r');
    }
    const online = args.flags.online === true;
    // Only --online needs the marking chain (and so the whole register); a cache check loads the decisions alone.
    // A check only reads: with no register yet it answers from an empty cache and creates nothing.
    const reg = online ? await openOnline(ctx) : { ...openDecisions(ctx, { emptyWhenMissing: true }), markingChain: null };
    try {
      const out: string[] = [];
      for (const raw of inputs) {
        const parsed = parseCode(raw, reg.parseOptions);
        let price = priceOverride;
        if (price === null && parsed.ok && parsed.gtin !== null) {
          // The product's price from the feed (one extra lookup only when no --price was given).
          price = getProduct(reg.db, parsed.gtin)?.price ?? null;
        }
        if (!online) {
          const result = reg.checker.check(parsed, { operation, price, inBasket: false });
          out.push(json ? JSON.stringify(checkJson(toJson(parsed), result)) : humanLine(raw, parsed.ok ? parsed.cis : null, result));
          continue;
        }
        const asked = await askOnline(reg, raw);
        const result = reg.checker.check(parsed, { operation, price, inBasket: false, ...answerContext(asked.online, parsed.ok ? parsed.cis : null) });
        if (json) {
          const obj = checkJson(toJson(parsed), result);
          out.push(JSON.stringify({ ...obj, verdict: { ...(obj.verdict as object), decidedBy: result.verdict.decidedBy ?? 'none' }, online: asked.report }));
        } else {
          out.push(`${humanLine(raw, parsed.ok ? parsed.cis : null, result)}  ${onlineText(asked.report)}`);
        }
      }
      await write(ctx.stdout, out.length > 0 ? `${out.join('\n')}\n` : '');
      return 0;
    } finally {
      await reg.markingChain?.close();
      reg.close();
    }
  },
};

/** The register with its marking chain, loaded only for `--online`. */
async function openOnline(ctx: CliContext): Promise<CliRegister> {
  const { openRegister } = await import('./register.ts');
  return openRegister(ctx, { emptyWhenMissing: true });
}

/** The till's online check for one code (the configured chain within its budget). */
async function askOnline(reg: { markingChain: MarkingChain | null; parseOptions: ParseOptions }, raw: string): Promise<{ online: OnlineFacts | null; report: OnlineReport }> {
  const { onlineCheck } = await import('../scan/online.ts');
  return onlineCheck(reg.markingChain, raw, { parseOptions: reg.parseOptions });
}

function onlineText(r: OnlineReport): string {
  if (r.answered) return `[online: ${r.provider} answered in ${r.ms} ms, request ${r.requestId ?? '-'}]`;
  return `[online: no answer (${r.reason}${r.provider ? ` from ${r.provider}` : ''}); decided from the cache]`;
}

function humanLine(raw: string, cis: string | null, r: CheckResult): string {
  const v = r.verdict;
  // Control characters would garble a terminal; GS is shown as <GS>.
  const shown = visibleGs(cis ?? raw);
  const product = r.product ? `  [${r.product.name}${r.product.ai ? ', AI' : ''}]` : '';
  const flags = [v.offline ? `offline/${v.source}` : 'online', v.overridable ? 'overridable' : ''].filter(Boolean).join(', ');
  return `${v.decision.toUpperCase().padEnd(6)} ${v.reason.padEnd(17)} ${shown}  ${v.message} (${flags})${product}`;
}
