/**
 * `tanba check [--json] [--return] [--price N] CODE...` (or one code per stdin line): parses each
 * code and decides it from the local cache with today's date and the product's price from the
 * feed, exactly as the checkout would offline.
 *
 * TANBA_NOW (ISO-8601 time) fixes the clock — for tests, acceptance runs and demos of a stale
 * cache. Exit 0 when every input was processed (whatever the verdicts), 1 on failure, 2 on misuse.
 */
import { getProduct, type CheckResult } from '../cache/index.ts';
import { parseCode, toJson, visibleGs } from '../marking/index.ts';
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
    const reg = openDecisions(ctx);
    try {
      const out: string[] = [];
      for (const raw of inputs) {
        const parsed = parseCode(raw, reg.parseOptions);
        let price = priceOverride;
        if (price === null && parsed.ok && parsed.gtin !== null) {
          // The product's price from the feed (one extra lookup only when no --price was given).
          price = getProduct(reg.db, parsed.gtin)?.price ?? null;
        }
        const result = reg.checker.check(parsed, { operation, price, inBasket: false });
        if (json) out.push(JSON.stringify(checkJson(toJson(parsed), result)));
        else out.push(humanLine(raw, parsed.ok ? parsed.cis : null, result));
      }
      await write(ctx.stdout, out.length > 0 ? `${out.join('\n')}\n` : '');
      return 0;
    } finally {
      reg.close();
    }
  },
};

function humanLine(raw: string, cis: string | null, r: CheckResult): string {
  const v = r.verdict;
  // Control characters would garble a terminal; GS is shown as <GS>.
  const shown = visibleGs(cis ?? raw);
  const product = r.product ? `  [${r.product.name}${r.product.ai ? ', AI' : ''}]` : '';
  const flags = [v.offline ? `offline/${v.source}` : 'online', v.overridable ? 'overridable' : ''].filter(Boolean).join(', ');
  return `${v.decision.toUpperCase().padEnd(6)} ${v.reason.padEnd(17)} ${shown}  ${v.message} (${flags})${product}`;
}
